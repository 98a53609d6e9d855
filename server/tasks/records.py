"""Making tasks and changing them: every change is an event, and applying an event is the only
way a task's row changes (docs/tasks.md).

A task is visible to whoever sees its unit and to its assignee. Whoever sees it may act on
it; a worker hands a task only to a supervisor of its unit, a supervisor or an admin to anyone
of the unit. Every write takes a roster change number first (server/roster/changes.py), so the
phones pull the changed task under the same cursor, and the counter's lock is taken before any
task row's, as every writer takes it. Domain code flushes; the caller commits.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.sql.dml import Insert

from server.models import Resident, Task, TaskEvent, User, Visit, user_units, utcnow
from server.models.core import SUPERVISOR, WORKER
from server.people import audit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import not_yet_received
from server.platform.sqlparts import insert_or_on_conflict
from server.roster.changes import next_change_number
from server.visits.ingest import canonical_hash

_users = User.__table__
_SUPERVISORS = (
    select(user_units.c.unit_id, _users.c.id)
    .join(_users, _users.c.id == user_units.c.user_id)
    .where(
        user_units.c.unit_id.in_(bindparam("units", expanding=True)),
        _users.c.role == SUPERVISOR,
        _users.c.active.is_(True),
    )
    .order_by(_users.c.display_name, _users.c.id)
)
CLOSED = ("done", "cancelled")
# How far ahead of the server's clock a phone's time may be (its clock is a little off).
AHEAD = timedelta(minutes=10)
AUDITED = (
    "title",
    "details",
    "priority",
    "status",
    "assignee_id",
    "due_on",
    "outcome",
    "closed_at",
    "closed_by",
    "closed_visit_id",
)
# A `created` event's id follows from its task's: a task and its first event are one record.
CREATED_EVENT_NAMESPACE = uuid.UUID("6f1d1c2e-5a55-4c8e-9d37-1f0b7c3a2e10")


class TaskProblem(ApiError):
    """A task or an event the rules refuse, with the fields to fix: a 422 for the office, a
    `rejected` result for a phone."""

    def __init__(self, errors: dict, status: int = 422) -> None:
        super().__init__(status, "Some fields are not valid.", errors=errors)


class TaskTaken(ApiError):
    """Another task holds this id already (a resent copy, or a racing request's)."""

    def __init__(self) -> None:
        super().__init__(
            409, "A task with this id exists already.", errors={"id": ["Already used."]}
        )


@functools.cache
def _insert_task(dialect: str) -> Insert:
    """Built once per database kind (the ON CONFLICT form is the dialect's)."""
    return (
        insert_or_on_conflict(Task)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Task.__table__.c.id)
    )


@dataclass(frozen=True)
class NewTask:
    """What a task is made of, whoever raises it."""

    resident_id: uuid.UUID
    title: str
    due_on: date
    priority: str = "routine"
    details: str = ""
    assignee_id: uuid.UUID | None = None
    visit_id: uuid.UUID | None = None
    id: uuid.UUID | None = None
    created_at: datetime | None = None
    # The supervision meeting whose decision raised it (source `meeting`).
    meeting_id: uuid.UUID | None = None


def first_supervisors(unit_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each unit's first supervisor by name (units without one are absent)."""
    units = sorted(set(unit_ids))
    first: dict[uuid.UUID, uuid.UUID] = {}
    if units:
        for unit_id, user_id in db.session.execute(_SUPERVISORS, {"units": units}):
            first.setdefault(unit_id, user_id)
    return first


def created_event_id(task_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(CREATED_EVENT_NAMESPACE, str(task_id))


def sees(actor: audit.Actor, task: Task) -> bool:
    """Whoever sees the task's unit, and its assignee (a discharged resident's follow-up)."""
    return (
        actor.scope is None
        or actor.scope.includes(task.unit_id)
        or (task.assignee_id == actor.user_id)
    )


def _member_of(user: User | None, unit_id: uuid.UUID) -> bool:
    return (
        user is not None
        and user.active
        and user.role in (WORKER, SUPERVISOR)
        and unit_id in user.unit_ids
    )


def assignee_problem(actor: audit.Actor, unit_id: uuid.UUID, assignee_id: uuid.UUID) -> str | None:
    """Why this person may not be given a task of this unit by this actor, if they may not."""
    if assignee_id == actor.user_id and actor.user.role in (WORKER, SUPERVISOR):
        return None if _member_of(actor.user, unit_id) else "You are not a member of this unit."
    user = db.session.get(User, assignee_id)
    if not _member_of(user, unit_id):
        return "Not a worker or supervisor of the resident's unit."
    if actor.user.role == WORKER and user.role != SUPERVISOR:
        return "A worker hands a task to themself or to a supervisor of the unit."
    return None


def _not_ahead(moment: datetime, now: datetime, name: str) -> None:
    if moment > now + AHEAD:
        raise TaskProblem(
            {name: ["This time is ahead of the server's clock: check the phone's date and time."]}
        )


def task_hash(new: NewTask, source: str, finding: str | None = None) -> str:
    """The canonical content of a task as it was made: a resent copy hashes alike."""
    return canonical_hash(
        {
            "id": new.id,
            "resident_id": new.resident_id,
            "title": new.title,
            "details": new.details,
            "priority": new.priority,
            "due_on": new.due_on,
            "assignee_id": new.assignee_id,
            "visit_id": new.visit_id,
            "created_at": new.created_at,
            "source": source,
            "finding": finding,
        }
    )


def create_task(
    actor: audit.Actor,
    new: NewTask,
    *,
    source: str = "manual",
    now: datetime | None = None,
    content_hash: str | None = None,
) -> Task:
    """Make a task by hand (`manual`) or at a discharge, with its `created` event.

    The resident must be in the actor's units, the assignee (the actor when none is named)
    a person the actor may hand the unit's work to, a visit named must be stored already.
    """
    now = now or utcnow()
    resident = db.session.get(Resident, new.resident_id)
    if resident is None or (actor.scope is not None and not actor.scope.includes(resident.unit_id)):
        raise TaskProblem({"resident_id": ["No such resident in your units."]})
    if new.visit_id is not None and db.session.get(Visit, new.visit_id) is None:
        raise TaskProblem({"visit_id": [not_yet_received()]})
    created_at = new.created_at or now
    _not_ahead(created_at, now, "created_at")
    assignee_id = new.assignee_id or actor.user_id
    problem = assignee_problem(actor, resident.unit_id, assignee_id)
    if problem:
        raise TaskProblem({"assignee_id": [problem]})
    task_id = new.id or uuid.uuid4()
    digest = content_hash or task_hash(
        NewTask(**{**new.__dict__, "id": task_id, "created_at": created_at}), source
    )
    number = next_change_number()  # the number before the row, as every writer takes it
    row = {
        "id": task_id,
        "resident_id": resident.id,
        "unit_id": resident.unit_id,
        "title": new.title.strip(),
        "details": new.details or "",
        "priority": new.priority,
        "status": "open",
        "source": source,
        "finding": None,
        "visit_id": new.visit_id,
        "meeting_id": new.meeting_id,
        "assignee_id": assignee_id,
        "due_on": new.due_on,
        "created_by": actor.user_id,
        "created_at": created_at,
        "received_at": now,
        "updated_at": now,
        "change_seq": number,
    }
    # ON CONFLICT DO NOTHING: a racing request with the same task waits for the first to
    # commit, then finds the id taken, instead of failing the whole batch.
    statement = _insert_task(db.session.get_bind().dialect.name)
    if db.session.execute(statement, row).scalar() is None:
        raise TaskTaken()
    task = db.session.get(Task, task_id)
    db.session.add(
        TaskEvent(
            id=created_event_id(task.id),
            task_id=task.id,
            kind="created",
            actor_id=actor.user_id,
            device_id=actor.device_id,
            at=created_at,
            received_at=now,
            changes={"status": "open", "assignee_id": str(assignee_id)},
            visit_id=new.visit_id,
            content_hash=digest,
        )
    )
    audit.record(actor, "create", "task", task.id, None, audit.snapshot(task, AUDITED))
    db.session.flush()
    return task


def event_hash(task_id: uuid.UUID, kind: str, changes: dict, at: datetime, visit_id, event_id):
    return canonical_hash(
        {
            "id": event_id,
            "task_id": task_id,
            "kind": kind,
            "at": at,
            "changes": canonical_changes(changes),
            "visit_id": visit_id,
        }
    )


def canonical_changes(changes: dict) -> dict:
    """Changes as JSON keeps them: ids and dates as text."""
    return {
        key: str(value) if isinstance(value, uuid.UUID | date) else value
        for key, value in changes.items()
    }


def _needs(changes: dict, name: str, message: str) -> None:
    value = changes.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise TaskProblem({"changes": {name: [message]}})


def _check_event(actor: audit.Actor, task: Task, kind: str, changes: dict) -> dict:
    """The changes this kind of event takes, checked; anything else it carries is dropped."""
    if kind in ("closed", "cancelled"):
        _needs(changes, "outcome", "Say how it ended: an outcome is required to close a task.")
        return {"outcome": changes["outcome"].strip()}
    if kind == "noted":
        _needs(changes, "note", "A note needs its text.")
        return {"note": changes["note"]}
    if kind == "reopened":
        return {"note": changes["note"]} if changes.get("note") else {}
    if kind == "rescheduled":
        _needs(changes, "due_on", "Give the new due date.")
        return {"due_on": changes["due_on"]}
    if kind == "reprioritised":
        _needs(changes, "priority", "Give the new priority.")
        if actor.user is not None and actor.user.role == WORKER:
            raise TaskProblem({"kind": ["A supervisor sets a task's priority."]}, status=403)
        return {"priority": changes["priority"]}
    if kind == "reassigned":
        _needs(changes, "assignee_id", "Name the person who takes the task.")
        if actor.user is not None:
            problem = assignee_problem(actor, task.unit_id, changes["assignee_id"])
            if problem:
                raise TaskProblem({"changes": {"assignee_id": [problem]}})
        return {"assignee_id": changes["assignee_id"]}
    if kind == "started":
        return {}
    raise TaskProblem({"kind": [f"Not an event a task takes: {kind}."]})


def _apply(task: Task, kind: str, changes: dict, actor_id, at: datetime, visit_id) -> bool:
    """Change the row as the event says; False when the event changes nothing."""
    if task.status in CLOSED and kind != "reopened":
        return False
    if kind == "started":
        if task.status != "open":
            return False
        task.status = "in_progress"
    elif kind in ("closed", "cancelled"):
        task.status = "done" if kind == "closed" else "cancelled"
        task.outcome = changes["outcome"]
        task.closed_at, task.closed_by = at, actor_id
        task.closed_visit_id = visit_id if kind == "closed" else None
    elif kind == "reopened":
        if task.status not in CLOSED:
            return False
        task.status = "open"
        task.outcome = task.closed_at = task.closed_by = task.closed_visit_id = None
    elif kind == "rescheduled":
        task.due_on = changes["due_on"]
    elif kind == "reprioritised":
        task.priority = changes["priority"]
    elif kind == "reassigned":
        task.assignee_id = changes["assignee_id"]
    else:  # noted
        return False
    return True


def apply_event(
    task: Task,
    kind: str,
    changes: dict,
    actor: audit.Actor,
    at: datetime,
    visit_id: uuid.UUID | None = None,
    event_id: uuid.UUID | None = None,
    *,
    now: datetime | None = None,
    content_hash: str | None = None,
    number: int | None = None,
) -> TaskEvent:
    """Record one event and change the task as it says; the only way a task changes.

    An event on a closed task is recorded and changes nothing, unless it reopens the task; a
    second close is kept as a note, the first outcome stays. `number`, a change number the
    caller took already (a sync takes one for its whole batch), spares taking another.
    """
    now = now or utcnow()
    if not sees(actor, task):
        raise TaskProblem({"task_id": ["No such task in your units."]}, status=404)
    _not_ahead(at, now, "at")
    event_id = event_id or uuid.uuid4()
    digest = content_hash or event_hash(task.id, kind, changes, at, visit_id, event_id)
    checked = _check_event(actor, task, kind, changes)
    stored_kind = kind
    if task.status in CLOSED and kind == "closed":
        stored_kind, checked = "noted", {"note": checked["outcome"], "closed_again": True}
    # The number before the row: every writer locks the counter first (no deadlock).
    number = number if number is not None else next_change_number()
    before = audit.snapshot(task, AUDITED)
    changed = _apply(task, stored_kind, checked, actor.user_id, at, visit_id)
    event = TaskEvent(
        id=event_id,
        task_id=task.id,
        kind=stored_kind,
        actor_id=actor.user_id,
        device_id=actor.device_id,
        at=at,
        received_at=now,
        changes={**canonical_changes(checked), **({} if changed else {"applied": False})},
        visit_id=visit_id,
        content_hash=digest,
    )
    db.session.add(event)
    if changed:
        task.updated_at = now
        task.change_seq = number
        audit.record(actor, "update", "task", task.id, before, audit.snapshot(task, AUDITED))
    db.session.flush()
    return event


DISCHARGE_TITLE = "出院后跟进 Follow-up after discharge"
DISCHARGE_DAYS = 7


def open_discharge_task(
    actor: audit.Actor,
    resident: Resident,
    follow_up: dict,
    today: date,
    now: datetime | None = None,
) -> Task:
    """The follow-up a discharge opens. It stays with its assignee, in their pull and lists,
    although the resident has left the roster. Nobody named: the actor, when a member of the
    unit, else the unit's first supervisor."""
    assignee_id = follow_up.get("assignee_id")
    if assignee_id is None:
        if _member_of(actor.user, resident.unit_id):
            assignee_id = actor.user_id
        else:
            assignee_id = first_supervisors([resident.unit_id]).get(resident.unit_id)
    if assignee_id is None:
        raise TaskProblem({"follow_up": {"assignee_id": ["Name who follows up."]}})
    new = NewTask(
        resident_id=resident.id,
        title=follow_up.get("title") or DISCHARGE_TITLE,
        due_on=today + timedelta(days=follow_up.get("due_in_days", DISCHARGE_DAYS)),
        priority="soon",
        assignee_id=assignee_id,
    )
    try:
        return create_task(actor, new, source="discharge", now=now)
    except TaskProblem as problem:
        raise TaskProblem({"follow_up": problem.errors}) from problem
