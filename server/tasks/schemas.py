"""Tasks and task events as a phone sends them, and as the office API takes them: unknown
fields are refused, every text and date is bounded."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.http.fields import BoundedAwareDateTime, BoundedDate
from server.models import TASK_PRIORITIES
from server.visits.schemas import TEXT_LIMIT, text

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
