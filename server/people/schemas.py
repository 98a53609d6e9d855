"""Accounts, devices and logging in, as the API takes and gives them. Passwords only flow in."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import NonEmptyMixin, OfficeQuery, UnitRefSchema, text
from server.models import ROLES


class UserSchema(Schema):
    id = fields.UUID(dump_only=True)
    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=2, max=60),
            validate.Regexp(r"^[A-Za-z0-9_.@-]+$", error="Use letters, digits and . _ @ - only."),
        ],
    )
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    phone = text(40)
    active = fields.Boolean(load_default=True)
    unit_ids = fields.List(fields.UUID(), load_default=list)
    units = fields.List(fields.Nested(UnitRefSchema), dump_only=True)
    # Where the person works (docs/organisations.md): the units' office when not given.
    organisation_id = fields.UUID(allow_none=True, load_default=None)
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=8, max=200)
    )


class UserUpdateSchema(NonEmptyMixin, Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(validate=validate.OneOf(ROLES))
    phone = text(40)
    active = fields.Boolean()
    unit_ids = fields.List(fields.UUID())
    organisation_id = fields.UUID()
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))


class UserListQuery(OfficeQuery):
    role = fields.String(validate=validate.OneOf(ROLES))
    unit_id = fields.UUID()


class DeviceInSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(load_default="", validate=validate.Length(max=120))


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=60))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=200)
    )
    device = fields.Nested(DeviceInSchema, required=True)


class MeSchema(Schema):
    id = fields.UUID()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    units = fields.List(fields.Nested(UnitRefSchema))
    # Where one works: the office screens name it in the header and know from it whether one
    # is an admin of the city (docs/organisations.md).
    organisation_id = fields.UUID()


class LoginAnswerSchema(Schema):
    token = fields.String()
    expires_at = fields.AwareDateTime()
    # The device the token is for: the id sent, unless another person holds it or it was
    # revoked (then one of this person's, docs/security.md "Devices").
    device_id = fields.UUID()
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
