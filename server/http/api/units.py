"""Units: wards of a home or service areas."""

from __future__ import annotations

import uuid

from flask import Blueprint, g
from sqlalchemy import select

from server.http.api import actor
from server.http.endpoint import endpoint
from server.http.fields import OfficeQuery
from server.models import Unit
from server.models.core import ADMIN
from server.platform.extensions import db
from server.roster import units
from server.roster.schemas import UnitSchema, UnitUpdateSchema

bp = Blueprint("units", __name__)


@bp.get("/units")
@endpoint("Units one may see", query=OfficeQuery, response=UnitSchema, many=True)
def list_units(query):
    query = g.scope.filter(select(Unit).order_by(Unit.name), Unit.id)
    return db.session.scalars(query).all()


@bp.post("/units")
@endpoint(
    "Create a unit",
    body=UnitSchema,
    response=UnitSchema,
    status=201,
    roles=(ADMIN,),
    extra_responses={409: "A unit of that name exists"},
)
def create_unit(body):
    unit = units.create_unit(actor(), body["name"], body["kind"], body["office_id"])
    db.session.commit()
    return unit


@bp.get("/units/<uuid:unit_id>")
@endpoint("One unit", response=UnitSchema)
def get_unit_view(unit_id: uuid.UUID):
    return g.scope.get(Unit, unit_id)


@bp.patch("/units/<uuid:unit_id>")
@endpoint(
    "Rename a unit or change its kind",
    body=UnitUpdateSchema,
    partial=True,
    response=UnitSchema,
    roles=(ADMIN,),
    extra_responses={409: "A unit of that name exists"},
)
def update_unit(unit_id: uuid.UUID, body):
    unit = units.update_unit(actor(), g.scope.get(Unit, unit_id), body)
    db.session.commit()
    return unit
