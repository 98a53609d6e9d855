"""Follow-up tasks: what a round found, made into work with an owner, a due date and an
outcome; their append-only history; the rules that raise them; and where to push a
supervisor's notifications.

A task's row is its current state; every change to it is a TaskEvent, never rewritten. A
phone makes tasks and events offline with ids of its own, so both sync exactly once, like
visits (docs/tasks.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import Resident, User
from server.models.types import BigIntPK, UTCDateTime, utcnow
from server.platform.extensions import db

TASK_PRIORITIES = ("routine", "soon", "urgent")
TASK_STATUSES = ("open", "in_progress", "done", "cancelled")
OPEN_TASK_STATUSES = ("open", "in_progress")
# Where a task came from: a finding of a synced visit, a person's hand, a discharge, a case
# (a plan's step, an assessment's risk, a closure's follow-up: docs/cases.md), a supervision
# meeting's decision (docs/meetings.md).
TASK_SOURCES = ("finding", "manual", "discharge", "case", "meeting")
# The findings of a visit that can raise a task, each with its rule.
TASK_FINDINGS = ("living", "emotional", "physical", "unsatisfied", "follow_up")
TASK_ASSIGNEES = ("visiting_worker", "unit_supervisor")
URGENT_UNNOTIFIED = "priority = 'urgent' AND urgent_notified_at IS NULL"
OVERDUE_UNALERTED = "overdue_alerted_at IS NULL AND status IN ('open', 'in_progress')"
TASK_EVENT_KINDS = (
    "created",
    "started",
    "reassigned",
    "rescheduled",
    "reprioritised",
    "noted",
    "closed",
    "cancelled",
    "reopened",
)


class Task(db.Model):
    """One piece of follow-up work for a resident; its state as its events leave it."""

    __tablename__ = "tasks"
    __table_args__ = (
        # A finding raises one task at most, however often its visit is resent.
        UniqueConstraint("visit_id", "finding", name="uq_tasks_visit_finding"),
        Index("ix_tasks_unit_id_status_due_on", "unit_id", "status", "due_on"),
        Index("ix_tasks_assignee_id_status_due_on", "assignee_id", "status", "due_on"),
        # What escalation has yet to raise, and only that (server/tasks/escalation.py).
        Index(
            "ix_tasks_urgent_unnotified",
            "created_at",
            sqlite_where=text(URGENT_UNNOTIFIED),
            postgresql_where=text(URGENT_UNNOTIFIED),
        ),
        Index(
            "ix_tasks_overdue_unalerted",
            "due_on",
            sqlite_where=text(OVERDUE_UNALERTED),
            postgresql_where=text(OVERDUE_UNALERTED),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id"), index=True)
    # The resident's unit when the task was made: whose supervisor sees it.
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="open")
    source: Mapped[str] = mapped_column(String(10))
    finding: Mapped[str | None] = mapped_column(String(12))
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits.id"), index=True)
    # The case whose plan, assessment or closure raised it. No foreign key, as closed_visit_id:
    # the column is added in place (SQLite rebuilds a table to add or drop a reference, and
    # the task events' references refuse the rebuild); cases are never deleted.
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # The supervision meeting whose decision raised it; no foreign key, as case_id.
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    assignee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The visit during which it was closed, if it was.
    closed_visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The roster change number of its last change: phones pull changed tasks by it.
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    # When its overdue alert, and its urgent notification, were raised (once each).
    overdue_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    urgent_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    resident: Mapped[Resident] = relationship(lazy="joined")
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id], lazy="joined")
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", order_by="TaskEvent.at, TaskEvent.id"
    )


class TaskEvent(db.Model):
    """One change to a task, as its author made it; never updated. `id` is the
    idempotency key of a phone's change, as a visit's id is."""

    __tablename__ = "task_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(14))
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # When the change was made (the phone's clock for a phone's change), and received.
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What changed: {"status", "assignee_id", "due_on", "priority", "outcome", "note"}.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    content_hash: Mapped[str] = mapped_column(String(64))

    task: Mapped[Task] = relationship(back_populates="events")
    actor: Mapped[User] = relationship(lazy="joined")


class TaskRule(db.Model):
    """How a finding raises a task: whether, how urgent, due in how many days, and whose."""

    __tablename__ = "task_rules"

    finding: Mapped[str] = mapped_column(String(12), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[str] = mapped_column(String(10))
    due_days: Mapped[int] = mapped_column(Integer)
    assign_to: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class PushSubscription(db.Model):
    """A browser's Web Push endpoint for a person (a supervisor's urgent tasks)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


__all__ = [
    "OPEN_TASK_STATUSES",
    "TASK_ASSIGNEES",
    "TASK_EVENT_KINDS",
    "TASK_FINDINGS",
    "TASK_PRIORITIES",
    "TASK_SOURCES",
    "TASK_STATUSES",
    "PushSubscription",
    "Task",
    "TaskEvent",
    "TaskRule",
]
