"""Tasks raised from the findings of visits a sync has just created, by the rules.

A finding raises one task at most: its id is uuid5(visit id, finding), and (visit_id, finding)
is unique, so a resent visit raises nothing new; only a visit *created* by this transaction
raises anything. The batch is raised with one read of the rules, one of the units'
supervisors when a rule wants them, one change number and two inserts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from server.models import Task, TaskEvent, utcnow
from server.platform.extensions import db
from server.roster.changes import next_change_number
from server.tasks.records import created_event_id, first_supervisors
from server.tasks.rules import enabled_rules
from server.visits.ingest import _insert_ignoring_duplicates, canonical_hash

TASK_NAMESPACE = uuid.UUID("0b8f4c64-1d6e-4b61-a0a6-3c4e9f2d7a51")
# What a raised task is called: the finding's name, in both languages the staff use.
TITLES = {
    "living": "生活状况需关注 Living conditions: concern",
    "emotional": "情绪状况需关注 Emotional state: concern",
    "physical": "身体状况需关注 Physical condition: concern",
    "unsatisfied": "老人不满意 Resident unsatisfied",
    "follow_up": "需要跟进 Follow-up asked for",
}


def task_id_for(visit_id: uuid.UUID, finding: str) -> uuid.UUID:
    return uuid.uuid5(TASK_NAMESPACE, f"{visit_id}:{finding}")


def findings_of(visit: dict) -> list[str]:
    """The findings of a visit that can raise a task, in the rules' order."""
    found = [
        name for name in ("living", "emotional", "physical") if visit[f"obs_{name}"] == "concern"
    ]
    if visit["satisfaction"] == "unsatisfied":
        found.append("unsatisfied")
    if visit["follow_up"]:
        found.append("follow_up")
    return found


def raise_from_visits(
    visit_rows: Iterable[dict], *, device_id: uuid.UUID | None = None, now: datetime | None = None
) -> list[uuid.UUID]:
    """Raise the tasks of these newly created visits' findings; answer the new tasks' ids.

    Only the transaction that created a visit raises its tasks, so their ids are new: a
    visit resent, even by a racing request, is a duplicate and raises nothing.

    `visit_rows` are the visits as stored (server/visits/ingest.py's rows: `obs_living`,
    `follow_up`, `worker_id`, `visit_date`…)."""
    raised = [(visit, finding) for visit in visit_rows for finding in findings_of(visit)]
    if not raised:
        return []
    rules = enabled_rules()
    raised = [(visit, finding) for visit, finding in raised if finding in rules]
    if not raised:
        return []
    now = now or utcnow()
    wanting = {visit["unit_id"] for visit, f in raised if rules[f].assign_to == "unit_supervisor"}
    supervisors = first_supervisors(wanting)
    number = next_change_number()
    tasks, events = [], []
    for visit, finding in raised:
        rule = rules[finding]
        assignee = visit["worker_id"]
        if rule.assign_to == "unit_supervisor":
            assignee = supervisors.get(visit["unit_id"], assignee)
        task = _task_row(visit, finding, rule, assignee, now, number)
        tasks.append(task)
        events.append(_created_row(task, device_id))
    tasks.sort(key=lambda row: row["id"])
    events.sort(key=lambda row: row["id"])
    _insert_new(Task, tasks)
    _insert_new(TaskEvent, events)
    return [task["id"] for task in tasks]


def _insert_new(model, rows: list[dict]) -> None:
    """Rows whose ids no other transaction can hold (their visits are new in this one).

    On PostgreSQL as one JSON parameter, as visits go; on SQLite one plain executemany, which
    without RETURNING takes the driver's fast path."""
    if db.session.get_bind().dialect.name == "postgresql":
        _insert_ignoring_duplicates(model, rows)
        return
    db.session.execute(model.__table__.insert(), rows)


def _task_row(visit: dict, finding: str, rule, assignee, now: datetime, number: int) -> dict:
    details = visit["feedback"] if finding == "unsatisfied" else visit["obs_notes"]
    return {
        "id": task_id_for(visit["id"], finding),
        "resident_id": visit["resident_id"],
        "unit_id": visit["unit_id"],
        "title": TITLES[finding],
        "details": details or "",
        "priority": rule.priority,
        "status": "open",
        "source": "finding",
        "finding": finding,
        "visit_id": visit["id"],
        "assignee_id": assignee,
        "due_on": visit["visit_date"] + timedelta(days=rule.due_days),
        "outcome": None,
        "created_by": visit["worker_id"],
        "created_at": visit["checked_in_at"],
        "received_at": now,
        "updated_at": now,
        "closed_at": None,
        "closed_by": None,
        "closed_visit_id": None,
        "change_seq": number,
        "overdue_alerted_at": None,
        "urgent_notified_at": None,
    }


def _created_row(task: dict, device_id: uuid.UUID | None) -> dict:
    return {
        "id": created_event_id(task["id"]),
        "task_id": task["id"],
        "kind": "created",
        "actor_id": task["created_by"],
        "device_id": device_id,
        "at": task["created_at"],
        "received_at": task["received_at"],
        "changes": {"status": "open", "assignee_id": str(task["assignee_id"])},
        "visit_id": task["visit_id"],
        "content_hash": canonical_hash(
            {"id": task["id"], "finding": task["finding"], "visit_id": task["visit_id"]}
        ),
    }
