"""Tasks and task events from phones: exactly once, item by item, as visits are.

A task's or an event's id is its idempotency key: the same id with the same content hash is a
`duplicate`, with other content a `conflict` kept in sync_conflicts (kind `task` or
`task_event`), a record the rules refuse is `rejected` and logged in sync_rejections. A task's
content hash is kept on its `created` event. Tasks come before events, so one batch may make a
task and change it; an event whose task the server does not hold yet is rejected, and the
phone sends it again.
"""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import bindparam, select

from server.models import Task, TaskEvent
from server.people.audit import Actor
from server.platform.extensions import db
from server.platform.field_codes import not_yet_received
from server.roster.changes import next_change_number
from server.tasks.raising import raise_from_visits
from server.tasks.records import (
    NewTask,
    TaskProblem,
    TaskTaken,
    apply_event,
    create_task,
    created_event_id,
)
from server.tasks.schemas import TaskEventInSchema, TaskInSchema
from server.visits.ingest import (
    ItemResult,
    SyncContext,
    _record_id,
    _reject,
    _same_or_conflict,
    _unprocessable,
    canonical_hash,
)

task_in_schema = TaskInSchema()
event_in_schema = TaskEventInSchema()
_events = TaskEvent.__table__
_STORED_EVENT_HASHES = select(_events.c.id, _events.c.content_hash).where(
    _events.c.id.in_(bindparam("ids", expanding=True))
)


def raise_from_created(created_visits: list[dict], ctx: SyncContext) -> None:
    """The tasks the findings of the visits this sync created raise (none for duplicates)."""
    if created_visits:
        raise_from_visits(created_visits, device_id=ctx.device_id, now=ctx.now)


def _actor(ctx: SyncContext) -> Actor:
    return Actor(user=ctx.user, device_id=ctx.device_id, scope=ctx.scope)


def _held_hashes(ids) -> dict:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {
        row.id: row.content_hash for row in db.session.execute(_STORED_EVENT_HASHES, {"ids": ids})
    }


def ingest_tasks(raw_tasks: list, raw_events: list, ctx: SyncContext) -> list[ItemResult]:
    """One result per task, then one per event, in the order sent."""
    if not raw_tasks and not raw_events:
        return []
    actor = _actor(ctx)
    results = [
        _judged(raw, "task", lambda raw: _ingest_task(raw, actor, ctx), ctx) for raw in raw_tasks
    ]
    number: list[int] = []  # one change number for the batch's events, taken at the first

    def take_number() -> int:
        if not number:
            number.append(next_change_number())
        return number[0]

    results += [
        _judged(raw, "task_event", lambda raw: _ingest_event(raw, actor, ctx, take_number), ctx)
        for raw in raw_events
    ]
    return results


def _judged(raw, kind: str, judge, ctx: SyncContext) -> ItemResult:
    """The item's result; any failure judging it is its rejection alone, never the batch's."""
    try:
        return judge(raw)
    except ValidationError as error:
        schema = task_in_schema if kind == "task" else event_in_schema
        return _reject(ctx, _record_id(raw), kind, error.messages, schema=schema, raw=raw)
    except TaskProblem as problem:
        return _reject(ctx, _record_id(raw), kind, problem.errors)
    except Exception:
        record_id = _record_id(raw)
        return _reject(ctx, record_id, kind, _unprocessable(record_id, kind))


def _ingest_task(raw, actor: Actor, ctx: SyncContext) -> ItemResult:
    data = task_in_schema.load(raw if isinstance(raw, dict) else {})
    digest = canonical_hash(data)
    held = _held_hashes([created_event_id(data["id"])])
    if held or db.session.get(Task, data["id"]) is not None:
        earlier = next(iter(held.values()), None)
        return _same_or_conflict(data["id"], digest, earlier, raw, "task", ctx)
    try:
        create_task(actor, NewTask(**data), source="manual", now=ctx.now, content_hash=digest)
    except TaskTaken:  # a concurrent request stored the same id first
        earlier = _held_hashes([created_event_id(data["id"])]).get(created_event_id(data["id"]))
        return _same_or_conflict(data["id"], digest, earlier, raw, "task", ctx)
    return ItemResult(str(data["id"]), "task", "created")


def _ingest_event(raw, actor: Actor, ctx: SyncContext, take_number) -> ItemResult:
    data = event_in_schema.load(raw if isinstance(raw, dict) else {})
    digest = canonical_hash(data)
    held = _held_hashes([data["id"]])
    if held:
        return _same_or_conflict(data["id"], digest, held[data["id"]], raw, "task_event", ctx)
    task = db.session.get(Task, data["task_id"])
    if task is None:
        raise TaskProblem({"task_id": [not_yet_received()]})
    apply_event(
        task,
        data["kind"],
        data["changes"],
        actor,
        data["at"],
        data["visit_id"],
        data["id"],
        now=ctx.now,
        content_hash=digest,
        number=take_number(),
    )
    return ItemResult(str(data["id"]), "task_event", "created")
