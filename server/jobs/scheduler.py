"""The scheduler process: periodic coverage jobs, one acting scheduler, every run recorded.

`rounds scheduler` runs APScheduler's BlockingScheduler in its own process (never inside
create_app or a gunicorn worker: each would start its own). Two guards keep the jobs single:

- a database lease: a PostgreSQL advisory lock held on a dedicated connection, or on SQLite a
  row with an expiry that the holder renews; a scheduler without the lease does nothing;
- a claim per occurrence: a close or a digest inserts a job_runs row whose unique `slot`
  names it ("close:2026-W47", "digest:2026-11-24"), so even two lease holders could not act
  twice; a failed occurrence may be claimed again by a conditional update.

Every job is a thin call into an idempotent domain function; a failing job is recorded with
its error and the scheduler carries on.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from server.models import JobRun, SchedulerLease, utcnow
from server.platform.extensions import db

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
# Any fixed 64-bit number no other part of Rounds uses: "rounds" in ASCII.
ADVISORY_LOCK_KEY = 0x726F756E6473
KEEP_RUNS = timedelta(days=30)
# The scheduler's jobs are background work; on a host it shares with gunicorn, the phones'
# syncs should get the CPU first. In the load test's end-of-day rush, with refreshes heavy
# enough to matter, it halved the syncs' p95 (docs/benchmarks.md). A higher niceness costs
# nothing when the CPU is free.
SCHEDULER_NICENESS = 10


def refresh_seconds() -> int:
    return int(current_app.config["COVERAGE_REFRESH_SECONDS"])


def lease_seconds() -> int:
    return int(current_app.config["SCHEDULER_LEASE_SECONDS"])


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# -- the lease -----------------------------------------------------------------------------

class Lease:
    """Held by at most one scheduler at a time; acquire() also renews it."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        self._connection = None  # PostgreSQL: the session that owns the advisory lock
        # Jobs run in a thread pool; the lock's connection must serve one of them at a time.
        self._mutex = threading.Lock()

    def acquire(self) -> bool:
        with self._mutex:
            if db.engine.dialect.name == "postgresql":
                return self._advisory()
            return self._row()

    def _advisory(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection died, and the lock with it
                self._drop_connection()
        connection = db.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                 {"key": ADVISORY_LOCK_KEY}).scalar()
        connection.commit()
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def _drop_connection(self) -> None:
        try:
            self._connection.invalidate()
            self._connection.close()
        except Exception:
            log.debug("closing a dead lease connection failed", exc_info=True)
        self._connection = None

    def _row(self) -> bool:
        now = utcnow()
        expires = now + timedelta(seconds=lease_seconds())
        # A conditional update claims it: ours already, or expired. Never read-then-write.
        claimed = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == LEASE_NAME,
                   (SchedulerLease.holder == self.holder) | (SchedulerLease.expires_at < now))
            .values(holder=self.holder, expires_at=expires)
        ).rowcount
        if not claimed:
            try:
                db.session.execute(insert(SchedulerLease).values(
                    name=LEASE_NAME, holder=self.holder, expires_at=expires))
                claimed = 1
            except IntegrityError:
                claimed = 0
        if claimed:
            db.session.commit()
        else:
            db.session.rollback()
        return bool(claimed)

    def release(self) -> None:
        with self._mutex:
            self._release()

    def _release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                         {"key": ADVISORY_LOCK_KEY})
                self._connection.close()
            except Exception:
                log.debug("releasing the advisory lock failed", exc_info=True)
            self._connection = None
            return
        if db.engine.dialect.name != "postgresql":
            db.session.execute(delete(SchedulerLease).where(SchedulerLease.name == LEASE_NAME,
                                                            SchedulerLease.holder == self.holder))
            db.session.commit()


# -- job runs ------------------------------------------------------------------------------

def _claim(job: str, slot: str | None, holder: str) -> int | None:
    """Insert the run row; for a slot, only if no one ran it or its last try failed."""
    now = utcnow()
    if slot is not None:
        retried = db.session.execute(
            update(JobRun).where(JobRun.slot == slot, JobRun.status == "error")
            .values(holder=holder, started_at=now, finished_at=None, status="running",
                    error=None, result=None).returning(JobRun.id)).scalar_one_or_none()
        if retried is not None:
            db.session.commit()
            return retried
    try:
        run_id = db.session.execute(insert(JobRun).values(
            job=job, slot=slot, holder=holder, started_at=now, status="running")
            .returning(JobRun.id)).scalar_one()
        db.session.commit()
        return run_id
    except IntegrityError:
        db.session.rollback()
        return None


def run_job(job: str, work: Callable[[], dict | None], *, slot: str | None = None,
            holder: str = "manual") -> JobRun | None:
    """Run `work` once for this slot, recording start, end, result or error; never raise.

    Returns the run, or None when another scheduler has already claimed the slot.
    """
    run_id = _claim(job, slot, holder)
    if run_id is None:
        log.info("job %s slot %s already claimed", job, slot)
        return None
    try:
        result, status, error = work(), "ok", None
    except Exception:
        db.session.rollback()
        result, status, error = None, "error", traceback.format_exc()
        log.exception("job %s failed", job)
    db.session.execute(update(JobRun).where(JobRun.id == run_id).values(
        finished_at=utcnow(), status=status, result=result, error=error))
    db.session.commit()
    return db.session.get(JobRun, run_id)


def last_success(job: str = "refresh") -> datetime | None:
    return db.session.scalar(select(JobRun.finished_at).where(JobRun.job == job,
                                                              JobRun.status == "ok")
                             .order_by(JobRun.finished_at.desc()).limit(1))


# -- the jobs ------------------------------------------------------------------------------

def refresh_job(now: datetime) -> dict:
    from server.alerts.unsynced import check_unsynced
    from server.coverage import refresh

    result = refresh(now)
    result["unsynced"] = check_unsynced(now)
    db.session.execute(delete(JobRun).where(JobRun.started_at < now - KEEP_RUNS))
    db.session.commit()
    return result


def close_job(kind: str, now: datetime) -> dict:
    from server.coverage import Period, close_period
    from server.platform.clock import today_in

    label = Period.of(kind, today_in(current_app.config["TIMEZONE"], now)).previous().label
    return close_period(label, now)


def digest_job(now: datetime) -> dict:
    from server.alerts.digest import send_digests

    return send_digests(now)


class Jobs:
    """The scheduler's steps, each a small method a test can call directly."""

    def __init__(self, app: Flask, holder: str | None = None) -> None:
        self.app = app
        self.holder = holder or new_holder()
        self.lease = Lease(self.holder)

    def _slot(self, name: str, now: datetime) -> str | None:
        from server.coverage import Period
        from server.platform.clock import today_in

        today = today_in(self.app.config["TIMEZONE"], now)
        if name == "refresh":
            return None  # idempotent and frequent: the lease alone keeps it single
        if name == "close_week":
            return f"close:{Period.of('week', today).previous().label}"
        if name == "close_month":
            return f"close:{Period.of('month', today).previous().label}"
        return f"{name}:{today.isoformat()}"

    def run(self, name: str, now: datetime | None = None) -> JobRun | None:
        """One step: act only with the lease, and only once per slot. Never raises."""
        work = {"refresh": refresh_job, "digest": digest_job,
                "close_week": lambda at: close_job("week", at),
                "close_month": lambda at: close_job("month", at)}[name]
        with self.app.app_context():
            try:
                if not self.lease.acquire():
                    log.info("job %s skipped: another scheduler holds the lease", name)
                    return None
                now = now or utcnow()
                return run_job(name, lambda: work(now), slot=self._slot(name, now),
                               holder=self.holder)
            except Exception:
                log.exception("job %s could not run", name)
                db.session.rollback()
                return None
            finally:
                db.session.remove()

    def renew(self) -> None:
        with self.app.app_context():
            try:
                self.lease.acquire()
            except Exception:
                log.exception("lease renewal failed")
            finally:
                db.session.remove()

    def release(self) -> None:
        with self.app.app_context():
            self.lease.release()
            db.session.remove()


def build_scheduler(jobs: Jobs, scheduler_class):
    """Refresh every few minutes; close weeks Monday 00:10 and months the 1st; digest 08:00."""
    with jobs.app.app_context():
        zone = ZoneInfo(jobs.app.config["TIMEZONE"])
        interval, lease = refresh_seconds(), lease_seconds()
    scheduler = scheduler_class(timezone=zone, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
    scheduler.add_job(jobs.run, "interval", args=["refresh"], seconds=interval, id="refresh",
                      next_run_time=datetime.now(zone))
    scheduler.add_job(jobs.run, "cron", args=["close_week"], day_of_week="mon", hour=0,
                      minute=10, id="close_week")
    scheduler.add_job(jobs.run, "cron", args=["close_month"], day=1, hour=0, minute=10,
                      id="close_month")
    # 08:00; the later hours only retry a failed send (the day's slot is claimed once).
    scheduler.add_job(jobs.run, "cron", args=["digest"], hour="8-20", minute=0, id="digest")
    scheduler.add_job(jobs.renew, "interval", seconds=max(1, lease // 3), id="lease")
    return scheduler


def run_scheduler(app: Flask) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    os.nice(SCHEDULER_NICENESS)
    jobs = Jobs(app)
    scheduler = build_scheduler(jobs, BlockingScheduler)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("scheduler %s starting", jobs.holder)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        jobs.release()
        log.info("scheduler %s stopped", jobs.holder)


def start_background_scheduler(app: Flask):
    """The development server's scheduler (`rounds serve`): the same jobs in a thread."""
    from apscheduler.schedulers.background import BackgroundScheduler

    jobs = Jobs(app)
    scheduler = build_scheduler(jobs, BackgroundScheduler)
    scheduler.start()
    return scheduler, jobs


# -- commands ------------------------------------------------------------------------------

def _parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise click.BadParameter("give an offset, e.g. 2026-11-23T08:00:00+08:00",
                                 param_hint="--at")
    return at


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler process (refresh, week and month close, digest) until stopped."""
    run_scheduler(current_app._get_current_object())


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve_command(host, port):
    """Development: the web server and the scheduler in one process (no reloader)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    scheduler, jobs = start_background_scheduler(app)
    try:
        # Flask's app.run() refuses to start under the CLI; its server is werkzeug's anyway.
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        scheduler.shutdown(wait=False)
        jobs.release()


coverage_cli = click.Group("coverage", help="Coverage results, by hand (the scheduler does it).")


@coverage_cli.command("refresh")
@click.option("--at", "at", default=None, help="Judge as of this RFC 3339 instant.")
@with_appcontext
def refresh_command(at):
    """Bring coverage results and alerts up to date, with as many refreshes as a full pass or
    a large turn of statuses takes (the scheduler spreads them a quarter hour apart)."""
    now = _parse_at(at) or utcnow()
    while True:
        run = run_job("refresh", lambda: refresh_job(now))
        click.echo(f"refresh {run.status}: {run.result if run.status == 'ok' else run.error}")
        if run.status != "ok":
            raise SystemExit(1)
        if not run.result.get("more"):
            return


@coverage_cli.command("close")
@click.option("--week", default=None, help="An ISO week such as 2026-W47 (default: last week).")
@click.option("--month", default=None, help="A month such as 2026-11.")
@click.option("--at", "at", default=None, help="Judge as of this RFC 3339 instant.")
@with_appcontext
def close_command(week, month, at):
    """Close a finished week or month: every resident met or missed."""
    from server.coverage import Period, close_period
    from server.platform.clock import today_in

    if week and month:
        raise click.UsageError("give --week or --month, not both")
    now = _parse_at(at) or utcnow()
    try:
        period = Period.parse(week or month) if week or month else \
            Period.of("week", today_in(current_app.config["TIMEZONE"], now)).previous()
    except ValueError as error:
        raise click.BadParameter("use 2026-W47 or 2026-11") from error
    label = period.label
    run = run_job("close", lambda: close_period(label, now))
    click.echo(f"close {label} {run.status}: "
               f"{run.result if run.status == 'ok' else run.error.splitlines()[-1]}")
    if run.status != "ok":
        raise SystemExit(1)


@click.command("digest")
@click.option("--at", "at", default=None, help="Send as of this RFC 3339 instant.")
@with_appcontext
def digest_command(at):
    """Send today's digest to supervisors now (once per supervisor and day, as scheduled)."""
    now = _parse_at(at) or utcnow()
    run = run_job("digest", lambda: digest_job(now))
    click.echo(f"digest {run.status}: {run.result if run.status == 'ok' else run.error}")


COMMANDS = (scheduler_command, serve_command, coverage_cli, digest_command)
