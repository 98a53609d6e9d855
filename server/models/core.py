"""Units, residents, people, devices and the audit trail."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.types import BigIntPK, UTCDateTime, utcnow
from server.platform.extensions import db

ADMIN, SUPERVISOR, WORKER = "admin", "supervisor", "worker"
# An inspector of a bureau (city or district): reads everything below it, enters only the
# bureau's own records (samples, its column of an evaluation).
INSPECTOR = "inspector"
ROLES = (ADMIN, SUPERVISOR, WORKER, INSPECTOR)
# Who manages units: admins every unit, supervisors their own (people/access.py, Scope).
MANAGERS = (ADMIN, SUPERVISOR)
UNIT_KINDS = ("ward", "area")
RESIDENT_STATUSES = ("active", "discharged", "deceased")
SEXES = ("female", "male", "other")

user_units = Table(
    "user_units",
    db.metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", Uuid, ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Unit(db.Model):
    """A ward or floor of a home, or a service area (village, street) for home visits."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("office_id", "name", name="uq_units_office_id_name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # The office or institution the unit belongs to (server/organisations/).
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="ward")
    # The roster change number: phones pull units changed after their cursor.
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Resident(db.Model):
    """The person visited: a resident of a home or a client at home."""

    __tablename__ = "residents"
    __table_args__ = (
        Index("ix_residents_unit_id_status", "unit_id", "status"),
        # The coverage board walks residents in name order (coverage/board.py).
        Index("ix_residents_name_id", "name", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(String(120))
    sex: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    room: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    care_level: Mapped[str | None] = mapped_column(String(40))
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    admitted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="active")
    status_since: Mapped[date] = mapped_column(Date)
    qr_token: Mapped[str] = mapped_column(String(64), unique=True)
    # The roster change number: phones pull residents changed after their cursor.
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")

    @classmethod
    def in_care_since(cls, first: date) -> ColumnElement[bool]:
        """In care on some day since `first`: everyone a period starting then must judge."""
        return or_(cls.status == "active", cls.status_since >= first)


class ResidentToken(db.Model):
    """Every QR token a resident has had, with the window in which it identified them."""

    __tablename__ = "resident_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id"), index=True)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class User(db.Model):
    """A worker, supervisor, admin or inspector."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12))
    # Where the person works: an office for its staff, a bureau (or an office) for admins and
    # inspectors. Admins and inspectors reach everything below it.
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    units: Mapped[list[Unit]] = relationship(
        secondary=user_units, order_by=Unit.name, lazy="selectin"
    )

    @property
    def unit_ids(self) -> list[uuid.UUID]:
        return [unit.id for unit in self.units]


class Device(db.Model):
    """One login on one phone or browser: its bearer token (hashed) and its sync health."""

    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    app_version: Mapped[str | None] = mapped_column(String(40))
    clock_skew_seconds: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(lazy="joined")

    @hybrid_method
    def is_live(self, now: datetime) -> bool:
        """Its token still opens the API: neither revoked nor expired. The one definition the
        login check, the device list and the unsynced alert share."""
        return self.revoked_at is None and self.expires_at > now

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls, now: datetime) -> ColumnElement[bool]:
        return and_(cls.revoked_at.is_(None), cls.expires_at > now)


class AuditEvent(db.Model):
    """Who changed which record, when, from which device: before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class LoginFailure(db.Model):
    """A failed login, kept for the rate limit; shared by every server process through the DB."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class RosterRemoval(db.Model):
    """A resident who left a unit (moved elsewhere): phones of that unit must drop them."""

    __tablename__ = "roster_removals"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class ChangeCounter(db.Model):
    """The single row that hands out roster change numbers.

    Taking a number locks the row until commit, so numbers become visible in order and a
    phone's cursor never skips a change committed late.
    """

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


__all__ = [
    "ADMIN",
    "MANAGERS",
    "RESIDENT_STATUSES",
    "ROLES",
    "SEXES",
    "SUPERVISOR",
    "UNIT_KINDS",
    "WORKER",
    "AuditEvent",
    "ChangeCounter",
    "Device",
    "LoginFailure",
    "Resident",
    "ResidentToken",
    "RosterRemoval",
    "Unit",
    "User",
    "user_units",
]
