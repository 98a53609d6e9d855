"""The targets as the API takes and answers them: each bounded, a PUT naming at least one."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import NonEmptyMixin, PersonRefSchema

MONTHLY = validate.Range(min=0, max=31)


class TargetsInSchema(NonEmptyMixin, Schema):
    """Those named are stored; the others keep their value."""

    satisfaction_target = fields.Float(
        validate=validate.Range(min=0, max=1),
        metadata={"description": "Share of the answers that must be satisfied, 0.8 for 80%"},
    )
    basically_counts_as_satisfied = fields.Boolean(
        truthy={True}, falsy={False}, metadata={"description": "Whether 基本满意 counts"}
    )
    activities_per_month = fields.Integer(strict=True, validate=MONTHLY)
    reception_days_per_month = fields.Integer(strict=True, validate=MONTHLY)
    meetings_per_month = fields.Integer(strict=True, validate=MONTHLY)


class TargetChangeSchema(Schema):
    updated_at = fields.DateTime()
    updated_by = fields.Nested(PersonRefSchema, allow_none=True)


class TargetsSchema(Schema):
    satisfaction_target = fields.Float()
    basically_counts_as_satisfied = fields.Boolean()
    activities_per_month = fields.Integer()
    reception_days_per_month = fields.Integer()
    meetings_per_month = fields.Integer()
    updated = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(TargetChangeSchema),
        metadata={"description": "When and by whom each stored target was last set"},
    )
