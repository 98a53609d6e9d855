"""The office's targets: everyone reads them, admins set them (docs/office-rules.md)."""

from __future__ import annotations

from flask import Blueprint, g

from server.http.api import actor
from server.http.endpoint import endpoint
from server.models.core import ADMIN
from server.people import audit
from server.platform.extensions import db
from server.targets.schemas import TargetsInSchema, TargetsSchema
from server.targets.settings import (
    current_targets,
    replace_targets,
    target_changes,
    targets_document,
)

bp = Blueprint("targets", __name__)


def _answer() -> dict:
    return {**targets_document(current_targets()), "updated": target_changes()}


@bp.get("/targets")
@endpoint(
    "The targets in force (satisfaction, the office's monthly rules, meetings), with when "
    "and by whom each stored one was set",
    response=TargetsSchema,
)
def get_targets():
    return _answer()


@bp.put("/targets")
@endpoint(
    "Set the targets named in the body; the others keep their value (admins, audited)",
    body=TargetsInSchema,
    response=TargetsSchema,
    roles=(ADMIN,),
)
def put_targets(body):
    g.scope.require_whole_city()  # every office shares them
    before = targets_document(current_targets())
    after = targets_document(replace_targets(actor().user_id, body))
    audit.record(actor(), "update", "targets", "targets", before, after)
    db.session.commit()
    return _answer()
