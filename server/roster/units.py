"""Creating and renaming units."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from server.models import Unit
from server.organisations.placement import office_of_record
from server.people import audit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.roster.changes import next_change_number

AUDITED = ("name", "kind", "office_id")


def _require_free_name(name: str, office_id: uuid.UUID, unit: Unit | None = None) -> None:
    """A unit's name is unique within its office: two offices may each have their 一病区."""
    query = select(Unit).where(Unit.name == name, Unit.office_id == office_id)
    existing = db.session.scalar(query)
    if existing is not None and existing is not unit:
        raise ApiError(
            409,
            "A unit with this name exists already.",
            errors={"name": [coded("Already in use.", "taken")]},
        )


def create_unit(
    actor: audit.Actor, name: str, kind: str, office_id: uuid.UUID | None = None
) -> Unit:
    office_id = office_of_record(actor.scope, office_id)
    _require_free_name(name, office_id)
    unit = Unit(name=name, kind=kind, office_id=office_id, change_seq=next_change_number())
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "create", "unit", unit.id, None, audit.snapshot(unit, AUDITED))
    return unit


def update_unit(actor: audit.Actor, unit: Unit, changes: dict) -> Unit:
    if "name" in changes:
        _require_free_name(changes["name"], unit.office_id, unit)
    number = next_change_number()  # before any row change, as sync does
    before = audit.snapshot(unit, AUDITED)
    for name, value in changes.items():
        setattr(unit, name, value)
    after = audit.snapshot(unit, AUDITED)
    if after != before:
        unit.change_seq = number
        audit.record(actor, "update", "unit", unit.id, before, after)
    return unit


def unit_by_name(name: str, office_id: uuid.UUID | None = None) -> Unit | None:
    """The unit of that name (in that office): None when there is none, or several offices
    have one of that name and no office was named."""
    query = select(Unit).where(Unit.name == name)
    if office_id is not None:
        query = query.where(Unit.office_id == office_id)
    found = db.session.scalars(query.limit(2)).all()
    return found[0] if len(found) == 1 else None
