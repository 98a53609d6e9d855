"""Opening an office's evaluation for a year, entering its cells, attaching evidence and
handing in a column (docs/evaluation.md, "Who enters what").

The three columns are entered in order by three people: the office's admin (self), an
inspector or admin of the office's district bureau (review), one of the city bureau
(assessment). A column handed in is fixed. Everything here is audited and only flushed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from server.evaluation.computed import OfficeYear, computed_item, computed_items
from server.evaluation.table import BY_CODE, ITEMS, MANUAL, grade_of, round_down
from server.models import (
    ASSESSMENT,
    EVALUATION_COLUMNS,
    REVIEW,
    SELF,
    Evaluation,
    EvaluationEvidence,
    EvaluationScore,
    EvaluationSubmission,
    OfficeDocument,
    Organisation,
    utcnow,
)
from server.models.core import ADMIN, INSPECTOR
from server.organisations.tree import load_tree
from server.people import audit
from server.people.access import Scope
from server.people.audit import Actor
from server.platform.errors import ApiError, Conflict, Forbidden, NotFound
from server.platform.extensions import db
from server.platform.field_codes import coded

SCORE_FIELDS = ("item", "column", "points", "computed", "note")
PREVIOUS = {SELF: None, REVIEW: SELF, ASSESSMENT: REVIEW}


class ScoreProblem(ApiError):
    def __init__(self, errors: dict) -> None:
        super().__init__(422, "Some fields are not valid.", errors=errors)


# --- who sees and who enters ------------------------------------------------------------------


def office_in_sight(scope: Scope, office_id: uuid.UUID) -> Organisation:
    """The office, or 404 when there is none or it lies outside one's reach."""
    office = db.session.get(Organisation, office_id)
    if office is None or office.kind != "office" or not scope.includes_office(office.id):
        raise NotFound("office")
    return office


def evaluation_in_sight(scope: Scope, evaluation_id: uuid.UUID) -> Evaluation:
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None or not scope.includes_office(evaluation.office_id):
        raise NotFound("evaluation")
    return evaluation


def may_enter(actor: Actor, office_id: uuid.UUID, column: str) -> bool:
    """Self: an admin reaching the office. Review: an inspector or admin of its district
    bureau. Assessment: one of the city bureau."""
    user = actor.user
    if user is None or not actor.scope.includes_office(office_id):
        return False
    if column == SELF:
        return user.role == ADMIN
    if user.role not in (ADMIN, INSPECTOR):
        return False
    tree = load_tree()
    if column == REVIEW:
        district = tree.district_of(office_id)
        return district is not None and user.organisation_id == district.id
    return user.organisation_id == tree.root_id


def _require_enterer(actor: Actor, evaluation: Evaluation, column: str) -> None:
    if not may_enter(actor, evaluation.office_id, column):
        who = {
            SELF: "the office's admin",
            REVIEW: "an inspector of the office's district bureau",
            ASSESSMENT: "an inspector of the city bureau",
        }[column]
        raise Forbidden(f"The {column} column is entered by {who}.")


def submission(evaluation: Evaluation, column: str) -> EvaluationSubmission | None:
    return db.session.get(EvaluationSubmission, (evaluation.id, column))


def _require_open(evaluation: Evaluation, column: str) -> None:
    """409 for a column already handed in, or one whose previous column is not yet."""
    if submission(evaluation, column) is not None:
        raise Conflict(f"The {column} column was submitted and is fixed.")
    previous = PREVIOUS[column]
    if previous is not None and submission(evaluation, previous) is None:
        raise Conflict(f"The {previous} column must be submitted first.")


# --- opening and entering ---------------------------------------------------------------------


def open_evaluation(actor: Actor, office_id: uuid.UUID, year: int) -> tuple[Evaluation, bool]:
    """The office's evaluation for the year, made when there is none; and whether it was made."""
    office_in_sight(actor.scope, office_id)
    found = db.session.scalar(
        select(Evaluation).where(Evaluation.office_id == office_id, Evaluation.year == year)
    )
    if found is not None:
        return found, False
    evaluation = Evaluation(office_id=office_id, year=year, created_by=actor.user_id)
    db.session.add(evaluation)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "evaluation",
        evaluation.id,
        after={"office_id": str(office_id), "year": year},
    )
    return evaluation, True


def cell(evaluation: Evaluation, item: str, column: str) -> EvaluationScore | None:
    return db.session.scalar(
        select(EvaluationScore).where(
            EvaluationScore.evaluation_id == evaluation.id,
            EvaluationScore.item == item,
            EvaluationScore.column == column,
        )
    )


@dataclass(frozen=True)
class Entry:
    points: float
    note: str = ""


def _entry_errors(code: str, entry: Entry, computed: float | None) -> dict[str, list]:
    item = BY_CODE[code]
    if not 0 <= entry.points <= item.points:
        return {"points": [coded(f"From 0 to {item.points:g}.", "range", min=0, max=item.points)]}
    if round_down(entry.points) != entry.points:
        return {"points": [coded("In half points: 5, 5.5, 6.", "invalid")]}
    if computed is not None and entry.points != computed and not entry.note.strip():
        return {
            "note": [
                coded(f"Say why the points differ from the {computed:g} computed.", "required")
            ]
        }
    return {}


def enter_score(
    actor: Actor, evaluation: Evaluation, code: str, column: str, entry: Entry, year: OfficeYear
) -> EvaluationScore:
    """One cell: its points and note, against the computed points where the data decides."""
    if code not in BY_CODE or column not in EVALUATION_COLUMNS:
        raise NotFound("item")
    _require_enterer(actor, evaluation, column)
    _require_open(evaluation, column)
    computed = computed_item(year, code)["points"] if BY_CODE[code].computed else None
    errors = _entry_errors(code, entry, computed)
    if errors:
        raise ScoreProblem(errors)
    score = cell(evaluation, code, column)
    before = None if score is None else audit.snapshot(score, SCORE_FIELDS)
    if score is None:
        score = EvaluationScore(evaluation_id=evaluation.id, item=code, column=column)
        db.session.add(score)
    score.points, score.computed, score.note = entry.points, computed, entry.note.strip()
    score.entered_by, score.entered_at = actor.user_id, utcnow()
    db.session.flush()
    audit.record(
        actor,
        "score",
        "evaluation",
        evaluation.id,
        before,
        audit.snapshot(score, SCORE_FIELDS),
    )
    return score


# --- evidence ---------------------------------------------------------------------------------


def _evidence_document(evaluation: Evaluation, document_id: uuid.UUID) -> OfficeDocument:
    document = db.session.get(OfficeDocument, document_id)
    if document is None or document.office_id != evaluation.office_id:
        raise NotFound("document")
    if document.kind != "evidence" or document.withdrawn_at is not None:
        raise ScoreProblem(
            {"document_id": [coded("Attach a document of kind evidence.", "invalid")]}
        )
    return document


def _evidence_item(code: str) -> None:
    if code not in BY_CODE:
        raise NotFound("item")


def attach_evidence(
    actor: Actor, evaluation: Evaluation, code: str, document_id: uuid.UUID
) -> EvaluationEvidence:
    """The office's admin attaches one of the office's evidence documents to an item, until
    the self score is handed in. Attaching twice keeps one."""
    _evidence_item(code)
    _require_enterer(actor, evaluation, SELF)
    _require_open(evaluation, SELF)
    _evidence_document(evaluation, document_id)
    found = db.session.get(EvaluationEvidence, (evaluation.id, code, document_id))
    if found is not None:
        return found
    evidence = EvaluationEvidence(
        evaluation_id=evaluation.id, item=code, document_id=document_id, attached_by=actor.user_id
    )
    db.session.add(evidence)
    db.session.flush()
    audit.record(
        actor,
        "attach_evidence",
        "evaluation",
        evaluation.id,
        after={"item": code, "document_id": str(document_id)},
    )
    return evidence


def detach_evidence(
    actor: Actor, evaluation: Evaluation, code: str, document_id: uuid.UUID
) -> None:
    _evidence_item(code)
    _require_enterer(actor, evaluation, SELF)
    _require_open(evaluation, SELF)
    found = db.session.get(EvaluationEvidence, (evaluation.id, code, document_id))
    if found is None:
        raise NotFound("evidence")
    db.session.delete(found)
    db.session.flush()
    audit.record(
        actor,
        "detach_evidence",
        "evaluation",
        evaluation.id,
        before={"item": code, "document_id": str(document_id)},
    )


# --- handing a column in ----------------------------------------------------------------------


def column_points(evaluation: Evaluation, column: str, computed: dict[str, dict]) -> dict:
    """Each item's points in a column: as entered; else carried from the column before; else,
    for an item the data decides, the computed points. None: nothing to go on (a manual item
    not scored)."""
    entered = {score.item: score.points for score in evaluation.scores if score.column == column}
    previous = PREVIOUS[column]
    before = column_points(evaluation, previous, computed) if previous else {}
    points = {}
    for item in ITEMS:
        if item.code in entered:
            points[item.code] = entered[item.code]
        elif before.get(item.code) is not None:
            points[item.code] = before[item.code]
        elif item.computed:
            points[item.code] = computed[item.code]["points"]
        else:
            points[item.code] = None
    return points


def total_of(points: dict) -> float:
    return sum(value for value in points.values() if value is not None)


def submit_column(
    actor: Actor, evaluation: Evaluation, column: str, note: str, year: OfficeYear
) -> EvaluationSubmission:
    """Hand a column in: every item then holds its points (carried ones are written down), the
    total and the grade are kept, and the column is fixed."""
    if column not in EVALUATION_COLUMNS:
        raise NotFound("column")
    _require_enterer(actor, evaluation, column)
    _require_open(evaluation, column)
    computed = computed_items(year)
    points = column_points(evaluation, column, computed)
    missing = [code for code in MANUAL if points[code] is None]
    if missing:
        raise ScoreProblem(
            {code: [coded("Score this item before submitting.", "required")] for code in missing}
        )
    held = {score.item for score in evaluation.scores if score.column == column}
    for item in ITEMS:
        if item.code not in held:
            evaluation.scores.append(
                EvaluationScore(
                    item=item.code,
                    column=column,
                    points=points[item.code],
                    computed=computed[item.code]["points"] if item.computed else None,
                    note="",
                    entered_by=actor.user_id,
                )
            )
    total = total_of(points)
    handed_in = EvaluationSubmission(
        evaluation_id=evaluation.id,
        column=column,
        total=total,
        grade=grade_of(total),
        note=note.strip(),
        submitted_by=actor.user_id,
    )
    db.session.add(handed_in)
    db.session.flush()
    audit.record(
        actor,
        "submit",
        "evaluation",
        evaluation.id,
        after={"column": column, "total": total, "grade": handed_in.grade},
    )
    return handed_in
