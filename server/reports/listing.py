"""A visit as the report lists show it: its current content (amendments applied), what it
flagged, whether its follow-up was handled, and the follow-up tasks it raised with where each
stands. Follow-ups and unsatisfied visits list alike.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select

from server.models import FollowUpHandled, Task, Visit
from server.platform.extensions import db
from server.reports.scope import short_id, unit_names
from server.visits.read import current_content

CONCERNS = ("living", "emotional", "physical")


def concerns_of(content: dict) -> list[str]:
    flags = [name for name in CONCERNS if content["observations"][name] == "concern"]
    return flags + (["follow_up"] if content["follow_up"] else [])


def visit_row(visit: Visit, handled: FollowUpHandled | None, units: dict) -> dict:
    """A visit as report tables list it: amendments applied, with its follow-up state."""
    content = current_content(visit)
    return {
        "visit_id": visit.id,
        "number": short_id(visit.id),
        "visit_date": visit.visit_date,
        "checked_in_at": visit.checked_in_at,
        "kind": visit.kind,
        "unit": {"id": visit.unit_id, "name": units.get(visit.unit_id, "")},
        "resident": {
            "id": visit.resident.id,
            "name": visit.resident.name,
            "room": visit.resident.room,
        },
        "worker": {"id": visit.worker.id, "display_name": visit.worker.display_name},
        **content,
        "concerns": concerns_of(content),
        "satisfaction": visit.satisfaction,
        "amended": bool(visit.amendments),
        "voided": visit.voided_at is not None,
        "handled": None
        if handled is None
        else {
            "at": handled.handled_at,
            "note": handled.note,
            "by": {"id": handled.handler.id, "display_name": handled.handler.display_name},
        },
    }


def rows_of(ids: list[uuid.UUID]) -> list[dict]:
    """The visits of a page, in the order given, loaded by id (after the index found them)."""
    found = {
        visit.id: (visit, handled)
        for visit, handled in db.session.execute(
            select(Visit, FollowUpHandled)
            .where(Visit.id.in_(ids))
            .outerjoin(FollowUpHandled, FollowUpHandled.visit_id == Visit.id)
        ).unique()
    }
    units_of = unit_names(visit.unit_id for visit, _ in found.values())
    return with_tasks([visit_row(*found[visit_id], units=units_of) for visit_id in ids])


def with_tasks(rows: list[dict]) -> list[dict]:
    """Each visit row with the follow-up tasks its visit raised, and where each stands: the
    follow-ups list is a view of the work they became."""
    ids = [row["visit_id"] for row in rows]
    tasks = defaultdict(list)
    if ids:
        for task in db.session.execute(
            select(
                Task.visit_id,
                Task.id,
                Task.title,
                Task.finding,
                Task.priority,
                Task.status,
                Task.due_on,
                Task.outcome,
            )
            .where(Task.visit_id.in_(ids))
            .order_by(Task.created_at, Task.id)
        ):
            tasks[task.visit_id].append(task_ref(task))
    return [{**row, "tasks": tasks.get(row["visit_id"], [])} for row in rows]


def task_ref(task) -> dict:
    return {
        "id": task.id,
        "title": task.title,
        "finding": task.finding,
        "priority": task.priority,
        "status": task.status,
        "due_on": task.due_on,
        "outcome": task.outcome,
    }
