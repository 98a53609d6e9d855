"""An office's own facts: its documents (upload, list, download, withdraw), its staff list,
the year's team and plan facts and the public staff introduction (docs/office-facts.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, g, send_file, url_for

from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.models import OfficeDocument
from server.models.core import ADMIN, MANAGERS
from server.offices import documents
from server.offices.schemas import DocumentListQuery, DocumentSchema, DocumentUploadForm
from server.platform.extensions import db

bp = Blueprint("offices", __name__)
DOCUMENT_FIELDS = tuple(name for name in DocumentSchema._declared_fields if name != "file_url")


def _document(document: OfficeDocument) -> dict:
    """The row's fields as the answer names them, with the address of its file."""
    entry = {name: getattr(document, name) for name in DOCUMENT_FIELDS}
    entry["file_url"] = url_for("api.offices.document_file", document_id=document.id)
    return entry


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
    return _document(document)


@bp.get("/offices/<uuid:office_id>/documents")
@endpoint(
    "An office's current documents, newest first, by kind and year (withdrawn ones on asking)",
    query=DocumentListQuery,
    response=DocumentSchema,
    many=True,
    roles=MANAGERS,
)
def list_documents(office_id: uuid.UUID, query):
    found = documents.documents_of(
        g.scope, office_id, kind=query["kind"], year=query["year"], withdrawn=query["withdrawn"]
    )
    return [_document(document) for document in found]


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
    return _document(document)
