"""What the organisations API takes and answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import NonEmptyMixin, name_field, text
from server.models import ORGANISATION_KINDS


class OrganisationSchema(Schema):
    id = fields.UUID(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    name = name_field()
    parent_id = fields.UUID(allow_none=True, load_default=None)
    address = text(300, allow_none=False)
    phone = text(40, allow_none=False)
    created_at = fields.AwareDateTime(dump_only=True)
    # False for the bureaus above one's own, listed so their names can be shown.
    reached = fields.Boolean(dump_only=True)


class OrganisationUpdateSchema(NonEmptyMixin, Schema):
    name = name_field()
    address = text(300, allow_none=False)
    phone = text(40, allow_none=False)
