"""Follow-ups handled: a supervisor's note that a flagged visit was acted on."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, or_, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import User
from .types import UTCDateTime, utcnow
from .visits import Visit


class FollowUpHandled(db.Model):
    """One row per handled follow-up: the visit id is the key, so a visit is handled once."""

    __tablename__ = "followups_handled"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    handled_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(1000))

    handler: Mapped[User] = relationship(lazy="joined")


# Visits flagged as recorded (a concern or a follow-up asked for): the follow-ups list and its
# count read this small partial index newest first instead of every visit (server/reports.py).
# Amended visits are looked up through the amendments table, which is small.
FLAGGED_AS_RECORDED = or_(Visit.obs_living == "concern", Visit.obs_emotional == "concern",
                          Visit.obs_physical == "concern", Visit.follow_up == true())
Index("ix_visits_flagged_checked_in_at", Visit.checked_in_at, Visit.unit_id,
      postgresql_where=FLAGGED_AS_RECORDED, sqlite_where=FLAGGED_AS_RECORDED)

__all__ = ["FLAGGED_AS_RECORDED", "FollowUpHandled"]
