"""Making and renaming organisations: the only way the tree changes."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from server.models import CITY, PARENT_KIND, Organisation
from server.people import audit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded

AUDITED = ("kind", "name", "parent_id", "address", "phone")


def _invalid(field: str, message: str, code: str) -> ApiError:
    return ApiError(422, "Some fields are not valid.", errors={field: [coded(message, code)]})


def _check_parent(kind: str, parent_id: uuid.UUID | None) -> None:
    """A city has no parent and there is one; a district sits in a city, an office in a
    district."""
    wanted = PARENT_KIND[kind]
    if wanted is None:
        if parent_id is not None:
            raise _invalid("parent_id", "A city bureau has no parent.", "not_allowed")
        if db.session.scalar(select(Organisation.id).where(Organisation.kind == CITY)):
            raise ApiError(
                409,
                "This deployment has its city bureau already.",
                errors={"kind": [coded("There is one city.", "taken")]},
            )
        return
    parent = db.session.get(Organisation, parent_id) if parent_id else None
    if parent is None:
        raise _invalid("parent_id", f"Name the {wanted} it belongs to.", "required")
    if parent.kind != wanted:
        raise _invalid("parent_id", f"A {kind} belongs to a {wanted}.", "wrong_kind")


def _require_free_name(name: str, parent_id: uuid.UUID | None, itself=None) -> None:
    query = select(Organisation).where(Organisation.name == name)
    same_parent = (
        Organisation.parent_id.is_(None)
        if parent_id is None
        else Organisation.parent_id == parent_id
    )
    query = query.where(same_parent)
    existing = db.session.scalar(query)
    if existing is not None and existing is not itself:
        raise ApiError(
            409,
            "An organisation of this name exists here already.",
            errors={"name": [coded("Already in use.", "taken")]},
        )


def create_organisation(actor: audit.Actor, fields: dict) -> Organisation:
    kind, parent_id = fields["kind"], fields.get("parent_id")
    _check_parent(kind, parent_id)
    _require_free_name(fields["name"], parent_id)
    organisation = Organisation(
        kind=kind,
        name=fields["name"],
        parent_id=parent_id,
        address=fields.get("address", ""),
        phone=fields.get("phone", ""),
    )
    db.session.add(organisation)
    db.session.flush()
    after = audit.snapshot(organisation, AUDITED)
    audit.record(actor, "create", "organisation", organisation.id, None, after)
    return organisation


def update_organisation(actor: audit.Actor, organisation: Organisation, changes: dict):
    """Rename it or change its address or phone; where it sits in the tree stays."""
    if "name" in changes:
        _require_free_name(changes["name"], organisation.parent_id, organisation)
    before = audit.snapshot(organisation, AUDITED)
    for name, value in changes.items():
        setattr(organisation, name, value)
    after = audit.snapshot(organisation, AUDITED)
    if after != before:
        audit.record(actor, "update", "organisation", organisation.id, before, after)
    return organisation
