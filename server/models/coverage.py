"""Coverage: the policies (how many visited days a period asks), the results per resident and
period, their counts per unit, and where the last refresh stopped."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.models.types import BigIntPK, UTCDateTime, utcnow
from server.models.visits import Visit
from server.platform.extensions import db

POLICY_PERIODS = ("week", "month", "year", "days")
COVERAGE_STATUSES = ("met", "on_track", "at_risk", "missed")

# Two indexes on visits for server/coverage/. The refresh asks "which visits were voided
# since the last run": voids are rare, so the index holds only voided visits (a plain index
# on voided_at would also tempt planners to serve "voided_at IS NULL" from it).
Index(
    "ix_visits_voided_at",
    Visit.voided_at,
    sqlite_where=Visit.voided_at.is_not(None),
    postgresql_where=Visit.voided_at.is_not(None),
)
# Counting distinct days and the last check-in per resident reads this index alone, without
# touching the table: it holds exactly the visits that count.
Index(
    "ix_visits_counted",
    Visit.resident_id,
    Visit.visit_date,
    Visit.checked_in_at,
    sqlite_where=Visit.voided_at.is_(None),
    postgresql_where=Visit.voided_at.is_(None),
)


class CoveragePolicy(db.Model):
    """A required number of visited days per period: the default, a care level, or a resident.

    `key` is "default", "care_level:<level>" or "resident:<uuid>": one row per scope, unique.
    """

    __tablename__ = "coverage_policies"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    care_level: Mapped[str | None] = mapped_column(String(40))
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("residents.id"))
    required: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10), default="week")
    # For period "days": the longest gap allowed between visits, in days.
    every_days: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class CoverageResult(db.Model):
    """One resident's count against the rule for one week or month; rewritten by the refresh.

    resident_id and unit_id carry no foreign keys, like the coverage columns of Alert: the
    refresh writes these rows by the hundred thousand from residents it has just read, and
    residents and units are never deleted, while PostgreSQL's per-row key checks (each
    locking the referenced resident) cost more than half of a full pass.
    """

    __tablename__ = "coverage_results"
    # The refresh finds the rows due to turn through the period index, and due_on has no
    # index of its own: a status that turns then changes no indexed column, and PostgreSQL
    # rewrites the row in its page without touching an index (a HOT update), if the page
    # has room. Pages are filled to 70% to leave it: a morning turns up to half of a week's.
    # Every refresh asks which ended periods still have open rows (the close job may not have
    # run): the open rows by end date answer that from a small index, where the question
    # read the whole table (0.2-0.3 s a refresh on SQLite at 100,000 residents). Neither
    # column changes when a status turns, so the turn stays a HOT update.
    __table_args__ = (
        Index("ix_coverage_results_period_unit_id", "period", "unit_id"),
        Index(
            "ix_coverage_results_open_period_end",
            "period_end",
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        {"postgresql_with": {"fillfactor": 70}},
    )

    # Keyed by resident and period, no surrogate id: one index and one sequence fewer to
    # write for each of the rows a pass stores.
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # "2026-W48" or "2026-11"; the dates are kept too so "which period holds this day" is a query.
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    required: Mapped[int] = mapped_column(Integer)
    active_days: Mapped[int] = mapped_column(Integer)
    days_visited: Mapped[int] = mapped_column(Integer)
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))
    # The first local day on which the status changes if nothing else happens: the refresh
    # looks only at rows with due_on <= today (plus residents with new events).
    due_on: Mapped[date | None] = mapped_column(Date)
    # When the values were last set: a pass that finds them unchanged leaves the row alone.
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CoverageCount(db.Model):
    """How many results of a period and unit share a status, shortfall, count of days and
    "never visited": what the board's unit counts, the sizes of its groups and the history
    add up, a few hundred rows a period instead of a row per resident. Recounted by the
    pass that wrote the period's results, in the same transaction (coverage/summary.py)."""

    __tablename__ = "coverage_counts"

    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    shortfall: Mapped[int] = mapped_column(Integer, primary_key=True)  # required - days
    days_visited: Mapped[int] = mapped_column(Integer, primary_key=True)
    never_visited: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    residents: Mapped[int] = mapped_column(Integer)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the pass counted them


class CoverageState(db.Model):
    """Where the last refresh stopped: its watermarks, so the next one reads only what is new."""

    __tablename__ = "coverage_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    periods: Mapped[list] = mapped_column(JSON, default=list)
    # The next periods being prepared on the last day of the current ones
    # (coverage/prepare.py): their labels, the last resident prepared so far (residents are
    # prepared in id order, a slice per refresh) and whether every resident is.
    prepared_periods: Mapped[list] = mapped_column(JSON, default=list)
    prepared_after: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    prepared_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    # The local day by which every row due has been judged (by one refresh, or by the few a
    # large midnight turn is spread over); a row judged on a day is due on a later one: the
    # other refreshes of that day look for none.
    turned_on: Mapped[date | None] = mapped_column(Date)
    # A full pass under way (coverage/passes.py): the periods it judges and the last resident
    # judged so far (a slice of residents per refresh, in id order).
    full_labels: Mapped[list | None] = mapped_column(JSON)
    full_after: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # When the recent pass (coverage/recent.py) last looked for new visits.
    recent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


__all__ = [
    "COVERAGE_STATUSES",
    "POLICY_PERIODS",
    "CoverageCount",
    "CoveragePolicy",
    "CoverageResult",
    "CoverageState",
]
