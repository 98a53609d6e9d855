"""Samples as the API takes and answers them (docs/sampling.md): every field bounded."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.http.fields import (
    BoundedDate,
    NonEmptyMixin,
    Page,
    PageQuery,
    PersonRefSchema,
    text,
    whole,
)
from server.inspection.sampling import MAX_SIZE
from server.models.inspection import SAMPLE_KINDS, SAMPLE_OUTCOMES

NOTE_LIMIT = 2000
MAX_PERIOD_DAYS = 3660
SEED = r"^[0-9A-Za-z_-]{1,64}$"


class SampleCreateSchema(Schema):
    office_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SAMPLE_KINDS))
    period_start = BoundedDate(required=True)
    period_end = BoundedDate(required=True)
    size = whole(1, MAX_SIZE, required=True)
    seed = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(SEED, error="Letters, digits, - and _, at most 64."),
        metadata={"description": "Leave out: the server makes one (secrets.token_hex(16))"},
    )
    note = text(NOTE_LIMIT, allow_none=False, load_default="")

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            raise ValidationError({"period_start": ["The period starts after it ends."]})
        if start and end and (end - start).days >= MAX_PERIOD_DAYS:
            raise ValidationError({"period_start": [f"At most {MAX_PERIOD_DAYS} days."]})


class SampleItemUpdateSchema(NonEmptyMixin, Schema):
    outcome = fields.String(validate=validate.OneOf(SAMPLE_OUTCOMES))
    note = text(NOTE_LIMIT, allow_none=False)


class SampleListQuery(PageQuery):
    office_id = fields.UUID(load_default=None)


class SampleResidentSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    unit_name = fields.String()
    room = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)


class SampleItemSchema(Schema):
    position = fields.Integer()
    visit_id = fields.UUID(allow_none=True)
    visit_date = fields.Date()
    visit_kind = fields.String()
    worker = fields.Nested(PersonRefSchema, allow_none=True)
    service_given = fields.String()
    satisfaction = fields.String(allow_none=True)
    register_url = fields.String(metadata={"description": "The visit's page of the register"})
    resident = fields.Nested(SampleResidentSchema)
    outcome = fields.String(allow_none=True, validate=validate.OneOf(SAMPLE_OUTCOMES))
    note = fields.String()
    checked_by = fields.Nested(PersonRefSchema, allow_none=True)
    checked_at = fields.AwareDateTime(allow_none=True)


class SampleSummarySchema(Schema):
    id = fields.UUID()
    office_id = fields.UUID()
    office_name = fields.String()
    kind = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    size = fields.Integer(metadata={"description": "The size asked for"})
    population = fields.Integer(metadata={"description": "How many records it was drawn from"})
    drawn = fields.Integer(metadata={"description": "How many it holds: the size, or all"})
    checked = fields.Integer()
    seed = fields.String()
    drawn_by = fields.Nested(PersonRefSchema, allow_none=True)
    drawn_at = fields.AwareDateTime()
    note = fields.String()


class SampleDetailSchema(SampleSummarySchema):
    items = fields.List(fields.Nested(SampleItemSchema))


SamplePageSchema = Page(SampleSummarySchema, name="SamplePage")


class SampleVerificationSchema(Schema):
    same = fields.Boolean(metadata={"description": "The redraw gave the same records in order"})
    count = fields.Integer()
    population = fields.Integer(metadata={"description": "The population's size now"})
    population_then = fields.Integer(metadata={"description": "Its size at the draw"})
    seed = fields.String()
