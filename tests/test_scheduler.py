"""The scheduler: one acts even when two run, every run is recorded, a failure never stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select, update

from server import coverage
from server.jobs.lease import Lease
from server.jobs.runs import run_job
from server.jobs.schedule import SCHEDULER_NICENESS, Jobs, build_scheduler
from server.models import Alert, DigestSent, JobRun, SchedulerLease
from server.platform.config import PROJECT_ROOT
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import at, summary
from tests.test_digest import inbox  # noqa: F401 (a fixture: a local SMTP server)


def runs(job: str | None = None) -> list[JobRun]:
    db.session.expire_all()
    query = select(JobRun).order_by(JobRun.id)
    if job is not None:
        query = query.where(JobRun.job == job)
    return list(db.session.scalars(query))


@pytest.fixture
def home(app, api, admin, ward_a, supervisor_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    resident = add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")
    api._call(
        "PUT", "/alerts/digest-address", json={"email": "chen@home.example"}, as_=supervisor_a
    )
    return resident


def _together(*calls):
    """Start the calls at the same moment in threads; wait for all of them."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def go(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=go, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_schedulers_act_once_per_job(app, home, inbox):  # noqa: F811
    first, second = Jobs(app, "host-a:1"), Jobs(app, "host-b:2")
    try:
        for name, when in [
            ("refresh", "2026-11-21T08:00+08:00"),
            ("digest", "2026-11-21T08:00+08:00"),
            ("close_week", "2026-11-23T00:10+08:00"),
            ("refresh", "2026-11-23T00:15+08:00"),
        ]:
            done = _together(
                lambda j=first, n=name, w=when: j.run(n, at(w)),
                lambda j=second, n=name, w=when: j.run(n, at(w)),
            )
            assert sum(run is not None for run in done) == 1, name
        assert [(r.job, r.status) for r in runs()] == [
            ("refresh", "ok"),
            ("digest", "ok"),
            ("close_week", "ok"),
            ("refresh", "ok"),
        ]
        assert len({r.holder for r in runs()}) == 1  # the lease holder did everything
        assert len(inbox.messages) == 1
        assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 1
        assert summary(home, "2026-W47") == (2, 0, "missed")
        kinds = sorted(db.session.scalars(select(Alert.kind)))
        assert kinds == ["at_risk", "missed"]
    finally:
        first.release()
        second.release()


def test_an_occurrence_is_claimed_once_even_without_the_lease(app, home):
    """The second guard: two holders of a lease (a bug, a clock jump) still close once."""
    work = lambda: coverage.close_period("2026-W47", at("2026-11-23T00:10+08:00"))  # noqa: E731
    done = _together(
        lambda: _in_context(app, lambda: run_job("close_week", work, slot="close:2026-W47")),
        lambda: _in_context(app, lambda: run_job("close_week", work, slot="close:2026-W47")),
    )
    assert sum(run is not None for run in done) == 1
    assert len(runs("close_week")) == 1


def _in_context(app, call):
    with app.app_context():
        try:
            result = call()
            return None if result is None else result.id
        finally:
            db.session.remove()


def test_a_close_the_refresh_job_makes_stays_when_the_refresh_after_it_fails(
    app, home, monkeypatch
):
    """The scheduler was down over W47's close: the next refresh job closes it first, as a
    unit of work of its own, so a refresh that then fails does not undo the close."""
    jobs = Jobs(app, "host-a:1")
    try:
        jobs.run("refresh", at("2026-11-21T08:00+08:00"))
        monkeypatch.setattr(coverage, "refresh", lambda now: 1 / 0)
        jobs.run("refresh", at("2026-11-24T09:00+08:00"))
        assert [r.status for r in runs("refresh")] == ["ok", "error"]
        assert summary(home, "2026-W47") == (2, 0, "missed")
    finally:
        jobs.release()


def test_the_lease_passes_on_when_its_holder_goes(app):
    first, second = Lease("a"), Lease("b")
    assert first.acquire() and first.acquire()  # renewing is acquiring again
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.sqlite_only  # the lease row is SQLite's; PostgreSQL frees the lock with the session
def test_an_expired_lease_row_is_taken_over(app):
    first, second = Lease("a"), Lease("b")
    assert first.acquire()
    db.session.execute(update(SchedulerLease).values(expires_at=datetime(2000, 1, 1, tzinfo=UTC)))
    db.session.commit()
    assert second.acquire()
    assert not first.acquire()


def test_a_failing_job_is_recorded_and_the_next_one_runs(app):
    def broken():
        raise RuntimeError("the disk is full")

    failed = run_job("refresh", broken)
    assert failed.status == "error" and "the disk is full" in failed.error
    assert failed.finished_at is not None
    assert run_job("refresh", lambda: {"ok": 1}).status == "ok"


def test_a_failed_occurrence_may_be_retried(app):
    def broken():
        raise RuntimeError("smtp down")

    assert run_job("digest", broken, slot="digest:2026-11-21").status == "error"
    retried = run_job("digest", lambda: {"sent": 1}, slot="digest:2026-11-21")
    assert retried.status == "ok"
    assert run_job("digest", lambda: {"sent": 1}, slot="digest:2026-11-21") is None
    assert len(runs("digest")) == 1


def test_the_scheduler_keeps_going_after_a_failure(app, monkeypatch):
    app.config["COVERAGE_REFRESH_SECONDS"] = 1
    monkeypatch.setattr(coverage, "refresh", lambda now: 1 / 0)
    jobs = Jobs(app, "host-a:1")
    scheduler = build_scheduler(jobs, BackgroundScheduler)
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while len(runs("refresh")) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        scheduler.shutdown(wait=True)
        jobs.release()
    assert len(runs("refresh")) >= 3
    assert all(
        run.status == "error" and "ZeroDivisionError" in run.error for run in runs("refresh")
    )


@pytest.mark.parametrize(
    ("zone", "job", "after", "fires"),
    [
        # Berlin leaves summer time on Sunday 25 October 2026: Monday 00:10 is 23:10 UTC
        ("Europe/Berlin", "close_week", "2026-10-25T12:00Z", "2026-10-25T23:10Z"),
        ("Europe/Berlin", "close_week", "2026-10-18T12:00Z", "2026-10-18T22:10Z"),
        ("Asia/Shanghai", "close_week", "2026-11-22T12:00Z", "2026-11-22T16:10Z"),
        ("Asia/Shanghai", "close_month", "2026-11-23T12:00Z", "2026-11-30T16:10Z"),
        ("Asia/Shanghai", "digest", "2026-11-23T13:00Z", "2026-11-24T00:00Z"),  # 08:00 local
        ("Asia/Shanghai", "digest", "2026-11-24T00:30Z", "2026-11-24T01:00Z"),  # a retry hour
    ],
)
def test_jobs_fire_at_local_times(app, zone, job, after, fires):
    app.config["TIMEZONE"] = zone
    scheduler = build_scheduler(Jobs(app, "x"), BackgroundScheduler)
    trigger = scheduler.get_job(job).trigger
    assert trigger.get_next_fire_time(None, at(after)) == at(fires)


def _start_scheduler(database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "ROUNDS_DATABASE_URL": database_url,
        "ROUNDS_COVERAGE_REFRESH_SECONDS": "1",
        "ROUNDS_SCHEDULER_LEASE_SECONDS": "3",
        "ROUNDS_TIMEZONE": "Asia/Shanghai",
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from server.cli import main; main()", "scheduler"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_the_scheduler_process_gives_the_cpu_to_syncs_first(app, database_url):
    process = _start_scheduler(database_url)
    try:
        assert _wait_for(lambda: any(run.status == "ok" for run in runs("refresh")), 30)
        niceness = os.getpriority(os.PRIO_PROCESS, process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
    assert niceness == min(19, os.getpriority(os.PRIO_PROCESS, 0) + SCHEDULER_NICENESS)


def test_two_scheduler_processes_one_acts_and_the_other_takes_over(app, database_url):
    processes = [_start_scheduler(database_url), _start_scheduler(database_url)]
    try:
        assert _wait_for(lambda: len([r for r in runs("refresh") if r.status == "ok"]) >= 3, 30)
        holders = {run.holder for run in runs("refresh")}
        assert len(holders) == 1
        pid = int(holders.pop().split(":")[1])
        acting = next(p for p in processes if p.pid == pid)
        acting.send_signal(signal.SIGTERM)
        assert acting.wait(15) == 0
        assert _wait_for(
            lambda: any(
                str(p.pid) in run.holder
                for run in runs("refresh")
                for p in processes
                if p is not acting
            ),
            30,
        )
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(15)
    assert all(run.status == "ok" for run in runs("refresh"))
