"""The organisation levels (city bureau → district bureau → office) and the office's facts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.types import UTCDateTime, utcnow
from server.platform.extensions import db

CITY, DISTRICT, OFFICE = "city", "district", "office"
ORGANISATION_KINDS = (CITY, DISTRICT, OFFICE)
# The kind each kind's parent must be: a city has none.
PARENT_KIND = {CITY: None, DISTRICT: CITY, OFFICE: DISTRICT}

# What a member of an office's staff is there as (队伍建设): its head, a full-time social
# worker, a part-time social worker, a volunteer.
STAFF_POSITIONS = ("head", "fulltime", "parttime", "volunteer")
# A document an office keeps: its annual plan, its public staff introduction, its rules as
# posted, a finance statement, or evidence for an item of the evaluation.
DOCUMENT_KINDS = ("annual_plan", "staff_introduction", "rules", "finance", "evidence")


class Organisation(db.Model):
    """A bureau (city, district) or an office or institution; units belong to an office."""

    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_organisations_parent_name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(10))  # one of ORGANISATION_KINDS
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfficeStaff(db.Model):
    """A person on an office's staff list, with the dates they served and their qualification.

    Not necessarily a user: volunteers and a head who never records rounds are listed too.
    """

    __tablename__ = "office_staff"
    __table_args__ = (Index("ix_office_staff_office_id_started_on", "office_id", "started_on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(12))  # one of STAFF_POSITIONS
    # e.g. 社会工作者职业水平证书 (中级), 社会工作专业本科: free text, as on the certificate.
    qualification: Mapped[str] = mapped_column(String(200), default="")
    certificate_no: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # What the public introduction on the wall says of them (职称、技能特长).
    introduction: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class OfficeDocument(db.Model):
    """A file an office keeps (annual plan, staff introduction, evidence), stored in the media
    directory under its bytes' digest; kept, never overwritten."""

    __tablename__ = "office_documents"
    __table_args__ = (
        Index("ix_office_documents_office_id_kind_year", "office_id", "kind", "year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(20))  # one of DOCUMENT_KINDS
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(80))
    byte_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    # The day the document took effect or was posted (the plan's date, the notice's date).
    dated_on: Mapped[date | None] = mapped_column(Date)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Organisation] = relationship(lazy="joined")


__all__ = [
    "CITY",
    "DISTRICT",
    "DOCUMENT_KINDS",
    "OFFICE",
    "ORGANISATION_KINDS",
    "PARENT_KIND",
    "STAFF_POSITIONS",
    "OfficeDocument",
    "OfficeStaff",
    "Organisation",
]
