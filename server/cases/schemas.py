"""Cases and case records as a phone sends them and the office API takes them, and each
record kind's body: unknown fields are refused, every text, list and number is bounded."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.http.fields import BoundedAwareDateTime, BoundedDate, OfficeQuery, PageQuery
from server.models import CASE_RECORD_KINDS, CASE_SOURCES, CASE_STAGES, SATISFACTION
from server.visits.schemas import (
    TEXT_LIMIT,
    PersonNameSchema,
    RosterCaseRecordSchema,
    SignatureInSchema,
)
from server.visits.schemas import text as bounded_text

LIST_LIMIT = 50
SHORT = 200
CLIENT_ID = 64
NEED_DOMAINS = ("physical", "emotional", "social", "living", "economic", "spiritual")
SEVERITIES = ("none", "mild", "moderate", "severe")
RISKS = ("self_harm", "abuse", "fall", "isolation")
CONTACT_MODES = ("visit", "phone", "wechat", "sms", "family_meeting", "case_conference")
GOAL_STATUSES = ("not_started", "in_progress", "achieved", "dropped")
CLOSURE_REASONS = ("goals_met", "client_request", "moved", "deceased", "referred")
# The office rules' services, then the institution's own (docs/cases.md).
SERVICE_CODES = {
    "relief": "救助服务",
    "care_arrangement": "照顾安排",
    "home_adaptation": "适老化环境改造",
    "family_counselling": "家庭辅导",
    "emotional_support": "精神慰藉",
    "crisis_intervention": "危机干预",
    "support_network": "社会支持网络建设",
    "community_participation": "社区参与",
    "elder_education": "老年教育",
    "consultation": "咨询服务",
    "rights_protection": "权益保障",
    "policy_advocacy": "政策倡导",
    "end_of_life_care": "临终关怀",
    "adaptation_plan": "新入住适应计划",
    "counselling": "心理辅导",
    "group_work": "小组工作",
    "referral": "转介",
}


def one_of(choices, **options) -> fields.String:
    return fields.String(validate=validate.OneOf(choices), **options)


def bounded_list(item, minimum: int = 0, **options) -> fields.List:
    return fields.List(item, validate=validate.Length(min=minimum, max=LIST_LIMIT), **options)


def client_id(**options) -> fields.String:
    """A goal's or a step's id, made on the phone."""
    return bounded_text(CLIENT_ID, minimum=1, **options)


def _unique_ids(items: list[dict], name: str) -> None:
    ids = [item["id"] for item in items]
    if len(ids) != len(set(ids)):
        raise ValidationError("Each id may be used once.", name)


# --- record bodies -------------------------------------------------------------------------


class RegisterSchema(Schema):
    """The service register form (老年服务工作登记表); names and sex come from the person and
    the resident."""

    office = bounded_text(SHORT, load_default="")
    worker_phone = bounded_text(40, load_default="")
    client_phone = bounded_text(40, load_default="")
    address = bounded_text(500, load_default="")
    problems = bounded_text(TEXT_LIMIT, minimum=1, required=True)


class ConsentSchema(Schema):
    given = fields.Boolean(required=True, validate=validate.Equal(True, error="Consent is needed."))
    by = one_of(("resident", "family"), required=True)
    name = bounded_text(120, load_default="")


class IntakeBody(Schema):
    register = fields.Nested(RegisterSchema, required=True)
    consent = fields.Nested(ConsentSchema, required=True)


class NeedSchema(Schema):
    domain = one_of(NEED_DOMAINS, required=True)
    severity = one_of(SEVERITIES, required=True)
    priority = fields.Integer(required=True, validate=validate.Range(min=1, max=6))
    notes = bounded_text(TEXT_LIMIT, load_default="")


class AssessmentBody(Schema):
    needs = bounded_list(fields.Nested(NeedSchema), minimum=1, required=True)
    risks = bounded_list(one_of(RISKS), load_default=list)
    summary = bounded_text(TEXT_LIMIT, load_default="")


class GoalSchema(Schema):
    id = client_id(required=True)
    text = bounded_text(TEXT_LIMIT, minimum=1, required=True)
    measure = bounded_text(TEXT_LIMIT, load_default="")
    target_on = BoundedDate(load_default=None, allow_none=True)


class StepSchema(Schema):
    id = client_id(required=True)
    title = bounded_text(SHORT, minimum=1, required=True)
    goal_id = client_id(load_default=None, allow_none=True)
    assignee_id = fields.UUID(load_default=None, allow_none=True)
    due_on = BoundedDate(required=True)


class AgreedSchema(Schema):
    signer = one_of(("resident", "proxy"), required=True)
    signer_name = bounded_text(120, load_default="")


class PlanBody(Schema):
    goals = bounded_list(fields.Nested(GoalSchema), minimum=1, required=True)
    steps = bounded_list(fields.Nested(StepSchema), load_default=list)
    services = bounded_list(one_of(tuple(SERVICE_CODES)), load_default=list)
    review_every_weeks = fields.Integer(required=True, validate=validate.Range(min=1, max=52))
    agreed = fields.Nested(AgreedSchema, required=True)

    @validates_schema
    def _ids(self, data, **kwargs):
        _unique_ids(data.get("goals", []), "goals")
        _unique_ids(data.get("steps", []), "steps")
        goals = {goal["id"] for goal in data.get("goals", [])}
        for step in data.get("steps", []):
            if step.get("goal_id") is not None and step["goal_id"] not in goals:
                raise ValidationError("A step's goal must be one of the plan's goals.", "steps")


class ContactBody(Schema):
    mode = one_of(CONTACT_MODES, required=True)
    visit_id = fields.UUID(load_default=None, allow_none=True)
    goal_ids = bounded_list(client_id(), load_default=list)
    summary = bounded_text(TEXT_LIMIT, minimum=1, required=True)
    minutes = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0, 1440))


class ProgressSchema(Schema):
    goal_id = client_id(required=True)
    status = one_of(GOAL_STATUSES, required=True)
    note = bounded_text(TEXT_LIMIT, load_default="")


class ReviewBody(Schema):
    progress = bounded_list(fields.Nested(ProgressSchema), load_default=list)
    summary = bounded_text(TEXT_LIMIT, minimum=1, required=True)


class ReferralSchema(Schema):
    organisation = bounded_text(SHORT, minimum=1, required=True)
    contact = bounded_text(SHORT, load_default="")
    note = bounded_text(TEXT_LIMIT, load_default="")


class FollowUpSchema(Schema):
    title = bounded_text(SHORT, minimum=1, required=True)
    due_in_days = fields.Integer(required=True, validate=validate.Range(min=0, max=365))
    assignee_id = fields.UUID(load_default=None, allow_none=True)


class ClosureBody(Schema):
    reason = one_of(CLOSURE_REASONS, required=True)
    evaluation = bounded_list(fields.Nested(ProgressSchema), load_default=list)
    summary = bounded_text(TEXT_LIMIT, minimum=1, required=True)
    satisfaction = one_of(SATISFACTION, required=True)
    referral = fields.Nested(ReferralSchema, load_default=None, allow_none=True)
    follow_up = fields.Nested(FollowUpSchema, load_default=None, allow_none=True)


class SignoffBody(Schema):
    note = bounded_text(TEXT_LIMIT, load_default="")


BODIES: dict[str, type[Schema]] = {
    "intake": IntakeBody,
    "assessment": AssessmentBody,
    "plan": PlanBody,
    "contact": ContactBody,
    "review": ReviewBody,
    "closure": ClosureBody,
    "signoff": SignoffBody,
}
_BODY_SCHEMAS = {kind: schema() for kind, schema in BODIES.items()}


def load_body(kind: str, body) -> dict:
    """The body of a record of this kind, checked; ValidationError names the fields under
    `body`. Dates and ids become text, as JSON keeps them."""
    if not isinstance(body, dict):
        raise ValidationError({"body": ["A record's body is an object."]})
    schema = _BODY_SCHEMAS[kind]
    try:
        schema.load(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error
    return schema.dump(schema.load(body))


# --- the envelopes -------------------------------------------------------------------------


class CaseInSchema(Schema):
    """A case as a phone opens it; its id is the idempotency key."""

    id = fields.UUID(required=True)
    resident_id = fields.UUID(required=True)
    source = one_of(CASE_SOURCES, required=True)
    source_note = bounded_text(500, load_default="")
    visit_id = fields.UUID(load_default=None, allow_none=True)
    opened_at = BoundedAwareDateTime(required=True)
    worker_id = fields.UUID(load_default=None, allow_none=True)


class CaseRecordInSchema(Schema):
    """One step of a case as a phone records it; the body is checked by its kind."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    kind = one_of(CASE_RECORD_KINDS, required=True)
    at = BoundedAwareDateTime(required=True)
    body = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), required=True)
    signature = fields.Nested(SignatureInSchema, load_default=None, allow_none=True)


class CaseCreateSchema(CaseInSchema):
    """A case as the office opens it: the id and the time are the server's when not given."""

    id = fields.UUID(load_default=None)
    opened_at = BoundedAwareDateTime(load_default=None)


class CaseRecordCreateSchema(CaseRecordInSchema):
    """A record from the office; the case is the one in the path."""

    id = fields.UUID(load_default=None)
    case_id = fields.UUID(load_default=None)
    at = BoundedAwareDateTime(load_default=None)


# --- the office API ----------------------------------------------------------------------


class CaseListQuery(OfficeQuery, PageQuery):
    unit_id = fields.UUID()
    worker_id = fields.UUID()
    resident_id = fields.UUID()
    stage = one_of(CASE_STAGES)
    attention = one_of(("review_due", "no_contact"))


class CaseRecordOutSchema(RosterCaseRecordSchema):
    """A case record as the office reads it: the phone's fields, the signature's drawing and
    the latest review."""

    signature_url = fields.String(allow_none=True)
    # The latest review (docs/reviews.md), or null.
    review = fields.Nested("ReviewSummarySchema", allow_none=True)


class CaseOutSchema(Schema):
    """A case as the office lists it."""

    id = fields.UUID()
    resident_id = fields.UUID()
    resident_name = fields.String()
    unit_id = fields.UUID()
    worker_id = fields.UUID()
    worker = fields.Nested(PersonNameSchema)
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
    review_due = fields.Boolean()
    no_contact = fields.Boolean()
    days_since_contact = fields.Integer(allow_none=True)


class CaseDetailSchema(CaseOutSchema):
    purged_at = fields.AwareDateTime(allow_none=True)
    records = fields.List(fields.Nested(CaseRecordOutSchema))


class CaseloadSchema(Schema):
    worker = fields.Nested(PersonNameSchema)
    open = fields.Integer()


class CaseCountsSchema(Schema):
    by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())
    review_due = fields.Integer()
    no_contact = fields.Integer()
    caseload = fields.List(fields.Nested(CaseloadSchema))


class CasePageSchema(Schema):
    items = fields.List(fields.Nested(CaseOutSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    counts = fields.Nested(CaseCountsSchema)


class CaseExportSchema(Schema):
    """Everything kept of a case, signatures' strokes included."""

    class Meta:
        unknown = "include"

    id = fields.UUID()
    stage = fields.String()
    records = fields.List(fields.Dict())
