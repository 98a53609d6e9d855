"""How records get reviewed: of the records made in a range, per worker and in total, how
many were reviewed, how long from receipt to the first review, and how many the first review
returned (docs/reviews.md).

Records are the visits (not voided) and the case records (not purged) whose local day (a
visit's check-in, a case record's `at`) lies in the range, in the units asked for, counted to
their author. Time to review is from the server's receipt of the record to its first review,
in hours; median and p90 are computed in Python (linear between ranks, as numpy's default), so
SQLite and PostgreSQL give the same figures.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, union_all

from server.models import Case, CaseRecord, RecordReview, User, Visit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.reports.tasks import percentile

# The report reads at most this many records at once; beyond, a narrower range.
MAX_RECORDS = 200_000


@dataclass(frozen=True)
class Made:
    worker_id: uuid.UUID
    hours: float | None  # to the first review; None when never reviewed
    first_returned: bool


def _instant(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


def _records(units, start: datetime, end: datetime):
    visits = select(
        Visit.id.label("record_id"),
        Visit.worker_id.label("worker_id"),
        Visit.received_at.label("received_at"),
    ).where(
        Visit.voided_at.is_(None),
        Visit.checked_in_at >= start,
        Visit.checked_in_at < end,
    )
    records = (
        select(
            CaseRecord.id.label("record_id"),
            CaseRecord.author_id.label("worker_id"),
            CaseRecord.received_at.label("received_at"),
        )
        .join(Case, Case.id == CaseRecord.case_id)
        .where(Case.purged_at.is_(None), CaseRecord.at >= start, CaseRecord.at < end)
    )
    if units is not None:
        visits = visits.where(Visit.unit_id.in_(units))
        records = records.where(Case.unit_id.in_(units))
    return union_all(visits, records).subquery("made")


def _first_reviews():
    """Each record's first review: when, and whether it returned the record."""
    ranked = select(
        RecordReview.record_id,
        RecordReview.reviewed_at,
        RecordReview.decision,
        func.row_number()
        .over(
            partition_by=(RecordReview.record_kind, RecordReview.record_id),
            order_by=(RecordReview.reviewed_at, RecordReview.id),
        )
        .label("rank"),
    ).subquery("ranked")
    return (
        select(ranked.c.record_id, ranked.c.reviewed_at, ranked.c.decision)
        .where(ranked.c.rank == 1)
        .subquery("first")
    )


def made_records(units, date_from: date, date_to: date, zone_name: str) -> list[Made]:
    """Every record made on the local days of the range, with its first review if any."""
    zone = ZoneInfo(zone_name)
    start, end = _instant(date_from, zone), _instant(date_to + timedelta(days=1), zone)
    made, first = _records(units, start, end), _first_reviews()
    query = (
        select(made.c.worker_id, made.c.received_at, first.c.reviewed_at, first.c.decision)
        .select_from(made.outerjoin(first, first.c.record_id == made.c.record_id))
        .limit(MAX_RECORDS + 1)
    )
    rows = db.session.execute(query).all()
    if len(rows) > MAX_RECORDS:
        raise ApiError(
            422,
            f"More than {MAX_RECORDS} records in this range: ask for a shorter one.",
            errors={"from": ["range too large"]},
        )
    return [
        Made(
            worker_id,
            None
            if reviewed_at is None
            else max(0.0, (_aware(reviewed_at) - _aware(received_at)).total_seconds() / 3600),
            decision == "returned",
        )
        for worker_id, received_at, reviewed_at, decision in rows
    ]


def _aware(value: datetime) -> datetime:
    """Times read through a union come back as stored; they are UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def figures(rows: list[Made]) -> dict:
    """The figures of one group of records."""
    hours = [row.hours for row in rows if row.hours is not None]
    returned = sum(row.first_returned for row in rows)
    return {
        "made": len(rows),
        "reviewed": len(hours),
        "reviewed_share": round(len(hours) / len(rows), 4) if rows else None,
        "median_hours": _rounded(statistics.median(hours) if hours else None),
        "p90_hours": _rounded(percentile(hours, 0.9)),
        "returned": returned,
        "returned_share": round(returned / len(hours), 4) if hours else None,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def review_report(units, date_from: date, date_to: date, zone_name: str) -> dict:
    """The figures in total and per worker (by name)."""
    rows = made_records(units, date_from, date_to, zone_name)
    by_worker: dict[uuid.UUID, list[Made]] = defaultdict(list)
    for row in rows:
        by_worker[row.worker_id].append(row)
    names = (
        dict(
            db.session.execute(
                select(User.id, User.display_name).where(User.id.in_(list(by_worker)))
            ).all()
        )
        if by_worker
        else {}
    )
    workers = [
        {"worker": {"id": worker_id, "display_name": names.get(worker_id, "")}, **figures(group)}
        for worker_id, group in by_worker.items()
    ]
    workers.sort(key=lambda row: (row["worker"]["display_name"], str(row["worker"]["id"])))
    return {"from": date_from, "to": date_to, "total": figures(rows), "workers": workers}
