"""Follow-ups handled: a supervisor's note that a flagged visit was acted on."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, and_, or_, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import User
from server.models.types import UTCDateTime, utcnow
from server.models.visits import Visit
from server.platform.extensions import db


class FollowUpHandled(db.Model):
    """One row per handled follow-up: the visit id is the key, so a visit is handled once."""

    __tablename__ = "followups_handled"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    handled_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(1000))

    handler: Mapped[User] = relationship(lazy="joined")


# Partial indexes of the visits table (migration 0004) that the supervisor reports read with
# index-only scans (server/reports/followups.py and satisfaction.py); each leaves voided
# visits out, as the reports do.
# Satisfaction, activity and the follow-ups' totals add up per-day counts instead
# (server/models/reporting.py); migration 0005 dropped the indexes they read before.
# Visits flagged as recorded (a concern or a follow-up asked for): the follow-ups list reads
# its page from these small partial indexes newest first instead of every visit; amended
# visits come from the small flagged_amendments table (server/models/reporting.py).
FLAGGED_AS_RECORDED = or_(
    Visit.obs_living == "concern",
    Visit.obs_emotional == "concern",
    Visit.obs_physical == "concern",
    Visit.follow_up == true(),
)
KEPT_AND_FLAGGED = and_(Visit.voided_at.is_(None), FLAGGED_AS_RECORDED)
Index(
    "ix_visits_flagged_checked_in_at",
    Visit.checked_in_at,
    Visit.id,
    postgresql_include=["unit_id"],
    postgresql_where=KEPT_AND_FLAGGED,
    sqlite_where=KEPT_AND_FLAGGED,
)
Index(
    "ix_visits_flagged_unit_id",
    Visit.unit_id,
    Visit.checked_in_at,
    Visit.id,
    postgresql_where=KEPT_AND_FLAGGED,
    sqlite_where=KEPT_AND_FLAGGED,
)
# Unsatisfied visits: the list newest first (admins), by unit (supervisors), and its count.
UNSATISFIED = text("voided_at IS NULL AND satisfaction = 'unsatisfied'")
Index(
    "ix_visits_unsatisfied_checked_in_at",
    Visit.checked_in_at,
    Visit.id,
    postgresql_include=["unit_id", "visit_date"],
    postgresql_where=UNSATISFIED,
    sqlite_where=UNSATISFIED,
)
Index(
    "ix_visits_unsatisfied_unit_id",
    Visit.unit_id,
    Visit.checked_in_at,
    Visit.id,
    postgresql_include=["visit_date"],
    postgresql_where=UNSATISFIED,
    sqlite_where=UNSATISFIED,
)
# A visit in a burst (presence.py, at receipt): what the activity report's burst counts read
# (server/reports/day_counts.py).
BURST = Visit.presence["burst"].as_boolean() == true()

__all__ = ["BURST", "FLAGGED_AS_RECORDED", "FollowUpHandled"]
