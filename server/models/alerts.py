"""Alerts and the daily digest: what a supervisor is told, and to which address it goes.

Kept apart from the coverage tables: coverage raises alerts of two kinds, but a worker's
silent phones raise the third, and the digest reads them all (server/alerts/).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import Resident, User
from server.models.types import BigIntPK, UTCDateTime, utcnow
from server.platform.extensions import db

# "overdue" and "urgent" are of follow-up tasks (server/tasks/escalation.py).
ALERT_KINDS = ("at_risk", "missed", "unsynced", "overdue", "urgent")


class Alert(db.Model):
    """Something a supervisor should act on; raised once per key, resolved when it ends."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_resolved_at_unit_id", "resolved_at", "unit_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    # "at_risk:<resident>:<period>", "missed:<resident>:<period>", "unsynced:<worker>:<since>".
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    # No foreign keys on the two columns the refresh fills in bulk (see CoverageResult).
    resident_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    worker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    period: Mapped[str | None] = mapped_column(String(10))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    ack_note: Mapped[str | None] = mapped_column(String(1000))

    resident: Mapped[Resident | None] = relationship(
        primaryjoin="foreign(Alert.resident_id) == Resident.id", lazy="joined"
    )
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id], lazy="joined")


class DigestRecipient(db.Model):
    """Where a supervisor wants the daily digest (users have no e-mail column of their own)."""

    __tablename__ = "digest_recipients"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))


class DigestSent(db.Model):
    """The claim on one supervisor's digest for one local day: the unique key sends it once."""

    __tablename__ = "digests_sent"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_digests_sent_user_id_day"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(254))
    alerts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = ["ALERT_KINDS", "Alert", "DigestRecipient", "DigestSent"]
