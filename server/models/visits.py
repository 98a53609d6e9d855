"""Visits: append-only records made on phones, their amendments, and what sync set aside."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import Resident, User
from server.models.types import BigIntPK, UTCDateTime, utcnow
from server.platform.extensions import db

VISIT_KINDS = ("round", "home_visit")
IDENTIFIED_BY = ("qr", "manual")
OBSERVATION_VALUES = ("ok", "concern")
SATISFACTION = ("satisfied", "basically_satisfied", "unsatisfied")
SIGNERS = ("resident", "proxy", "none")
CONFLICT_RESOLUTIONS = ("kept_server", "took_phone", "dismissed")


class Visit(db.Model):
    """One round or home visit, exactly as the phone recorded it; never updated but to void."""

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_resident_id_visit_date", "resident_id", "visit_date"),
        Index("ix_visits_unit_id_visit_date", "unit_id", "visit_date"),
        Index("ix_visits_worker_id_checked_in_at", "worker_id", "checked_in_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id"))
    # The resident's unit when the visit was made: reports by unit stay true after a move.
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(12))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The check-in's date in ROUNDS_TIMEZONE, fixed at receipt: coverage counts distinct days.
    visit_date: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    identified_by: Mapped[str] = mapped_column(String(10))
    qr_token: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    obs_living: Mapped[str] = mapped_column(String(10))
    obs_emotional: Mapped[str] = mapped_column(String(10))
    obs_physical: Mapped[str] = mapped_column(String(10))
    obs_notes: Mapped[str] = mapped_column(Text, default="")
    service_given: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction: Mapped[str | None] = mapped_column(String(24))
    feedback: Mapped[str] = mapped_column(Text, default="")
    signer: Mapped[str] = mapped_column(String(10))
    signer_name: Mapped[str | None] = mapped_column(String(120))
    signer_reason: Mapped[str | None] = mapped_column(String(300))
    signature_width: Mapped[int] = mapped_column(Integer)
    signature_height: Mapped[int] = mapped_column(Integer)
    # Absolute integer points, one list per stroke: [x0, y0, x1, y1, ...].
    signature_strokes: Mapped[list] = mapped_column(JSON)
    # SHA-256 of the canonical content, signature included: retries compare by it.
    content_hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the item exactly as the phone sent it: a replay is recognised without parsing.
    raw_hash: Mapped[str] = mapped_column(String(64))
    # How the resident was identified and whether the worker was plausibly there (presence.py).
    presence: Mapped[dict] = mapped_column(JSON, default=dict)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(String(500))

    resident: Mapped[Resident] = relationship(lazy="joined")
    worker: Mapped[User] = relationship(foreign_keys=[worker_id], lazy="joined")
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="visit", order_by="Amendment.created_at", lazy="selectin"
    )


class Amendment(db.Model):
    """A correction to a visit: the original stays, reads apply the amendments in order."""

    __tablename__ = "amendments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    changes: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship(back_populates="amendments")
    author: Mapped[User] = relationship(lazy="joined")


class SyncConflict(db.Model):
    """A second, different version of a record id already held: kept aside, never applied.

    One row per record and content: a phone resending the same conflicting copy adds nothing.
    A supervisor resolves it (server/visits/conflicts.py): keeps the server's version, takes
    the phone's as an amendment, or dismisses it."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (
        UniqueConstraint("record_id", "content_hash", name="uq_sync_conflicts_record_content"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # One of CONFLICT_RESOLUTIONS once resolved.
    resolution: Mapped[str | None] = mapped_column(String(12))
    resolution_note: Mapped[str | None] = mapped_column(String(1000))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class SyncRejection(db.Model):
    """A record the server refused, with its reasons: for supervisors and the rejected alert."""

    __tablename__ = "sync_rejections"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    errors: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship(lazy="joined")
