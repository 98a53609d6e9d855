"""Follow-up tasks for tests, made and changed through the task services, as a phone's sync or
an office screen makes them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from server.models import Task, User
from server.people.access import Scope
from server.people.audit import Actor
from server.platform.extensions import db
from server.tasks.records import NewTask, apply_event, create_task


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).astimezone(UTC)


def actor_of(person) -> Actor:
    user = db.session.get(User, person.user.id)
    return Actor(user=user, device_id=person.device_id, scope=Scope.of(user))


def make_task(
    person,
    resident: dict,
    *,
    due_on: str,
    priority: str = "routine",
    title: str = "Call the son",
    created_at: str = "2026-11-20T09:00:00+08:00",
    assignee=None,
) -> uuid.UUID:
    """A task raised by hand, committed; its id."""
    created = at(created_at)
    task = create_task(
        actor_of(person),
        NewTask(
            resident_id=uuid.UUID(resident["id"]),
            title=title,
            due_on=date.fromisoformat(due_on),
            priority=priority,
            assignee_id=None if assignee is None else assignee.user.id,
            created_at=created,
        ),
        now=created,
    )
    db.session.commit()
    return task.id


def change_task(person, task_id: uuid.UUID, kind: str, changes: dict, when: str) -> None:
    """One event on a task, as its author made it at `when`; committed."""
    moment = at(when)
    apply_event(db.session.get(Task, task_id), kind, changes, actor_of(person), moment, now=moment)
    db.session.commit()


def close_task(person, task_id: uuid.UUID, when: str, outcome: str = "Done") -> None:
    change_task(person, task_id, "closed", {"outcome": outcome}, when)
