"""The follow-up tasks a case's records raise: a plan's steps, an assessment's risk flags
(urgent, which escalation notifies the unit's supervisors of) and a closure's follow-up.

Each task's id follows from its record and what raised it (uuid5), so a resent record, or a
new plan version keeping a step's id, never raises it twice (docs/cases.md). The tasks are
made as server/tasks/records.py makes them — a row and its `created` event — with the case's
id kept on the task, and assigned within the case's unit without the hand-over rules a person
handing a task is held to: the plan names them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from server.models import Case, CaseRecord, Task, TaskEvent
from server.people import audit
from server.platform.extensions import db
from server.tasks.records import AUDITED, NewTask, _insert_task, created_event_id, task_hash

RISK_TITLES = {
    "self_harm": "风险 自伤 · Risk: self-harm",
    "abuse": "风险 虐待 · Risk: abuse",
    "fall": "风险 跌倒 · Risk: fall",
    "isolation": "风险 孤立 · Risk: isolation",
}
RISK_DUE_DAYS = 1


def task_id_for(record_id: uuid.UUID, key: str) -> uuid.UUID:
    """A step's, a flag's or a follow-up's task: the same id however often it is raised."""
    return uuid.uuid5(record_id, key)


def _earlier_steps(records: list[CaseRecord]) -> set[str]:
    return {step["id"] for plan in records if plan.kind == "plan" for step in plan.body["steps"]}


def _make(actor: audit.Actor, case: Case, new: NewTask, now: datetime, number: int) -> None:
    """One task of the case, with its `created` event; nothing when it exists already."""
    row = {
        "id": new.id,
        "resident_id": case.resident_id,
        "unit_id": case.unit_id,
        "title": new.title[:200],
        "details": new.details,
        "priority": new.priority,
        "status": "open",
        "source": "case",
        "finding": None,
        "visit_id": None,
        "case_id": case.id,
        "assignee_id": new.assignee_id,
        "due_on": new.due_on,
        "created_by": actor.user_id or case.worker_id,
        "created_at": new.created_at,
        "received_at": now,
        "updated_at": now,
        "change_seq": number,
    }
    statement = _insert_task(db.session.get_bind().dialect.name)
    if db.session.execute(statement, row).scalar() is None:
        return
    db.session.add(
        TaskEvent(
            id=created_event_id(new.id),
            task_id=new.id,
            kind="created",
            actor_id=row["created_by"],
            device_id=actor.device_id,
            at=new.created_at,
            received_at=now,
            changes={"status": "open", "assignee_id": str(new.assignee_id)},
            content_hash=task_hash(new, "case"),
        )
    )
    task = db.session.get(Task, new.id)
    audit.record(actor, "create", "task", task.id, None, audit.snapshot(task, AUDITED))


def _wanted(case: Case, record: CaseRecord, earlier: list[CaseRecord]) -> list[NewTask]:
    """The tasks this record asks for."""
    body, at = record.body, record.at
    common = {"resident_id": case.resident_id, "created_at": at}
    if record.kind == "plan":
        kept = _earlier_steps(earlier)
        goals = {goal["id"]: goal["text"] for goal in body["goals"]}
        return [
            NewTask(
                **common,
                id=task_id_for(record.id, step["id"]),
                title=step["title"],
                details=goals.get(step["goal_id"], ""),
                due_on=date.fromisoformat(step["due_on"]),
                assignee_id=uuid.UUID(step["assignee_id"])
                if step["assignee_id"]
                else case.worker_id,
            )
            for step in body["steps"]
            if step["id"] not in kept
        ]
    if record.kind == "assessment":
        return [
            NewTask(
                **common,
                id=task_id_for(record.id, flag),
                title=RISK_TITLES[flag],
                details=body["summary"],
                priority="urgent",
                due_on=at.date() + timedelta(days=RISK_DUE_DAYS),
                assignee_id=case.worker_id,
            )
            for flag in dict.fromkeys(body["risks"])
        ]
    if record.kind == "closure" and body.get("follow_up"):
        follow_up = body["follow_up"]
        return [
            NewTask(
                **common,
                id=task_id_for(record.id, "follow_up"),
                title=follow_up["title"],
                details=body["summary"],
                priority="soon",
                due_on=at.date() + timedelta(days=follow_up["due_in_days"]),
                assignee_id=uuid.UUID(follow_up["assignee_id"])
                if follow_up["assignee_id"]
                else case.worker_id,
            )
        ]
    return []


def raise_for(
    actor: audit.Actor,
    case: Case,
    record: CaseRecord,
    earlier: list[CaseRecord],
    *,
    now: datetime,
    number: int,
) -> None:
    """Make the tasks a new record raises, under the change number its case took."""
    for new in _wanted(case, record, earlier):
        _make(actor, case, new, now, number)
