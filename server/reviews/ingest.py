"""The phone's answers to returned records (`review_replies`): exactly once, item by item.

A reply's id is its idempotency key: the same id and content is a `duplicate`, other content a
`conflict` kept in sync_conflicts (kind `review_reply`). Replies come after the visits and
amendments of the same sync, so an amendment sent with its reply is found; a reply naming an
amendment the server does not hold yet is rejected and the phone sends it again.
"""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.models import Amendment, RecordReview, ReviewReply
from server.platform.extensions import db
from server.platform.field_codes import coded, not_yet_received
from server.reviews.records import add_reply
from server.reviews.schemas import ReviewReplyInSchema
from server.roster.changes import next_change_number
from server.visits.ingest import (
    ItemResult,
    SyncContext,
    _record_id,
    _reject,
    _same_or_conflict,
    _unprocessable,
    canonical_hash,
)

KIND = "review_reply"
reply_in_schema = ReviewReplyInSchema()


class ReplyProblem(Exception):
    def __init__(self, errors: dict) -> None:
        super().__init__(str(errors))
        self.errors = errors


def ingest_replies(raw_replies: list, ctx: SyncContext) -> list[dict]:
    """One result per reply, in the order sent."""
    if not raw_replies:
        return []
    number: list[int] = []  # one change number for the batch, taken at the first answer

    def take_number() -> int:
        if not number:
            number.append(next_change_number())
        return number[0]

    return [_judged(raw, ctx, take_number).as_dict() for raw in raw_replies]


def _judged(raw, ctx: SyncContext, take_number) -> ItemResult:
    """The item's result; any failure judging it is its rejection alone, never the batch's."""
    try:
        return _ingest_reply(raw, ctx, take_number)
    except ValidationError as error:
        return _reject(ctx, _record_id(raw), KIND, error.messages, schema=reply_in_schema, raw=raw)
    except ReplyProblem as problem:
        return _reject(ctx, _record_id(raw), KIND, problem.errors)
    except Exception:
        record_id = _record_id(raw)
        return _reject(ctx, record_id, KIND, _unprocessable(record_id, KIND))


def _held_hash(reply_id) -> str | None:
    return db.session.scalar(select(ReviewReply.content_hash).where(ReviewReply.id == reply_id))


def _ingest_reply(raw, ctx: SyncContext, take_number) -> ItemResult:
    data = reply_in_schema.load(raw if isinstance(raw, dict) else {})
    data["body"] = data["body"].strip()
    digest = canonical_hash(data)
    held = _held_hash(data["id"])
    if held is not None:
        return _same_or_conflict(data["id"], digest, held, raw, KIND, ctx)
    review = db.session.get(RecordReview, data["review_id"])
    if review is None or review.worker_id != ctx.user.id:
        raise ReplyProblem({"review_id": [coded("not yours", "not_yours")]})
    if data["amendment_id"] is not None:
        _check_amendment(review, data["amendment_id"], ctx)
    number = take_number()
    try:
        with db.session.begin_nested():  # a concurrent request storing the same id first
            add_reply(
                review,
                data["id"],
                ctx.user.id,
                ctx.device_id,
                data["body"],
                data["amendment_id"],
                data["at"],
                digest,
                ctx.now,
                number,
            )
    except IntegrityError:
        return _same_or_conflict(data["id"], digest, _held_hash(data["id"]), raw, KIND, ctx)
    return ItemResult(str(data["id"]), KIND, "created")


def _check_amendment(review: RecordReview, amendment_id, ctx: SyncContext) -> None:
    """The amendment named must be held, the author's own, and of the reviewed visit."""
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None:
        raise ReplyProblem({"amendment_id": [not_yet_received()]})
    if (
        review.record_kind != "visit"
        or amendment.visit_id != review.record_id
        or amendment.author_id != ctx.user.id
    ):
        raise ReplyProblem({"amendment_id": [coded("not an amendment of this record", "invalid")]})
