"""Reading tasks: the phone's copy (its pull), the office's lists with their counts, and one
task with its history.

A person sees the tasks of their units and the tasks assigned to them (a discharged
resident's follow-up stays with its assignee although the resident left the roster).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, and_, bindparam, case, func, or_, select

from server.models import OPEN_TASK_STATUSES, Resident, Task, TaskEvent, User
from server.people.access import Scope
from server.platform.errors import NotFound
from server.platform.extensions import db
from server.platform.sqlparts import uuid_text

_tasks, _residents, _users = Task.__table__, Resident.__table__, User.__table__

# Ids come as text, as the answer writes them: a pull of hundreds of tasks would otherwise make
# and unmake a UUID object for each.
ENTRY_COLUMNS = (
    uuid_text(_tasks.c.id).label("id"),
    uuid_text(_tasks.c.resident_id).label("resident_id"),
    _residents.c.name.label("resident_name"),
    uuid_text(_tasks.c.unit_id).label("unit_id"),
    _tasks.c.title,
    _tasks.c.details,
    _tasks.c.priority,
    _tasks.c.status,
    _tasks.c.source,
    _tasks.c.finding,
    uuid_text(_tasks.c.visit_id).label("visit_id"),
    uuid_text(_tasks.c.assignee_id).label("assignee_id"),
    _users.c.display_name.label("assignee_name"),
    _tasks.c.due_on,
    _tasks.c.created_at,
    _tasks.c.updated_at,
    _tasks.c.closed_at,
    _tasks.c.outcome,
    _tasks.c.change_seq,
)
_ENTRY_FROM = _tasks.join(_residents, _residents.c.id == _tasks.c.resident_id).join(
    _users, _users.c.id == _tasks.c.assignee_id
)
PRIORITY_ORDER = {"urgent": 0, "soon": 1, "routine": 2}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def task_entry(row) -> dict:
    """A task as the phone keeps it (docs/tasks.md, "A task entry")."""
    return {
        "id": row.id,
        "resident_id": row.resident_id,
        "resident_name": row.resident_name,
        "unit_id": row.unit_id,
        "title": row.title,
        "details": row.details,
        "priority": row.priority,
        "status": row.status,
        "source": row.source,
        "finding": row.finding,
        "visit_id": row.visit_id,
        "assignee": {"id": row.assignee_id, "display_name": row.assignee_name},
        "due_on": row.due_on.isoformat(),
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def office_entry(row, today: date) -> dict:
    """A task as the office lists it: the phone's entry, whether it is late, how it ended."""
    return {
        **task_entry(row),
        "overdue": row.status in OPEN_TASK_STATUSES and row.due_on < today,
        "closed_at": _iso(row.closed_at),
        "outcome": row.outcome,
    }


def _visible(everyone: bool):
    """Tasks of the bound `units`, and those assigned to the bound `me`."""
    if everyone:
        return True
    return or_(
        _tasks.c.unit_id.in_(bindparam("units", expanding=True)),
        _tasks.c.assignee_id == bindparam("me"),
    )


@functools.cache
def _changed_tasks(everyone: bool, reset: bool, bounded: bool) -> Select:
    query = (
        select(*ENTRY_COLUMNS)
        .select_from(_ENTRY_FROM)
        .where(_tasks.c.change_seq > bindparam("seq"), _visible(everyone))
        .order_by(_tasks.c.change_seq, _tasks.c.id)
    )
    if bounded:
        query = query.where(_tasks.c.change_seq <= bindparam("up_to"))
    if reset:
        query = query.where(_tasks.c.status.in_(OPEN_TASK_STATUSES))
    return query


def changed_tasks(
    unit_ids: set[uuid.UUID] | None,
    user_id: uuid.UUID | None,
    since: int,
    up_to: int | None,
    reset: bool,
) -> tuple[list[dict], list[str]]:
    """The pull's part: open tasks changed after `since` (to `up_to`, when a page of residents
    stops there) in the person's sight, and the ids of those closed or cancelled since. A reset
    sends every open task and no removals."""
    everyone = unit_ids is None
    params: dict = {"seq": since}
    if not everyone:
        params.update(units=sorted(unit_ids), me=user_id)
    if up_to is not None:
        params["up_to"] = up_to
    rows = db.session.execute(_changed_tasks(everyone, reset, up_to is not None), params)
    entries, removed = [], []
    for row in rows:
        if row.status in OPEN_TASK_STATUSES:
            entries.append(task_entry(row))
        else:
            removed.append(str(row.id))
    return entries, removed


# --- the office -------------------------------------------------------------------------


@dataclass
class TaskFilter:
    """What the office list asks for (docs/tasks.md, GET /api/v1/tasks)."""

    unit_ids: list[uuid.UUID] = field(default_factory=list)
    assignee_id: uuid.UUID | None = None
    resident_id: uuid.UUID | None = None
    statuses: list[str] = field(default_factory=list)
    priority: str | None = None
    due: str | None = None
    source: str | None = None
    sort: str = "due"


def visible_to(scope: Scope, user_id: uuid.UUID | None):
    """The condition of the tasks a person sees."""
    if scope.everything:
        return True
    return or_(Task.unit_id.in_(sorted(scope.unit_ids)), Task.assignee_id == user_id)


def _filtered(query: Select, wanted: TaskFilter, today: date, with_status: bool = True) -> Select:
    if wanted.unit_ids:
        query = query.where(_tasks.c.unit_id.in_(wanted.unit_ids))
    if wanted.assignee_id is not None:
        query = query.where(_tasks.c.assignee_id == wanted.assignee_id)
    if wanted.resident_id is not None:
        query = query.where(_tasks.c.resident_id == wanted.resident_id)
    if wanted.priority is not None:
        query = query.where(_tasks.c.priority == wanted.priority)
    if wanted.source is not None:
        query = query.where(_tasks.c.source == wanted.source)
    if not with_status:
        return query
    if wanted.statuses:
        query = query.where(_tasks.c.status.in_(wanted.statuses))
    if wanted.due == "overdue":
        query = query.where(_tasks.c.status.in_(OPEN_TASK_STATUSES), _tasks.c.due_on < today)
    elif wanted.due == "today":
        query = query.where(_tasks.c.due_on == today)
    elif wanted.due == "week":
        query = query.where(_tasks.c.due_on >= today, _tasks.c.due_on <= today + timedelta(days=6))
    return query


def _ordered(query: Select, sort: str) -> Select:
    if sort == "-due":
        return query.order_by(_tasks.c.due_on.desc(), _tasks.c.id)
    if sort == "created":
        return query.order_by(_tasks.c.created_at.desc(), _tasks.c.id)
    if sort == "priority":
        rank = case(PRIORITY_ORDER, value=_tasks.c.priority, else_=3)
        return query.order_by(rank, _tasks.c.due_on, _tasks.c.id)
    return query.order_by(_tasks.c.due_on, _tasks.c.id)


def list_tasks(
    scope: Scope, user_id, wanted: TaskFilter, today: date, page: int, per_page: int
) -> dict:
    """One page of the tasks a person sees, filtered, with the counts of the open ones."""
    seen = visible_to(scope, user_id)
    base = select(*ENTRY_COLUMNS).select_from(_ENTRY_FROM).where(seen)
    query = _ordered(_filtered(base, wanted, today), wanted.sort)
    total = db.session.scalar(
        _filtered(select(func.count()).select_from(_tasks).where(seen), wanted, today)
    )
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    return {
        "items": [office_entry(row, today) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total or 0,
        "counts": open_counts(seen, wanted, today),
    }


def open_counts(seen, wanted: TaskFilter, today: date) -> dict:
    """Open tasks under the same filters (but status and due): how many, how many late, how
    many due within the week, and by assignee."""
    overdue = func.sum(case((_tasks.c.due_on < today, 1), else_=0))
    this_week = func.sum(
        case(
            (and_(_tasks.c.due_on >= today, _tasks.c.due_on <= today + timedelta(days=6)), 1),
            else_=0,
        )
    )
    query = (
        select(_tasks.c.assignee_id, _users.c.display_name, func.count(), overdue, this_week)
        .select_from(_tasks.join(_users, _users.c.id == _tasks.c.assignee_id))
        .where(seen, _tasks.c.status.in_(OPEN_TASK_STATUSES))
        .group_by(_tasks.c.assignee_id, _users.c.display_name)
        .order_by(_users.c.display_name, _tasks.c.assignee_id)
    )
    rows = db.session.execute(_filtered(query, wanted, today, with_status=False)).all()
    return {
        "open": sum(row[2] for row in rows),
        "overdue": sum(int(row[3] or 0) for row in rows),
        "due_this_week": sum(int(row[4] or 0) for row in rows),
        "by_assignee": [
            {
                "assignee": {"id": str(row[0]), "display_name": row[1]},
                "open": row[2],
                "overdue": int(row[3] or 0),
            }
            for row in rows
        ],
    }


def task_in_sight(scope: Scope, user_id, task_id: uuid.UUID) -> Task:
    """The task, or 404 when there is none or the person may not see it."""
    task = db.session.get(Task, task_id)
    if task is None or not (scope.includes(task.unit_id) or task.assignee_id == user_id):
        raise NotFound("task")
    return task


def task_detail(task: Task, today: date) -> dict:
    """One task with its history, events in the order they happened."""
    row = db.session.execute(
        select(*ENTRY_COLUMNS).select_from(_ENTRY_FROM).where(_tasks.c.id == task.id)
    ).one()
    events = db.session.scalars(
        select(TaskEvent)
        .where(TaskEvent.task_id == task.id)
        .order_by(TaskEvent.at, TaskEvent.received_at, TaskEvent.id)
    )
    return {
        **office_entry(row, today),
        "events": [
            {
                "id": str(event.id),
                "kind": event.kind,
                "actor": {"id": str(event.actor_id), "display_name": event.actor.display_name},
                "at": event.at.isoformat(),
                "received_at": event.received_at.isoformat(),
                "changes": event.changes,
                "visit_id": str(event.visit_id) if event.visit_id else None,
            }
            for event in events
        ],
    }
