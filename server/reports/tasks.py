"""How follow-up work gets done: of the tasks closed in a range, how long they took and how
many closed on time; and the task list as CSV.

Time to close is from a task's making (`created_at`) to its close (`closed_at`), in hours;
the median and the 90th percentile (linear between ranks, as a spreadsheet's PERCENTILE) are
computed here, in Python, over one bounded query of two instants per task, so SQLite and
PostgreSQL give the same figures. A task is on time when the local day it closed is on or
before its due date. Cancelled tasks were not done: they are counted apart and in no figure.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from server.models import Resident, Task, User
from server.models.tasks import OPEN_TASK_STATUSES, TASK_PRIORITIES
from server.people.access import Scope
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.reports.exports import BATCH, local_time, text
from server.reports.scope import in_scope, unit_names
from server.tasks import read
from server.tasks.read import TaskFilter, visible_to

# The report reads at most this many closed tasks at once; beyond, a narrower range.
MAX_TASKS = 200_000


@dataclass(frozen=True)
class Closed:
    unit_id: uuid.UUID
    priority: str
    status: str
    hours: float
    on_time: bool


def _instant(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


def percentile(values: list[float], share: float) -> float | None:
    """The value below which `share` of the values lie, linear between ranks (numpy's
    default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def figures(rows: list[Closed]) -> dict:
    """The figures of one group: closed (done), their time to close, the share on time."""
    done = [row for row in rows if row.status == "done"]
    hours = [row.hours for row in done]
    on_time = sum(row.on_time for row in done)
    return {
        "closed": len(done),
        "cancelled": len(rows) - len(done),
        "median_hours": _rounded(statistics.median(hours) if hours else None),
        "p90_hours": _rounded(percentile(hours, 0.9)),
        "on_time": on_time,
        "on_time_share": round(on_time / len(done), 4) if done else None,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def closed_tasks(units, date_from: date, date_to: date, zone_name: str) -> list[Closed]:
    """The tasks done or cancelled on the local days of the range, in the units."""
    zone = ZoneInfo(zone_name)
    start, end = _instant(date_from, zone), _instant(date_to + timedelta(days=1), zone)
    query = in_scope(
        select(
            Task.unit_id,
            Task.priority,
            Task.status,
            Task.created_at,
            Task.closed_at,
            Task.due_on,
        ).where(
            Task.status.in_(("done", "cancelled")),
            Task.closed_at >= start,
            Task.closed_at < end,
        ),
        units,
        Task.unit_id,
    ).limit(MAX_TASKS + 1)
    rows = db.session.execute(query).all()
    if len(rows) > MAX_TASKS:
        raise ApiError(
            422,
            f"More than {MAX_TASKS} tasks closed in this range: ask for a shorter one.",
            errors={"from": ["range too large"]},
        )
    return [
        Closed(
            unit_id,
            priority,
            status,
            max(0.0, (closed_at - created_at).total_seconds() / 3600),
            closed_at.astimezone(zone).date() <= due_on,
        )
        for unit_id, priority, status, created_at, closed_at, due_on in rows
    ]


def task_report(units, date_from: date, date_to: date, zone_name: str) -> dict:
    """Time to close and the share on time, in total, by priority and by unit."""
    rows = closed_tasks(units, date_from, date_to, zone_name)
    by_priority: dict[str, list[Closed]] = defaultdict(list)
    by_unit: dict[uuid.UUID, list[Closed]] = defaultdict(list)
    for row in rows:
        by_priority[row.priority].append(row)
        by_unit[row.unit_id].append(row)
    names = unit_names(by_unit)
    return {
        "from": date_from,
        "to": date_to,
        "total": figures(rows),
        "by_priority": [
            {"priority": priority, **figures(by_priority.get(priority, []))}
            for priority in TASK_PRIORITIES
        ],
        "by_unit": sorted(
            (
                {"unit": {"id": unit_id, "name": names.get(unit_id, "")}, **figures(group)}
                for unit_id, group in by_unit.items()
            ),
            key=lambda row: (row["unit"]["name"], str(row["unit"]["id"])),
        ),
    }


TASK_COLUMNS = (
    "task_id",
    "resident_id",
    "resident",
    "unit_id",
    "unit",
    "title",
    "priority",
    "status",
    "source",
    "finding",
    "assignee_id",
    "assignee",
    "due_on",
    "created_at",
    "closed_at",
    "outcome",
    "overdue",
)


def task_export(scope: Scope, user_id: uuid.UUID, wanted: TaskFilter, today: date) -> Select:
    """The tasks a person sees under the office list's filters (server/tasks/read.py), by due
    date: one row of plain columns per task, for the CSV."""
    query = (
        select(
            Task.id,
            Task.resident_id,
            Resident.name.label("resident"),
            Task.unit_id,
            Task.title,
            Task.priority,
            Task.status,
            Task.source,
            Task.finding,
            Task.assignee_id,
            User.display_name.label("assignee"),
            Task.due_on,
            Task.created_at,
            Task.closed_at,
            Task.outcome,
        )
        .join(Resident, Resident.id == Task.resident_id)
        .join(User, User.id == Task.assignee_id)
        .where(visible_to(scope, user_id))
    )
    # The list's own filter, so the CSV holds exactly the rows the list pages through.
    return read._filtered(query, wanted, today).order_by(Task.due_on, Task.id)


def task_rows(query: Select, zone_name: str, today: date) -> Iterator[list]:
    """One CSV row per task of `task_export`, read in batches as exports.py reads visits; the
    query runs at the first row (see exports.visit_rows)."""
    zone = ZoneInfo(zone_name)
    names: dict = {}
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        missing = {row.unit_id for row in partition} - set(names)
        if missing:
            names.update(unit_names(missing))
        for row in partition:
            late = row.status in OPEN_TASK_STATUSES and row.due_on < today
            yield [
                row.id,
                row.resident_id,
                text(row.resident),
                row.unit_id,
                text(names.get(row.unit_id)),
                text(row.title),
                row.priority,
                row.status,
                row.source,
                row.finding or "",
                row.assignee_id,
                text(row.assignee),
                row.due_on.isoformat(),
                local_time(row.created_at, zone),
                local_time(row.closed_at, zone),
                text(row.outcome),
                "true" if late else "false",
            ]
