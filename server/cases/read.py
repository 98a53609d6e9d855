"""Reading cases: the phone's copy (its pull), the office's list with its counts, and one case
with every record (docs/cases.md).

A person sees the cases of their units and the cases they are responsible for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from server.models import OPEN_CASE_STAGES, Case, CaseRecord, User
from server.people.access import Scope
from server.platform.errors import NotFound
from server.platform.extensions import db


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def person(user: User | None) -> dict | None:
    return None if user is None else {"id": str(user.id), "display_name": user.display_name}


def signed(record: CaseRecord) -> dict | None:
    """Who signed a record, without the strokes."""
    if not record.signature:
        return None
    return {
        "signer": record.signature.get("signer"),
        "signer_name": record.signature.get("signer_name"),
    }


def record_entry(record: CaseRecord) -> dict:
    return {
        "id": str(record.id),
        "kind": record.kind,
        "at": _iso(record.at),
        "author": person(record.author),
        "version": record.version,
        "body": record.body,
        "signed": signed(record),
    }


def case_fields(case: Case) -> dict:
    """A case's own fields, as the phone and the office read them."""
    return {
        "id": str(case.id),
        "resident_id": str(case.resident_id),
        "resident_name": case.resident.name,
        "unit_id": str(case.unit_id),
        "worker_id": str(case.worker_id),
        "source": case.source,
        "source_note": case.source_note,
        "visit_id": str(case.visit_id) if case.visit_id else None,
        "stage": case.stage,
        "opened_at": _iso(case.opened_at),
        "closed_at": _iso(case.closed_at),
        "archived_at": _iso(case.archived_at),
        "last_contact_at": _iso(case.last_contact_at),
        "review_due_on": _iso(case.review_due_on),
        "change_seq": case.change_seq,
    }


def case_entry(case: Case) -> dict:
    """A case as the phone keeps it: its fields and its records."""
    return {**case_fields(case), "records": [record_entry(r) for r in case.records]}


def _visible(unit_ids, user_id):
    if unit_ids is None:
        return True
    return or_(Case.unit_id.in_(sorted(unit_ids)), Case.worker_id == user_id)


def changed_cases(
    unit_ids: set[uuid.UUID] | None,
    user_id: uuid.UUID | None,
    since: int,
    up_to: int | None,
    reset: bool,
) -> tuple[list[dict], list[str]]:
    """The pull's part: cases not archived changed after `since` (to `up_to`) in the person's
    sight, and the ids of those archived since. A reset sends every open case, no removals."""
    query = (
        select(Case)
        .where(Case.change_seq > since, _visible(unit_ids, user_id))
        .options(selectinload(Case.records))
        .order_by(Case.change_seq, Case.id)
    )
    if up_to is not None:
        query = query.where(Case.change_seq <= up_to)
    if reset:
        query = query.where(Case.stage.in_(OPEN_CASE_STAGES))
    entries, removed = [], []
    for case in db.session.scalars(query):
        if case.stage in OPEN_CASE_STAGES:
            entries.append(case_entry(case))
        else:
            removed.append(str(case.id))
    return entries, removed


# --- the office -------------------------------------------------------------------------


@dataclass
class CaseFilter:
    """What the office list asks for (docs/cases.md, GET /api/v1/cases)."""

    unit_id: uuid.UUID | None = None
    worker_id: uuid.UUID | None = None
    resident_id: uuid.UUID | None = None
    stage: str | None = None
    attention: str | None = None


def visible_to(scope: Scope, user_id: uuid.UUID | None):
    return _visible(scope.unit_ids, user_id)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _attention(attention: str | None, today: date, no_contact_days: int):
    """The condition of a case needing attention: a review due, or no contact for N days."""
    open_stage = Case.stage.in_(("assessment", "intervention"))
    if attention == "review_due":
        return open_stage & (Case.review_due_on <= today)
    if attention == "no_contact":
        since = _start_of(today - timedelta(days=no_contact_days))
        return Case.stage.in_(OPEN_CASE_STAGES) & (
            (Case.last_contact_at < since) | Case.last_contact_at.is_(None)
        )
    return True


def _filtered(query: Select, wanted: CaseFilter) -> Select:
    if wanted.unit_id is not None:
        query = query.where(Case.unit_id == wanted.unit_id)
    if wanted.worker_id is not None:
        query = query.where(Case.worker_id == wanted.worker_id)
    if wanted.resident_id is not None:
        query = query.where(Case.resident_id == wanted.resident_id)
    return query


def summary(case: Case, today: date, no_contact_days: int) -> dict:
    """A case as the office lists it."""
    last = case.last_contact_at
    days = (today - last.date()).days if last is not None else None
    open_case = case.stage in ("assessment", "intervention")
    return {
        **case_fields(case),
        "worker": person(case.worker),
        "review_due": bool(open_case and case.review_due_on and case.review_due_on <= today),
        "days_since_contact": days,
        "no_contact": case.stage in OPEN_CASE_STAGES and (days is None or days > no_contact_days),
    }


def list_cases(
    scope: Scope,
    user_id,
    wanted: CaseFilter,
    today: date,
    no_contact_days: int,
    page: int,
    per_page: int,
) -> tuple[list[dict], int]:
    query = _filtered(select(Case).where(visible_to(scope, user_id)), wanted)
    if wanted.stage is not None:
        query = query.where(Case.stage == wanted.stage)
    query = query.where(_attention(wanted.attention, today, no_contact_days))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(
        query.order_by(Case.opened_at.desc(), Case.id).limit(per_page).offset((page - 1) * per_page)
    )
    return [summary(case, today, no_contact_days) for case in rows], total


def counts(scope: Scope, user_id, wanted: CaseFilter, today: date, no_contact_days: int) -> dict:
    """The list's counts, over the filter but every stage: by stage, reviews due, no contact,
    and each worker's open caseload."""
    seen = _filtered(select(Case).where(visible_to(scope, user_id)), wanted).subquery()
    by_stage = dict(
        db.session.execute(select(seen.c.stage, func.count()).group_by(seen.c.stage)).all()
    )

    def counted(attention: str) -> int:
        query = _filtered(select(func.count(Case.id)).where(visible_to(scope, user_id)), wanted)
        return db.session.scalar(query.where(_attention(attention, today, no_contact_days)))

    caseload = db.session.execute(
        select(User, func.count(seen.c.id))
        .join(seen, seen.c.worker_id == User.id)
        .where(seen.c.stage.in_(OPEN_CASE_STAGES))
        .group_by(User.id)
        .order_by(func.count(seen.c.id).desc(), User.display_name)
    ).all()
    return {
        "by_stage": {stage: by_stage.get(stage, 0) for stage in (*OPEN_CASE_STAGES, "archived")},
        "review_due": counted("review_due"),
        "no_contact": counted("no_contact"),
        "caseload": [{"worker": person(user), "open": n} for user, n in caseload],
    }


def case_in_sight(scope: Scope, user_id, case_id: uuid.UUID) -> Case:
    """The case, if this person sees it; 404 otherwise (as if it did not exist)."""
    case = db.session.get(Case, case_id)
    if case is None or not (
        scope.unit_ids is None or case.unit_id in scope.unit_ids or case.worker_id == user_id
    ):
        raise NotFound("case")
    return case


def signature_url(case: Case, record: CaseRecord) -> str | None:
    if not record.signature or not record.signature.get("strokes"):
        return None
    return f"/api/v1/cases/{case.id}/records/{record.id}/signature.svg"


def case_detail(case: Case, today: date, no_contact_days: int) -> dict:
    """One case for the office: its summary and every record, signatures by address."""
    return {
        **summary(case, today, no_contact_days),
        "purged_at": _iso(case.purged_at),
        "records": [
            {**record_entry(r), "signature_url": signature_url(case, r)} for r in case.records
        ],
    }
