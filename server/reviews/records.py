"""Reviewing a record and answering a review: the only ways reviews change.

A review is never updated but for `answered_at` and `change_seq`: a record returned, amended
and approved has two reviews, and the latest decides its state. Every change takes a roster
change number (server/roster/changes.py), so the author's phone pulls a returned record, and
drops it when it is answered or superseded, under the cursor it already holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from server.models import Case, CaseRecord, RecordReview, ReviewReply, Visit, utcnow
from server.people import audit
from server.people.access import Scope
from server.platform.errors import ApiError, InvalidFields, NotFound
from server.platform.extensions import db
from server.roster.changes import next_change_number

COMMENT_LIMIT = 2000


@dataclass(frozen=True)
class Reviewed:
    """What a review needs of its record, whichever its kind."""

    kind: str
    id: uuid.UUID
    worker_id: uuid.UUID
    unit_id: uuid.UUID
    resident_id: uuid.UUID
    received_at: datetime
    record_at: datetime
    # Why it may not be reviewed (voided, purged), if so.
    closed: str | None = None


def _visit(visit: Visit) -> Reviewed:
    return Reviewed(
        "visit",
        visit.id,
        visit.worker_id,
        visit.unit_id,
        visit.resident_id,
        visit.received_at,
        visit.checked_in_at,
        "A voided visit is not reviewed." if visit.voided_at is not None else None,
    )


def _case_record(record: CaseRecord, case: Case) -> Reviewed:
    return Reviewed(
        "case_record",
        record.id,
        record.author_id,
        case.unit_id,
        case.resident_id,
        record.received_at,
        record.at,
        "A purged case record is not reviewed." if case.purged_at is not None else None,
    )


def find_record(scope: Scope, kind: str, record_id: uuid.UUID) -> Reviewed:
    """The record if this person sees it (its unit is in the scope); 404 otherwise."""
    if kind == "visit":
        visit = db.session.get(Visit, record_id)
        if visit is not None and scope.includes(visit.unit_id):
            return _visit(visit)
        raise NotFound("visit")
    record = db.session.get(CaseRecord, record_id)
    if record is not None and scope.includes(record.case.unit_id):
        return _case_record(record, record.case)
    raise NotFound("case record")


def _latest(kind: str, record_id: uuid.UUID) -> list[RecordReview]:
    return list(
        db.session.scalars(
            select(RecordReview)
            .where(RecordReview.record_kind == kind, RecordReview.record_id == record_id)
            .order_by(RecordReview.reviewed_at, RecordReview.id)
        )
    )


def review_record(
    actor: audit.Actor,
    kind: str,
    record_id: uuid.UUID,
    decision: str,
    comment: str,
    now: datetime | None = None,
) -> RecordReview:
    """A supervisor of the record's unit (or an admin) approves or returns it.

    Nobody reviews their own record; a voided visit or a purged case record is not reviewed;
    a returned record says why. The reviews it supersedes leave the author's phone.
    """
    record = find_record(actor.scope, kind, record_id)
    if not actor.scope.manages(record.unit_id):
        raise ApiError(403, "Only an admin or a supervisor of this unit reviews its records.")
    if record.worker_id == actor.user.id:
        raise ApiError(409, "Nobody reviews their own record.", code="own_record")
    if record.closed:
        raise ApiError(409, record.closed, code="not_reviewable")
    comment = (comment or "").strip()
    if decision == "returned" and not comment:
        raise InvalidFields({"comment": ["A returned record says what to correct."]})
    number = next_change_number()
    for earlier in _latest(kind, record_id):
        if earlier.decision == "returned" and earlier.answered_at is None:
            earlier.change_seq = number  # superseded: it leaves the author's phone
    review = RecordReview(
        record_kind=kind,
        record_id=record.id,
        worker_id=record.worker_id,
        unit_id=record.unit_id,
        resident_id=record.resident_id,
        record_received_at=record.received_at,
        decision=decision,
        comment=comment,
        reviewer_id=actor.user.id,
        reviewed_at=now or utcnow(),
        change_seq=number,
    )
    db.session.add(review)
    db.session.flush()
    audit.record(
        actor,
        "review",
        kind,
        record.id,
        None,
        {"review_id": str(review.id), "decision": decision, "comment": comment},
    )
    return review


def add_reply(
    review: RecordReview,
    reply_id: uuid.UUID,
    author_id: uuid.UUID,
    device_id: uuid.UUID | None,
    body: str,
    amendment_id: uuid.UUID | None,
    at: datetime,
    content_hash: str,
    now: datetime,
    number: int,
) -> ReviewReply:
    """The author's answer; the first one marks the review answered, with a new change
    number, so it leaves the author's phone at the next sync. Later replies are kept too."""
    reply = ReviewReply(
        id=reply_id,
        review_id=review.id,
        author_id=author_id,
        device_id=device_id,
        body=body,
        amendment_id=amendment_id,
        at=at,
        received_at=now,
        content_hash=content_hash,
    )
    db.session.add(reply)
    if review.answered_at is None:
        review.answered_at = now
        review.change_seq = number
    db.session.flush()
    return reply
