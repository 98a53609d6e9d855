"""Creating and renaming units."""

from __future__ import annotations

from sqlalchemy import select

from server.models import Unit
from server.people import audit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.roster.changes import next_change_number

AUDITED = ("name", "kind")


def _require_free_name(name: str, unit: Unit | None = None) -> None:
    existing = db.session.scalar(select(Unit).where(Unit.name == name))
    if existing is not None and existing is not unit:
        raise ApiError(
            409,
            "A unit with this name exists already.",
            errors={"name": [coded("Already in use.", "taken")]},
        )


def create_unit(actor: audit.Actor, name: str, kind: str) -> Unit:
    _require_free_name(name)
    unit = Unit(name=name, kind=kind, change_seq=next_change_number())
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "create", "unit", unit.id, None, audit.snapshot(unit, AUDITED))
    return unit


def update_unit(actor: audit.Actor, unit: Unit, changes: dict) -> Unit:
    if "name" in changes:
        _require_free_name(changes["name"], unit)
    number = next_change_number()  # before any row change, as sync does
    before = audit.snapshot(unit, AUDITED)
    for name, value in changes.items():
        setattr(unit, name, value)
    after = audit.snapshot(unit, AUDITED)
    if after != before:
        unit.change_seq = number
        audit.record(actor, "update", "unit", unit.id, before, after)
    return unit


def unit_by_name(name: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.name == name))
