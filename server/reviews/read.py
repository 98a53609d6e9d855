"""Reading reviews: a record's reviews and state, the state of many records at once (what the
office's visits, register and CSV carry), the office's queue, and the phone's copy in the pull.

The latest review of a record decides its state: `unreviewed` (none), `approved`, `returned`
(not answered yet) or `answered` (waiting for the next review).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)

from server.models import Case, CaseRecord, RecordReview, Resident, User, Visit
from server.people.access import Scope
from server.platform.extensions import db
from server.platform.sqlparts import uuid_text
from server.reviews.records import find_record
from server.visits.read import current_content

REVIEW_STATES = ("unreviewed", "approved", "returned", "answered")
WAITING_STATES = ("unreviewed", "answered")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": str(user.id), "display_name": user.display_name}


def state_of(review: RecordReview | None) -> str:
    """The state a record's latest review leaves it in."""
    if review is None:
        return "unreviewed"
    if review.decision == "approved":
        return "approved"
    return "returned" if review.answered_at is None else "answered"


def summary(review: RecordReview | None) -> dict | None:
    """The latest review as a record carries it (`review` of a visit), or None."""
    if review is None:
        return None
    return {
        "state": state_of(review),
        "decision": review.decision,
        "comment": review.comment,
        "reviewer": _person(review.reviewer),
        "reviewed_at": review.reviewed_at,
        "answered_at": review.answered_at,
    }


def reply_view(reply) -> dict:
    return {
        "id": str(reply.id),
        "body": reply.body,
        "amendment_id": str(reply.amendment_id) if reply.amendment_id else None,
        "at": _iso(reply.at),
        "author": _person(reply.author),
    }


def review_view(review: RecordReview) -> dict:
    """One review with its replies, as the office reads it."""
    return {
        "id": str(review.id),
        "record_kind": review.record_kind,
        "record_id": str(review.record_id),
        "worker_id": str(review.worker_id),
        "unit_id": str(review.unit_id),
        "resident_id": str(review.resident_id),
        "record_received_at": _iso(review.record_received_at),
        "decision": review.decision,
        "comment": review.comment,
        "reviewer": _person(review.reviewer),
        "reviewed_at": _iso(review.reviewed_at),
        "answered_at": _iso(review.answered_at),
        "state": state_of(review),
        "replies": [reply_view(reply) for reply in review.replies],
    }


def reviews_of(scope: Scope, kind: str, record_id: uuid.UUID) -> dict:
    """Every review of a record one sees, oldest first, and the state the latest leaves."""
    record = find_record(scope, kind, record_id)
    reviews = list(
        db.session.scalars(
            select(RecordReview)
            .where(RecordReview.record_kind == kind, RecordReview.record_id == record.id)
            .order_by(RecordReview.reviewed_at, RecordReview.id)
        )
    )
    return {
        "record_kind": kind,
        "record_id": str(record.id),
        "state": state_of(reviews[-1] if reviews else None),
        "reviews": [review_view(review) for review in reviews],
    }


def latest_reviews(kind: str, record_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, RecordReview]:
    """The latest review of each of these records (records never reviewed are absent)."""
    ids = sorted(set(record_ids))
    latest: dict[uuid.UUID, RecordReview] = {}
    for start in range(0, len(ids), 500):
        for review in db.session.scalars(
            select(RecordReview)
            .where(
                RecordReview.record_kind == kind,
                RecordReview.record_id.in_(ids[start : start + 500]),
            )
            .order_by(RecordReview.reviewed_at, RecordReview.id)
        ):
            latest[review.record_id] = review  # later ones replace earlier ones
    return latest


def summaries(kind: str, record_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """Each record's `review` (the latest review's summary); records never reviewed absent."""
    return {rid: summary(review) for rid, review in latest_reviews(kind, record_ids).items()}


# --- the office's queue -------------------------------------------------------------------

_reviews = RecordReview.__table__


def _latest_review_rows():
    """Each record's latest review: its decision and whether it was answered."""
    ranked = select(
        _reviews.c.record_kind,
        _reviews.c.record_id,
        _reviews.c.decision,
        _reviews.c.answered_at,
        func.row_number()
        .over(
            partition_by=(_reviews.c.record_kind, _reviews.c.record_id),
            order_by=(_reviews.c.reviewed_at.desc(), _reviews.c.id.desc()),
        )
        .label("rank"),
    ).subquery("ranked")
    return (
        select(ranked.c.record_kind, ranked.c.record_id, ranked.c.decision, ranked.c.answered_at)
        .where(ranked.c.rank == 1)
        .subquery("latest")
    )


def _records():
    """Every reviewable record: the visits not voided and the case records not purged."""
    visits = select(
        literal("visit").label("record_kind"),
        Visit.id.label("record_id"),
        Visit.unit_id,
        Visit.worker_id,
        Visit.resident_id,
        Visit.checked_in_at.label("record_at"),
        Visit.received_at,
        literal(None, CaseRecord.case_id.type).label("case_id"),
    ).where(Visit.voided_at.is_(None))
    case_records = (
        select(
            literal("case_record").label("record_kind"),
            CaseRecord.id.label("record_id"),
            Case.unit_id,
            CaseRecord.author_id.label("worker_id"),
            Case.resident_id,
            CaseRecord.at.label("record_at"),
            CaseRecord.received_at,
            CaseRecord.case_id,
        )
        .join(Case, Case.id == CaseRecord.case_id)
        .where(Case.purged_at.is_(None))
    )
    return union_all(visits, case_records).subquery("records")


@dataclass
class QueueFilter:
    """What the queue asks for (docs/reviews.md, GET /api/v1/reviews/queue)."""

    states: list[str] = field(default_factory=lambda: list(WAITING_STATES))
    unit_ids: list[uuid.UUID] | None = None
    worker_id: uuid.UUID | None = None
    record_kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _instant(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


def _queue_base(wanted: QueueFilter, zone_name: str):
    records, latest = _records(), _latest_review_rows()
    state = case(
        (latest.c.decision.is_(None), "unreviewed"),
        (latest.c.decision == "approved", "approved"),
        (latest.c.answered_at.is_(None), "returned"),
        else_="answered",
    ).label("state")
    joined = records.outerjoin(
        latest,
        and_(
            latest.c.record_kind == records.c.record_kind,
            latest.c.record_id == records.c.record_id,
        ),
    )
    conditions = []
    if wanted.unit_ids is not None:
        conditions.append(records.c.unit_id.in_(wanted.unit_ids))
    if wanted.worker_id is not None:
        conditions.append(records.c.worker_id == wanted.worker_id)
    if wanted.record_kind is not None:
        conditions.append(records.c.record_kind == wanted.record_kind)
    zone = ZoneInfo(zone_name)
    if wanted.date_from is not None:
        conditions.append(records.c.record_at >= _instant(wanted.date_from, zone))
    if wanted.date_to is not None:
        conditions.append(records.c.record_at < _instant(wanted.date_to + timedelta(days=1), zone))
    return records, joined, state, conditions


def queue(wanted: QueueFilter, zone_name: str, page: int, per_page: int) -> dict:
    """The records in the units asked for with their state, newest first, one page, and the
    count of each state under the same filters."""
    records, joined, state, conditions = _queue_base(wanted, zone_name)
    counted = select(state, func.count()).select_from(joined).where(*conditions).group_by(state)
    counts = dict.fromkeys(REVIEW_STATES, 0)
    counts.update({name: n for name, n in db.session.execute(counted)})
    rows = db.session.execute(
        select(records, state)
        .select_from(joined)
        .where(*conditions, state.in_(wanted.states))
        .order_by(records.c.record_at.desc(), records.c.record_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return {
        "items": _queue_items(rows),
        "page": page,
        "per_page": per_page,
        "total": sum(counts[name] for name in wanted.states),
        "counts": counts,
    }


def _queue_items(rows) -> list[dict]:
    residents = _names(Resident, {row.resident_id for row in rows})
    workers = _names(User, {row.worker_id for row in rows}, User.display_name)
    latest = {
        **latest_reviews("visit", [r.record_id for r in rows if r.record_kind == "visit"]),
        **latest_reviews(
            "case_record", [r.record_id for r in rows if r.record_kind == "case_record"]
        ),
    }
    what = _what_was_done(rows)
    return [
        {
            "record_kind": row.record_kind,
            "record_id": str(row.record_id),
            "case_id": str(row.case_id) if row.case_id else None,
            "unit_id": str(row.unit_id),
            "resident": {"id": str(row.resident_id), "name": residents.get(row.resident_id, "")},
            "worker": {"id": str(row.worker_id), "display_name": workers.get(row.worker_id, "")},
            "record_at": _iso(row.record_at),
            "received_at": _iso(row.received_at),
            "state": row.state,
            "what": what.get(row.record_id, ""),
            "review": summary(latest.get(row.record_id)),
        }
        for row in rows
    ]


def _names(model, ids: set, column=None) -> dict:
    if not ids:
        return {}
    column = column if column is not None else model.name
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def _what_was_done(rows) -> dict[uuid.UUID, str]:
    """A line saying what the record is: a visit's service (or notes), a case step's kind
    and summary, so a supervisor can approve from the queue."""
    visit_ids = [r.record_id for r in rows if r.record_kind == "visit"]
    record_ids = [r.record_id for r in rows if r.record_kind == "case_record"]
    found: dict[uuid.UUID, str] = {}
    if visit_ids:
        for visit in db.session.scalars(select(Visit).where(Visit.id.in_(visit_ids))):
            content = current_content(visit)
            found[visit.id] = content["service_given"] or content["observations"]["notes"]
    if record_ids:
        for record in db.session.scalars(select(CaseRecord).where(CaseRecord.id.in_(record_ids))):
            body = record.body or {}
            found[record.id] = f"{record.kind}: {body.get('summary') or ''}".strip()
    return {key: value[:200] for key, value in found.items()}


# --- the phone's copy ---------------------------------------------------------------------

_visits, _case_records, _residents, _users = (
    Visit.__table__,
    CaseRecord.__table__,
    Resident.__table__,
    User.__table__,
)
_later = RecordReview.__table__.alias("later")

PULL_COLUMNS = (
    uuid_text(_reviews.c.id).label("id"),
    _reviews.c.record_kind,
    uuid_text(_reviews.c.record_id).label("record_id"),
    uuid_text(_reviews.c.resident_id).label("resident_id"),
    _residents.c.name.label("resident_name"),
    func.coalesce(_visits.c.checked_in_at, _case_records.c.at).label("record_at"),
    _reviews.c.decision,
    _reviews.c.comment,
    _reviews.c.answered_at,
    uuid_text(_reviews.c.reviewer_id).label("reviewer_id"),
    _users.c.display_name.label("reviewer_name"),
    _reviews.c.reviewed_at,
    _reviews.c.change_seq,
)


def _superseded():
    """Whether a later review of the same record exists."""
    return (
        select(_later.c.id)
        .where(
            _later.c.record_kind == _reviews.c.record_kind,
            _later.c.record_id == _reviews.c.record_id,
            or_(
                _later.c.reviewed_at > _reviews.c.reviewed_at,
                and_(_later.c.reviewed_at == _reviews.c.reviewed_at, _later.c.id > _reviews.c.id),
            ),
        )
        .exists()
    )


@functools.cache
def _changed_reviews(reset: bool, bounded: bool) -> Select:
    query = (
        select(*PULL_COLUMNS, _superseded().label("superseded"))
        .select_from(
            _reviews.join(_residents, _residents.c.id == _reviews.c.resident_id)
            .join(_users, _users.c.id == _reviews.c.reviewer_id)
            .outerjoin(
                _visits,
                and_(_reviews.c.record_kind == "visit", _visits.c.id == _reviews.c.record_id),
            )
            .outerjoin(
                _case_records,
                and_(
                    _reviews.c.record_kind == "case_record",
                    _case_records.c.id == _reviews.c.record_id,
                ),
            )
        )
        .where(_reviews.c.worker_id == bindparam("me"), _reviews.c.change_seq > bindparam("seq"))
        .order_by(_reviews.c.change_seq, _reviews.c.id)
    )
    if bounded:
        query = query.where(_reviews.c.change_seq <= bindparam("up_to"))
    if reset:
        query = query.where(_reviews.c.decision == "returned", _reviews.c.answered_at.is_(None))
    return query


def pull_entry(row) -> dict:
    """A returned record as the author's phone keeps it (docs/reviews.md)."""
    return {
        "id": row.id,
        "record_kind": row.record_kind,
        "record_id": row.record_id,
        "resident_id": row.resident_id,
        "resident_name": row.resident_name,
        "record_at": _iso(row.record_at),
        "comment": row.comment,
        "reviewer": {"id": row.reviewer_id, "display_name": row.reviewer_name},
        "reviewed_at": _iso(row.reviewed_at),
    }


def changed_reviews(
    user_id: uuid.UUID | None, since: int, up_to: int | None, reset: bool
) -> tuple[list[dict], list[str]]:
    """The pull's part: the person's own records returned and not answered, changed after
    `since` (to `up_to` when a page of residents stops there), and the ids of the reviews
    answered or superseded since. A reset sends every open one and no removals."""
    if user_id is None:
        return [], []
    params: dict = {"me": user_id, "seq": since}
    if up_to is not None:
        params["up_to"] = up_to
    entries, removed = [], []
    for row in db.session.execute(_changed_reviews(reset, up_to is not None), params):
        if row.decision == "returned" and row.answered_at is None and not row.superseded:
            entries.append(pull_entry(row))
        elif not reset and row.decision == "returned":  # an approval never reached it
            removed.append(str(row.id))
    return entries, removed
