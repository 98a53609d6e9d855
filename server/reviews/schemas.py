"""What a phone sends in answer to a review, what the office sends to review a record, and
the shapes the reviews API answers (docs/reviews.md)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.http.fields import (
    BoundedAwareDateTime,
    BoundedDate,
    OneOrMany,
    Page,
    PageQuery,
    PersonRefSchema,
    RangeQuery,
    UnitsQuery,
)
from server.models import REVIEW_DECISIONS, REVIEWED_KINDS
from server.reviews.read import REVIEW_STATES
from server.reviews.records import COMMENT_LIMIT

REPLY_LIMIT = 2000


class ReviewReplyInSchema(Schema):
    """A worker's answer to a returned record, made on the phone with an id of its own."""

    id = fields.UUID(required=True)
    review_id = fields.UUID(required=True)
    body = fields.String(load_default="", validate=validate.Length(max=REPLY_LIMIT))
    amendment_id = fields.UUID(load_default=None, allow_none=True)
    at = BoundedAwareDateTime(required=True)

    @validates_schema
    def _says_something(self, data, **kwargs):
        if not (data.get("body") or "").strip() and data.get("amendment_id") is None:
            raise ValidationError("A reply needs a body or an amendment.", "body")


class ReviewInSchema(Schema):
    record_kind = fields.String(required=True, validate=validate.OneOf(REVIEWED_KINDS))
    record_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(REVIEW_DECISIONS))
    comment = fields.String(load_default="", validate=validate.Length(max=COMMENT_LIMIT))


class ReplyOutSchema(Schema):
    id = fields.UUID()
    body = fields.String()
    amendment_id = fields.UUID(allow_none=True)
    at = fields.AwareDateTime()
    author = fields.Nested(PersonRefSchema)


class ReviewOutSchema(Schema):
    id = fields.UUID()
    record_kind = fields.String(metadata={"enum": list(REVIEWED_KINDS)})
    record_id = fields.UUID()
    worker_id = fields.UUID()
    unit_id = fields.UUID()
    resident_id = fields.UUID()
    record_received_at = fields.AwareDateTime()
    decision = fields.String(metadata={"enum": list(REVIEW_DECISIONS)})
    comment = fields.String()
    reviewer = fields.Nested(PersonRefSchema)
    reviewed_at = fields.AwareDateTime()
    answered_at = fields.AwareDateTime(allow_none=True)
    state = fields.String(metadata={"enum": list(REVIEW_STATES)})
    replies = fields.List(fields.Nested(ReplyOutSchema))


class ReviewSummarySchema(Schema):
    """The latest review of a record, as a visit or a case record carries it (`review`)."""

    state = fields.String(metadata={"enum": list(REVIEW_STATES)})
    decision = fields.String(metadata={"enum": list(REVIEW_DECISIONS)})
    comment = fields.String()
    reviewer = fields.Nested(PersonRefSchema)
    reviewed_at = fields.AwareDateTime()
    answered_at = fields.AwareDateTime(allow_none=True)


class RecordQuery(Schema):
    record_kind = fields.String(required=True, validate=validate.OneOf(REVIEWED_KINDS))
    record_id = fields.UUID(required=True)


class RecordReviewsSchema(Schema):
    record_kind = fields.String()
    record_id = fields.UUID()
    state = fields.String(metadata={"enum": list(REVIEW_STATES)})
    reviews = fields.List(fields.Nested(ReviewOutSchema))


class QueueQuery(UnitsQuery, PageQuery):
    state = OneOrMany(
        fields.String(validate=validate.OneOf(REVIEW_STATES)),
        load_default=lambda: ["unreviewed", "answered"],
        validate=validate.Length(min=1, max=4),
        metadata={"description": "Repeat for several; default unreviewed and answered"},
    )
    worker_id = fields.UUID()
    record_kind = fields.String(validate=validate.OneOf(REVIEWED_KINDS))
    from_ = BoundedDate(data_key="from", load_default=None)
    to = BoundedDate(load_default=None)

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": ["'from' is after 'to'."]})


class QueueResidentSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class QueueItemSchema(Schema):
    record_kind = fields.String(metadata={"enum": list(REVIEWED_KINDS)})
    record_id = fields.UUID()
    case_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    resident = fields.Nested(QueueResidentSchema)
    worker = fields.Nested(PersonRefSchema)
    record_at = fields.AwareDateTime()
    received_at = fields.AwareDateTime()
    state = fields.String(metadata={"enum": list(REVIEW_STATES)})
    what = fields.String(metadata={"description": "What the record is, in a line"})
    review = fields.Nested(ReviewSummarySchema, allow_none=True)


class StateCountsSchema(Schema):
    unreviewed = fields.Integer()
    approved = fields.Integer()
    returned = fields.Integer()
    answered = fields.Integer()


class QueuePageSchema(Page(QueueItemSchema, name="ReviewQueuePage")):
    counts = fields.Nested(StateCountsSchema)


class ReviewReportQuery(RangeQuery):
    pass


class ReviewFiguresSchema(Schema):
    made = fields.Integer(metadata={"description": "records made in the range"})
    reviewed = fields.Integer(metadata={"description": "of them, reviewed at least once"})
    reviewed_share = fields.Float(allow_none=True)
    median_hours = fields.Float(
        allow_none=True, metadata={"description": "from receipt to the first review"}
    )
    p90_hours = fields.Float(allow_none=True, metadata={"description": "90th percentile"})
    returned = fields.Integer(metadata={"description": "records whose first review returned"})
    returned_share = fields.Float(allow_none=True, metadata={"description": "of those reviewed"})


class WorkerReviewFiguresSchema(ReviewFiguresSchema):
    worker = fields.Nested(PersonRefSchema)


class ReviewReportSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    total = fields.Nested(ReviewFiguresSchema)
    workers = fields.List(fields.Nested(WorkerReviewFiguresSchema))
