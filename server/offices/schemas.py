"""What the offices' facts API takes and answers (docs/office-facts.md)."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from server.http.fields import MAX_DATE, MIN_DATE, BoundedDate, NonEmptyMixin, text, whole
from server.models import DOCUMENT_KINDS, STAFF_POSITIONS


def year_field(**kwargs) -> fields.Integer:
    return whole(MIN_DATE.year, MAX_DATE.year, **kwargs)


class Upload(fields.Field):
    """A file part of a multipart/form-data body."""

    def __init__(self, **kwargs) -> None:
        super().__init__(metadata={"type": "string", "format": "binary"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError("Send the file as a part with a file name.")
        return value


class DocumentUploadForm(Schema):
    file = Upload(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    year = year_field(allow_none=True, load_default=None)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    dated_on = BoundedDate(allow_none=True, load_default=None)


class DocumentListQuery(Schema):
    kind = fields.String(validate=validate.OneOf(DOCUMENT_KINDS), load_default=None)
    year = year_field(load_default=None)
    # With the withdrawn documents too (marked by `withdrawn_at`).
    withdrawn = fields.Boolean(load_default=False)


class DocumentSchema(Schema):
    id = fields.UUID()
    office_id = fields.UUID()
    kind = fields.String()
    year = fields.Integer(allow_none=True)
    title = fields.String()
    file_name = fields.String()
    content_type = fields.String()
    byte_size = fields.Integer()
    sha256 = fields.String()
    dated_on = fields.Date(allow_none=True)
    uploaded_by = fields.UUID()
    uploaded_at = fields.AwareDateTime()
    withdrawn_at = fields.AwareDateTime(allow_none=True)
    file_url = fields.Method("_file_url", metadata={"type": "string"})

    def _file_url(self, document) -> str:
        return url_for("api.offices.document_file", document_id=document.id)


# --- the staff list ----------------------------------------------------------------------


class StaffInSchema(Schema):
    # A user of the office, or none (a volunteer without an account).
    user_id = fields.UUID(allow_none=True, load_default=None)
    # Required unless a user is named, whose display name it then is.
    name = text(120, load_default=None)
    position = fields.String(required=True, validate=validate.OneOf(STAFF_POSITIONS))
    qualification = text(200)
    certificate_no = text(80)
    phone = text(40)
    # 职称、技能特长: what the public introduction says of them.
    introduction = text(2000)
    started_on = BoundedDate(required=True)
    ended_on = BoundedDate(allow_none=True, load_default=None)


class StaffUpdateSchema(NonEmptyMixin, Schema):
    user_id = fields.UUID(allow_none=True)
    name = fields.String(validate=validate.Length(min=1, max=120))
    position = fields.String(validate=validate.OneOf(STAFF_POSITIONS))
    qualification = text(200)
    certificate_no = text(80)
    phone = text(40)
    introduction = text(2000)
    started_on = BoundedDate()
    ended_on = BoundedDate(allow_none=True)


class StaffSchema(Schema):
    id = fields.UUID()
    office_id = fields.UUID()
    user_id = fields.UUID(allow_none=True)
    name = fields.String()
    position = fields.String()
    qualification = fields.String()
    certificate_no = fields.String()
    phone = fields.String()
    introduction = fields.String()
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    updated_at = fields.AwareDateTime()


class StaffListQuery(Schema):
    # Only those on the staff that day; without it, every entry, ended ones too.
    on = BoundedDate(load_default=None)


class FactsQuery(Schema):
    # The calendar year; this year when not given.
    year = year_field(load_default=None)


class TeamRuleSchema(Schema):
    head = fields.Boolean()
    fulltime = fields.Boolean()
    others = fields.Boolean()
    others_count = fields.Integer()
    min_fulltime = fields.Integer()
    min_others = fields.Integer()
    met = fields.Boolean()


class TeamFactsSchema(Schema):
    year = fields.Integer()
    heads = fields.List(fields.Nested(StaffSchema))
    head_qualified = fields.Boolean()
    fulltime = fields.List(fields.Nested(StaffSchema))
    parttime = fields.List(fields.Nested(StaffSchema))
    volunteers = fields.List(fields.Nested(StaffSchema))
    rule = fields.Nested(TeamRuleSchema)


class PlanFactsSchema(Schema):
    annual_plans = fields.List(fields.Nested(DocumentSchema))
    staff_introduction = fields.Nested(DocumentSchema, allow_none=True)


class OfficeFactsSchema(Schema):
    office_id = fields.UUID()
    office_name = fields.String()
    year = fields.Integer()
    team = fields.Nested(TeamFactsSchema)
    plan = fields.Nested(PlanFactsSchema)


__all__ = [
    "DocumentListQuery",
    "DocumentSchema",
    "DocumentUploadForm",
    "FactsQuery",
    "OfficeFactsSchema",
    "StaffInSchema",
    "StaffListQuery",
    "StaffSchema",
    "StaffUpdateSchema",
    "year_field",
]
