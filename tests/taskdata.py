"""Building tasks and task events as a phone would send them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from tests.visitdata import sync_body


def task_payload(resident: dict, **overrides) -> dict:
    task = {
        "id": str(uuid.uuid4()),
        "resident_id": resident["id"],
        "title": "给儿子打电话 Call the son",
        "details": "",
        "priority": "soon",
        "due_on": (date.today() + timedelta(days=2)).isoformat(),
        "assignee_id": None,
        "visit_id": None,
        "created_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
    }
    task.update(overrides)
    return task


def event_payload(task_id: str, kind: str, changes: dict | None = None, **overrides) -> dict:
    event = {
        "id": str(uuid.uuid4()),
        "task_id": task_id,
        "kind": kind,
        "at": datetime.now(UTC).isoformat(),
        "changes": changes or {},
        "visit_id": None,
    }
    event.update(overrides)
    return event


def task_sync(visits=(), tasks=(), events=(), cursor=None) -> dict:
    return {**sync_body(visits, cursor=cursor), "tasks": list(tasks), "task_events": list(events)}


def quiet_visit(visit: dict) -> dict:
    """The visit with no finding at all: it raises no task."""
    visit["observations"] = {**visit["observations"], "emotional": "ok"}
    visit["follow_up"] = False
    return visit


def results_by_id(answer) -> dict:
    assert answer.status_code == 200, answer.json
    return {item["id"]: item for item in answer.json["results"]}
