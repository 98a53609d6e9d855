"""Reading visits, their signatures, and voiding them."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, g

from server.http.api import actor, page_of
from server.http.endpoint import endpoint
from server.models import Visit
from server.models.core import MANAGERS
from server.platform.extensions import db
from server.reviews.read import summaries
from server.visits import read, signatures
from server.visits.schemas import VisitListQuery, VisitOutSchema, VisitPageSchema, VoidInSchema

bp = Blueprint("visits", __name__)


@bp.get("/visits")
@endpoint(
    "Visits one may see, newest first, filtered and paged",
    query=VisitListQuery,
    response=VisitPageSchema,
)
def list_visits(query):
    select_ = read.visits_query(
        g.scope,
        query.get("unit_id"),
        query.get("resident_id"),
        query.get("worker_id"),
        query.get("from_"),
        query.get("to"),
    )
    page = page_of(select_, query["page"], query["per_page"])
    return {**page, "items": _with_reviews(page["items"])}


def _with_reviews(visits: list[Visit]) -> list[dict]:
    """Each visit as it reads now, with its latest review (docs/reviews.md)."""
    found = summaries("visit", [visit.id for visit in visits])
    return [{**read.visit_view(v), "review": found.get(v.id)} for v in visits]


@bp.get("/visits/<uuid:visit_id>")
@endpoint("One visit, amendments applied", response=VisitOutSchema)
def get_visit(visit_id: uuid.UUID):
    return _with_reviews([g.scope.get(Visit, visit_id)])[0]


@bp.get("/visits/<uuid:visit_id>/signature.svg")
@endpoint("The resident's signature as SVG", produces="image/svg+xml")
def signature_svg(visit_id: uuid.UUID):
    visit = g.scope.get(Visit, visit_id)
    svg = signatures.to_svg(
        visit.signature_strokes,
        visit.signature_width,
        visit.signature_height,
        title=f"Signature, visit {visit.id}",
    )
    return Response(
        svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


@bp.post("/visits/<uuid:visit_id>/void")
@endpoint(
    "Void a visit with a reason (supervisors): it stays readable and stops counting",
    body=VoidInSchema,
    response=VisitOutSchema,
    roles=MANAGERS,
    extra_responses={409: "Voided already"},
)
def void_visit(visit_id: uuid.UUID, body):
    visit = read.void_visit(actor(), g.scope.get(Visit, visit_id), body["reason"])
    db.session.commit()
    return _with_reviews([visit])[0]
