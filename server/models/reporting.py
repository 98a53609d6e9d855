"""Per-day counts of kept visits that the supervisor reports add up instead of every visit."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.models.types import UTCDateTime
from server.platform.extensions import db

# The counted columns, in the order the table declares them (server/reports/day_counts.py keeps
# them; satisfaction, activity and the follow-ups' totals read them).
COUNTS = (
    "visits",
    "qr",
    "burst",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
    "flagged",
    "flagged_handled",
)


class VisitDayCount(db.Model):
    """Kept (not voided) visits of one worker in one unit on one local day, counted.

    Maintained in the transaction that changes what they count: sync ingest (new visits),
    amendments (a flag set or cleared), voids and handled follow-ups. Keyed unit first, then
    day: a report over some units and a range of days reads one range of rows per unit.
    A row may fall to all zeros after voids; readers skip zero counts.
    """

    __tablename__ = "visit_day_counts"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    visit_date: Mapped[date] = mapped_column(Date, primary_key=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    # identified by a QR scan (the rest were picked by hand)
    qr: Mapped[int] = mapped_column(Integer, default=0)
    # part of a burst, as presence.py flagged them at receipt
    burst: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    basically_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    unsatisfied: Mapped[int] = mapped_column(Integer, default=0)
    # flagging a concern or asking for follow-up as they read after amendments
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    # of those, handled (a row in followups_handled)
    flagged_handled: Mapped[int] = mapped_column(Integer, default=0)


class FlaggedAmendment(db.Model):
    """A kept, amended visit that flags a concern or asks for follow-up as it reads now.

    The follow-ups list takes visits never amended from the flagged partial indexes and the
    amended ones from here: a few thousand rows in check-in order, instead of reading every
    amended visit and its amendments' JSON on each call. Kept with the counts above.
    """

    __tablename__ = "flagged_amendments"
    __table_args__ = (Index("ix_flagged_amendments_checked_in_at", "checked_in_at", "visit_id"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    visit_date: Mapped[date] = mapped_column(Date)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = ["COUNTS", "FlaggedAmendment", "VisitDayCount"]
