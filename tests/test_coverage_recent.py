"""The recent pass: a synced visit shows on the board within seconds, as the refresh would
judge it, and the scheduler runs it without getting in the refresh's way."""

from __future__ import annotations

import socket
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from server.coverage.recent import refresh_recent
from server.jobs.lease import Lease, holder_is_gone
from server.jobs.schedule import Jobs, build_scheduler
from server.models import CoverageState, JobRun, SchedulerLease
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import (
    at,
    counts_of_the_stored_results,
    kept_counts,
    open_alerts,
    refresh,
    summary,
    sync_visit,
    void,
)

MONDAY = "2026-11-23T09:00+08:00"
WEEK = "2026-W48"


@pytest.fixture
def home(app, api, admin, ward_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    return add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")


@pytest.fixture
def jobs(app):
    jobs = Jobs(app, "host-a:1")
    yield jobs
    jobs.release()


def recent(when: str) -> dict:
    answer = refresh_recent(at(when))
    db.session.commit()
    return answer


def board(api, person) -> dict:
    answer = api.get(f"/coverage?week={WEEK}", as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json


def recent_runs() -> list[JobRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(JobRun).where(JobRun.job == "recent")))


def test_a_synced_visit_shows_on_the_board_before_the_next_refresh(
    app, api, home, worker_a, supervisor_a, jobs
):
    refresh(MONDAY)
    sync_visit(api, worker_a, home, "2026-11-23T10:00+08:00")
    assert board(api, supervisor_a)["residents"][0]["days_visited"] == 0

    run = jobs.run("recent", at("2026-11-23T10:01+08:00"))

    assert run is not None and run.status == "ok", run and run.error
    shown = board(api, supervisor_a)
    assert shown["residents"][0]["days_visited"] == 1
    assert shown["units"][0]["on_track"] == 1
    assert kept_counts() == counts_of_the_stored_results()


def test_a_refresh_after_the_recent_pass_finds_it_all_judged(api, home, worker_a):
    refresh(MONDAY)
    sync_visit(api, worker_a, home, "2026-11-23T10:00+08:00")
    sync_visit(api, worker_a, home, "2026-11-24T10:00+08:00")
    assert recent("2026-11-24T10:01+08:00")["evaluated"] == 1
    judged = summary(home, WEEK)

    assert refresh("2026-11-24T10:15+08:00")["status_changes"] == 0
    assert summary(home, WEEK) == judged == (2, 2, "met")


def test_a_voided_visit_leaves_the_board_at_the_next_recent_pass(api, home, worker_a, supervisor_a):
    refresh(MONDAY)
    visit = sync_visit(api, worker_a, home, "2026-11-23T10:00+08:00")
    recent("2026-11-23T10:01+08:00")
    void(api, supervisor_a, visit)

    recent("2026-11-23T10:02+08:00")

    assert summary(home, WEEK) == (2, 0, "on_track")
    assert kept_counts() == counts_of_the_stored_results()


def test_a_late_visit_changes_its_closed_week_at_the_recent_pass(api, home, worker_a):
    refresh("2026-11-21T09:00+08:00")
    refresh("2026-11-24T09:00+08:00")  # W47 closed: missed
    assert summary(home, "2026-W47") == (2, 0, "missed")
    assert open_alerts(home) == [("missed", "2026-W47")]
    sync_visit(api, worker_a, home, "2026-11-20T10:00+08:00")
    sync_visit(api, worker_a, home, "2026-11-21T10:00+08:00")

    recent("2026-11-24T09:01+08:00")

    assert summary(home, "2026-W47") == (2, 2, "met")
    assert open_alerts(home) == []
    assert kept_counts() == counts_of_the_stored_results()


def test_a_moved_residents_old_unit_is_counted_again(api, admin, home, worker_a, ward_b):
    refresh(MONDAY)
    sync_visit(api, worker_a, home, "2026-11-23T10:00+08:00")
    recent("2026-11-23T10:01+08:00")
    moved = api.patch(f"/residents/{home['id']}", json={"unit_id": str(ward_b.id)}, as_=admin)
    assert moved.status_code == 200, moved.json
    # A visit in the new unit before the refresh has judged the move.
    sync_visit(api, admin, home, "2026-11-24T10:00+08:00")

    recent("2026-11-24T10:01+08:00")

    assert kept_counts() == counts_of_the_stored_results()


def test_the_recent_pass_waits_for_the_first_refresh_and_for_a_new_week(api, home, worker_a):
    sync_visit(api, worker_a, home, "2026-11-23T10:00+08:00")
    assert recent("2026-11-23T10:01+08:00")["skipped"] == "no refresh yet"
    refresh(MONDAY)

    # Monday of the next week, before its first refresh: that refresh judges everyone.
    answer = recent("2026-11-30T00:05+08:00")

    assert answer["skipped"] == "the refresh is judging new periods"
    assert summary(home, "2026-W49") is None


def test_an_idle_recent_turn_records_no_run(api, home, worker_a, jobs):
    refresh(MONDAY)
    assert jobs.run("recent", at("2026-11-23T10:01+08:00")) is None
    sync_visit(api, worker_a, home, "2026-11-23T10:00+08:00")
    assert jobs.run("recent", at("2026-11-23T10:02+08:00")) is not None
    # Looked: its watermark passed the visit; beyond the overlap nothing is new.
    db.session.execute(
        update(CoverageState).values(recent_at=datetime.now(UTC) + timedelta(minutes=1))
    )
    db.session.commit()
    assert jobs.run("recent", at("2026-11-23T10:03+08:00")) is None
    assert len(recent_runs()) == 1


def test_a_refresh_skipped_for_the_lease_runs_at_the_next_recent_turn(app, home):
    other = Lease("host-b:2")
    assert other.acquire()
    jobs = Jobs(app, "host-a:1")
    try:
        assert jobs.run("refresh", at(MONDAY)) is None
        assert jobs.refresh_owed
        other.release()

        run = jobs.run("recent", at("2026-11-23T09:00:15+08:00"))

        assert run is not None and run.job == "refresh" and run.status == "ok"
        assert not jobs.refresh_owed
        assert summary(home, WEEK) == (2, 0, "on_track")
    finally:
        jobs.release()


def test_the_recent_pass_gives_way_to_a_refresh_under_way(app, home, jobs):
    jobs._coverage.acquire()  # a refresh or a close is running in another thread
    try:
        assert jobs.run("recent", at(MONDAY)) is None
    finally:
        jobs._coverage.release()


def test_the_scheduler_runs_the_recent_pass_every_few_seconds(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    app.config["COVERAGE_RECENT_SECONDS"] = 15
    scheduler = build_scheduler(Jobs(app, "host-a:1"), BackgroundScheduler)
    assert scheduler.get_job("recent").trigger.interval == timedelta(seconds=15)
    app.config["COVERAGE_RECENT_SECONDS"] = 0
    assert build_scheduler(Jobs(app, "host-a:1"), BackgroundScheduler).get_job("recent") is None


def _ended_process_id() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.mark.sqlite_only  # the lease row is SQLite's; PostgreSQL frees the lock with the session
def test_a_lease_left_by_an_ended_process_of_this_host_is_taken_over(app):
    gone = f"{socket.gethostname()}:{_ended_process_id()}:0f0f0f0f"
    db.session.add(
        SchedulerLease(
            name="scheduler", holder=gone, expires_at=datetime.now(UTC) + timedelta(hours=1)
        )
    )
    db.session.commit()

    assert Lease(f"{socket.gethostname()}:1:{uuid.uuid4().hex[:8]}").acquire()
    assert db.session.scalar(select(func.count()).select_from(SchedulerLease)) == 1


def test_only_an_ended_process_of_this_host_counts_as_gone():
    host = socket.gethostname()
    assert holder_is_gone(f"{host}:{_ended_process_id()}:ab")
    assert not holder_is_gone(f"{host}:1:ab")  # init runs
    assert not holder_is_gone(f"another-{host}:{_ended_process_id()}:ab")
    assert not holder_is_gone("host-a:1")
    assert not holder_is_gone("nonsense")
