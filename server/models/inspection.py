"""The bureau's inspection of an office: random samples and the 100-point evaluation."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
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

from server.models.core import User
from server.models.types import UTCDateTime, utcnow
from server.platform.extensions import db

# What a sample is drawn from: visits (to read against the ledger) or residents (回访, a
# callback to ask how the service was).
SAMPLE_KINDS = ("visits", "residents")
# What the inspector found for one sampled record.
SAMPLE_OUTCOMES = ("confirmed", "discrepancy", "unreachable")

# The three columns of the paper form, in the order they are entered.
SELF, REVIEW, ASSESSMENT = "self", "review", "assessment"
EVALUATION_COLUMNS = (SELF, REVIEW, ASSESSMENT)


class Sample(db.Model):
    """A random draw of an office's visits or residents for a period, reproducible from its
    seed: the population is the records in scope ordered by id, drawn with Python's
    `random.Random(seed).sample`."""

    __tablename__ = "samples"
    __table_args__ = (Index("ix_samples_office_id_drawn_at", "office_id", "drawn_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(12))  # one of SAMPLE_KINDS
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    size: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(String(64))
    drawn_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    drawer: Mapped[User] = relationship(foreign_keys=[drawn_by], lazy="joined")
    items: Mapped[list[SampleItem]] = relationship(
        back_populates="sample", order_by="SampleItem.position", cascade="all, delete-orphan"
    )


class SampleItem(db.Model):
    """One drawn record on the checklist, with what the inspector found and noted."""

    __tablename__ = "sample_items"
    __table_args__ = (UniqueConstraint("sample_id", "position", name="uq_sample_items_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sample_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samples.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits.id"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id"))
    outcome: Mapped[str | None] = mapped_column(String(12))  # one of SAMPLE_OUTCOMES
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sample: Mapped[Sample] = relationship(back_populates="items")


class Evaluation(db.Model):
    """An office's evaluation (考核评价表) for one year: one per office and year."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("office_id", "year", name="uq_evaluations_office_year"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scores: Mapped[list[EvaluationScore]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )
    submissions: Mapped[list[EvaluationSubmission]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )


class EvaluationScore(db.Model):
    """One item's points in one column, with the note that explains them and, for an item the
    data decides, the computed points they were entered against."""

    __tablename__ = "evaluation_scores"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "item", "column", name="uq_evaluation_scores_cell"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluations.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))  # an item code of server/evaluation/table.py
    column: Mapped[str] = mapped_column(String(12))  # one of EVALUATION_COLUMNS
    points: Mapped[float] = mapped_column(Float)
    computed: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="scores")


class EvaluationSubmission(db.Model):
    """A column handed in: from then on its scores are fixed and the next column may begin."""

    __tablename__ = "evaluation_submissions"

    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluations.id"), primary_key=True)
    column: Mapped[str] = mapped_column(String(12), primary_key=True)
    total: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="submissions")
    submitter: Mapped[User] = relationship(lazy="joined")


class EvaluationEvidence(db.Model):
    """A document an office attached to an item as its evidence (a photo of the sign board)."""

    __tablename__ = "evaluation_evidence"

    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluations.id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("office_documents.id"), primary_key=True
    )
    attached_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = [
    "ASSESSMENT",
    "EVALUATION_COLUMNS",
    "REVIEW",
    "SAMPLE_KINDS",
    "SAMPLE_OUTCOMES",
    "SELF",
    "Evaluation",
    "EvaluationEvidence",
    "EvaluationScore",
    "EvaluationSubmission",
    "Sample",
    "SampleItem",
]
