"""Escalation: a follow-up task that slips past its due date, or that is urgent, reaches the
supervisors of its unit as an alert in their inbox, once.

An `overdue` alert (key `overdue:<task id>`) opens for an open task whose due date has passed
in the institution's time zone; an `urgent` alert (`urgent:<task id>`) as soon as an urgent
task exists. `Task.overdue_alerted_at` and `Task.urgent_notified_at` say that each was raised,
so a refresh finds only what is new. Both resolve when the task closes or is cancelled; the
overdue one also when the task is rescheduled into the future (its mark is then cleared, so a
task that falls late again, or is reopened late, raises it again), the urgent one when the task
is no longer urgent.

The refresh job (server/jobs/schedule.py) runs all of it every quarter hour; the frequent
`urgent` job runs only `raise_urgent`, so an urgent task reaches a supervisor within minutes.
Functions here flush; the job commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import literal_column, select

from server.alerts.raised import raise_alerts, resolve_alerts
from server.models import Alert, Task
from server.models.tasks import OPEN_TASK_STATUSES
from server.platform.clock import today_in
from server.platform.extensions import db

OVERDUE, URGENT = "overdue", "urgent"
TASK_ALERT_KINDS = (OVERDUE, URGENT)
# Written out, not bound: only then do the planners (SQLite's above all) see that a query
# wants what the partial indexes of tasks still waiting for an alert hold (models/tasks.py).
IS_OPEN = Task.status.in_([literal_column(f"'{status}'") for status in OPEN_TASK_STATUSES])
IS_URGENT = Task.priority == literal_column(f"'{URGENT}'")
# Tasks taken per query: a refresh after a long stop still raises them all, a batch at a time.
BATCH = 500


@dataclass(frozen=True)
class UrgentNotice:
    """What a supervisor's browser is told of a new urgent task (server/tasks/push.py)."""

    task_id: uuid.UUID
    unit_id: uuid.UUID
    title: str
    resident_name: str


def task_alert_key(kind: str, task_id: uuid.UUID) -> str:
    return f"{kind}:{task_id}"


def _alert_of(kind: str, task: Task, today: date | None = None) -> dict:
    detail = {
        "task_id": str(task.id),
        "title": task.title,
        "priority": task.priority,
        "due_on": task.due_on.isoformat(),
        "assignee_id": str(task.assignee_id),
        "assignee_name": task.assignee.display_name,
    }
    if today is not None:
        detail["days_overdue"] = (today - task.due_on).days
    return {
        "key": task_alert_key(kind, task.id),
        "kind": kind,
        "resident_id": task.resident_id,
        "unit_id": task.unit_id,
        "detail": detail,
    }


def _batches(query):
    """The rows of a query that stop matching once handled, BATCH at a time."""
    while True:
        rows = db.session.scalars(query.limit(BATCH)).unique().all()
        if not rows:
            return
        yield rows
        if len(rows) < BATCH:
            return


def raise_overdue(today: date, now: datetime) -> int:
    """Open the overdue alert of each open task due before today that has none yet."""
    raised = 0
    query = (
        select(Task)
        .where(Task.overdue_alerted_at.is_(None), IS_OPEN, Task.due_on < today)
        .order_by(Task.due_on, Task.id)
    )
    for tasks in _batches(query):
        raise_alerts([_alert_of(OVERDUE, task, today) for task in tasks], now, with_detail=True)
        for task in tasks:
            task.overdue_alerted_at = now
        db.session.flush()
        raised += len(tasks)
    return raised


def raise_urgent(now: datetime) -> list[UrgentNotice]:
    """Open the urgent alert of each open urgent task not yet notified; what to push."""
    notices: list[UrgentNotice] = []
    query = (
        select(Task)
        .where(IS_URGENT, Task.urgent_notified_at.is_(None), IS_OPEN)
        .order_by(Task.created_at, Task.id)
    )
    for tasks in _batches(query):
        raise_alerts([_alert_of(URGENT, task) for task in tasks], now, with_detail=True)
        for task in tasks:
            task.urgent_notified_at = now
            notices.append(UrgentNotice(task.id, task.unit_id, task.title, task.resident.name))
        db.session.flush()
    return notices


def _ended(kind: str, task: Task | None, today: date) -> bool:
    """Whether the cause of an open task alert is gone."""
    if task is None or task.status not in OPEN_TASK_STATUSES:
        return True
    if kind == OVERDUE:
        return task.due_on >= today
    return task.priority != URGENT


def resolve_ended(today: date, now: datetime) -> int:
    """Resolve the open task alerts whose task closed, was cancelled, rescheduled into the
    future or made less urgent. A task rescheduled may fall overdue again: its mark is
    cleared so the next refresh raises the alert anew."""
    open_alerts = db.session.execute(
        select(Alert.key, Alert.kind).where(
            Alert.kind.in_(TASK_ALERT_KINDS), Alert.resolved_at.is_(None)
        )
    ).all()
    ended: list[str] = []
    for offset in range(0, len(open_alerts), BATCH):
        chunk = open_alerts[offset : offset + BATCH]
        ids = [uuid.UUID(key.split(":", 1)[1]) for key, _ in chunk]
        tasks = {
            task.id: task
            for task in db.session.scalars(select(Task).where(Task.id.in_(ids))).unique()
        }
        for (key, kind), task_id in zip(chunk, ids, strict=True):
            task = tasks.get(task_id)
            if _ended(kind, task, today):
                ended.append(key)
                if kind == OVERDUE and task is not None:
                    task.overdue_alerted_at = None
    return resolve_alerts(ended, now)


def escalate(now: datetime) -> tuple[dict, list[UrgentNotice]]:
    """The refresh job's step: resolve what ended, then raise what is new. Returns the
    counts for the job's record and the urgent tasks to push."""
    today = today_in(current_app.config["TIMEZONE"], now)
    resolved = resolve_ended(today, now)
    overdue = raise_overdue(today, now)
    notices = raise_urgent(now)
    return {"overdue": overdue, "urgent": len(notices), "resolved": resolved}, notices
