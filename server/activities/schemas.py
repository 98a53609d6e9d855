"""Activities and their photos as a phone sends them, the desk's activity, the activity types,
and what the office reads: unknown fields refused, every text, list and number bounded."""

from __future__ import annotations

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from server.http.fields import (
    BoundedAwareDateTime,
    BoundedDate,
    OfficeQuery,
    Page,
    PageQuery,
    PersonRefSchema,
)
from server.models import ATTENDANCE_IDENTIFIED_BY
from server.visits.schemas import CHECK_IN_EARLIEST, CHECK_IN_LATEST, TEXT_LIMIT, text

MAX_ATTENDEES = 500
MAX_VOLUNTEERS = 50
MAX_ORGANISERS = 50
MAX_PHOTOS_PER_ACTIVITY = 20
PHOTO_TYPES = ("image/jpeg", "image/webp")
MAX_PHOTO_SIDE = 8000
# base64 of the largest photo any setting could allow (a phone sends ≤ 600 kB): a bound on
# the text before decoding, the byte limit itself is checked on the decoded bytes.
MAX_PHOTO_TEXT = 4 * 1024 * 1024

_STARTED_RANGE = validate.Range(
    min=CHECK_IN_EARLIEST,
    max=CHECK_IN_LATEST,
    error="The start must lie between the years 2000 and 2100: check the phone's date and time.",
)


class VolunteerSchema(Schema):
    name = text(120, minimum=1, required=True)
    hours = fields.Float(required=True, validate=validate.Range(min=0, max=24))


class AttendeeInSchema(Schema):
    resident_id = fields.UUID(required=True)
    identified_by = fields.String(required=True, validate=validate.OneOf(ATTENDANCE_IDENTIFIED_BY))
    qr_token = text(64, load_default=None, allow_none=True)
    at = BoundedAwareDateTime(required=True)

    @validates_schema
    def _token_when_scanned(self, data, **kwargs):
        if data.get("identified_by") == "qr" and not data.get("qr_token"):
            raise ValidationError("A resident scanned in carries the code's token.", "qr_token")


class ActivityBodySchema(Schema):
    """What an activity holds, from the phone or the desk."""

    unit_id = fields.UUID(required=True)
    type_code = text(40, minimum=1, required=True)
    title = text(200, minimum=1, required=True)
    started_at = BoundedAwareDateTime(required=True, validate=_STARTED_RANGE)
    minutes = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=24 * 60)
    )
    place = text(200, load_default="")
    organisers = fields.List(
        fields.UUID(), load_default=list, validate=validate.Length(max=MAX_ORGANISERS)
    )
    volunteers = fields.List(
        fields.Nested(VolunteerSchema),
        load_default=list,
        validate=validate.Length(max=MAX_VOLUNTEERS),
    )
    description = text(TEXT_LIMIT, load_default="")
    attendees = fields.List(
        fields.Nested(AttendeeInSchema),
        load_default=list,
        validate=validate.Length(max=MAX_ATTENDEES),
    )

    @validates_schema
    def _each_resident_once(self, data, **kwargs):
        ids = [attendee["resident_id"] for attendee in data.get("attendees", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("Each resident attends once.", "attendees")


class ActivityInSchema(ActivityBodySchema):
    """An activity as the phone sends it: its id made on the phone."""

    id = fields.UUID(required=True)


class ActivityCreateSchema(ActivityBodySchema):
    """An activity recorded at the desk; an id may be given (a retry is then refused)."""

    id = fields.UUID(load_default=None, allow_none=True)


class PhotoInSchema(Schema):
    id = fields.UUID(required=True)
    activity_id = fields.UUID(required=True)
    content_type = fields.String(required=True, validate=validate.OneOf(PHOTO_TYPES))
    width = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_PHOTO_SIDE))
    height = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_PHOTO_SIDE))
    taken_at = BoundedAwareDateTime(required=True)
    caption = text(300, load_default="")
    data = fields.String(required=True, validate=validate.Length(min=1, max=MAX_PHOTO_TEXT))

    @post_load
    def _decode(self, data, **kwargs):
        try:
            data["data"] = base64.b64decode(data["data"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError("The photo is not valid base64.", "data") from error
        return data


# --- types ------------------------------------------------------------------------------


class ActivityTypeSchema(Schema):
    code = fields.String()
    name_en = fields.String()
    name_zh = fields.String()
    builtin = fields.Boolean()
    active = fields.Boolean()


class ActivityTypeInSchema(Schema):
    name_en = text(80, minimum=1, required=True)
    name_zh = text(80, minimum=1, required=True)
    active = fields.Boolean(load_default=True)


TYPE_CODE = r"^[a-z][a-z0-9_]{0,39}$"


# --- the office -------------------------------------------------------------------------


class ActivityListQuery(OfficeQuery, PageQuery):
    from_ = BoundedDate(data_key="from", load_default=None)
    to = BoundedDate(load_default=None)
    unit_id = fields.UUID()
    type_code = text(40)

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": ["'from' is after 'to'."]})


class VolunteerOutSchema(Schema):
    name = fields.String()
    hours = fields.Float()


class ActivityRowSchema(Schema):
    id = fields.UUID()
    unit_id = fields.UUID()
    unit_name = fields.String()
    type_code = fields.String()
    type_name_en = fields.String()
    type_name_zh = fields.String()
    title = fields.String()
    started_at = fields.AwareDateTime()
    held_on = fields.Date()
    minutes = fields.Integer(allow_none=True)
    place = fields.String()
    attendee_count = fields.Integer()
    photo_count = fields.Integer()
    volunteers = fields.List(fields.Nested(VolunteerOutSchema))
    created_by = fields.Nested(PersonRefSchema)


class ActivityTotalsSchema(Schema):
    activities = fields.Integer()
    days = fields.Integer(metadata={"description": "Days with at least one activity"})
    attendances = fields.Integer()
    residents = fields.Integer(metadata={"description": "Distinct residents who attended"})
    volunteers = fields.Integer()
    volunteer_hours = fields.Float()


class ActivityPageSchema(Page(ActivityRowSchema, name="ActivityPage")):
    totals = fields.Nested(ActivityTotalsSchema)


class AttendeeOutSchema(Schema):
    resident_id = fields.UUID()
    name = fields.String()
    room = fields.String()
    identified_by = fields.String()
    at = fields.AwareDateTime()


class PhotoOutSchema(Schema):
    id = fields.UUID()
    content_type = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    byte_size = fields.Integer()
    caption = fields.String()
    taken_at = fields.AwareDateTime()
    url = fields.String()


class ActivityDetailSchema(ActivityRowSchema):
    description = fields.String()
    organisers = fields.List(fields.Nested(PersonRefSchema))
    attendees = fields.List(fields.Nested(AttendeeOutSchema))
    photos = fields.List(fields.Nested(PhotoOutSchema))
    received_at = fields.AwareDateTime()


class ResidentActivitiesQuery(PageQuery):
    pass


ResidentActivityPageSchema = Page(ActivityRowSchema, name="ResidentActivityPage")


class RosterActivitySchema(Schema):
    """An activity as the phone keeps it (the pull)."""

    id = fields.UUID()
    unit_id = fields.UUID()
    type_code = fields.String()
    title = fields.String()
    started_at = fields.AwareDateTime()
    held_on = fields.Date()
    place = fields.String()
    attendee_ids = fields.List(fields.UUID())
    photo_count = fields.Integer()
    created_by = fields.UUID()
