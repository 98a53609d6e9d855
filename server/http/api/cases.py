"""Case work for the office: the list with its counts, one case with its records, opening a
case and recording a step, the printable case file, and the retention's export and purge
(docs/cases.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, g, jsonify, render_template, url_for

from server.cases import casefile, read, records, retention
from server.cases.schemas import (
    CaseCreateSchema,
    CaseDetailSchema,
    CaseExportSchema,
    CaseListQuery,
    CasePageSchema,
    CaseRecordCreateSchema,
)
from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.printing import stylesheet_response
from server.models import Case, CaseRecord
from server.models.core import ADMIN
from server.platform.clock import today_in
from server.platform.errors import Conflict, NotFound
from server.platform.extensions import db
from server.reviews.read import summaries
from server.visits.signatures import to_svg

bp = Blueprint("cases", __name__)


def _today():
    return today_in(setting("TIMEZONE"))


def _no_contact_days() -> int:
    return setting("CASE_NO_CONTACT_DAYS")


def _case(case_id: uuid.UUID) -> Case:
    return read.case_in_sight(g.scope, g.user.id, case_id)


def _detail(case: Case, status: int = 200) -> Response:
    detail = read.case_detail(case, _today(), _no_contact_days())
    # Each record carries its latest review (docs/reviews.md).
    found = summaries("case_record", [record.id for record in case.records])
    for record in detail["records"]:
        record["review"] = found.get(uuid.UUID(record["id"]))
    answer = jsonify(detail)
    answer.status_code = status
    return answer


@bp.get("/cases")
@endpoint(
    "Cases one sees (one's units' and those one is responsible for), filtered and paged, with "
    "the counts by stage, reviews due, no contact and each worker's caseload",
    query=CaseListQuery,
    response=CasePageSchema,
)
def list_cases(query):
    wanted = read.CaseFilter(
        unit_id=query.get("unit_id"),
        worker_id=query.get("worker_id"),
        resident_id=query.get("resident_id"),
        stage=query.get("stage"),
        attention=query.get("attention"),
    )
    today, days = _today(), _no_contact_days()
    items, total = read.list_cases(
        g.scope, g.user.id, wanted, today, days, query["page"], query["per_page"]
    )
    return jsonify(
        {
            "items": items,
            "page": query["page"],
            "per_page": query["per_page"],
            "total": total,
            "counts": read.counts(g.scope, g.user.id, wanted, today, days),
        }
    )


@bp.get("/cases/<uuid:case_id>")
@endpoint("One case with every record in order", response=CaseDetailSchema)
def get_case(case_id: uuid.UUID):
    return _detail(_case(case_id))


@bp.post("/cases")
@endpoint(
    "Open a case for a resident of one's units",
    body=CaseCreateSchema,
    response=CaseDetailSchema,
    status=201,
    extra_responses={409: "A case with this id exists already"},
)
def create_case(body):
    case = records.open_case(actor(), records.NewCase(**body))
    db.session.commit()
    return _detail(case, 201)


@bp.post("/cases/<uuid:case_id>/records")
@endpoint(
    "Record a step of a case: intake, assessment, plan, contact, review, closure, sign-off "
    "(supervisors of the unit and admins)",
    body=CaseRecordCreateSchema,
    response=CaseDetailSchema,
    status=201,
    extra_responses={
        403: "Only a supervisor of the unit or an admin signs off",
        409: "The case is archived, or this step was recorded already",
    },
)
def add_record(case_id: uuid.UUID, body):
    case = _case(case_id)
    if body["id"] is not None and db.session.get(CaseRecord, body["id"]) is not None:
        raise Conflict("A record with this id exists already.", errors={"id": ["Already used."]})
    new = records.NewRecord(
        kind=body["kind"],
        body=body["body"],
        at=body["at"],
        signature=body["signature"],
        id=body["id"],
    )
    records.add_record(actor(), case, new)
    db.session.commit()
    return _detail(case, 201)


@bp.get("/cases/<uuid:case_id>/records/<uuid:record_id>/signature.svg")
@endpoint("A record's signature (a plan's or a closure's) as SVG", produces="image/svg+xml")
def record_signature_svg(case_id: uuid.UUID, record_id: uuid.UUID):
    case = _case(case_id)
    record = db.session.get(CaseRecord, record_id)
    if record is None or record.case_id != case.id or not read.signature_url(case, record):
        raise NotFound("signature")
    signature = record.signature
    svg = to_svg(
        signature["strokes"],
        signature["width"],
        signature["height"],
        title=f"Signature, case record {record.id}",
    )
    return Response(
        svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


@bp.get("/cases/<uuid:case_id>/file")
@endpoint(
    "The printable case file (A4, bilingual): the intake's register form, each assessment, "
    "plan, contact and review, the closure and the sign-off",
    produces="text/html",
)
def case_file(case_id: uuid.UUID):
    case = _case(case_id)
    html = render_template(
        "case_file.html",
        file=casefile.file_of(case, setting("TIMEZONE")),
        stylesheet=url_for("api.cases.case_file_css"),
    )
    return Response(html, mimetype="text/html", headers={"Cache-Control": "private, no-store"})


@bp.get("/case-file.css")
@endpoint("The print style of the case file (A4)", public=True, produces="text/css")
def case_file_css():
    return stylesheet_response(casefile.STYLESHEET)


@bp.get("/cases/<uuid:case_id>/export")
@endpoint(
    "Everything kept of a case, signatures included, as JSON (admins)",
    response=CaseExportSchema,
    roles=(ADMIN,),
)
def export_case(case_id: uuid.UUID):
    return jsonify(retention.export(_case(case_id)))


@bp.post("/cases/<uuid:case_id>/purge")
@endpoint(
    "Blank the text and signatures of an archived case past its retention (admins); the "
    "case keeps its dates, stage and codes",
    response=CaseDetailSchema,
    roles=(ADMIN,),
    extra_responses={409: "Not archived, purged already, or still within its retention"},
)
def purge_case(case_id: uuid.UUID):
    case = retention.purge(actor(), _case(case_id), setting("CASE_RETENTION_DAYS"))
    db.session.commit()
    return _detail(case)
