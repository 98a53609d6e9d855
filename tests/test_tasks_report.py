"""How follow-up work gets done: time to close and the share on time, the task list as CSV in
each person's scope, and the follow-ups list as a view of the tasks its visits raised."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from zoneinfo import ZoneInfo

import numpy
import pytest

from server.models import Task
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.taskmaking import at, change_task, close_task, make_task
from tests.visitdata import sync_body, visit_payload

ZONE = "Asia/Shanghai"

# (unit, priority, created, closed or None, due, cancelled): Shanghai times.
TASKS = [
    ("a", "routine", "2026-11-02T09:00", "2026-11-03T15:00", "2026-11-05", False),
    ("a", "routine", "2026-11-02T09:00", "2026-11-09T09:00", "2026-11-05", False),
    ("a", "soon", "2026-11-04T08:00", "2026-11-04T20:30", "2026-11-04", False),
    ("a", "urgent", "2026-11-05T10:00", "2026-11-05T12:00", "2026-11-06", False),
    ("a", "routine", "2026-11-02T09:00", "2026-11-06T09:00", "2026-11-05", True),
    ("a", "routine", "2026-10-01T09:00", "2026-10-02T09:00", "2026-10-05", False),
    ("a", "soon", "2026-11-20T09:00", None, "2026-11-22", False),
    ("a", "routine", "2026-11-30T20:00", "2026-11-30T23:30", "2026-11-30", False),
    ("a", "routine", "2026-11-30T20:00", "2026-12-01T00:30", "2026-11-30", False),
    ("b", "soon", "2026-11-10T09:00", "2026-11-12T21:00", "2026-11-11", False),
    ("b", "soon", "2026-11-10T09:00", "2026-11-11T09:00", "2026-11-11", False),
]
FROM, TO = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture
def closed(app, api, admin, ward_a, ward_b, supervisor_a, worker_a, worker_b):
    app.config["TIMEZONE"] = ZONE
    residents = {
        "a": add_resident(api, admin, ward_a, name="王桂英"),
        "b": add_resident(api, admin, ward_b, name="Arthur Lee"),
    }
    workers = {"a": worker_a, "b": worker_b}
    for unit, priority, created, done, due, cancelled in TASKS:
        task_id = make_task(
            workers[unit],
            residents[unit],
            due_on=due,
            priority=priority,
            created_at=created + "+08:00",
        )
        if done is None:
            continue
        if cancelled:
            change_task(workers[unit], task_id, "cancelled", {"outcome": "Twice"}, done + "+08:00")
        else:
            close_task(workers[unit], task_id, done + "+08:00")
    return {"a": ward_a, "b": ward_b}


def expected(rows) -> dict:
    """The figures, computed here from the table above, apart from the server's code."""
    zone = ZoneInfo(ZONE)
    in_range = [
        row
        for row in rows
        if row[3] is not None and FROM <= at(row[3] + "+08:00").astimezone(zone).date() <= TO
    ]
    done = [row for row in in_range if not row[5]]
    hours = [(at(row[3] + "+08:00") - at(row[2] + "+08:00")).total_seconds() / 3600 for row in done]
    on_time = [
        at(row[3] + "+08:00").astimezone(zone).date() <= date.fromisoformat(row[4]) for row in done
    ]
    return {
        "closed": len(done),
        "cancelled": len(in_range) - len(done),
        "median_hours": round(float(numpy.median(hours)), 2) if hours else None,
        "p90_hours": round(float(numpy.percentile(hours, 90)), 2) if hours else None,
        "on_time": sum(on_time),
        "on_time_share": round(sum(on_time) / len(done), 4) if done else None,
    }


def report(api, person, query: str = "") -> dict:
    answer = api.get(f"/reports/tasks?from={FROM}&to={TO}{query}", as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_report_figures_equal_those_computed_apart(api, admin, closed):
    answer = report(api, admin)
    assert answer["total"] == expected(TASKS)
    assert answer["total"]["closed"] == 7  # the task closed at 00:30 on Dec 1 is out
    by_priority = {row.pop("priority"): row for row in answer["by_priority"]}
    for priority in ("routine", "soon", "urgent"):
        assert by_priority[priority] == expected([t for t in TASKS if t[1] == priority])
    by_unit = {row.pop("unit")["id"]: row for row in answer["by_unit"]}
    for unit, ward in closed.items():
        assert by_unit[str(ward.id)] == expected([t for t in TASKS if t[0] == unit])


def test_report_keeps_to_a_supervisors_units(api, supervisor_a, closed):
    answer = report(api, supervisor_a)
    assert [row["unit"]["id"] for row in answer["by_unit"]] == [str(closed["a"].id)]
    assert answer["total"] == expected([t for t in TASKS if t[0] == "a"])
    other = api.get(f"/reports/tasks?unit_id={closed['b'].id}", as_=supervisor_a)
    assert other.status_code == 404


def test_report_with_nothing_closed_has_no_figures(api, admin, closed):
    empty = api.get("/reports/tasks?from=2026-01-01&to=2026-01-31", as_=admin).json["total"]
    assert empty == {
        "closed": 0,
        "cancelled": 0,
        "median_hours": None,
        "p90_hours": None,
        "on_time": 0,
        "on_time_share": None,
    }


def csv_rows(api, person, query: str = "") -> list[dict]:
    answer = api.get(f"/tasks.csv{query}", as_=person)
    assert answer.status_code == 200, answer.json
    assert answer.headers["Content-Type"].startswith("text/csv")
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_keeps_each_role_to_its_scope(api, admin, supervisor_a, worker_a, worker_b, closed):
    units = {row["unit_id"] for row in csv_rows(api, supervisor_a)}
    assert units == {str(closed["a"].id)}
    assert len(csv_rows(api, supervisor_a)) == sum(t[0] == "a" for t in TASKS)
    assert {row["unit_id"] for row in csv_rows(api, worker_b)} == {str(closed["b"].id)}
    assert len(csv_rows(api, admin)) == len(TASKS)
    assert api.get(f"/tasks.csv?unit_id={closed['b'].id}", as_=supervisor_a).status_code == 404


def test_csv_takes_the_lists_filters(app, api, admin, worker_a, closed):
    [urgent] = csv_rows(api, admin, "?priority=urgent")
    assert urgent["resident"] == "王桂英" and urgent["status"] == "done"
    assert urgent["outcome"] == "Done" and urgent["closed_at"] == "2026-11-05 12:00:00+08:00"
    assert urgent["assignee"] == "Worker.A"
    late = csv_rows(api, admin, "?due=overdue")
    assert [(row["due_on"], row["overdue"]) for row in late] == [("2026-11-22", "true")]
    done = csv_rows(api, admin, f"?status=done&unit_id={closed['b'].id}")
    assert len(done) == 2 and {row["status"] for row in done} == {"done"}


def test_csv_text_that_a_spreadsheet_would_run_is_quoted(api, admin, worker_a, resident_a):
    make_task(worker_a, resident_a, due_on="2026-12-30", title="=HYPERLINK(1)")
    [row] = csv_rows(api, admin)
    assert row["title"] == "'=HYPERLINK(1)"


# --- the follow-ups list, a view of tasks -------------------------------------------------


@pytest.fixture
def flagged(api, worker_a, resident_a) -> str:
    """A synced visit with an emotional concern and a follow-up asked: it raised two tasks."""
    visit = visit_payload(resident_a)
    answer = api.post("/sync", json=sync_body([visit]), as_=worker_a)
    assert answer.status_code == 200, answer.json
    return visit["id"]


def test_followups_show_the_tasks_each_visit_raised(api, supervisor_a, flagged):
    [item] = api.get("/followups", as_=supervisor_a).json["items"]
    assert item["visit_id"] == flagged
    findings = sorted((task["finding"], task["status"]) for task in item["tasks"])
    assert findings == [("emotional", "open"), ("follow_up", "open")]


def test_handling_a_followup_closes_its_open_tasks_with_the_note(
    api, supervisor_a, worker_a, flagged
):
    first = db.session.scalars(
        db.select(Task).where(Task.visit_id == uuid.UUID(flagged)).order_by(Task.finding)
    ).first()
    close_task(worker_a, first.id, "2026-12-01T09:00+08:00", "Talked with her")
    answer = api.post(
        f"/followups/{flagged}/handle", json={"note": "Family called"}, as_=supervisor_a
    )
    assert answer.status_code == 201, answer.json
    outcomes = sorted(
        (task["finding"], task["status"], task["outcome"]) for task in answer.json["tasks"]
    )
    assert outcomes == [
        ("emotional", "done", "Talked with her"),  # closed already: left as it was
        ("follow_up", "done", "Family called"),
    ]
    db.session.expire_all()
    closed_by = {task.closed_by for task in db.session.scalars(db.select(Task))}
    assert closed_by == {worker_a.user.id, supervisor_a.user.id}
