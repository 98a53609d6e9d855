"""The scheduler's tables: every job run recorded, and the lease that lets one scheduler act."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.types import BigIntPK, UTCDateTime, utcnow
from server.platform.extensions import db


class JobRun(db.Model):
    """One run of a scheduled or manual job: start, end, result or error.

    `slot` names the scheduled occurrence ("close_week:2026-W47"); its unique key lets only
    one of several schedulers claim it. Manual runs have no slot.
    """

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_status_started_at", "job", "status", "started_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(40))
    slot: Mapped[str | None] = mapped_column(String(80), unique=True)
    holder: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="running")
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class SchedulerLease(db.Model):
    """The SQLite lease: whoever holds an unexpired row is the one scheduler that acts.

    PostgreSQL uses an advisory lock instead (server/jobs/lease.py).
    """

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = ["JobRun", "SchedulerLease"]
