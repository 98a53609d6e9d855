"""Accounts: creation, unit assignment, password resets and deactivation."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from server.models import Unit, User
from server.models.core import SUPERVISOR
from server.organisations.placement import check_placement, default_organisation
from server.people import audit
from server.people.auth import hash_password, revoke_user_devices
from server.people.passwords import check_strength
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.roster.changes import mark_units_changed

AUDITED = ("username", "display_name", "role", "phone", "active", "unit_ids", "organisation_id")


def _units(unit_ids: list[uuid.UUID]) -> list[Unit]:
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))))
    missing = set(unit_ids) - {unit.id for unit in units}
    if missing:
        messages = [
            coded(f"No such unit: {unit_id}", "not_found", value=unit_id)
            for unit_id in sorted(map(str, missing))
        ]
        raise ApiError(422, "Some fields are not valid.", errors={"unit_ids": messages})
    return units


def create_user(actor: audit.Actor, fields: dict) -> User:
    fields = dict(fields)
    username = fields.pop("username").strip().lower()
    if db.session.scalar(select(User).where(User.username == username)):
        raise ApiError(
            409, "This username is taken.", errors={"username": [coded("Already in use.", "taken")]}
        )
    password = fields.pop("password")
    unit_ids = fields.pop("unit_ids", [])
    fields.setdefault("display_name", username)
    units = _units(unit_ids)
    if fields.get("organisation_id") is None:
        fields["organisation_id"] = default_organisation(fields["role"], units, actor.user)
    check_placement(fields["role"], fields["organisation_id"], units, actor.scope)
    check_strength(password, username=username, display_name=fields["display_name"])
    user = User(username=username, password_hash=hash_password(password), units=units, **fields)
    db.session.add(user)
    db.session.flush()
    if user.role == SUPERVISOR:
        mark_units_changed(units)
    audit.record(actor, "create", "user", user.id, None, audit.snapshot(user, AUDITED))
    return user


def update_user(actor: audit.Actor, user: User, changes: dict) -> User:
    """A password in the changes is an admin reset: it signs the person out everywhere."""
    changes = dict(changes)
    changed_fields = set(changes)
    before = audit.snapshot(user, AUDITED)
    password = changes.pop("password", None)
    if "unit_ids" in changes:
        user.units = _units(changes.pop("unit_ids"))
    for name, value in changes.items():
        setattr(user, name, value)
    if {"unit_ids", "role", "organisation_id"} & set(changed_fields):
        check_placement(user.role, user.organisation_id, user.units, actor.scope)
    if password is not None:
        check_strength(password, username=user.username, display_name=user.display_name)
        user.password_hash = hash_password(password)
        revoke_user_devices(user.id)
    if changes.get("active") is False:
        revoke_user_devices(user.id)
    after = audit.snapshot(user, AUDITED)
    _mark_supervised_units(before, after)
    if after != before or password is not None:
        audit.record(
            actor,
            "update",
            "user",
            user.id,
            before,
            {**after, **({"password": "reset"} if password else {})},
        )
    return user


def _mark_supervised_units(before: dict, after: dict) -> None:
    """The units whose supervisors a change of a person moved (their role, units, name or
    standing): phones pull those units' entries again, with whom a task may go to."""
    watched = ("role", "unit_ids", "display_name", "active")
    if all(before[name] == after[name] for name in watched):
        return
    unit_ids = {
        uuid.UUID(str(unit_id))
        for snapshot in (before, after)
        if snapshot["role"] == SUPERVISOR
        for unit_id in snapshot["unit_ids"]
    }
    if unit_ids:
        mark_units_changed(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))))


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))
