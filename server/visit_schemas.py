"""What a phone sends in a sync, and what visit reads answer."""

from __future__ import annotations

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from .models import IDENTIFIED_BY, OBSERVATION_VALUES, SATISFACTION, SIGNERS, VISIT_KINDS
from .signatures import ENCODINGS, MAX_SIDE, SignatureError, check_bounds, decode_strokes

TEXT_LIMIT = 2000


def long_text():
    return fields.String(load_default="", validate=validate.Length(max=TEXT_LIMIT))


def observation():
    return fields.String(required=True, validate=validate.OneOf(OBSERVATION_VALUES))


class LocationSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    accuracy_m = fields.Float(load_default=None, allow_none=True,
                              validate=validate.Range(min=0, max=100_000))


class ObservationsSchema(Schema):
    living = observation()
    emotional = observation()
    physical = observation()
    notes = long_text()


class SignatureInSchema(Schema):
    signer = fields.String(required=True, validate=validate.OneOf(SIGNERS))
    signer_name = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=120))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
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
            raise ValidationError("The signature is empty: ask for a signature or say why "
                                  "there is none.", "strokes")
        data["strokes"] = strokes
        del data["encoding"]
        return data


class VisitInSchema(Schema):
    id = fields.UUID(required=True)
    resident_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(VISIT_KINDS))
    checked_in_at = fields.AwareDateTime(required=True)
    checked_out_at = fields.AwareDateTime(load_default=None, allow_none=True)
    identified_by = fields.String(required=True, validate=validate.OneOf(IDENTIFIED_BY))
    qr_token = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(max=64))
    location = fields.Nested(LocationSchema, load_default=None, allow_none=True)
    observations = fields.Nested(ObservationsSchema, required=True)
    service_given = long_text()
    follow_up = fields.Boolean(load_default=False)
    satisfaction = fields.String(load_default=None, allow_none=True,
                                 validate=validate.OneOf(SATISFACTION))
    feedback = long_text()
    signature = fields.Nested(SignatureInSchema, required=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        out, in_ = data.get("checked_out_at"), data.get("checked_in_at")
        if out is not None and in_ is not None and out < in_:
            raise ValidationError("Check-out is before check-in.", "checked_out_at")
        if data.get("identified_by") == "qr" and not data.get("qr_token"):
            raise ValidationError("A visit identified by QR code carries the code's token.",
                                  "qr_token")


class ObservationChangesSchema(Schema):
    living = fields.String(validate=validate.OneOf(OBSERVATION_VALUES))
    emotional = fields.String(validate=validate.OneOf(OBSERVATION_VALUES))
    physical = fields.String(validate=validate.OneOf(OBSERVATION_VALUES))
    notes = fields.String(validate=validate.Length(max=TEXT_LIMIT))


class AmendmentChangesSchema(Schema):
    observations = fields.Nested(ObservationChangesSchema)
    service_given = fields.String(validate=validate.Length(max=TEXT_LIMIT))
    follow_up = fields.Boolean()
    feedback = fields.String(validate=validate.Length(max=TEXT_LIMIT))

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data or data.get("observations") == {}:
            raise ValidationError("An amendment must change something.", "_schema")


class AmendmentInSchema(Schema):
    id = fields.UUID(required=True)
    visit_id = fields.UUID(required=True)
    changes = fields.Nested(AmendmentChangesSchema, required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class SyncRequestSchema(Schema):
    """The envelope; each visit and amendment is validated on its own so one bad item
    never blocks the others."""

    device_time = fields.AwareDateTime(required=True)
    cursor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    visits = fields.List(fields.Raw(), load_default=list)  # items: VisitIn (server/openapi.py)
    amendments = fields.List(fields.Raw(), load_default=list)  # items: AmendmentIn


class SyncResultSchema(Schema):
    id = fields.String()
    kind = fields.String(validate=validate.OneOf(("visit", "amendment")))
    status = fields.String(validate=validate.OneOf(("created", "duplicate", "conflict",
                                                    "rejected")))
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


class CoverageNowSchema(Schema):
    week = fields.String()
    required = fields.Integer()
    days_visited = fields.Integer()
    last_visit_at = fields.AwareDateTime(allow_none=True)


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
    qr_hash = fields.String(metadata={
        "description": "base64url of the first 8 bytes of SHA-256(qr_token): phones match a "
                       "scanned code by hashing it"})
    home_location = fields.Nested(HomeLocationSchema)
    coverage = fields.Nested(CoverageNowSchema)


class RosterUnitSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()


class RemovedSchema(Schema):
    residents = fields.List(fields.UUID())
    units = fields.List(fields.UUID())


class SyncAnswerSchema(Schema):
    results = fields.List(fields.Nested(SyncResultSchema))
    units = fields.List(fields.Nested(RosterUnitSchema))
    residents = fields.List(fields.Nested(RosterResidentSchema))
    removed = fields.Nested(RemovedSchema)
    reset = fields.Boolean()
    cursor = fields.String()
    more = fields.Boolean()
    server_time = fields.AwareDateTime()


class PersonRefSchema(Schema):
    id = fields.UUID()
    display_name = fields.String()


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


class VisitPageSchema(Schema):
    items = fields.List(fields.Nested(VisitOutSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class VisitListQuery(Schema):
    unit_id = fields.UUID()
    resident_id = fields.UUID()
    worker_id = fields.UUID()
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class VoidInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
