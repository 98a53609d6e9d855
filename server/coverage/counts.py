"""Reading visits for coverage: distinct visited days and last visits, a batch at a time."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from server.coverage.periods import Period
from server.models import CoverageResult, Visit
from server.platform.extensions import db

# Rows a refresh reads and writes at a time: memory stays flat however many residents there are.
BATCH = 5000


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]


def visit_days(
    resident_ids: list[uuid.UUID], first: date, last: date
) -> dict[uuid.UUID, set[date]]:
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    rows = db.session.execute(
        select(Visit.resident_id, Visit.visit_date)
        .distinct()
        .where(
            Visit.resident_id.in_(resident_ids),
            Visit.voided_at.is_(None),
            Visit.visit_date.between(first, last),
        )
    )
    for resident_id, day in rows:
        days[resident_id].add(day)
    return days


def period_counts(
    resident_ids: list[uuid.UUID], period: Period
) -> dict[uuid.UUID, tuple[int, datetime]]:
    """Distinct visited days and the latest check-in in the period, counted by the database."""
    return {
        row[0]: (row[1], row[2])
        for row in db.session.execute(
            select(
                Visit.resident_id,
                func.count(func.distinct(Visit.visit_date)),
                func.max(Visit.checked_in_at),
            )
            .where(
                Visit.resident_id.in_(resident_ids),
                Visit.voided_at.is_(None),
                Visit.visit_date.between(period.start, period.end),
            )
            .group_by(Visit.resident_id)
        )
    }


def last_visits(resident_ids: list[uuid.UUID], until: date) -> dict[uuid.UUID, datetime]:
    return dict(
        db.session.execute(
            select(Visit.resident_id, func.max(Visit.checked_in_at))
            .where(
                Visit.resident_id.in_(resident_ids),
                Visit.voided_at.is_(None),
                Visit.visit_date <= until,
            )
            .group_by(Visit.resident_id)
        ).all()
    )


# How far back a result's last visit is carried from the resident's earlier results.
CARRY_BACK = timedelta(days=62)


def carry_ranges(period: Period) -> list[tuple[str, str]]:
    """For weeks and for months, the first and last label of the periods that end within
    CARRY_BACK before the period. A resident's rows are stored in label order, so each range
    is one short read of the key, however many rows the resident has gathered over the
    years (about 64 a year); the end dates then pick the rows exactly."""
    first = period.start - CARRY_BACK
    ranges = []
    for kind in ("week", "month"):
        newest = earlier = Period.of(kind, period.start - timedelta(days=1))
        while earlier.previous().end >= first:
            earlier = earlier.previous()
        ranges.append((earlier.label, newest.label))
    return ranges


def carried_from(table, period: Period) -> list[ColumnElement]:
    """Which of a table's stored results a last visit is carried from, one condition per range
    of carry_ranges() (each a short read of the resident's key)."""
    return [
        and_(
            table.period.between(oldest, newest),
            table.period_end < period.start,
            table.period_end >= period.start - CARRY_BACK,
        )
        for oldest, newest in carry_ranges(period)
    ]


def earlier_last_visits(
    resident_ids: list[uuid.UUID], period: Period, exact: bool
) -> dict[uuid.UUID, datetime]:
    """The last visit before the period: carried from the previous stored results (cheap), or
    read from the visits when `exact` or when there is nothing to carry."""
    found: dict[uuid.UUID, datetime] = {}
    if not exact:
        found = {
            key: value
            for key, value in db.session.execute(
                select(CoverageResult.resident_id, func.max(CoverageResult.last_visit_at))
                .where(
                    CoverageResult.resident_id.in_(resident_ids),
                    or_(*carried_from(CoverageResult, period)),
                )
                .group_by(CoverageResult.resident_id)
            )
            if value is not None
        }
    missing = [resident_id for resident_id in resident_ids if resident_id not in found]
    if missing:
        found.update(last_visits(missing, period.start - timedelta(days=1)))
    return found
