"""Reception days and the people received as the office API takes and answers them: unknown
fields are refused, every text and date is bounded. What each kind of visitor must give is the
domain's rule (server/supervision/reception.py), so it is named field by field."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import (
    BoundedDate,
    OfficeQuery,
    PageQuery,
    PersonRefSchema,
    RangeQuery,
    UnitRefSchema,
    month_label,
)
from server.models import RECEPTION_OUTCOMES, VISITOR_KINDS
from server.visits.schemas import TEXT_LIMIT, text

COUNT_KEYS = ("total", *VISITOR_KINDS, *RECEPTION_OUTCOMES)


class DayInSchema(Schema):
    """A reception day's own fields; PUT replaces them all."""

    held_on = BoundedDate(required=True)
    unit_id = fields.UUID(load_default=None, allow_none=True)
    # For a day of the whole office: which office (one's own when one reaches only one).
    office_id = fields.UUID(load_default=None, allow_none=True)
    place = text(200, load_default="")
    staff = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=50))
    notes = text(TEXT_LIMIT, load_default="")


class ReceptionInSchema(Schema):
    visitor_kind = fields.String(required=True, validate=validate.OneOf(VISITOR_KINDS))
    resident_id = fields.UUID(load_default=None, allow_none=True)
    visitor_name = text(120, load_default="")
    relation = text(60, load_default="")
    contact = text(120, load_default="")
    request = text(TEXT_LIMIT, minimum=1, required=True)
    action = text(TEXT_LIMIT, load_default="")
    outcome = fields.String(required=True, validate=validate.OneOf(RECEPTION_OUTCOMES))
    referred_to = text(200, load_default="")


class DayListQuery(RangeQuery, PageQuery):
    unit_id = fields.UUID(
        load_default=None, metadata={"description": "One unit's days and the whole office's"}
    )


class ResidentReceptionsQuery(PageQuery):
    resident_id = fields.UUID(required=True)


CountsSchema = Schema.from_dict(
    {key: fields.Integer() for key in COUNT_KEYS}, name="ReceptionCountsSchema"
)


class ReceptionResidentSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class ReceptionSchema(Schema):
    id = fields.UUID()
    day_id = fields.UUID()
    held_on = fields.Date()
    visitor_kind = fields.String()
    resident_id = fields.UUID(allow_none=True)
    resident = fields.Nested(ReceptionResidentSchema, allow_none=True)
    visitor_name = fields.String()
    relation = fields.String()
    contact = fields.String()
    request = fields.String()
    action = fields.String()
    outcome = fields.String()
    referred_to = fields.String()
    created_by = fields.Nested(PersonRefSchema)
    created_at = fields.DateTime()


class DaySchema(Schema):
    id = fields.UUID()
    held_on = fields.Date()
    unit_id = fields.UUID(allow_none=True)
    unit = fields.Nested(UnitRefSchema, allow_none=True)
    office_id = fields.UUID()
    place = fields.String()
    staff = fields.List(fields.UUID())
    staff_people = fields.List(fields.Nested(PersonRefSchema))
    notes = fields.String()
    counts = fields.Nested(CountsSchema)
    updated_at = fields.DateTime()


class DayDetailSchema(DaySchema):
    receptions = fields.List(fields.Nested(ReceptionSchema))


class DayPageSchema(Schema):
    items = fields.List(fields.Nested(DaySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    counts = fields.Nested(CountsSchema)


class ReceptionPageSchema(Schema):
    items = fields.List(fields.Nested(ReceptionSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


# --- the office rules ----------------------------------------------------------------------


class OfficeRulesQuery(OfficeQuery):
    month = month_label(load_default=None)
    unit_id = fields.UUID(load_default=None)


class OfficeRuleSchema(Schema):
    rule = fields.String(metadata={"description": "activities | reception_days"})
    setting = fields.String(metadata={"description": "The target it is judged by"})
    required = fields.Integer()
    done = fields.Integer(metadata={"description": "Distinct days in the month"})
    last_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "met | on_track | at_risk | missed"})
    due_on = fields.Date(allow_none=True)


class OfficeRulesSchema(Schema):
    month = fields.String()
    rules = fields.List(fields.Nested(OfficeRuleSchema))
