"""Job runs: each claimed before it starts and recorded when it ends, with its result or error.

A close or a digest is claimed by its occurrence: the job_runs row's unique `slot` names it
("close:2026-W47", "digest:2026-11-24"), so even two lease holders could not act twice; a
failed occurrence may be claimed again by a conditional update. /healthz reads the last
successful refresh from here.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from server.models import JobRun, utcnow
from server.platform.extensions import db

log = logging.getLogger(__name__)

# Runs older than this are deleted by the refresh job.
KEEP_RUNS = timedelta(days=30)


def _claim(job: str, slot: str | None, holder: str) -> int | None:
    """Insert the run row; for a slot, only if no one ran it or its last try failed."""
    now = utcnow()
    if slot is not None:
        retried = db.session.execute(
            update(JobRun)
            .where(JobRun.slot == slot, JobRun.status == "error")
            .values(
                holder=holder,
                started_at=now,
                finished_at=None,
                status="running",
                error=None,
                result=None,
            )
            .returning(JobRun.id)
        ).scalar_one_or_none()
        if retried is not None:
            db.session.commit()
            return retried
    try:
        run_id = db.session.execute(
            insert(JobRun)
            .values(job=job, slot=slot, holder=holder, started_at=now, status="running")
            .returning(JobRun.id)
        ).scalar_one()
        db.session.commit()
        return run_id
    except IntegrityError:
        db.session.rollback()
        return None


def run_job(
    job: str, work: Callable[[], dict | None], *, slot: str | None = None, holder: str = "manual"
) -> JobRun | None:
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
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(finished_at=utcnow(), status=status, result=result, error=error)
    )
    db.session.commit()
    return db.session.get(JobRun, run_id)


def last_success(job: str = "refresh") -> datetime | None:
    return db.session.scalar(
        select(JobRun.finished_at)
        .where(JobRun.job == job, JobRun.status == "ok")
        .order_by(JobRun.finished_at.desc())
        .limit(1)
    )
