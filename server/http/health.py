"""What /healthz checks: the database answers, its schema is current, coverage is fresh."""

from __future__ import annotations

import functools
import logging
from datetime import datetime
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.models import utcnow
from server.platform.extensions import db

log = logging.getLogger(__name__)


@functools.cache
def code_heads(directory: str) -> tuple[str, ...]:
    """The newest migration(s) this code ships: read once per process."""
    config = AlembicConfig(str(Path(directory) / "alembic.ini"))
    config.set_main_option("script_location", directory)
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


def _migrations() -> dict:
    directory = current_app.extensions["migrate"].directory
    code = code_heads(directory)
    database = tuple(
        sorted(MigrationContext.configure(db.session.connection()).get_current_heads())
    )
    return {
        "status": "current" if database == code else "behind",
        "database": list(database),
        "code": list(code),
    }


def _last_refresh() -> datetime | None:
    try:
        from server.jobs.runs import last_success
    except ImportError:  # a build without the scheduler has nothing to report
        return None
    return last_success("refresh")


def _coverage(now: datetime) -> dict:
    last = _last_refresh()
    if last is None:
        # A new install before its first refresh, or no scheduler yet: reported, not failed.
        return {"status": "never", "last_refresh": None, "age_seconds": None}
    age = round((now - last).total_seconds())
    limit = current_app.config.get("HEALTH_REFRESH_MAX_AGE_SECONDS") or 0
    return {
        "status": "stale" if limit and age > limit else "ok",
        "last_refresh": last.isoformat(),
        "age_seconds": age,
    }


def check() -> tuple[bool, dict]:
    """Return (healthy, report); never raises, so a broken database still gets an answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.warning("health: the database does not answer", exc_info=True)
        db.session.rollback()
        return False, {"status": "fail", "database": "unreachable"}
    report = {"database": "ok"}
    try:
        report["migrations"] = _migrations()
        report["coverage"] = _coverage(utcnow())
    except SQLAlchemyError:
        log.warning("health: a check failed", exc_info=True)
        db.session.rollback()
        report.setdefault("migrations", {"status": "unknown"})
        report.setdefault("coverage", {"status": "unknown"})
    healthy = report["migrations"]["status"] == "current" and report["coverage"]["status"] in (
        "ok",
        "never",
    )
    return healthy, {"status": "ok" if healthy else "fail", **report}
