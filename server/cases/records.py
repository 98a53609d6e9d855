"""Opening a case and recording its steps: every step is a record, never updated, and the
case's row (its stage, dates and review) follows from its records (docs/cases.md).

The stage rules are here, one per kind; a plan's steps, an assessment's risks and a closure's
follow-up become tasks in the same transaction (server/cases/tasks.py). Every write takes a
roster change number first, so phones pull the changed case under the same cursor, and the
counter's lock is taken before any row's, as every writer takes it. Domain code flushes; the
caller commits.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from marshmallow import ValidationError
from sqlalchemy.sql.dml import Insert

from server.cases import tasks as case_tasks
from server.cases.schemas import load_body
from server.models import Case, CaseRecord, Resident, User, Visit, utcnow
from server.models.core import ADMIN, SUPERVISOR, WORKER
from server.people import audit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import not_yet_received
from server.platform.sqlparts import insert_or_on_conflict
from server.roster.changes import next_change_number
from server.visits.ingest import canonical_hash

# How far ahead of the server's clock a phone's time may be (its clock is a little off).
AHEAD = timedelta(minutes=10)
ARCHIVED = "archived: read-only"
NEEDS_SIGNATURE = ("plan", "closure")
AUDITED = ("stage", "worker_id", "closed_at", "archived_at", "review_due_on", "last_contact_at")


class CaseProblem(ApiError):
    """A case or a record the rules refuse, with the fields to fix: a 422 (403, 404 or 409
    where the status says) for the office, a `rejected` result for a phone."""

    def __init__(self, errors: dict, status: int = 422) -> None:
        super().__init__(status, "This case step cannot be recorded.", errors=errors)


class CaseTaken(ApiError):
    """Another case or record holds this id already (a resent copy, or a racing request's)."""

    def __init__(self) -> None:
        super().__init__(
            409, "A record with this id exists already.", errors={"id": ["Already used."]}
        )


@dataclass(frozen=True)
class NewCase:
    resident_id: uuid.UUID
    source: str
    source_note: str = ""
    visit_id: uuid.UUID | None = None
    opened_at: datetime | None = None
    worker_id: uuid.UUID | None = None
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class NewRecord:
    kind: str
    body: dict
    at: datetime | None = None
    signature: dict | None = None
    id: uuid.UUID | None = None
    extra: dict = field(default_factory=dict)


@functools.cache
def _insert(model, dialect: str) -> Insert:
    """Built once per table and database kind (the ON CONFLICT form is the dialect's)."""
    return (
        insert_or_on_conflict(model)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(model.__table__.c.id)
    )


def _inserted(model, row: dict) -> bool:
    """ON CONFLICT DO NOTHING: a racing request with the same id waits for the first to commit,
    then finds the id taken, instead of failing the whole batch."""
    statement = _insert(model, db.session.get_bind().dialect.name)
    return db.session.execute(statement, row).scalar() is not None


def sees(actor: audit.Actor, case: Case) -> bool:
    """Whoever sees the case's unit, and its responsible worker."""
    return (
        actor.scope is None or actor.scope.includes(case.unit_id) or case.worker_id == actor.user_id
    )


def signs_off(actor: audit.Actor, case: Case) -> bool:
    """Admins, and the supervisors of the case's unit."""
    user = actor.user
    if user is None or user.role == ADMIN:
        return True
    return user.role == SUPERVISOR and case.unit_id in user.unit_ids


def member_of(user: User | None, unit_id: uuid.UUID) -> bool:
    return (
        user is not None
        and user.active
        and user.role in (WORKER, SUPERVISOR)
        and unit_id in user.unit_ids
    )


def _not_ahead(moment: datetime, now: datetime, name: str) -> None:
    if moment > now + AHEAD:
        raise CaseProblem(
            {name: ["This time is ahead of the server's clock: check the phone's date and time."]}
        )


def case_hash(new: NewCase) -> str:
    """The canonical content of a case as it was opened: a resent copy hashes alike."""
    return canonical_hash({key: value for key, value in new.__dict__.items()})


def record_hash(case_id: uuid.UUID, new: NewRecord) -> str:
    return canonical_hash(
        {
            "id": new.id,
            "case_id": case_id,
            "kind": new.kind,
            "at": new.at,
            "body": new.body,
            "signature": new.signature,
        }
    )


def open_case(
    actor: audit.Actor,
    new: NewCase,
    *,
    now: datetime | None = None,
    content_hash: str | None = None,
) -> Case:
    """Open a case for a resident of the actor's units; the worker responsible is the actor
    unless another worker or supervisor of the unit is named."""
    now = now or utcnow()
    resident = db.session.get(Resident, new.resident_id)
    if resident is None or (actor.scope is not None and not actor.scope.includes(resident.unit_id)):
        raise CaseProblem({"resident_id": ["No such resident in your units."]})
    if resident.status != "active":
        raise CaseProblem({"resident_id": ["The resident has left the roster."]})
    opened_at = new.opened_at or now
    _not_ahead(opened_at, now, "opened_at")
    worker_id = new.worker_id or actor.user_id
    worker = actor.user if worker_id == actor.user_id else db.session.get(User, worker_id)
    if not member_of(worker, resident.unit_id):
        problem = "Not a worker or supervisor of the resident's unit."
        if new.worker_id is None:
            problem = "Name the worker responsible: a worker or supervisor of the resident's unit."
        raise CaseProblem({"worker_id": [problem]})
    if new.visit_id is not None and db.session.get(Visit, new.visit_id) is None:
        raise CaseProblem({"visit_id": [not_yet_received()]})
    case_id = new.id or uuid.uuid4()
    digest = content_hash or case_hash(
        NewCase(**{**new.__dict__, "id": case_id, "opened_at": opened_at})
    )
    number = next_change_number()  # the number before the row, as every writer takes it
    row = {
        "id": case_id,
        "resident_id": resident.id,
        "unit_id": resident.unit_id,
        "worker_id": worker_id,
        "source": new.source,
        "source_note": (new.source_note or "").strip(),
        "visit_id": new.visit_id,
        "stage": "intake",
        "opened_at": opened_at,
        "created_by": actor.user_id,
        "device_id": actor.device_id,
        "received_at": now,
        "updated_at": now,
        "content_hash": digest,
        "change_seq": number,
    }
    if not _inserted(Case, row):
        raise CaseTaken()
    case = db.session.get(Case, case_id)
    audit.record(actor, "create", "case", case.id, None, audit.snapshot(case, AUDITED))
    db.session.flush()
    return case


# --- the stage rules ---------------------------------------------------------------------


def _of_kind(records: list[CaseRecord], kind: str) -> list[CaseRecord]:
    return [record for record in records if record.kind == kind]


def plan_in_force(records: list[CaseRecord]) -> CaseRecord | None:
    plans = _of_kind(records, "plan")
    return plans[-1] if plans else None


def _refuse(kind: str, message: str, status: int = 422):
    raise CaseProblem({"kind": [message]}, status=status)


def _check_stage(actor: audit.Actor, case: Case, kind: str, records: list[CaseRecord]) -> None:
    """Whether a record of this kind may follow the case's records (docs/cases.md's table)."""
    if case.stage == "archived":
        raise CaseProblem({"case_id": [ARCHIVED]}, status=409)
    has = {record.kind for record in records}
    if kind == "intake":
        if records:
            _refuse(kind, "The intake is the case's first record, and is recorded once.", 409)
        return
    if "intake" not in has:
        _refuse(kind, "Record the intake first.")
    closing = "closure" in has
    if kind == "signoff":
        if not signs_off(actor, case):
            raise CaseProblem(
                {"kind": ["Only a supervisor of the unit or an admin signs off."]}, 403
            )
        if not closing:
            _refuse(kind, "Record the closure before the sign-off.")
        return
    if closing:
        _refuse(kind, "The case is closing: only the supervisor's sign-off may follow.", 409)
    if kind == "plan" and "assessment" not in has:
        _refuse(kind, "Assess the needs before the plan.")
    if kind == "review" and "plan" not in has:
        _refuse(kind, "A review needs a plan in force.")


def _goal_ids(records: list[CaseRecord], every_version: bool) -> set[str]:
    plans = _of_kind(records, "plan")
    chosen = plans if every_version else plans[-1:]
    return {goal["id"] for plan in chosen for goal in plan.body.get("goals", [])}


def _check_goals(kind: str, body: dict, records: list[CaseRecord]) -> None:
    """Every goal a record names is a goal of the plan in force (any version, for a closure)."""
    if kind == "contact":
        named, where = body["goal_ids"], "goal_ids"
    elif kind == "review":
        named, where = [item["goal_id"] for item in body["progress"]], "progress"
    elif kind == "closure":
        named, where = [item["goal_id"] for item in body["evaluation"]], "evaluation"
    else:
        return
    known = _goal_ids(records, every_version=kind == "closure")
    unknown = sorted(set(named) - known)
    if unknown:
        raise CaseProblem({"body": {where: [f"Not a goal of the plan: {', '.join(unknown)}."]}})


def _check_people(case: Case, kind: str, body: dict) -> None:
    """A step's or a follow-up's assignee works in the case's unit."""
    named = []
    if kind == "plan":
        named = [(step["assignee_id"], "steps") for step in body["steps"] if step["assignee_id"]]
    elif kind == "closure" and body.get("follow_up") and body["follow_up"].get("assignee_id"):
        named = [(body["follow_up"]["assignee_id"], "follow_up")]
    for assignee_id, where in named:
        if not member_of(db.session.get(User, uuid.UUID(assignee_id)), case.unit_id):
            raise CaseProblem(
                {"body": {where: ["Not a worker or supervisor of the resident's unit."]}}
            )


def _check_signature(kind: str, signature: dict | None) -> None:
    if kind in NEEDS_SIGNATURE and signature is None:
        raise CaseProblem(
            {"signature": ["The client signs the plan and the closure (or say why they cannot)."]}
        )


def _check_visit(kind: str, body: dict) -> None:
    named = body.get("visit_id") if kind == "contact" else None
    if named and db.session.get(Visit, uuid.UUID(named)) is None:
        raise CaseProblem({"body": {"visit_id": [not_yet_received()]}})


# --- what a record changes ---------------------------------------------------------------


def _later(current: datetime | None, moment: datetime) -> datetime:
    return moment if current is None or moment > current else current


def _weeks_after(moment: datetime, weeks: int) -> date:
    return moment.date() + timedelta(weeks=weeks)


def _advance(case: Case, record: CaseRecord, records: list[CaseRecord]) -> None:
    """The case's row as the new record leaves it."""
    kind, at = record.kind, record.at
    if kind == "intake":
        case.stage = "assessment"
        case.last_contact_at = _later(case.last_contact_at, at)
    elif kind == "assessment":
        case.stage = "intervention" if plan_in_force(records) else "assessment"
    elif kind == "plan":
        case.stage = "intervention"
        case.review_due_on = _weeks_after(at, record.body["review_every_weeks"])
    elif kind == "contact":
        case.last_contact_at = _later(case.last_contact_at, at)
    elif kind == "review":
        plan = plan_in_force(records)
        case.review_due_on = _weeks_after(at, plan.body["review_every_weeks"])
    elif kind == "closure":
        case.stage, case.closed_at, case.review_due_on = "closing", at, None
    elif kind == "signoff":
        case.stage, case.archived_at = "archived", at


def add_record(
    actor: audit.Actor,
    case: Case,
    new: NewRecord,
    *,
    now: datetime | None = None,
    content_hash: str | None = None,
) -> CaseRecord:
    """Record one step of a case, if its stage allows it, and change the case as it says.

    The body is checked by its kind (ValidationError under `body`); the tasks the record
    raises are made in the same transaction, once each however often it is resent.
    """
    now = now or utcnow()
    if not sees(actor, case):
        raise CaseProblem({"case_id": ["No such case in your units."]}, status=404)
    records = list(case.records)
    _check_stage(actor, case, new.kind, records)
    try:
        body = load_body(new.kind, new.body)
    except ValidationError as error:
        raise CaseProblem(error.messages) from error
    at = new.at or now
    _not_ahead(at, now, "at")
    _check_signature(new.kind, new.signature)
    _check_goals(new.kind, body, records)
    _check_people(case, new.kind, body)
    _check_visit(new.kind, body)
    record_id = new.id or uuid.uuid4()
    digest = content_hash or record_hash(
        case.id, NewRecord(**{**new.__dict__, "id": record_id, "at": at})
    )
    number = next_change_number()  # before any row, as every writer takes it
    row = {
        "id": record_id,
        "case_id": case.id,
        "kind": new.kind,
        "at": at,
        "received_at": now,
        "author_id": actor.user_id,
        "device_id": actor.device_id,
        "version": len(_of_kind(records, new.kind)) + 1,
        "body": body,
        "signature": new.signature,
        "content_hash": digest,
    }
    if not _inserted(CaseRecord, row):
        raise CaseTaken()
    record = db.session.get(CaseRecord, record_id)
    db.session.refresh(case, ["records"])
    before = audit.snapshot(case, AUDITED)
    _advance(case, record, [*records, record])
    case.updated_at, case.change_seq = now, number
    audit.record(
        actor, "create", "case_record", record.id, None, {"case_id": str(case.id), "kind": new.kind}
    )
    audit.record(actor, "update", "case", case.id, before, audit.snapshot(case, AUDITED))
    case_tasks.raise_for(actor, case, record, records, now=now, number=number)
    db.session.flush()
    return record
