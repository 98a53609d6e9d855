"""The evaluation API's bodies, queries and answers: every value bounded."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import PageQuery, PersonRefSchema, text, whole
from server.models import EVALUATION_COLUMNS

MIN_YEAR, MAX_YEAR = 2000, 2100
NOTE_LIMIT = 2000


def year_field(**kwargs) -> fields.Integer:
    return whole(MIN_YEAR, MAX_YEAR, **kwargs)


class EvaluationYearQuery(Schema):
    year = year_field(load_default=None, metadata={"description": "Default: this year"})
    district_id = fields.UUID(load_default=None)


class EvaluationScoreInSchema(Schema):
    points = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "0 to the item's points, in half points"},
    )
    note = text(NOTE_LIMIT, load_default="", allow_none=False)


class EvaluationSubmissionInSchema(Schema):
    note = text(NOTE_LIMIT, load_default="", allow_none=False)


class EvaluationRecordsQuery(PageQuery):
    pass


class EvaluationRefSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class EvaluationValueSchema(Schema):
    points = fields.Float()
    max = fields.Float()
    figures = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    records = fields.String()


class EvaluationCellSchema(Schema):
    points = fields.Float()
    computed = fields.Float(allow_none=True)
    note = fields.String()
    entered_by = fields.Nested(PersonRefSchema, allow_none=True)
    entered_at = fields.AwareDateTime()


class EvaluationEvidenceSchema(Schema):
    document_id = fields.UUID()
    title = fields.String()
    file_name = fields.String()
    content_type = fields.String()
    attached_at = fields.AwareDateTime()


class EvaluationItemSchema(Schema):
    code = fields.String()
    section = fields.String()
    max = fields.Float()
    zh = fields.String()
    en = fields.String()
    computed = fields.Boolean()
    value = fields.Nested(EvaluationValueSchema, allow_none=True)
    hints = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), allow_none=True)
    cells = fields.Dict(
        keys=fields.String(validate=validate.OneOf(EVALUATION_COLUMNS)),
        values=fields.Nested(EvaluationCellSchema, allow_none=True),
    )
    evidence = fields.List(fields.Nested(EvaluationEvidenceSchema))


class EvaluationSubmissionSchema(Schema):
    column = fields.String()
    total = fields.Float()
    grade = fields.String()
    note = fields.String()
    submitted_by = fields.Nested(PersonRefSchema, allow_none=True)
    submitted_at = fields.AwareDateTime()


class EvaluationColumnSchema(Schema):
    points = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    total = fields.Float()
    grade = fields.String()
    submitted = fields.Nested(EvaluationSubmissionSchema, allow_none=True)
    may_enter = fields.Boolean()


class EvaluationSectionSchema(Schema):
    code = fields.String()
    zh = fields.String()
    en = fields.String()
    max = fields.Float()


class EvaluationSchema(Schema):
    id = fields.UUID()
    year = fields.Integer()
    office = fields.Nested(EvaluationRefSchema)
    district = fields.Nested(EvaluationRefSchema, allow_none=True)
    status = fields.String()
    grade = fields.String(allow_none=True)
    sections = fields.List(fields.Nested(EvaluationSectionSchema))
    items = fields.List(fields.Nested(EvaluationItemSchema))
    columns = fields.Dict(keys=fields.String(), values=fields.Nested(EvaluationColumnSchema))
    created_at = fields.AwareDateTime()


class EvaluationTotalsSchema(Schema):
    self = fields.Float(allow_none=True)
    review = fields.Float(allow_none=True)
    assessment = fields.Float(allow_none=True)


class EvaluationRowSchema(Schema):
    office = fields.Nested(EvaluationRefSchema)
    district = fields.Nested(EvaluationRefSchema, allow_none=True)
    evaluation_id = fields.UUID(allow_none=True)
    status = fields.String()
    totals = fields.Nested(EvaluationTotalsSchema)
    grade = fields.String(allow_none=True)


class EvaluationListSchema(Schema):
    year = fields.Integer()
    items = fields.List(fields.Nested(EvaluationRowSchema))


class EvaluationHistoryRowSchema(Schema):
    evaluation_id = fields.UUID()
    year = fields.Integer()
    status = fields.String()
    totals = fields.Nested(EvaluationTotalsSchema)
    grade = fields.String(allow_none=True)


class EvaluationRecordRowSchema(Schema):
    id = fields.String()
    on = fields.Date(allow_none=True)
    label = fields.String()
    detail = fields.String()
    resident_id = fields.UUID(allow_none=True)


class EvaluationRecordsPageSchema(Schema):
    item = fields.String()
    kind = fields.String()
    value = fields.Nested(EvaluationValueSchema)
    items = fields.List(fields.Nested(EvaluationRecordRowSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
