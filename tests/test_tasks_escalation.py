"""Escalation: an overdue or urgent follow-up task reaches its unit's supervisors once, as an
alert in their inbox and a line of their digest, and the alert ends with the task."""

from __future__ import annotations

from datetime import date

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from server.alerts.digest import compose
from server.jobs.schedule import Jobs, build_scheduler
from server.models import Alert, Task
from server.platform.extensions import db
from tests.conftest import add_resident, make_person
from tests.taskmaking import at, change_task, close_task, make_task


@pytest.fixture
def home(app, api, admin, ward_a, supervisor_a, worker_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    return add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")


@pytest.fixture
def jobs(app):
    """One scheduler's steps: on PostgreSQL its lease is a lock its own connection holds."""
    steps = Jobs(app, "test")
    yield steps
    steps.release()


def refresh(jobs: Jobs, moment: str) -> dict:
    run = jobs.run("refresh", at(moment))
    assert run is not None and run.status == "ok", run and run.error
    return run.result


def urgent_step(jobs: Jobs, moment: str) -> dict:
    run = jobs.run("urgent", at(moment))
    assert run is not None and run.status == "ok", run and run.error
    return run.result


def alerts(api, person, kind: str, state: str = "open") -> list[dict]:
    answer = api.get(f"/alerts?kind={kind}&state={state}", as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json["items"]


def test_overdue_task_raises_one_alert_however_many_refreshes(
    app, jobs, api, home, worker_a, supervisor_a, ward_a
):
    task_id = make_task(worker_a, home, due_on="2026-11-23", title="Call the son")
    for moment in ("2026-11-24T08:00+08:00", "2026-11-24T08:15+08:00", "2026-11-25T09:00+08:00"):
        refresh(jobs, moment)
    [alert] = alerts(api, supervisor_a, "overdue")
    assert alert["resident_name"] == "王桂英"
    assert alert["unit_id"] == str(ward_a.id)
    assert alert["detail"]["task_id"] == str(task_id)
    assert alert["detail"]["title"] == "Call the son"
    assert alert["detail"]["due_on"] == "2026-11-23"
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


def test_a_task_is_overdue_from_the_local_day_after_its_due_date(
    app, jobs, api, home, worker_a, supervisor_a
):
    make_task(worker_a, home, due_on="2026-11-23")
    refresh(jobs, "2026-11-23T23:30+08:00")  # 15:30 UTC: still the due day in Shanghai
    assert alerts(api, supervisor_a, "overdue") == []
    refresh(jobs, "2026-11-24T00:30+08:00")  # 16:30 UTC on the 23rd: the next day in Shanghai
    assert len(alerts(api, supervisor_a, "overdue")) == 1


def test_overdue_alert_resolves_when_the_task_closes(app, jobs, api, home, worker_a, supervisor_a):
    task_id = make_task(worker_a, home, due_on="2026-11-23")
    refresh(jobs, "2026-11-24T08:00+08:00")
    close_task(worker_a, task_id, "2026-11-24T10:00+08:00", "Called; he visits Sunday")
    refresh(jobs, "2026-11-24T10:15+08:00")
    assert alerts(api, supervisor_a, "overdue") == []
    [resolved] = alerts(api, supervisor_a, "overdue", "resolved")
    assert resolved["detail"]["task_id"] == str(task_id)


def test_overdue_alert_resolves_when_rescheduled_and_returns_when_late_again(
    app, jobs, api, home, worker_a, supervisor_a
):
    task_id = make_task(worker_a, home, due_on="2026-11-23")
    refresh(jobs, "2026-11-24T08:00+08:00")
    later = {"due_on": date(2026, 11, 27)}
    change_task(supervisor_a, task_id, "rescheduled", later, "2026-11-24T09:00+08:00")
    refresh(jobs, "2026-11-24T09:15+08:00")
    assert alerts(api, supervisor_a, "overdue") == []
    refresh(jobs, "2026-11-28T08:00+08:00")
    [again] = alerts(api, supervisor_a, "overdue")
    assert again["detail"]["due_on"] == "2026-11-27"


def test_urgent_task_alerts_the_supervisors_at_the_next_frequent_step(
    app, jobs, api, home, worker_a, supervisor_a, ward_b
):
    other = make_person(api, "supervisor.b", "supervisor", [ward_b])
    task_id = make_task(worker_a, home, due_on="2026-11-30", priority="urgent", title="Fell")
    assert urgent_step(jobs, "2026-11-20T09:01+08:00")["urgent"] == 1
    [alert] = alerts(api, supervisor_a, "urgent")
    assert alert["detail"]["task_id"] == str(task_id)
    assert alert["detail"]["title"] == "Fell"
    assert alerts(api, other, "urgent") == []
    assert urgent_step(jobs, "2026-11-20T09:02+08:00")["urgent"] == 0
    refresh(jobs, "2026-11-20T09:15+08:00")
    assert len(alerts(api, supervisor_a, "urgent", "all")) == 1
    assert db.session.get(Task, task_id).urgent_notified_at == at("2026-11-20T09:01+08:00")


def test_urgent_alert_resolves_when_the_task_is_cancelled(
    app, jobs, api, home, worker_a, supervisor_a
):
    task_id = make_task(worker_a, home, due_on="2026-11-30", priority="urgent")
    urgent_step(jobs, "2026-11-20T09:01+08:00")
    change_task(
        supervisor_a, task_id, "cancelled", {"outcome": "Raised twice"}, "2026-11-20T09:30+08:00"
    )
    refresh(jobs, "2026-11-20T09:45+08:00")
    assert alerts(api, supervisor_a, "urgent") == []


def test_the_urgent_step_runs_every_minute_under_the_lease(app):
    scheduler = build_scheduler(Jobs(app, "x"), BackgroundScheduler)
    trigger = scheduler.get_job("urgent").trigger
    assert trigger.interval.total_seconds() == 60
    holder, another = Jobs(app, "holder"), Jobs(app, "another")
    try:
        assert holder.run("urgent") is not None
        assert another.run("urgent") is None  # the first holds the lease
    finally:
        holder.release()
        another.release()


def test_the_digest_lists_overdue_and_urgent_tasks(app, jobs, home, worker_a, supervisor_a):
    make_task(worker_a, home, due_on="2026-11-23", title="Call the son")
    make_task(worker_a, home, due_on="2026-11-30", priority="urgent", title="Fell at night")
    make_task(worker_a, home, due_on="2026-11-30", title="Not yet due")
    refresh(jobs, "2026-11-25T07:00+08:00")
    body, count = compose(supervisor_a.user, at("2026-11-25T08:00+08:00"))
    assert "王桂英: Call the son (due 2026-11-23, Worker.A; overdue 逾期 2 d)" in body
    assert "王桂英: Fell at night (due 2026-11-30, Worker.A; urgent 紧急)" in body
    assert "Not yet due" not in body
    assert count == 2
