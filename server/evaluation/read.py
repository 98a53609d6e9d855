"""Reading evaluations: one with every item, its computed value, the three columns, evidence
and grade; the year's list across the offices one reaches; an office's history; and the
records behind a computed item, paged (docs/evaluation.md)."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, extract, func, select

from server.evaluation import computed as rules
from server.evaluation.computed import OfficeYear
from server.evaluation.records import column_points, may_enter, office_in_sight, total_of
from server.evaluation.table import BY_CODE, ITEMS, SECTIONS, grade_of
from server.models import (
    EVALUATION_COLUMNS,
    Activity,
    CaseRecord,
    Evaluation,
    EvaluationEvidence,
    EvaluationSubmission,
    OfficeDocument,
    OfficeStaff,
    Organisation,
    ReceptionDay,
    Resident,
    User,
    Visit,
    VisitDayCount,
)
from server.organisations.tree import load_tree
from server.people.access import Scope
from server.people.audit import Actor
from server.platform.errors import NotFound
from server.platform.extensions import db
from server.reports.day_counts import RATINGS

NOT_STARTED, OPEN = "not_started", "open"


def _person(user_id: uuid.UUID | None) -> dict | None:
    user = db.session.get(User, user_id) if user_id else None
    return None if user is None else {"id": user.id, "display_name": user.display_name}


def _district(office: Organisation) -> dict | None:
    district = db.session.get(Organisation, office.parent_id) if office.parent_id else None
    return None if district is None else {"id": district.id, "name": district.name}


def status_of(submitted: dict[str, EvaluationSubmission]) -> str:
    """Open until a column is handed in; then the last column handed in."""
    done = [column for column in EVALUATION_COLUMNS if column in submitted]
    return done[-1] if done else OPEN


def _submissions(evaluation: Evaluation) -> dict[str, EvaluationSubmission]:
    return {row.column: row for row in evaluation.submissions}


def submission_view(row: EvaluationSubmission | None) -> dict | None:
    if row is None:
        return None
    return {
        "column": row.column,
        "total": row.total,
        "grade": row.grade,
        "note": row.note,
        "submitted_by": _person(row.submitted_by),
        "submitted_at": row.submitted_at,
    }


def shown_grade(submitted: dict[str, EvaluationSubmission]) -> str | None:
    """The grade of the latest column handed in: the city's once it has assessed."""
    done = [submitted[column] for column in EVALUATION_COLUMNS if column in submitted]
    return done[-1].grade if done else None


def _evidence(evaluation: Evaluation) -> dict[str, list[dict]]:
    rows = db.session.execute(
        select(EvaluationEvidence, OfficeDocument)
        .join(OfficeDocument, OfficeDocument.id == EvaluationEvidence.document_id)
        .where(EvaluationEvidence.evaluation_id == evaluation.id)
        .order_by(EvaluationEvidence.attached_at)
    ).all()
    found: dict[str, list[dict]] = {}
    for evidence, document in rows:
        found.setdefault(evidence.item, []).append(
            {
                "document_id": document.id,
                "title": document.title,
                "file_name": document.file_name,
                "content_type": document.content_type,
                "attached_at": evidence.attached_at,
            }
        )
    return found


def _cell_view(score) -> dict | None:
    if score is None:
        return None
    return {
        "points": score.points,
        "computed": score.computed,
        "note": score.note,
        "entered_by": _person(score.entered_by),
        "entered_at": score.entered_at,
    }


def evaluation_view(actor: Actor, evaluation: Evaluation, year: OfficeYear) -> dict:
    """The whole form as one answer: items in the table's order with their computed values,
    cells, evidence; each column's running total, hand-in and whether one may enter it."""
    office = db.session.get(Organisation, evaluation.office_id)
    computed = rules.computed_items(year)
    submitted = _submissions(evaluation)
    cells = {(score.item, score.column): score for score in evaluation.scores}
    evidence = _evidence(evaluation)
    items = [
        {
            "code": item.code,
            "section": item.section,
            "max": item.points,
            "zh": item.zh,
            "en": item.en,
            "computed": item.computed,
            "value": computed.get(item.code),
            "hints": rules.process_hints(year) if item.hinted else None,
            "cells": {
                column: _cell_view(cells.get((item.code, column))) for column in EVALUATION_COLUMNS
            },
            "evidence": evidence.get(item.code, []),
        }
        for item in ITEMS
    ]
    columns = {}
    for column in EVALUATION_COLUMNS:
        points = column_points(evaluation, column, computed)
        columns[column] = {
            "points": points,
            "total": total_of(points),
            "grade": grade_of(total_of(points)),
            "submitted": submission_view(submitted.get(column)),
            "may_enter": column not in submitted and may_enter(actor, evaluation.office_id, column),
        }
    return {
        "id": evaluation.id,
        "year": evaluation.year,
        "office": {"id": office.id, "name": office.name},
        "district": _district(office),
        "status": status_of(submitted),
        "grade": shown_grade(submitted),
        "sections": [{"code": s.code, "zh": s.zh, "en": s.en, "max": s.points} for s in SECTIONS],
        "items": items,
        "columns": columns,
        "created_at": evaluation.created_at,
    }


def _totals(submitted: dict[str, EvaluationSubmission]) -> dict[str, float | None]:
    return {
        column: (submitted[column].total if column in submitted else None)
        for column in EVALUATION_COLUMNS
    }


def offices_reached(scope: Scope) -> Select:
    query = select(Organisation).where(Organisation.kind == "office")
    return scope.filter_offices(query, Organisation.id).order_by(Organisation.name)


def year_list(scope: Scope, year: int, district_id: uuid.UUID | None = None) -> list[dict]:
    """Every office one reaches, with its district and its evaluation of the year (or not
    started), status, each column's total and the grade."""
    tree = load_tree()
    evaluations = {
        evaluation.office_id: evaluation
        for evaluation in db.session.scalars(select(Evaluation).where(Evaluation.year == year))
    }
    rows = []
    for office in db.session.scalars(offices_reached(scope)):
        district = tree.district_of(office.id)
        if district_id is not None and (district is None or district.id != district_id):
            continue
        evaluation = evaluations.get(office.id)
        submitted = _submissions(evaluation) if evaluation else {}
        rows.append(
            {
                "office": {"id": office.id, "name": office.name},
                "district": None
                if district is None
                else {"id": district.id, "name": district.name},
                "evaluation_id": evaluation.id if evaluation else None,
                "status": status_of(submitted) if evaluation else NOT_STARTED,
                "totals": _totals(submitted),
                "grade": shown_grade(submitted),
            }
        )
    return rows


def history(scope: Scope, office_id: uuid.UUID) -> list[dict]:
    """The office's evaluations, newest year first."""
    office = office_in_sight(scope, office_id)
    found = db.session.scalars(
        select(Evaluation).where(Evaluation.office_id == office.id).order_by(Evaluation.year.desc())
    )
    rows = []
    for evaluation in found:
        submitted = _submissions(evaluation)
        rows.append(
            {
                "evaluation_id": evaluation.id,
                "year": evaluation.year,
                "status": status_of(submitted),
                "totals": _totals(submitted),
                "grade": shown_grade(submitted),
            }
        )
    return rows


# --- the records behind a computed item -------------------------------------------------------


def _row(id_, on, label: str, detail: str = "", resident_id=None) -> dict:
    return {"id": str(id_), "on": on, "label": label, "detail": detail, "resident_id": resident_id}


def _page(query: Select, to_row, page: int, per_page: int) -> dict:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    items = [to_row(*row) if len(row) > 1 else to_row(row[0]) for row in found]
    return {"items": items, "page": page, "per_page": per_page, "total": total or 0}


def _queries(year: OfficeYear, code: str):
    """What to list behind each computed item, and how to show one row of it."""
    if code in ("head", "staff"):
        query = rules.serving(year).order_by(OfficeStaff.position, OfficeStaff.name)
        return query, lambda s: _row(
            s.id, s.started_on, s.name, f"{s.position} {s.qualification}".strip()
        )
    if code in ("staff_posted", "annual_plan"):
        kind = "staff_introduction" if code == "staff_posted" else "annual_plan"
        query = rules.documents(year, kind).order_by(OfficeDocument.uploaded_at.desc())
        return query, lambda d: _row(d.id, d.dated_on, d.title, d.file_name)
    if code == "service_files":
        query = (
            select(Resident)
            .where(Resident.id.in_(rules.in_care(year)), ~rules.has_service_record(year))
            .order_by(Resident.name, Resident.id)
        )
        return query, lambda r: _row(r.id, r.admitted_on, r.name, r.room or "", r.id)
    if code == "ledgers_complete":
        query = (
            select(Visit)
            .where(Visit.id.in_(rules.year_visits(year)), ~rules.complete_entry())
            .order_by(Visit.visit_date.desc(), Visit.id)
        )
        return query, lambda v: _row(
            v.id, v.visit_date, v.resident.name, _missing(v), v.resident_id
        )
    if code == "service_types":
        query = rules.plans(year).order_by(CaseRecord.at.desc())
        return query, lambda p: _row(
            p.id,
            p.at.date(),
            p.case.resident.name,
            " ".join(c for c in (p.body or {}).get("services", []) if c in rules.DUTY_SERVICES),
            p.case.resident_id,
        )
    if code == "reception_day":
        query = (
            select(ReceptionDay)
            .where(
                ReceptionDay.office_id == year.office_id,
                ReceptionDay.held_on >= year.start,
                ReceptionDay.held_on <= year.end,
            )
            .order_by(ReceptionDay.held_on.desc())
        )
        return query, lambda d: _row(d.id, d.held_on, d.place, d.notes)
    if code == "activities":
        query = (
            select(Activity)
            .where(
                Activity.unit_id.in_(rules.office_units(year.office_id)),
                Activity.held_on >= year.start,
                Activity.held_on <= year.end,
            )
            .order_by(Activity.held_on.desc(), Activity.id)
        )
        return query, lambda a: _row(a.id, a.held_on, a.title, a.place)
    if code == "visits":
        query = rules.visit_days(year).order_by(Visit.visit_date.desc())
        return query, lambda day, count: _row(day.isoformat(), day, day.isoformat(), str(count))
    if code == "satisfaction":
        month = (
            extract("year", VisitDayCount.visit_date),
            extract("month", VisitDayCount.visit_date),
        )
        query = (
            select(*month, *[func.sum(getattr(VisitDayCount, r)) for r in RATINGS])
            .where(
                VisitDayCount.unit_id.in_(rules.office_units(year.office_id)),
                VisitDayCount.visit_date >= year.start,
                VisitDayCount.visit_date <= year.end,
            )
            .group_by(*month)
            .order_by(*month)
        )
        return query, _month_row
    raise NotFound("item")


def _month_row(year_number, month_number, *counts) -> dict:
    label = f"{int(year_number)}-{int(month_number):02d}"
    numbers = zip(RATINGS, counts, strict=True)
    return _row(label, None, label, " ".join(f"{r}={int(n or 0)}" for r, n in numbers))


def _missing(visit: Visit) -> str:
    """Which parts of the register entry are missing."""
    missing = []
    if not visit.service_given.strip():
        missing.append("service")
    if visit.satisfaction is None:
        missing.append("satisfaction")
    if visit.signer == "none" and not (visit.signer_reason or "").strip():
        missing.append("signature")
    return " ".join(missing)


def item_records(year: OfficeYear, code: str, page: int, per_page: int) -> dict:
    """The records behind a computed item, paged, with the item's points and figures."""
    if code not in BY_CODE or not BY_CODE[code].computed:
        raise NotFound("item")
    query, to_row = _queries(year, code)
    found = _page(query, to_row, page, per_page)
    value = rules.computed_item(year, code)
    return {"item": code, "kind": value["records"], "value": value, **found}
