"""An office's own facts: its documents (upload, list, download, withdraw), its staff list,
the year's team and plan facts and the public staff introduction (docs/office-facts.md)."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, Response, g, render_template, send_file, url_for

from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.printing import stylesheet_response
from server.models.core import ADMIN, MANAGERS
from server.offices import documents, staff
from server.offices.schemas import (
    DocumentListQuery,
    DocumentSchema,
    DocumentUploadForm,
    FactsQuery,
    OfficeFactsSchema,
    StaffInSchema,
    StaffListQuery,
    StaffSchema,
    StaffUpdateSchema,
)
from server.platform.clock import today_in
from server.platform.extensions import db

bp = Blueprint("offices", __name__)
INTRODUCTION_CSS = Path(__file__).resolve().parents[2] / "templates" / "staff_introduction.css"


@bp.post("/offices/<uuid:office_id>/documents")
@endpoint(
    "Upload a document of an office (PDF, JPEG, PNG, WebP, DOCX or XLSX, by its bytes)",
    form=DocumentUploadForm,
    form_limit="DOCUMENT_MAX_BYTES",
    response=DocumentSchema,
    status=201,
    roles=(ADMIN,),
)
def upload_document(office_id: uuid.UUID, form):
    upload = form["file"]
    document = documents.store_document(
        actor(),
        office_id,
        kind=form["kind"],
        year=form["year"],
        title=form["title"],
        file_name=upload.filename or "",
        content_type=upload.mimetype or "",
        data=upload.read(),
        dated_on=form["dated_on"],
    )
    db.session.commit()
    return document


@bp.get("/offices/<uuid:office_id>/documents")
@endpoint(
    "An office's current documents, newest first, by kind and year (withdrawn ones on asking)",
    query=DocumentListQuery,
    response=DocumentSchema,
    many=True,
    roles=MANAGERS,
)
def list_documents(office_id: uuid.UUID, query):
    return documents.documents_of(
        g.scope, office_id, kind=query["kind"], year=query["year"], withdrawn=query["withdrawn"]
    )


@bp.get("/documents/<uuid:document_id>/file")
@endpoint(
    "A document's file, as uploaded (withdrawn ones too)",
    produces="application/pdf",
    roles=MANAGERS,
)
def document_file(document_id: uuid.UUID):
    document = documents.document_in_sight(g.scope, document_id)
    path = documents.file_of(document, setting("MEDIA_DIR"))
    answer = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.file_name,
        conditional=False,
        etag=False,
    )
    answer.headers["X-Content-Type-Options"] = "nosniff"
    answer.headers["Cache-Control"] = "private, max-age=86400"
    return answer


@bp.post("/documents/<uuid:document_id>/withdraw")
@endpoint(
    "Withdraw a document: no longer current, still kept and served",
    response=DocumentSchema,
    roles=(ADMIN,),
)
def withdraw_document(document_id: uuid.UUID):
    document = documents.withdraw(actor(), documents.document_in_sight(g.scope, document_id))
    db.session.commit()
    return document


# --- the staff list ----------------------------------------------------------------------


@bp.get("/offices/<uuid:office_id>/staff")
@endpoint(
    "An office's staff list by position (every entry, or those on the staff on a day)",
    query=StaffListQuery,
    response=StaffSchema,
    many=True,
    roles=MANAGERS,
)
def list_staff(office_id: uuid.UUID, query):
    documents.office_in_reach(g.scope, office_id)
    if query["on"] is not None:
        return staff.staff_on(office_id, query["on"])
    return staff.staff_of(office_id)


@bp.post("/offices/<uuid:office_id>/staff")
@endpoint(
    "Add a person to an office's staff list: a user of the office, or a name",
    body=StaffInSchema,
    response=StaffSchema,
    status=201,
    roles=(ADMIN,),
    extra_responses={409: "Another head is in post on these days"},
)
def add_staff(office_id: uuid.UUID, body):
    documents.office_in_reach(g.scope, office_id)
    entry = staff.add_staff(actor(), office_id, body)
    db.session.commit()
    return entry


@bp.patch("/offices/<uuid:office_id>/staff/<uuid:staff_id>")
@endpoint(
    "Change an entry of the staff list; ending it is setting `ended_on`",
    body=StaffUpdateSchema,
    partial=True,
    response=StaffSchema,
    roles=(ADMIN,),
    extra_responses={409: "Another head is in post on these days"},
)
def edit_staff(office_id: uuid.UUID, staff_id: uuid.UUID, body):
    documents.office_in_reach(g.scope, office_id)
    entry = staff.edit_staff(actor(), staff.staff_entry(office_id, staff_id), body)
    db.session.commit()
    return entry


@bp.get("/offices/<uuid:office_id>/facts")
@endpoint(
    "The office's year as the evaluation reads it: the team in post and whether the rules' "
    "team is there, the annual plans and the staff introduction",
    query=FactsQuery,
    response=OfficeFactsSchema,
    roles=MANAGERS,
)
def office_facts(office_id: uuid.UUID, query):
    office = documents.office_in_reach(g.scope, office_id)
    year = query["year"] or today_in(setting("TIMEZONE")).year
    return {
        "office_id": office.id,
        "office_name": office.name,
        "year": year,
        "team": staff.team_facts(office_id, year),
        "plan": documents.plan_facts(office_id, year),
    }


@bp.get("/offices/<uuid:office_id>/staff-introduction")
@endpoint(
    "The public staff introduction to print and post on the wall: who is on the staff today",
    produces="text/html",
    roles=MANAGERS,
)
def staff_introduction(office_id: uuid.UUID):
    office = documents.office_in_reach(g.scope, office_id)
    today = today_in(setting("TIMEZONE"))
    html = render_template(
        "staff_introduction.html",
        office=office,
        today=today,
        people=staff.staff_on(office_id, today),
        positions=staff.POSITION_NAMES,
        stylesheet=url_for("api.offices.staff_introduction_css"),
    )
    return Response(html, mimetype="text/html", headers={"Cache-Control": "private, no-store"})


@bp.get("/staff-introduction.css")
@endpoint(
    "The print style of the staff introduction (A4, for the wall)", public=True, produces="text/css"
)
def staff_introduction_css():
    # A file of its own: the site's policy allows no inline style, in a blob-opened page too.
    return stylesheet_response(INTRODUCTION_CSS)
