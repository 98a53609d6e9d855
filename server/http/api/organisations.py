"""Organisations: the city's bureau, the districts' bureaus and their offices."""

from __future__ import annotations

import uuid

from flask import Blueprint, g

from server.http.api import actor
from server.http.endpoint import endpoint
from server.models import Organisation
from server.models.core import ADMIN
from server.organisations import records
from server.organisations.read import organisation_document, organisations_seen
from server.organisations.schemas import OrganisationSchema, OrganisationUpdateSchema
from server.platform.errors import NotFound
from server.platform.extensions import db

bp = Blueprint("organisations", __name__)


def _reached(organisation_id: uuid.UUID) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not g.scope.includes_organisation(organisation_id):
        raise NotFound("organisation")
    return organisation


@bp.get("/organisations")
@endpoint(
    "The organisations one reaches, top down, with the bureaus above them named",
    response=OrganisationSchema,
    many=True,
)
def list_organisations():
    return organisations_seen(g.scope)


@bp.post("/organisations")
@endpoint(
    "Create a district bureau (in the city) or an office (in a district)",
    body=OrganisationSchema,
    response=OrganisationSchema,
    status=201,
    roles=(ADMIN,),
    extra_responses={
        404: "No such parent organisation in one's reach",
        409: "An organisation of that name exists under the same parent",
    },
)
def create_organisation(body):
    if body.get("parent_id") is None:
        g.scope.require_whole_city()
    else:
        _reached(body["parent_id"])
    organisation = records.create_organisation(actor(), body)
    db.session.commit()
    return organisation_document(organisation)


@bp.get("/organisations/<uuid:organisation_id>")
@endpoint("One organisation one reaches", response=OrganisationSchema)
def get_organisation(organisation_id: uuid.UUID):
    return organisation_document(_reached(organisation_id))


@bp.patch("/organisations/<uuid:organisation_id>")
@endpoint(
    "Rename an organisation or change its address or phone",
    body=OrganisationUpdateSchema,
    partial=True,
    response=OrganisationSchema,
    roles=(ADMIN,),
    extra_responses={409: "An organisation of that name exists under the same parent"},
)
def update_organisation(organisation_id: uuid.UUID, body):
    organisation = records.update_organisation(actor(), _reached(organisation_id), body)
    db.session.commit()
    return organisation_document(organisation)
