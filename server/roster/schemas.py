"""Units and residents as the API takes and gives them. Unknown fields are rejected; every text
has a bound."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import BoundedDate, NonEmptyMixin, OfficeQuery, PageQuery, name_field, text
from server.models import RESIDENT_STATUSES, SEXES, UNIT_KINDS


class UnitSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = name_field()
    kind = fields.String(load_default="ward", validate=validate.OneOf(UNIT_KINDS))
    # The office it belongs to: the creator's own office when not given.
    office_id = fields.UUID(allow_none=True, load_default=None)


class UnitUpdateSchema(NonEmptyMixin, Schema):
    """Loaded with partial=True: a unit is renamed or its kind changed, never moved."""

    name = name_field()
    kind = fields.String(validate=validate.OneOf(UNIT_KINDS))


class ResidentSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = name_field()
    unit_id = fields.UUID(required=True)
    sex = fields.String(allow_none=True, validate=validate.OneOf(SEXES))
    birth_year = fields.Integer(allow_none=True, validate=validate.Range(min=1890, max=2100))
    room = text(40)
    address = text(300)
    phone = text(40)
    care_level = text(40)
    home_lat = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    home_lon = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    admitted_on = BoundedDate()
    status = fields.String(validate=validate.OneOf(RESIDENT_STATUSES))
    status_since = BoundedDate()
    qr_token = fields.String(dump_only=True)


class DischargeFollowUpSchema(Schema):
    """The follow-up a discharge opens: a `discharge` task (docs/tasks.md)."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    due_in_days = fields.Integer(validate=validate.Range(min=0, max=90))
    assignee_id = fields.UUID(allow_none=True)


class ResidentUpdateSchema(NonEmptyMixin, ResidentSchema):
    """Loaded with partial=True."""

    follow_up = fields.Nested(
        DischargeFollowUpSchema,
        load_only=True,
        metadata={"description": "Only with status discharged: opens a follow-up task"},
    )


class ResidentListQuery(OfficeQuery, PageQuery):
    unit_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(RESIDENT_STATUSES))
    q = fields.String(validate=validate.Length(max=120))
