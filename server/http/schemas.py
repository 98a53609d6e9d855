"""What flows in and out of the API. Unknown fields are rejected; every text has a bound."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.models import RESIDENT_STATUSES, ROLES, SEXES, UNIT_KINDS


def text(max_length: int, *, required: bool = False, allow_none: bool = True, **kwargs):
    return fields.String(required=required, allow_none=allow_none,
                         validate=validate.Length(max=max_length), **kwargs)


def name_field(max_length: int = 120):
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


class UnitRefSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class UnitSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = name_field()
    kind = fields.String(load_default="ward", validate=validate.OneOf(UNIT_KINDS))


class NonEmptyMixin:
    """A PATCH that changes nothing is a mistake worth telling the client about."""

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError({"_schema": ["Send at least one field to change."]})


class UnitUpdateSchema(NonEmptyMixin, UnitSchema):
    """Loaded with partial=True."""


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
    admitted_on = fields.Date()
    status = fields.String(validate=validate.OneOf(RESIDENT_STATUSES))
    status_since = fields.Date()
    qr_token = fields.String(dump_only=True)


class ResidentUpdateSchema(NonEmptyMixin, ResidentSchema):
    """Loaded with partial=True."""


class ResidentListQuery(Schema):
    unit_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(RESIDENT_STATUSES))
    q = fields.String(validate=validate.Length(max=120))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class PageSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ResidentPageSchema(PageSchema):
    items = fields.List(fields.Nested(ResidentSchema))


class UserSchema(Schema):
    id = fields.UUID(dump_only=True)
    username = fields.String(
        required=True,
        validate=[validate.Length(min=2, max=60),
                  validate.Regexp(r"^[A-Za-z0-9_.@-]+$",
                                  error="Use letters, digits and . _ @ - only.")],
    )
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    phone = text(40)
    active = fields.Boolean(load_default=True)
    unit_ids = fields.List(fields.UUID(), load_default=list)
    units = fields.List(fields.Nested(UnitRefSchema), dump_only=True)
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=8, max=200))


class UserUpdateSchema(NonEmptyMixin, Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(validate=validate.OneOf(ROLES))
    phone = text(40)
    active = fields.Boolean()
    unit_ids = fields.List(fields.UUID())
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))


class UserListQuery(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    unit_id = fields.UUID()


class DeviceInSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(load_default="", validate=validate.Length(max=120))


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=60))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=1, max=200))
    device = fields.Nested(DeviceInSchema, required=True)


class MeSchema(Schema):
    id = fields.UUID()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    units = fields.List(fields.Nested(UnitRefSchema))


class LoginAnswerSchema(Schema):
    token = fields.String()
    expires_at = fields.AwareDateTime()
    user = fields.Nested(MeSchema)


class DeviceSchema(Schema):
    id = fields.UUID()
    user_id = fields.UUID()
    name = fields.String()
    issued_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    last_seen_at = fields.AwareDateTime(allow_none=True)
    last_sync_at = fields.AwareDateTime(allow_none=True)
    app_version = fields.String(allow_none=True)
    clock_skew_seconds = fields.Integer(allow_none=True)


class EmptySchema(Schema):
    """No body."""
