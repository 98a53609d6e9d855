"""The bureau's evaluation of its offices (考核评价表): the year's list, one evaluation and its
printable form, entering a cell, evidence, handing in a column, an item's records and an
office's history (docs/evaluation.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, g, jsonify, render_template

from server.evaluation import read, records
from server.evaluation.computed import OfficeYear
from server.evaluation.records import Entry
from server.evaluation.schemas import (
    MAX_YEAR,
    MIN_YEAR,
    EvaluationHistoryRowSchema,
    EvaluationListSchema,
    EvaluationRecordsPageSchema,
    EvaluationRecordsQuery,
    EvaluationSchema,
    EvaluationScoreInSchema,
    EvaluationSubmissionInSchema,
    EvaluationSubmissionSchema,
    EvaluationYearQuery,
)
from server.evaluation.table import FIGURE_NAMES, GRADE_NAMES, SECTIONS, items_of
from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.printing import stylesheet_url
from server.models import Evaluation
from server.models.core import ADMIN, INSPECTOR
from server.platform.clock import today_in
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.targets.settings import current_targets

bp = Blueprint("evaluations", __name__)

ROLES = (ADMIN, INSPECTOR)
ENTERING = {
    403: "Your role may not enter this column",
    409: "The column was submitted, or the one before it is not yet",
    422: "Fields missing or not valid, or refused by the rules: `errors` names them",
}


def _today():
    return today_in(setting("TIMEZONE"))


def _year(office_id: uuid.UUID, year: int) -> OfficeYear:
    return OfficeYear(office_id, year, _today(), setting("TIMEZONE"), current_targets())


def _of(evaluation: Evaluation) -> OfficeYear:
    return _year(evaluation.office_id, evaluation.year)


def _checked_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ApiError(
            422, "Some fields are not valid.", errors={"year": [f"From {MIN_YEAR} to {MAX_YEAR}."]}
        )
    return year


def _view(evaluation: Evaluation, status: int = 200) -> Response:
    answer = jsonify(
        EvaluationSchema().dump(read.evaluation_view(actor(), evaluation, _of(evaluation)))
    )
    answer.status_code = status
    return answer


@bp.get("/evaluations")
@endpoint(
    "The year's evaluations across the offices one reaches, each with its district, status, "
    "the three columns' totals and the grade; offices without one are listed as not started",
    query=EvaluationYearQuery,
    response=EvaluationListSchema,
    roles=ROLES,
)
def list_evaluations(query):
    year = query["year"] or _today().year
    return {"year": year, "items": read.year_list(g.scope, year, query["district_id"])}


@bp.put("/offices/<uuid:office_id>/evaluations/<int:year>")
@endpoint(
    "Open the office's evaluation for a year (made the first time, else the one there is)",
    response=EvaluationSchema,
    roles=ROLES,
    extra_responses={201: "Made now"},
)
def open_evaluation(office_id: uuid.UUID, year: int):
    evaluation, made = records.open_evaluation(actor(), office_id, _checked_year(year))
    db.session.commit()
    return _view(evaluation, 201 if made else 200)


@bp.get("/offices/<uuid:office_id>/evaluations")
@endpoint(
    "The office's evaluations by year, newest first: status, totals and grade",
    response=EvaluationHistoryRowSchema,
    many=True,
    roles=ROLES,
)
def office_history(office_id: uuid.UUID):
    return read.history(g.scope, office_id)


@bp.get("/evaluations/<uuid:evaluation_id>")
@endpoint(
    "One evaluation: every item with its computed points and figures, the three columns, "
    "the evidence, what was handed in and the grade",
    response=EvaluationSchema,
    roles=ROLES,
)
def get_evaluation(evaluation_id: uuid.UUID):
    return _view(records.evaluation_in_sight(g.scope, evaluation_id))


@bp.put("/evaluations/<uuid:evaluation_id>/scores/<item>/<column>")
@endpoint(
    "Enter an item's points in a column, with a note (required when they differ from the "
    "computed points)",
    body=EvaluationScoreInSchema,
    response=EvaluationSchema,
    roles=ROLES,
    extra_responses=ENTERING,
)
def put_score(evaluation_id: uuid.UUID, item: str, column: str, body):
    evaluation = records.evaluation_in_sight(g.scope, evaluation_id)
    entry = Entry(points=body["points"], note=body["note"] or "")
    records.enter_score(actor(), evaluation, item, column, entry, _of(evaluation))
    db.session.commit()
    return _view(evaluation)


@bp.post("/evaluations/<uuid:evaluation_id>/evidence/<item>/<uuid:document_id>")
@endpoint(
    "Attach one of the office's evidence documents to an item",
    response=EvaluationSchema,
    status=201,
    roles=(ADMIN,),  # the office's own: its admin, before the self score is in
    extra_responses=ENTERING,
)
def attach_evidence(evaluation_id: uuid.UUID, item: str, document_id: uuid.UUID):
    evaluation = records.evaluation_in_sight(g.scope, evaluation_id)
    records.attach_evidence(actor(), evaluation, item, document_id)
    db.session.commit()
    return _view(evaluation, 201)


@bp.delete("/evaluations/<uuid:evaluation_id>/evidence/<item>/<uuid:document_id>")
@endpoint(
    "Detach a document from an item's evidence",
    response=EvaluationSchema,
    roles=(ADMIN,),  # the office's own: its admin, before the self score is in
    extra_responses=ENTERING,
)
def detach_evidence(evaluation_id: uuid.UUID, item: str, document_id: uuid.UUID):
    evaluation = records.evaluation_in_sight(g.scope, evaluation_id)
    records.detach_evidence(actor(), evaluation, item, document_id)
    db.session.commit()
    return _view(evaluation)


@bp.post("/evaluations/<uuid:evaluation_id>/submissions/<column>")
@endpoint(
    "Hand a column in (self, then review, then assessment): its total and grade are kept and "
    "it is fixed",
    body=EvaluationSubmissionInSchema,
    response=EvaluationSubmissionSchema,
    status=201,
    roles=ROLES,
    extra_responses=ENTERING,
)
def submit_column(evaluation_id: uuid.UUID, column: str, body):
    evaluation = records.evaluation_in_sight(g.scope, evaluation_id)
    handed_in = records.submit_column(
        actor(), evaluation, column, body["note"] or "", _of(evaluation)
    )
    db.session.commit()
    return read.submission_view(handed_in)


@bp.get("/evaluations/<uuid:evaluation_id>/items/<item>/records")
@endpoint(
    "The records behind a computed item, paged (visits, activities, reception days, "
    "residents without a service record, visits with an incomplete entry…)",
    query=EvaluationRecordsQuery,
    response=EvaluationRecordsPageSchema,
    roles=ROLES,
)
def item_records(evaluation_id: uuid.UUID, item: str, query):
    evaluation = records.evaluation_in_sight(g.scope, evaluation_id)
    return read.item_records(_of(evaluation), item, query["page"], query["per_page"])


@bp.get("/evaluations/<uuid:evaluation_id>/form")
@endpoint(
    "The printable form (考核评价表): the paper form's layout with the three columns, the "
    "notes, the grade, and each computed item's figures with a link to its records",
    produces="text/html",
    roles=ROLES,
)
def print_form(evaluation_id: uuid.UUID):
    evaluation = records.evaluation_in_sight(g.scope, evaluation_id)
    view = read.evaluation_view(actor(), evaluation, _of(evaluation))
    items = {item["code"]: item for item in view["items"]}
    sections = [
        {"section": section, "items": [items[item.code] for item in items_of(section.code)]}
        for section in SECTIONS
    ]
    html = render_template(
        "evaluation_form.html",
        stylesheet=stylesheet_url("evaluation_form"),
        evaluation=view,
        sections=sections,
        grade_names=GRADE_NAMES,
        figure_names=FIGURE_NAMES,
    )
    return Response(html, mimetype="text/html", headers={"Cache-Control": "private, no-store"})
