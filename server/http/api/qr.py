"""Residents' QR codes: images, rotation, look-up of a scanned code, and printable label sheets."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, Response, g, render_template, request, url_for
from marshmallow import Schema, fields, validate

from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.fields import OfficeQuery, OneOrMany
from server.http.printing import stylesheet_response
from server.models import Resident, utcnow
from server.models.core import MANAGERS
from server.platform.extensions import db
from server.roster import qr
from server.roster.schemas import ResidentSchema

bp = Blueprint("qr", __name__)

LABELS_CSS = Path(__file__).resolve().parents[2] / "templates" / "labels.css"


class QrLookupQuery(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class QrLookupSchema(Schema):
    status = fields.String(metadata={"enum": ["current", "rotated", "other_unit", "unknown"]})
    resident_id = fields.UUID(allow_none=True)


class QrPngQuery(Schema):
    size = fields.Integer(
        load_default=512,
        validate=validate.Range(min=128, max=2048),
        metadata={"description": "Pixels a side"},
    )


class LabelQuery(OfficeQuery):
    unit_id = fields.UUID()
    resident_id = OneOrMany(fields.UUID(), load_default=list, validate=validate.Length(max=200))
    layout = fields.String(load_default="small", validate=validate.OneOf(sorted(qr.LAYOUTS)))


def _base_url() -> str:
    # Outside development the app does not start without ROUNDS_PUBLIC_URL (server/http/web.py):
    # only a developer's own requests ever choose the address printed into a code.
    return setting("PUBLIC_URL") or request.host_url.rstrip("/")


def _code_url(resident: Resident) -> str:
    return qr.code_url(_base_url(), resident.qr_token)


def _private(response: Response) -> Response:
    # A code changes when it is rotated, and only people who may see the resident may fetch it.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/residents/<uuid:resident_id>/qr.svg")
@endpoint("The resident's QR code as SVG, holding <public URL>/r/<token>", produces="image/svg+xml")
def qr_svg(resident_id: uuid.UUID):
    resident = g.scope.get(Resident, resident_id)
    return _private(Response(qr.svg(_code_url(resident)), mimetype="image/svg+xml"))


@bp.get("/residents/<uuid:resident_id>/qr.png")
@endpoint(
    "The resident's QR code as PNG, `size` pixels a side",
    query=QrPngQuery,
    produces="image/png",
    extra_responses={422: "size out of bounds"},
)
def qr_png(resident_id: uuid.UUID, query):
    resident = g.scope.get(Resident, resident_id)
    return _private(Response(qr.png(_code_url(resident), query["size"]), mimetype="image/png"))


@bp.post("/residents/<uuid:resident_id>/qr/rotate")
@endpoint(
    "Give a resident a new QR token (a lost or copied label); the old one stops "
    "identifying them for visits made from now on",
    response=ResidentSchema,
    roles=MANAGERS,
)
def rotate(resident_id: uuid.UUID):
    resident = g.scope.get(Resident, resident_id)
    g.scope.require_manager_of(resident.unit_id)
    qr.rotate_token(actor(), resident, utcnow())
    db.session.commit()
    return resident


@bp.get("/qr/lookup")
@endpoint(
    "What a scanned code (a full /r/<token> URL or a bare token) means to the caller",
    query=QrLookupQuery,
    response=QrLookupSchema,
    extra_responses={422: "no token"},
)
def lookup(query):
    status, resident_id = qr.lookup(g.scope, query["token"])
    return {"status": status, "resident_id": resident_id}


@bp.get("/labels")
@endpoint(
    "A printable A4 sheet of QR labels for a unit's active residents or chosen ones "
    "(layout small: 3x8 labels, large: 2x2 cards)",
    query=LabelQuery,
    produces="text/html",
    extra_responses={422: "neither unit nor residents chosen"},
)
def labels(query):
    residents = qr.residents_for_labels(g.scope, query.get("unit_id"), query["resident_id"])
    layout = qr.LAYOUTS[query["layout"]]
    items = [
        {"name": r.name, "unit": r.unit.name, "place": _place(r), "svg": qr.svg(_code_url(r))}
        for r in residents
    ]
    html = render_template(
        "labels.html",
        layout=layout,
        sheets=qr.sheets(items, layout.per_sheet),
        stylesheet=url_for("api.qr.labels_css"),
    )
    return _private(Response(html, mimetype="text/html"))


def _place(resident: Resident) -> str:
    """Room on a ward; village or address for a client at home."""
    first, second = (
        (resident.address, resident.room)
        if resident.unit.kind == "area"
        else (resident.room, resident.address)
    )
    return first or second or ""


@bp.get("/labels.css")
@endpoint("The print style of label sheets (A4, mm units)", public=True, produces="text/css")
def labels_css():
    return stylesheet_response(LABELS_CSS)
