"""Residents: the people visited."""

from __future__ import annotations

import uuid

from flask import Blueprint, g

from server.http.api import actor, page_of, setting
from server.http.endpoint import endpoint
from server.http.fields import Page
from server.models import Resident
from server.models.core import MANAGERS
from server.platform.clock import today_in
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.roster import residents
from server.roster.schemas import ResidentListQuery, ResidentSchema, ResidentUpdateSchema
from server.tasks import records

bp = Blueprint("residents", __name__)


@bp.get("/residents")
@endpoint(
    "Residents one may see, filtered and paged",
    query=ResidentListQuery,
    response=Page(ResidentSchema),
)
def list_residents(query):
    select_ = g.scope.filter(residents.residents_query(), Resident.unit_id)
    select_ = residents.search_residents(
        select_, query.get("unit_id"), query.get("status"), query.get("q")
    )
    return page_of(select_, query["page"], query["per_page"])


@bp.post("/residents")
@endpoint(
    "Add a resident", body=ResidentSchema, response=ResidentSchema, status=201, roles=MANAGERS
)
def create_resident(body):
    resident = residents.create_resident(actor(), body, today_in(setting("TIMEZONE")))
    db.session.commit()
    return resident


@bp.get("/residents/<uuid:resident_id>")
@endpoint("One resident", response=ResidentSchema)
def get_resident_view(resident_id: uuid.UUID):
    return g.scope.get(Resident, resident_id)


@bp.patch("/residents/<uuid:resident_id>")
@endpoint(
    "Change a resident (discharge is a change of status, never a delete)",
    body=ResidentUpdateSchema,
    partial=True,
    response=ResidentSchema,
    roles=MANAGERS,
)
def update_resident(resident_id: uuid.UUID, body):
    resident = g.scope.get(Resident, resident_id)
    follow_up = body.pop("follow_up", None)
    if follow_up is not None and body.get("status") != "discharged":
        raise ApiError(
            422,
            "Some fields are not valid.",
            errors={"follow_up": ["A follow-up goes with a discharge (status: discharged)."]},
        )
    today = today_in(setting("TIMEZONE"))
    if body:
        residents.update_resident(actor(), resident, body, today)
    if follow_up is not None:
        records.open_discharge_task(actor(), resident, follow_up, today)
    db.session.commit()
    return resident
