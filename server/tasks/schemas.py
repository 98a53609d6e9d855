"""Tasks and task events as a phone sends them, and as the office API takes them: unknown
fields are refused, every text and date is bounded."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import BoundedAwareDateTime, BoundedDate, OfficeQuery, OneOrMany, PageQuery
from server.models import TASK_ASSIGNEES, TASK_PRIORITIES, TASK_SOURCES, TASK_STATUSES
from server.visits.schemas import TEXT_LIMIT, PersonNameSchema, text

TITLE_LIMIT = 200
# What a phone may send; an office may also change a task's priority.
PHONE_EVENT_KINDS = (
    "started",
    "noted",
    "closed",
    "cancelled",
    "rescheduled",
    "reassigned",
    "reopened",
)
EVENT_KINDS = (*PHONE_EVENT_KINDS, "reprioritised")


def title_field(**options) -> fields.String:
    return text(TITLE_LIMIT, minimum=1, **options)


class TaskInSchema(Schema):
    """A task raised by hand on a phone (`source: manual`)."""

    id = fields.UUID(required=True)
    resident_id = fields.UUID(required=True)
    title = title_field(required=True)
    details = text(TEXT_LIMIT, load_default="")
    priority = fields.String(load_default="routine", validate=validate.OneOf(TASK_PRIORITIES))
    due_on = BoundedDate(required=True)
    assignee_id = fields.UUID(load_default=None, allow_none=True)
    visit_id = fields.UUID(load_default=None, allow_none=True)
    created_at = BoundedAwareDateTime(required=True)


class EventChangesSchema(Schema):
    """What an event changes; which of these a kind needs is the domain's rule
    (server/tasks/records.py)."""

    note = text(TEXT_LIMIT)
    outcome = text(TEXT_LIMIT)
    due_on = BoundedDate()
    assignee_id = fields.UUID()
    priority = fields.String(validate=validate.OneOf(TASK_PRIORITIES))


class TaskEventInSchema(Schema):
    """A change to a task made on a phone; its id is the idempotency key."""

    id = fields.UUID(required=True)
    task_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(PHONE_EVENT_KINDS))
    at = BoundedAwareDateTime(required=True)
    changes = fields.Nested(EventChangesSchema, load_default=dict)
    visit_id = fields.UUID(load_default=None, allow_none=True)


# --- the office API ----------------------------------------------------------------------


class TaskCreateSchema(TaskInSchema):
    """A task as the office makes it: the id and the time are the server's when not given."""

    id = fields.UUID(load_default=None)
    created_at = BoundedAwareDateTime(load_default=None)


class TaskEventCreateSchema(Schema):
    """A change to a task from the office; the task is the one in the path."""

    id = fields.UUID(load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    at = BoundedAwareDateTime(load_default=None)
    changes = fields.Nested(EventChangesSchema, load_default=dict)
    visit_id = fields.UUID(load_default=None, allow_none=True)


class TaskListQuery(OfficeQuery, PageQuery):
    unit_id = OneOrMany(fields.UUID(), load_default=list, validate=validate.Length(max=200))
    assignee_id = fields.UUID()
    resident_id = fields.UUID()
    status = OneOrMany(
        fields.String(validate=validate.OneOf(TASK_STATUSES)),
        load_default=list,
        validate=validate.Length(max=len(TASK_STATUSES)),
    )
    priority = fields.String(validate=validate.OneOf(TASK_PRIORITIES))
    due = fields.String(validate=validate.OneOf(("overdue", "today", "week")))
    source = fields.String(validate=validate.OneOf(TASK_SOURCES))
    sort = fields.String(
        load_default="due", validate=validate.OneOf(("due", "-due", "priority", "created"))
    )


class TaskRuleInSchema(Schema):
    enabled = fields.Boolean(required=True)
    priority = fields.String(required=True, validate=validate.OneOf(TASK_PRIORITIES))
    due_days = fields.Integer(required=True, validate=validate.Range(min=0, max=90))
    assign_to = fields.String(required=True, validate=validate.OneOf(TASK_ASSIGNEES))


class TaskRuleSchema(TaskRuleInSchema):
    finding = fields.String()
    updated_at = fields.AwareDateTime(allow_none=True)
    updated_by = fields.UUID(allow_none=True)


class TaskOutSchema(Schema):
    """A task as the office lists it (and the phone keeps it, but for the last three)."""

    id = fields.UUID()
    resident_id = fields.UUID()
    resident_name = fields.String()
    unit_id = fields.UUID()
    title = fields.String()
    details = fields.String()
    priority = fields.String(validate=validate.OneOf(TASK_PRIORITIES))
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    source = fields.String(validate=validate.OneOf(TASK_SOURCES))
    finding = fields.String(allow_none=True)
    visit_id = fields.UUID(allow_none=True)
    assignee = fields.Nested(PersonNameSchema)
    due_on = fields.Date()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    overdue = fields.Boolean()
    closed_at = fields.AwareDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)


class TaskEventOutSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    actor = fields.Nested(PersonNameSchema)
    at = fields.AwareDateTime()
    received_at = fields.AwareDateTime()
    changes = fields.Dict()
    visit_id = fields.UUID(allow_none=True)


class TaskDetailSchema(TaskOutSchema):
    events = fields.List(fields.Nested(TaskEventOutSchema))


class AssigneeCountSchema(Schema):
    assignee = fields.Nested(PersonNameSchema)
    open = fields.Integer()
    overdue = fields.Integer()


class TaskCountsSchema(Schema):
    open = fields.Integer()
    overdue = fields.Integer()
    due_this_week = fields.Integer()
    by_assignee = fields.List(fields.Nested(AssigneeCountSchema))


class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskOutSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    counts = fields.Nested(TaskCountsSchema)
