"""What a phone sends in a sync, and what visit reads answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from server.http.fields import (
    MAX_DATE,
    MIN_DATE,
    BoundedAwareDateTime,
    BoundedDate,
    OfficeQuery,
    Page,
    PageQuery,
    PersonRefSchema,
)
from server.models import IDENTIFIED_BY, OBSERVATION_VALUES, SATISFACTION, SIGNERS, VISIT_KINDS
from server.visits.signatures import (
    ENCODINGS,
    MAX_SIDE,
    SignatureError,
    check_bounds,
    decode_strokes,
)

TEXT_LIMIT = 2000


# PostgreSQL cannot store the NUL character in text: refused here, one record at a time,
# rather than failing the whole batch in the database.
no_nul = validate.Regexp(r"^[^\x00]*$", error="Text may not contain the NUL character.")


def text(limit: int, minimum: int | None = None, **options) -> fields.String:
    """A free-text field of at most `limit` characters, without NUL."""
    return fields.String(validate=[validate.Length(min=minimum, max=limit), no_nul], **options)


def long_text():
    return text(TEXT_LIMIT, load_default="")


def observation():
    return fields.String(required=True, validate=validate.OneOf(OBSERVATION_VALUES))


class LocationSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    accuracy_m = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100_000)
    )


class ObservationsSchema(Schema):
    living = observation()
    emotional = observation()
    physical = observation()
    notes = long_text()


class SignatureInSchema(Schema):
    signer = fields.String(required=True, validate=validate.OneOf(SIGNERS))
    signer_name = text(120, load_default=None, allow_none=True)
    reason = text(300, load_default=None, allow_none=True)
    width = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_SIDE))
    height = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_SIDE))
    encoding = fields.String(load_default="absolute", validate=validate.OneOf(ENCODINGS))
    strokes = fields.Raw(required=True)

    @validates_schema
    def _signer_rules(self, data, **kwargs):
        signer = data.get("signer")
        if signer == "proxy" and not (data.get("signer_name") or "").strip():
            raise ValidationError("Give the name of the family member who signed.", "signer_name")
        if signer == "none" and not (data.get("reason") or "").strip():
            raise ValidationError("Say why the resident could not sign.", "reason")

    @post_load
    def _decode(self, data, **kwargs):
        try:
            strokes = decode_strokes(data["strokes"], data["encoding"])
            check_bounds(strokes, data["width"], data["height"])
        except SignatureError as error:
            raise ValidationError(str(error), "strokes") from error
        if data["signer"] != "none" and not strokes:
            raise ValidationError(
                "The signature is empty: ask for a signature or say why there is none.", "strokes"
            )
        data["strokes"] = strokes
        del data["encoding"]
        return data


# Check-ins outside these years are no phone's record (and 0001-01-01+08:00 is not even a
# UTC time). The server's own clock bounds them closer still (server/visits/ingest.py).
CHECK_IN_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CHECK_IN_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_CHECK_IN_RANGE = validate.Range(
    min=CHECK_IN_EARLIEST,
    max=CHECK_IN_LATEST,
    error="The check-in must lie between the years 2000 and 2100: check the phone's date and time.",
)


class VisitInSchema(Schema):
    id = fields.UUID(required=True)
    resident_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(VISIT_KINDS))
    checked_in_at = BoundedAwareDateTime(required=True, validate=_CHECK_IN_RANGE)
    checked_out_at = BoundedAwareDateTime(load_default=None, allow_none=True)
    identified_by = fields.String(required=True, validate=validate.OneOf(IDENTIFIED_BY))
    qr_token = text(64, load_default=None, allow_none=True)
    location = fields.Nested(LocationSchema, load_default=None, allow_none=True)
    observations = fields.Nested(ObservationsSchema, required=True)
    service_given = long_text()
    follow_up = fields.Boolean(load_default=False)
    satisfaction = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(SATISFACTION)
    )
    feedback = long_text()
    signature = fields.Nested(SignatureInSchema, required=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        out, in_ = data.get("checked_out_at"), data.get("checked_in_at")
        if out is not None and in_ is not None and out < in_:
            raise ValidationError("Check-out is before check-in.", "checked_out_at")
        if data.get("identified_by") == "qr" and not data.get("qr_token"):
            raise ValidationError(
                "A visit identified by QR code carries the code's token.", "qr_token"
            )


class ObservationChangesSchema(Schema):
    living = fields.String(validate=validate.OneOf(OBSERVATION_VALUES))
    emotional = fields.String(validate=validate.OneOf(OBSERVATION_VALUES))
    physical = fields.String(validate=validate.OneOf(OBSERVATION_VALUES))
    notes = text(TEXT_LIMIT)


class AmendmentChangesSchema(Schema):
    observations = fields.Nested(ObservationChangesSchema)
    service_given = text(TEXT_LIMIT)
    follow_up = fields.Boolean()
    feedback = text(TEXT_LIMIT)

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data or data.get("observations") == {}:
            raise ValidationError("An amendment must change something.", "_schema")


class AmendmentInSchema(Schema):
    id = fields.UUID(required=True)
    visit_id = fields.UUID(required=True)
    changes = fields.Nested(AmendmentChangesSchema, required=True)
    reason = text(500, minimum=1, required=True)


class SyncRequestSchema(Schema):
    """The envelope; each visit and amendment is validated on its own so one bad item
    never blocks the others."""

    device_time = BoundedAwareDateTime(required=True)
    cursor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    visits = fields.List(fields.Raw(), load_default=list)  # items: VisitIn (server/http/openapi.py)
    amendments = fields.List(fields.Raw(), load_default=list)  # items: AmendmentIn
    tasks = fields.List(fields.Raw(), load_default=list)  # items: TaskIn (server/tasks/schemas.py)
    task_events = fields.List(fields.Raw(), load_default=list)  # items: TaskEventIn
    cases = fields.List(fields.Raw(), load_default=list)  # items: CaseIn (server/cases/schemas.py)
    case_records = fields.List(fields.Raw(), load_default=list)  # items: CaseRecordIn
    # Answers to returned records (docs/reviews.md); items: ReviewReplyIn.
    review_replies = fields.List(fields.Raw(), load_default=list)
    # Activities and their photos (server/activities/schemas.py): items ActivityIn, PhotoIn.
    activities = fields.List(fields.Raw(), load_default=list)
    activity_photos = fields.List(fields.Raw(), load_default=list)


class SyncResultSchema(Schema):
    id = fields.String()
    kind = fields.String(
        validate=validate.OneOf(
            (
                *("visit", "amendment", "task", "task_event", "case", "case_record"),
                *("review_reply", "activity", "activity_photo"),
            )
        )
    )
    status = fields.String(
        validate=validate.OneOf(("created", "duplicate", "conflict", "rejected"))
    )
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())
    codes = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={
            "description": "Each refused field's cause as a code with its parameters, in the "
            "shape of errors (docs/api-contract.md, Field codes)"
        },
    )


class CoverageNowSchema(Schema):
    week = fields.String()
    required = fields.Integer()
    days_visited = fields.Integer()
    last_visit_at = fields.AwareDateTime(allow_none=True)
    # An every-N-days rule ("week" is then "days"): N, and the last day a visit is in time.
    every_days = fields.Integer()
    due_by = fields.Date()


class HomeLocationSchema(Schema):
    lat = fields.Float()
    lon = fields.Float()


class RosterResidentSchema(Schema):
    """A resident as the phone keeps it. Empty fields are left out to keep pulls small."""

    id = fields.UUID()
    unit_id = fields.UUID()
    name = fields.String()
    sex = fields.String()
    birth_year = fields.Integer()
    room = fields.String()
    address = fields.String()
    phone = fields.String()
    care_level = fields.String()
    qr_hash = fields.String(
        metadata={
            "description": "base64url of the first 8 bytes of SHA-256(qr_token): phones match a "
            "scanned code by hashing it"
        }
    )
    home_location = fields.Nested(HomeLocationSchema)
    coverage = fields.Nested(CoverageNowSchema)


class RosterUnitSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    # Whom a worker may hand a follow-up task to (docs/tasks.md).
    supervisors = fields.List(fields.Nested("PersonNameSchema"))


class RemovedSchema(Schema):
    residents = fields.List(fields.UUID())
    units = fields.List(fields.UUID())
    tasks = fields.List(fields.UUID())
    cases = fields.List(fields.UUID())
    reviews = fields.List(fields.UUID())  # answered or superseded (docs/reviews.md)
    activities = fields.List(fields.UUID())


class PersonNameSchema(Schema):
    id = fields.UUID()
    display_name = fields.String()


class RosterTaskSchema(Schema):
    """A follow-up task as the phone keeps it (docs/tasks.md)."""

    id = fields.UUID()
    resident_id = fields.UUID()
    resident_name = fields.String()
    unit_id = fields.UUID()
    title = fields.String()
    details = fields.String()
    priority = fields.String()
    status = fields.String()
    source = fields.String()
    finding = fields.String(allow_none=True)
    visit_id = fields.UUID(allow_none=True)
    assignee = fields.Nested(PersonNameSchema)
    due_on = fields.Date()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class SignedSchema(Schema):
    signer = fields.String()
    signer_name = fields.String(allow_none=True)


class RosterCaseRecordSchema(Schema):
    """A case record as the phone keeps it: the signature's strokes stay on the server."""

    id = fields.UUID()
    kind = fields.String()
    at = fields.AwareDateTime()
    author = fields.Nested(PersonNameSchema)
    version = fields.Integer()
    body = fields.Dict()
    signed = fields.Nested(SignedSchema, allow_none=True)


class RosterCaseSchema(Schema):
    """A case as the phone keeps it, with its records (docs/cases.md)."""

    id = fields.UUID()
    resident_id = fields.UUID()
    resident_name = fields.String()
    unit_id = fields.UUID()
    worker_id = fields.UUID()
    source = fields.String()
    source_note = fields.String()
    visit_id = fields.UUID(allow_none=True)
    stage = fields.String()
    opened_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    archived_at = fields.AwareDateTime(allow_none=True)
    last_contact_at = fields.AwareDateTime(allow_none=True)
    review_due_on = fields.Date(allow_none=True)
    change_seq = fields.Integer()
    records = fields.List(fields.Nested(RosterCaseRecordSchema))


class RosterReviewSchema(Schema):
    """A returned record as its author's phone keeps it (docs/reviews.md)."""

    id = fields.UUID()
    record_kind = fields.String()
    record_id = fields.UUID()
    resident_id = fields.UUID()
    resident_name = fields.String()
    record_at = fields.AwareDateTime(allow_none=True)
    comment = fields.String()
    reviewer = fields.Nested(PersonNameSchema)
    reviewed_at = fields.AwareDateTime()


class SyncAnswerSchema(Schema):
    results = fields.List(fields.Nested(SyncResultSchema))
    units = fields.List(fields.Nested(RosterUnitSchema))
    residents = fields.List(fields.Nested(RosterResidentSchema))
    tasks = fields.List(fields.Nested(RosterTaskSchema))
    cases = fields.List(fields.Nested(RosterCaseSchema))
    reviews = fields.List(fields.Nested(RosterReviewSchema))
    # Activities (docs/activities.md): the types, and the units' last 31 days.
    activity_types = fields.List(fields.Nested("ActivityTypeSchema"))
    activities = fields.List(fields.Nested("RosterActivitySchema"))
    removed = fields.Nested(RemovedSchema)
    reset = fields.Boolean()
    cursor = fields.String()
    more = fields.Boolean()
    server_time = fields.AwareDateTime()


class ObservationsOutSchema(Schema):
    living = fields.String()
    emotional = fields.String()
    physical = fields.String()
    notes = fields.String()


class ContentSchema(Schema):
    observations = fields.Nested(ObservationsOutSchema)
    service_given = fields.String()
    follow_up = fields.Boolean()
    feedback = fields.String()


class SignatureOutSchema(Schema):
    signer = fields.String()
    signer_name = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    width = fields.Integer()
    height = fields.Integer()
    strokes = fields.Integer(metadata={"description": "number of strokes"})
    svg = fields.String(metadata={"description": "address of the SVG rendering"})


class VoidSchema(Schema):
    at = fields.AwareDateTime()
    by = fields.UUID()
    reason = fields.String()


class AmendmentOutSchema(Schema):
    id = fields.UUID()
    changes = fields.Dict()
    reason = fields.String()
    created_at = fields.AwareDateTime()
    author = fields.Nested(PersonRefSchema)


class VisitOutSchema(ContentSchema):
    """A visit as it reads now: amendments applied, the original kept alongside."""

    id = fields.UUID()
    resident_id = fields.UUID()
    resident_name = fields.String()
    unit_id = fields.UUID()
    worker = fields.Nested(PersonRefSchema)
    device_id = fields.UUID(allow_none=True)
    kind = fields.String()
    checked_in_at = fields.AwareDateTime()
    checked_out_at = fields.AwareDateTime(allow_none=True)
    received_at = fields.AwareDateTime()
    visit_date = fields.Date()
    identified_by = fields.String()
    location = fields.Nested(LocationSchema, allow_none=True)
    satisfaction = fields.String(allow_none=True)
    signature = fields.Nested(SignatureOutSchema)
    content_hash = fields.String()
    presence = fields.Dict()
    voided = fields.Nested(VoidSchema, allow_none=True)
    original = fields.Nested(ContentSchema, allow_none=True)
    amendments = fields.List(fields.Nested(AmendmentOutSchema))
    # The latest review (docs/reviews.md), or null.
    review = fields.Nested("ReviewSummarySchema", allow_none=True)


VisitPageSchema = Page(VisitOutSchema, name="VisitPage")


class VisitListQuery(OfficeQuery, PageQuery):
    unit_id = fields.UUID()
    resident_id = fields.UUID()
    worker_id = fields.UUID()
    from_ = BoundedDate(data_key="from")
    to = BoundedDate()


class VoidInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


# -- the usual visit, checked without marshmallow ------------------------------------------
#
# A batch of 20 visits spends about 2 ms of CPU in marshmallow. Phones send visits of one
# shape, so a plain check of that shape loads them several times faster. It is only a short
# cut: it accepts a visit only when every rule above holds, and it builds exactly the dict the
# schema builds; anything else, an error or a valid but unusual form (600.0 for a width, "yes"
# for a boolean), goes to VisitInSchema, which decides and words the errors.

visit_in_schema = VisitInSchema()
_VISIT_FIELDS = frozenset(VisitInSchema._declared_fields)
_VISIT_REQUIRED = frozenset(
    ("id", "resident_id", "kind", "checked_in_at", "identified_by", "observations", "signature")
)
_LOCATION_FIELDS = frozenset(("lat", "lon", "accuracy_m"))
_OBSERVATION_FIELDS = frozenset(("living", "emotional", "physical", "notes"))
_SIGNATURE_FIELDS = frozenset(SignatureInSchema._declared_fields)


class _Unsure(Exception):
    """The short cut cannot vouch for this visit: VisitInSchema decides."""


def load_visit(raw: Any) -> dict:
    """A visit as VisitInSchema loads it, or its ValidationError; the usual shape quickly."""
    try:
        return _usual_visit(raw)
    except _Unsure:
        return visit_in_schema.load(raw if isinstance(raw, dict) else {})


def _usual_visit(raw: Any) -> dict:
    if type(raw) is not dict or not _VISIT_REQUIRED <= raw.keys() <= _VISIT_FIELDS:
        raise _Unsure
    checked_in = _aware(raw["checked_in_at"])
    if not CHECK_IN_EARLIEST <= checked_in <= CHECK_IN_LATEST:
        raise _Unsure
    checked_out = _optional(raw, "checked_out_at", _aware)
    identified_by = _choice(raw["identified_by"], IDENTIFIED_BY)
    qr_token = _optional(raw, "qr_token", lambda value: _text(value, 64))
    if (checked_out is not None and checked_out < checked_in) or (
        identified_by == "qr" and not qr_token
    ):
        raise _Unsure
    return {
        "id": _uuid(raw["id"]),
        "resident_id": _uuid(raw["resident_id"]),
        "kind": _choice(raw["kind"], VISIT_KINDS),
        "checked_in_at": checked_in,
        "checked_out_at": checked_out,
        "identified_by": identified_by,
        "qr_token": qr_token,
        "location": _optional(raw, "location", _location),
        "observations": _observations(raw["observations"]),
        "service_given": _text(raw.get("service_given", ""), TEXT_LIMIT),
        "follow_up": _boolean(raw.get("follow_up", False)),
        "satisfaction": _optional(raw, "satisfaction", lambda value: _choice(value, SATISFACTION)),
        "feedback": _text(raw.get("feedback", ""), TEXT_LIMIT),
        "signature": _signature(raw["signature"]),
    }


def _optional(raw: dict, name: str, load: Callable[[Any], Any]) -> Any:
    value = raw.get(name)
    return None if value is None else load(value)


def _uuid(value: Any) -> uuid.UUID:
    if type(value) is not str:
        raise _Unsure
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise _Unsure from error


def _aware(value: Any) -> datetime:
    if type(value) is not str:
        raise _Unsure
    try:
        moment = datetime.fromisoformat(value)  # what fields.AwareDateTime uses
    except ValueError as error:
        raise _Unsure from error
    if (
        moment.tzinfo is None
        or moment.tzinfo.utcoffset(moment) is None
        or not MIN_DATE.year <= moment.year <= MAX_DATE.year
    ):
        raise _Unsure
    return moment


def _text(value: Any, limit: int) -> str:
    if type(value) is not str or len(value) > limit or "\x00" in value:
        raise _Unsure
    return value


def _choice(value: Any, allowed: tuple[str, ...]) -> str:
    if type(value) is not str or value not in allowed:
        raise _Unsure
    return value


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise _Unsure
    return value


def _number(value: Any, low: float, high: float) -> float:
    if type(value) not in (int, float):
        raise _Unsure
    try:
        number = float(value)
    except OverflowError as error:
        raise _Unsure from error
    if not low <= number <= high:  # NaN fails this too
        raise _Unsure
    return number


def _whole(value: Any, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _Unsure
    return value


def _location(value: Any) -> dict:
    if type(value) is not dict or not {"lat", "lon"} <= value.keys() <= _LOCATION_FIELDS:
        raise _Unsure
    return {
        "lat": _number(value["lat"], -90, 90),
        "lon": _number(value["lon"], -180, 180),
        "accuracy_m": _optional(value, "accuracy_m", lambda v: _number(v, 0, 100_000)),
    }


def _observations(value: Any) -> dict:
    if type(value) is not dict or not value.keys() <= _OBSERVATION_FIELDS:
        raise _Unsure
    if not {"living", "emotional", "physical"} <= value.keys():
        raise _Unsure
    return {
        name: _choice(value[name], OBSERVATION_VALUES)
        for name in ("living", "emotional", "physical")
    } | {"notes": _text(value.get("notes", ""), TEXT_LIMIT)}


def _signature(value: Any) -> dict:
    if type(value) is not dict or not value.keys() <= _SIGNATURE_FIELDS:
        raise _Unsure
    if not {"signer", "width", "height", "strokes"} <= value.keys():
        raise _Unsure
    signer = _choice(value["signer"], SIGNERS)
    name = _optional(value, "signer_name", lambda v: _text(v, 120))
    reason = _optional(value, "reason", lambda v: _text(v, 300))
    if (signer == "proxy" and not (name or "").strip()) or (
        signer == "none" and not (reason or "").strip()
    ):
        raise _Unsure
    width = _whole(value["width"], 1, MAX_SIDE)
    height = _whole(value["height"], 1, MAX_SIDE)
    encoding = _choice(value.get("encoding", "absolute"), ENCODINGS)
    if value["strokes"] is None:
        raise _Unsure
    try:
        strokes = decode_strokes(value["strokes"], encoding)
        check_bounds(strokes, width, height)
    except SignatureError as error:
        raise _Unsure from error
    if signer != "none" and not strokes:
        raise _Unsure
    return {
        "signer": signer,
        "signer_name": name,
        "reason": reason,
        "width": width,
        "height": height,
        "strokes": strokes,
    }
