"""What sync set aside, for admins and the units' supervisors: conflicts (listed with both
versions, and resolved one by one) and rejections (listed with their reasons)."""

from __future__ import annotations

from flask import Blueprint, g
from marshmallow import Schema, fields, validate

from server.http.api import actor, page_of, setting
from server.http.endpoint import endpoint
from server.http.fields import OfficeQuery, Page, PageQuery, PersonRefSchema, text
from server.models.core import MANAGERS
from server.platform.extensions import db
from server.visits import conflicts

bp = Blueprint("conflicts", __name__)

Sender = fields.Nested(PersonRefSchema(only=("id", "display_name")), attribute="user")


class ConflictSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "visit or amendment"})
    record_id = fields.UUID(metadata={"description": "The visit's or the amendment's id"})
    visit_id = fields.UUID()
    unit_id = fields.UUID()
    resident_id = fields.UUID(attribute="resident.id")
    resident_name = fields.String(attribute="resident.name")
    sender = Sender
    device_id = fields.UUID(allow_none=True)
    received_at = fields.AwareDateTime()
    payload = fields.Dict(metadata={"description": "The phone's copy exactly as sent"})
    phone = fields.Dict(metadata={"description": "The amendable fields as the phone has them"})
    server = fields.Dict(
        metadata={"description": "The stored visit as it reads now, amendments applied"}
    )
    differing = fields.List(
        fields.String(),
        metadata={"description": "Amendable fields that differ, e.g. observations.notes, feedback"},
    )
    resolved_at = fields.AwareDateTime(allow_none=True)
    resolved_by = fields.UUID(allow_none=True)
    resolution = fields.String(allow_none=True)
    resolution_note = fields.String(allow_none=True)


class RejectionSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    record_id = fields.String()
    sender = Sender
    device_id = fields.UUID(allow_none=True)
    received_at = fields.AwareDateTime()
    errors = fields.Dict(metadata={"description": "The reasons, by field, as the phone heard"})


class ConflictListQuery(OfficeQuery, PageQuery):
    state = fields.String(load_default="open", validate=validate.OneOf(conflicts.STATES))


class ResolveSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(tuple(conflicts.ACTIONS)))
    note = text(1000, load_default=None)


@bp.get("/sync/conflicts")
@endpoint(
    "Conflicting copies in one's units, newest first, both versions side by side",
    query=ConflictListQuery,
    response=Page(ConflictSchema),
    roles=MANAGERS,
)
def list_conflicts(query):
    return conflicts.page_of_conflicts(g.scope, query["state"], query["page"], query["per_page"])


@bp.post("/sync/conflicts/<int:conflict_id>/resolve")
@endpoint(
    "Resolve a conflict: keep the server's version, take the phone's (as an "
    "amendment) or dismiss it",
    body=ResolveSchema,
    response=ConflictSchema,
    roles=MANAGERS,
    extra_responses={409: "Resolved already", 422: "Nothing amendable to take"},
)
def resolve_conflict(conflict_id: int, body):
    view = conflicts.resolve(
        actor(), conflict_id, body["action"], body.get("note"), zone=setting("TIMEZONE")
    )
    db.session.commit()
    return view


class RejectionListQuery(OfficeQuery, PageQuery):
    pass


@bp.get("/sync/rejections")
@endpoint(
    "Records refused from the phones of one's units' people, newest first",
    query=RejectionListQuery,
    response=Page(RejectionSchema),
    roles=MANAGERS,
)
def list_rejections(query):
    return page_of(conflicts.rejections_visible_to(g.scope), query["page"], query["per_page"])
