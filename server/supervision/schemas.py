"""Supervision meetings as the office sends and reads them (docs/meetings.md): unknown fields
are refused, every text, list and number is bounded."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.http.fields import BoundedDate, OfficeQuery, OneOrMany, PageQuery, month_label, whole
from server.models import MEETING_KINDS, TASK_PRIORITIES, TASK_STATUSES
from server.tasks.schemas import title_field
from server.visits.schemas import TEXT_LIMIT, PersonNameSchema, text

PARTICIPANT_LIMIT = 60
DISCUSSED_LIMIT = 50
TASK_LIMIT = 20
RULE_STATUSES = ("met", "on_track", "at_risk", "missed")


class DiscussedInSchema(Schema):
    """A resident or a case discussed: at least one of the two, with what was said."""

    resident_id = fields.UUID(load_default=None, allow_none=True)
    case_id = fields.UUID(load_default=None, allow_none=True)
    note = text(TEXT_LIMIT, load_default="")

    @validates_schema
    def _names_one(self, data, **kwargs):
        if data.get("resident_id") is None and data.get("case_id") is None:
            raise ValidationError("Name the resident or the case discussed.", "resident_id")


class MeetingTaskInSchema(Schema):
    """A follow-up task a decision raises, made once with the meeting."""

    resident_id = fields.UUID(required=True)
    title = title_field(required=True)
    details = text(TEXT_LIMIT, load_default="")
    assignee_id = fields.UUID(load_default=None, allow_none=True)
    due_on = BoundedDate(required=True)
    priority = fields.String(load_default="routine", validate=validate.OneOf(TASK_PRIORITIES))


class MeetingEditSchema(Schema):
    """Everything of a meeting but its tasks: what a PUT replaces."""

    kind = fields.String(required=True, validate=validate.OneOf(MEETING_KINDS))
    held_on = BoundedDate(required=True)
    supervisor_id = fields.UUID(load_default=None, allow_none=True)
    unit_id = fields.UUID(load_default=None, allow_none=True)
    # For a meeting of the whole office held by an admin who reaches several offices.
    office_id = fields.UUID(load_default=None, allow_none=True)
    place = text(200, load_default="")
    minutes = whole(1, 24 * 60, load_default=None, allow_none=True)
    topics = text(TEXT_LIMIT, load_default="")
    decisions = text(TEXT_LIMIT, load_default="")
    participants = fields.List(
        fields.UUID(), required=True, validate=validate.Length(min=1, max=PARTICIPANT_LIMIT)
    )
    discussed = fields.List(
        fields.Nested(DiscussedInSchema),
        load_default=list,
        validate=validate.Length(max=DISCUSSED_LIMIT),
    )


class MeetingCreateSchema(MeetingEditSchema):
    """A new meeting, with the tasks its decisions raise; `id` makes a resent POST a 409."""

    id = fields.UUID(load_default=None)
    tasks = fields.List(
        fields.Nested(MeetingTaskInSchema),
        load_default=list,
        validate=validate.Length(max=TASK_LIMIT),
    )


class MeetingListQuery(OfficeQuery, PageQuery):
    from_ = BoundedDate(data_key="from", load_default=None)
    to = BoundedDate(load_default=None)
    supervisor_id = fields.UUID()
    user_id = fields.UUID(metadata={"description": "Meetings this person held or took part in"})
    unit_id = OneOrMany(fields.UUID(), load_default=list, validate=validate.Length(max=200))
    resident_id = fields.UUID(metadata={"description": "Meetings that discussed this resident"})
    kind = fields.String(validate=validate.OneOf(MEETING_KINDS))

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": ["'from' is after 'to'."]})


class MeetingRuleQuery(OfficeQuery):
    month = month_label(load_default=None)
    unit_id = fields.UUID(load_default=None)


class DiscussedOutSchema(Schema):
    resident_id = fields.UUID(allow_none=True)
    resident_name = fields.String(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    note = fields.String()


class MeetingTaskOutSchema(Schema):
    id = fields.UUID()
    resident_id = fields.UUID()
    title = fields.String()
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    priority = fields.String()
    due_on = fields.Date()
    assignee = fields.Nested(PersonNameSchema)


class MeetingOutSchema(Schema):
    id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(MEETING_KINDS))
    held_on = fields.Date()
    supervisor_id = fields.UUID()
    supervisor = fields.Nested(PersonNameSchema)
    unit_id = fields.UUID(allow_none=True)
    office_id = fields.UUID()
    place = fields.String()
    minutes = fields.Integer(allow_none=True)
    topics = fields.String()
    decisions = fields.String()
    participants = fields.List(fields.UUID())
    people = fields.List(fields.Nested(PersonNameSchema))
    discussed = fields.List(fields.Nested(DiscussedOutSchema))
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class MeetingDetailSchema(MeetingOutSchema):
    tasks = fields.List(fields.Nested(MeetingTaskOutSchema))
    can_edit = fields.Boolean()


class MeetingPersonSchema(PersonNameSchema):
    role = fields.String()


class MeetingRulePersonSchema(Schema):
    user = fields.Nested(MeetingPersonSchema)
    meetings = fields.Integer(metadata={"description": "Meetings held or taken part in"})
    days = fields.Integer(metadata={"description": "Days with a meeting: what the rule counts"})
    required = fields.Integer(metadata={"description": "Pro-rated for one who joined this month"})
    last_held_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(RULE_STATUSES))
    due_on = fields.Date(allow_none=True)


class MeetingRuleSchema(Schema):
    month = fields.String()
    required = fields.Integer()
    setting = fields.String()
    people = fields.List(fields.Nested(MeetingRulePersonSchema))
