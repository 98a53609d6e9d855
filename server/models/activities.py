"""The office's group work and its reception days (docs/activities.md).

An activity (a birthday party, a festival, a health talk) is recorded on the phone, offline,
with the residents who came (scanned in by their QR codes or picked from the roster) and its
photos: the activity and each photo carry ids made on the phone and sync exactly once, like
visits. Photos are files in ROUNDS_MEDIA_DIR; their rows hold what the file is.

A reception day (每月老年社会服务接待日) is recorded at the office desk: the day and the people
received, what they asked and what was done.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import Resident, User
from server.models.types import UTCDateTime, utcnow
from server.platform.extensions import db

# The kinds every office has; an office adds its own (ActivityType rows with builtin false).
BUILTIN_ACTIVITY_TYPES = (
    "birthday",
    "festival",
    "health_talk",
    "tai_chi",
    "music",
    "outing",
)
ATTENDANCE_IDENTIFIED_BY = ("qr", "manual")
VISITOR_KINDS = ("resident", "family", "public")
RECEPTION_OUTCOMES = ("resolved", "referred", "pending")


class ActivityType(db.Model):
    """A kind of activity with its names in both languages."""

    __tablename__ = "activity_types"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Activity(db.Model):
    """One group activity as the phone recorded it; a resent copy compares by its hash."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_unit_id_held_on", "unit_id", "held_on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # The unit it was held for: whose supervisors see it, whose residents may attend.
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    type_code: Mapped[str] = mapped_column(ForeignKey("activity_types.code"))
    title: Mapped[str] = mapped_column(String(200))
    # When it started (the phone's clock) and its local day in ROUNDS_TIMEZONE, fixed at receipt.
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(200), default="")
    # Staff who organised it: a list of user ids.
    organisers: Mapped[list] = mapped_column(JSON, default=list)
    # [{"name": "…", "hours": 2.5}]: volunteers are not users.
    volunteers: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The roster change number of its last change: phones pull their units' recent activities.
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)

    attendees: Mapped[list[ActivityAttendance]] = relationship(
        back_populates="activity", order_by="ActivityAttendance.at"
    )
    photos: Mapped[list[ActivityPhoto]] = relationship(
        back_populates="activity", order_by="ActivityPhoto.taken_at"
    )


class ActivityAttendance(db.Model):
    """A resident who attended an activity, and how they were recognised."""

    __tablename__ = "activity_attendance"

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("residents.id"), primary_key=True, index=True
    )
    identified_by: Mapped[str] = mapped_column(String(10))  # one of ATTENDANCE_IDENTIFIED_BY
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    activity: Mapped[Activity] = relationship(back_populates="attendees")
    resident: Mapped[Resident] = relationship(lazy="joined")


class ActivityPhoto(db.Model):
    """A photo of an activity: the file is `storage_key` under ROUNDS_MEDIA_DIR."""

    __tablename__ = "activity_photos"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(30))
    byte_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # SHA-256 of the file's bytes: a resent photo compares by it.
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    caption: Mapped[str] = mapped_column(String(300), default="")
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="photos")


class ReceptionDay(db.Model):
    """A day the office held its reception for elders, families and the public."""

    __tablename__ = "reception_days"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The unit that held it, if one: whose supervisors see it (none: the whole office).
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    place: Mapped[str] = mapped_column(String(200), default="")
    # Staff on duty: a list of user ids.
    staff: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    receptions: Mapped[list[Reception]] = relationship(
        back_populates="day", order_by="Reception.created_at", cascade="all, delete-orphan"
    )


class Reception(db.Model):
    """One person received on a reception day: who, what they asked, what was done."""

    __tablename__ = "receptions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    day_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reception_days.id"), index=True)
    visitor_kind: Mapped[str] = mapped_column(String(10))  # one of VISITOR_KINDS
    # The resident received, or the resident a family member came about.
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("residents.id"), index=True)
    visitor_name: Mapped[str] = mapped_column(String(120), default="")
    relation: Mapped[str] = mapped_column(String(60), default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    request: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(10))  # one of RECEPTION_OUTCOMES
    referred_to: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    day: Mapped[ReceptionDay] = relationship(back_populates="receptions")
    resident: Mapped[Resident | None] = relationship(lazy="joined")
    author: Mapped[User] = relationship(lazy="joined")


__all__ = [
    "ATTENDANCE_IDENTIFIED_BY",
    "BUILTIN_ACTIVITY_TYPES",
    "RECEPTION_OUTCOMES",
    "VISITOR_KINDS",
    "Activity",
    "ActivityAttendance",
    "ActivityPhoto",
    "ActivityType",
    "Reception",
    "ReceptionDay",
]
