"""Random samples for inspection: drawing one, the list, one sample as a checklist, checking
an item, the redraw from the seed, and the printable checklist (docs/sampling.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, g, render_template

from server.http.api import actor, page_of, setting
from server.http.endpoint import endpoint
from server.http.printing import stylesheet_url
from server.inspection import checklist, sampling
from server.inspection.schemas import (
    SampleCreateSchema,
    SampleDetailSchema,
    SampleItemSchema,
    SampleItemUpdateSchema,
    SampleListQuery,
    SamplePageSchema,
    SampleVerificationSchema,
)
from server.models.core import ADMIN, INSPECTOR
from server.platform.extensions import db

bp = Blueprint("samples", __name__)
DRAWERS = (INSPECTOR, ADMIN)


@bp.post("/samples")
@endpoint(
    "Draw a random sample of an office's visits or residents of a period (the bureau's "
    "inspectors, and admins of a district or the city)",
    body=SampleCreateSchema,
    response=SampleDetailSchema,
    status=201,
    roles=DRAWERS,
    extra_responses={
        403: "Only the bureau's inspectors draw samples",
        404: "No such office in one's reach",
    },
)
def create_sample(body):
    sample = sampling.draw_sample(actor(), sampling.NewSample(**body))
    db.session.commit()
    return checklist.detail(sample)


@bp.get("/samples")
@endpoint(
    "The samples of the offices one reaches (or of one office), newest first, paged",
    query=SampleListQuery,
    response=SamplePageSchema,
)
def list_samples(query):
    office_id = query["office_id"]
    if office_id is not None:
        sampling.office_in_reach(g.scope, office_id)
    found = sampling.samples_seen(g.scope, office_id)
    page = page_of(found, query["page"], query["per_page"])
    return {**page, "items": checklist.summaries(page["items"])}


@bp.get("/samples/<uuid:sample_id>")
@endpoint("One sample with its items in drawn order", response=SampleDetailSchema)
def get_sample(sample_id: uuid.UUID):
    return checklist.detail(sampling.sample_in_sight(g.scope, sample_id))


@bp.patch("/samples/<uuid:sample_id>/items/<int:position>")
@endpoint(
    "Record what was found for one item of a sample: the outcome and a note (the bureau's "
    "inspectors)",
    body=SampleItemUpdateSchema,
    partial=True,
    response=SampleItemSchema,
    roles=DRAWERS,
    extra_responses={403: "Only the bureau's inspectors check samples"},
)
def check_item(sample_id: uuid.UUID, position: int, body):
    sample = sampling.sample_in_sight(g.scope, sample_id)
    item = sampling.check_item(actor(), sample, position, body.get("outcome"), body.get("note"))
    db.session.commit()
    return checklist.item_of(item)


@bp.get("/samples/<uuid:sample_id>/verify")
@endpoint(
    "Redraw the sample from its seed: whether the same records come out, in the same order",
    response=SampleVerificationSchema,
)
def verify_sample(sample_id: uuid.UUID):
    return sampling.verify(sampling.sample_in_sight(g.scope, sample_id))


@bp.get("/samples/<uuid:sample_id>/print")
@endpoint(
    "The printable checklist of a sample (A4, both languages), with the draw's seed, who and "
    "when, and the redraw's answer",
    produces="text/html",
)
def print_sample(sample_id: uuid.UUID):
    sample = sampling.sample_in_sight(g.scope, sample_id)
    document = checklist.printable(checklist.detail(sample), setting("TIMEZONE"))
    html = render_template(
        "sample.html",
        stylesheet=stylesheet_url("sample"),
        sample=document,
        verified=sampling.verify(sample),
    )
    return Response(html, mimetype="text/html", headers={"Cache-Control": "private, no-store"})
