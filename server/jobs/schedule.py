"""The scheduler's jobs and when they run: refresh every few minutes, tell supervisors of
urgent tasks every minute, close weeks and months, send the morning digest.

`rounds scheduler` runs APScheduler's BlockingScheduler in its own process (never inside
create_app or a gunicorn worker: each would start its own). Every step acts only with the
lease (jobs/lease.py) and only once per occurrence (jobs/runs.py). Every job is a thin call
into an idempotent domain function; a failing job is recorded with its error and the
scheduler carries on.
"""

from __future__ import annotations

import logging
import os
import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import delete

from server.jobs.lease import Lease, lease_seconds, new_holder
from server.jobs.runs import KEEP_RUNS, run_job
from server.models import JobRun, utcnow
from server.platform.extensions import db

log = logging.getLogger(__name__)

# The scheduler's jobs are background work; on a host it shares with gunicorn, the phones'
# syncs should get the CPU first. In the load test's end-of-day rush, with refreshes heavy
# enough to matter, it halved the syncs' p95 (docs/benchmarks.md). A higher niceness costs
# nothing when the CPU is free.
SCHEDULER_NICENESS = 10


# The urgent step runs every minute or so: a day of its runs is enough to look back on.
KEEP_URGENT_RUNS = timedelta(days=1)


def refresh_seconds() -> int:
    return int(current_app.config["COVERAGE_REFRESH_SECONDS"])


def urgent_seconds() -> int:
    return int(current_app.config["URGENT_CHECK_SECONDS"])


def refresh_job(now: datetime) -> dict:
    """Close the periods due (each close committed on its own: a later failure keeps it),
    then the refresh and the unsynced check, committed together."""
    from server.alerts.unsynced import check_unsynced
    from server.coverage import close_period, refresh
    from server.coverage.passes import CLOSE_JOB_GRACE, periods_to_close

    closed = []
    for label in periods_to_close(now, grace=CLOSE_JOB_GRACE):
        close_period(label, now)
        db.session.commit()
        closed.append(label)
    result = refresh(now)
    result["closed"] = sorted([*closed, *result["closed"]])
    result["unsynced"] = check_unsynced(now)
    db.session.execute(delete(JobRun).where(JobRun.started_at < now - KEEP_RUNS))
    db.session.execute(
        delete(JobRun).where(JobRun.job == "urgent", JobRun.started_at < now - KEEP_URGENT_RUNS)
    )
    db.session.commit()
    result["tasks"] = escalate_tasks(now)
    return result


def escalate_tasks(now: datetime) -> dict:
    """Overdue and urgent task alerts raised and resolved, committed before any push goes
    out (a push cannot be taken back), then the pushes' marks committed."""
    from server.tasks.escalation import escalate
    from server.tasks.push import push_urgent

    result, notices = escalate(now)
    db.session.commit()
    result["push"] = push_urgent(notices)
    db.session.commit()
    return result


def urgent_job(now: datetime) -> dict:
    """The frequent light step: only the urgent tasks made since the last, alerted and pushed,
    so a supervisor hears of one within minutes rather than at the next refresh."""
    from server.tasks.escalation import raise_urgent
    from server.tasks.push import push_urgent

    notices = raise_urgent(now)
    db.session.commit()
    pushed = push_urgent(notices)
    db.session.commit()
    return {"urgent": len(notices), "push": pushed}


def close_period_job(label: str, now: datetime) -> dict:
    from server.coverage import close_period

    result = close_period(label, now)
    db.session.commit()
    return result


def close_job(kind: str, now: datetime) -> dict:
    from server.coverage import Period
    from server.platform.clock import today_in

    label = Period.of(kind, today_in(current_app.config["TIMEZONE"], now)).previous().label
    return close_period_job(label, now)


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
        if name in ("refresh", "urgent"):
            return None  # idempotent and frequent: the lease alone keeps it single
        if name == "close_week":
            return f"close:{Period.of('week', today).previous().label}"
        if name == "close_month":
            return f"close:{Period.of('month', today).previous().label}"
        return f"{name}:{today.isoformat()}"

    def run(self, name: str, now: datetime | None = None) -> JobRun | None:
        """One step: act only with the lease, and only once per slot. Never raises."""
        work = {
            "refresh": refresh_job,
            "urgent": urgent_job,
            "digest": digest_job,
            "close_week": lambda at: close_job("week", at),
            "close_month": lambda at: close_job("month", at),
        }[name]
        with self.app.app_context():
            try:
                if not self.lease.acquire():
                    log.info("job %s skipped: another scheduler holds the lease", name)
                    return None
                now = now or utcnow()
                return run_job(
                    name, lambda: work(now), slot=self._slot(name, now), holder=self.holder
                )
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
    """Refresh every few minutes, urgent tasks every minute; close weeks Monday 00:10 and
    months the 1st; digest 08:00."""
    with jobs.app.app_context():
        zone = ZoneInfo(jobs.app.config["TIMEZONE"])
        interval, lease, urgent = refresh_seconds(), lease_seconds(), urgent_seconds()
    scheduler = scheduler_class(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(
        jobs.run,
        "interval",
        args=["refresh"],
        seconds=interval,
        id="refresh",
        next_run_time=datetime.now(zone),
    )
    scheduler.add_job(jobs.run, "interval", args=["urgent"], seconds=urgent, id="urgent")
    scheduler.add_job(
        jobs.run, "cron", args=["close_week"], day_of_week="mon", hour=0, minute=10, id="close_week"
    )
    scheduler.add_job(
        jobs.run, "cron", args=["close_month"], day=1, hour=0, minute=10, id="close_month"
    )
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
