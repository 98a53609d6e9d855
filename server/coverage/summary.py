"""The counts of stored results that the board and the history add up.

An admin's board and a 12-week history would otherwise group every resident's row of each
period (100,000 a week) on every request. The pass that writes a period's results recounts it
into coverage_counts in the same transaction, so a reader sees the rows and their counts of the
same moment; a period is a few hundred count rows. Their evaluated_at is when that pass ran:
the board's "counted at", even when the pass found every row as it was (store.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, literal, select

from ..extensions import db
from ..models import CoverageCount, CoverageResult
from ..models.types import UTCDateTime

COUNT_COLUMNS = ["period", "unit_id", "status", "shortfall", "days_visited", "never_visited",
                 "residents", "evaluated_at"]


def recount(labels: Iterable[str], now: datetime) -> None:
    """Count the stored results of these periods again, as of the pass at `now`."""
    labels = sorted(set(labels))
    if not labels:
        return
    result = CoverageResult
    keys = [result.period, result.unit_id, result.status,
            result.required - result.days_visited, result.days_visited,
            result.last_visit_at.is_(None)]
    db.session.execute(delete(CoverageCount).where(CoverageCount.period.in_(labels)))
    db.session.execute(insert(CoverageCount).from_select(
        COUNT_COLUMNS,
        select(*keys, func.count(), literal(now, UTCDateTime))
        .where(result.period.in_(labels)).group_by(*keys)))
