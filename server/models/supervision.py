"""Supervision of the work: reviews of records and the workers' answers, supervision meetings,
and the office's settings of targets (docs/reviews.md, docs/meetings.md, docs/office-rules.md).

A review is never updated: a record returned, amended and approved has two reviews, and the
latest is its state. A worker answers a returned record from the phone, offline, with a reply
of its own id, so the reply syncs exactly once like a visit.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import User
from server.models.types import UTCDateTime, utcnow
from server.platform.extensions import db

REVIEWED_KINDS = ("visit", "case_record")
REVIEW_DECISIONS = ("approved", "returned")
MEETING_KINDS = ("individual", "group")


class RecordReview(db.Model):
    """A supervisor's decision on one record: approved, or returned to its author with why."""

    __tablename__ = "record_reviews"
    __table_args__ = (
        Index("ix_record_reviews_record", "record_kind", "record_id"),
        Index("ix_record_reviews_worker_id_decision", "worker_id", "decision"),
        Index("ix_record_reviews_unit_id_reviewed_at", "unit_id", "reviewed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    record_kind: Mapped[str] = mapped_column(String(12))  # one of REVIEWED_KINDS
    # A visit's or a case record's id: no foreign key, the kind says which table.
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # Whose record it is (the visiting worker, the record's author) and its unit: whose phone
    # gets it back, whose supervisors may review it.
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id"))
    # When the server received the record: time to review counts from it.
    record_received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decision: Mapped[str] = mapped_column(String(10))  # one of REVIEW_DECISIONS
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the author answered a returned record (a reply, with or without an amendment).
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The roster change number of its last change: the author's phone pulls it by it.
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="joined")
    replies: Mapped[list[ReviewReply]] = relationship(
        back_populates="review", order_by="ReviewReply.at, ReviewReply.id"
    )


class ReviewReply(db.Model):
    """The author's answer to a returned record, made on the phone with an id of its own."""

    __tablename__ = "review_replies"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("record_reviews.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    body: Mapped[str] = mapped_column(Text, default="")
    # The amendment made in answer, if the author corrected the record (a visit's amendment).
    amendment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))

    review: Mapped[RecordReview] = relationship(back_populates="replies")
    author: Mapped[User] = relationship(lazy="joined")


class SupervisionMeeting(db.Model):
    """An individual or group supervision meeting, as its supervisor recorded it."""

    __tablename__ = "supervision_meetings"
    __table_args__ = (Index("ix_supervision_meetings_held_on", "held_on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(12))  # one of MEETING_KINDS
    held_on: Mapped[date] = mapped_column(Date)
    supervisor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The unit it was held for, if one: whose supervisors and admins see it.
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    place: Mapped[str] = mapped_column(String(200), default="")
    minutes: Mapped[int | None] = mapped_column(Integer)  # how long it lasted
    topics: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id], lazy="joined")
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    discussed: Mapped[list[MeetingDiscussion]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDiscussion.id"
    )


class MeetingParticipant(db.Model):
    """A worker (or fellow supervisor) who took part in a meeting."""

    __tablename__ = "meeting_participants"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_meetings.id"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    meeting: Mapped[SupervisionMeeting] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(lazy="joined")


class MeetingDiscussion(db.Model):
    """A resident or case discussed at a meeting, with what was said of it."""

    __tablename__ = "meeting_discussions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supervision_meetings.id"), index=True)
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("residents.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[SupervisionMeeting] = relationship(back_populates="discussed")


class Setting(db.Model):
    """One of the office's settings (server/settings.py names them and their defaults)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


__all__ = [
    "MEETING_KINDS",
    "REVIEWED_KINDS",
    "REVIEW_DECISIONS",
    "MeetingDiscussion",
    "MeetingParticipant",
    "RecordReview",
    "ReviewReply",
    "Setting",
    "SupervisionMeeting",
]
