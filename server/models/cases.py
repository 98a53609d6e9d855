"""Case work: a resident's case from intake to archive, and the append-only records of each
step (docs/cases.md).

A case's row is its current state, derived from its records; a record is never updated, a new
assessment or plan is a new record. Phones make both offline with ids of their own, so both sync
exactly once, like visits.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.core import Resident, User
from server.models.types import UTCDateTime, utcnow
from server.platform.extensions import db

CASE_SOURCES = ("round_finding", "referral", "resident_request", "family_request")
CASE_STAGES = ("intake", "assessment", "intervention", "closing", "archived")
OPEN_CASE_STAGES = ("intake", "assessment", "intervention", "closing")
CASE_RECORD_KINDS = ("intake", "assessment", "plan", "contact", "review", "closure", "signoff")


class Case(db.Model):
    """One resident's case work; its stage and dates as its records leave them."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_unit_id_stage", "unit_id", "stage"),
        Index("ix_cases_worker_id_stage", "worker_id", "stage"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id"), index=True)
    # The resident's unit when the case was opened: whose supervisors see it.
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16))
    source_note: Mapped[str] = mapped_column(String(500), default="")
    visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    stage: Mapped[str] = mapped_column(String(12), default="intake")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_due_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When an admin purged its records' text after the retention period.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SHA-256 of the case as it was opened: a resent copy compares by it.
    content_hash: Mapped[str] = mapped_column(String(64))
    # The roster change number of its last change: phones pull changed cases by it.
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)

    resident: Mapped[Resident] = relationship(lazy="joined")
    worker: Mapped[User] = relationship(foreign_keys=[worker_id], lazy="joined")
    records: Mapped[list[CaseRecord]] = relationship(
        back_populates="case", order_by="CaseRecord.at, CaseRecord.received_at, CaseRecord.id"
    )


class CaseRecord(db.Model):
    """One step of a case, as its author recorded it; never updated (a purge blanks it)."""

    __tablename__ = "case_records"
    __table_args__ = (Index("ix_case_records_case_id_kind", "case_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(12))
    # The phone's clock when the step was recorded, and when the server received it.
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The n-th record of its kind in the case.
    version: Mapped[int] = mapped_column(Integer, default=1)
    body: Mapped[dict] = mapped_column(JSON, default=dict)
    # {"signer", "signer_name", "reason", "width", "height", "strokes"} or null.
    signature: Mapped[dict | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))

    case: Mapped[Case] = relationship(back_populates="records")
    author: Mapped[User] = relationship(lazy="joined")


__all__ = [
    "CASE_RECORD_KINDS",
    "CASE_SOURCES",
    "CASE_STAGES",
    "OPEN_CASE_STAGES",
    "Case",
    "CaseRecord",
]
