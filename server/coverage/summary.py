"""The counts of stored results that the board and the history add up.

An admin's board and a 12-week history would otherwise group every resident's row of each
period (100,000 a week) on every request. The pass that writes a period's results recounts it
into coverage_counts in the same transaction, so a reader sees the rows and their counts of the
same moment; a period is a few hundred count rows. Their evaluated_at is when that pass ran:
the board's "counted at", even when the pass found every row as it was (store.py). A refresh
that wrote no row of a period (most quarter hours of a quiet night) only moves that time:
regrouping a week's 100,000 rows would find the same counts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, exists, func, insert, literal, select, true, update

from server.models import CoverageCount, CoverageResult
from server.models.types import UTCDateTime
from server.platform.extensions import db

COUNT_COLUMNS = [
    "period",
    "unit_id",
    "status",
    "shortfall",
    "days_visited",
    "never_visited",
    "residents",
    "evaluated_at",
]


def recount(labels: Iterable[str], now: datetime, units: Iterable[uuid.UUID] | None = None) -> None:
    """Count the stored results of these periods again, as of the pass at `now`; only those
    of `units` when given (a pass that judged a few residents: their units' rows are the
    only counts it can change)."""
    labels = sorted(set(labels))
    if not labels:
        return
    result = CoverageResult
    in_units = true() if units is None else result.unit_id.in_(sorted(set(units)))
    keys = [
        result.period,
        result.unit_id,
        result.status,
        result.required - result.days_visited,
        result.days_visited,
        result.last_visit_at.is_(None),
    ]
    db.session.execute(
        delete(CoverageCount).where(
            CoverageCount.period.in_(labels),
            true() if units is None else CoverageCount.unit_id.in_(sorted(set(units))),
        )
    )
    db.session.execute(
        insert(CoverageCount).from_select(
            COUNT_COLUMNS,
            select(*keys, func.count(), literal(now, UTCDateTime))
            .where(result.period.in_(labels), in_units)
            .group_by(*keys),
        )
    )


def keep_counts(
    labels: list[str], written: set[str], now: datetime, units: set[uuid.UUID] | None = None
) -> None:
    """After a refresh of the periods `labels`: recount the periods it wrote a result of
    (in `units` only, when given), and any with results but no counts (a period prepared
    before it started); the others are counted as of now without being read again."""
    counted = set(
        db.session.scalars(
            select(CoverageCount.period).where(CoverageCount.period.in_(labels)).distinct()
        )
    )
    stale = written | {
        label
        for label in labels
        if label not in counted
        and db.session.scalar(select(exists().where(CoverageResult.period == label)))
    }
    recount(stale & written, now, units)
    recount(stale - written, now)
    # The counts not read again are as of now too; with `units`, the other units' counts
    # of the written periods are among them.
    unchanged = sorted(set(labels) if units is not None else set(labels) - stale)
    if unchanged:
        db.session.execute(
            update(CoverageCount)
            .where(CoverageCount.period.in_(unchanged))
            .values(evaluated_at=now)
        )
