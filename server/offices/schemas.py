"""What the offices' facts API takes and answers (docs/office-facts.md)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from server.http.fields import MAX_DATE, MIN_DATE, BoundedDate, whole
from server.models import DOCUMENT_KINDS


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
    file_url = fields.String()


__all__ = ["DocumentListQuery", "DocumentSchema", "DocumentUploadForm", "year_field"]
