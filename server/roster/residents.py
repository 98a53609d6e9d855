"""Creating and changing residents: tokens, change numbers and the audit trail go together."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import date

from sqlalchemy import Select, func, or_, select

from server.coverage.policies import load_policies
from server.models import Resident, ResidentToken, RosterRemoval, Unit, utcnow
from server.people import audit
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.roster.changes import next_change_number

AUDITED = (
    "unit_id",
    "name",
    "sex",
    "birth_year",
    "room",
    "address",
    "phone",
    "care_level",
    "home_lat",
    "home_lon",
    "admitted_on",
    "status",
    "status_since",
)


def new_qr_token() -> str:
    """128 random bits, URL-safe: the code on the label carries nothing personal."""
    return secrets.token_urlsafe(16)


def token_fingerprint(token: str) -> str:
    """What phones keep instead of the token: the first 64 bits of its SHA-256, base64url.

    A scanned code is matched by hashing it on the phone, so a lost phone holds no usable
    tokens, and a roster of 2,000 residents stays under 100 KB gzip.
    """
    digest = hashlib.sha256(token.encode()).digest()[:8]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _require_unit(unit_id: uuid.UUID) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise ApiError(
            422,
            "Some fields are not valid.",
            errors={"unit_id": [coded("No such unit.", "not_found")]},
        )
    return unit


def _require_care_level(fields: dict) -> None:
    """A care level is one the coverage rules define: a typo would silently give the resident
    the default rule. An empty one means the default rule."""
    if "care_level" not in fields:
        return
    level = (fields["care_level"] or "").strip() or None
    fields["care_level"] = level
    defined = load_policies().care_levels
    if level is not None and level not in defined:
        choices = ", ".join(sorted(defined)) or "none are defined yet"
        raise ApiError(
            422,
            "Some fields are not valid.",
            errors={
                "care_level": [
                    coded(
                        f"Not a care level the coverage rules define ({choices}).",
                        "one_of",
                        choices=sorted(defined),
                    )
                ]
            },
        )


def create_resident(actor: audit.Actor, fields: dict, today: date) -> Resident:
    _require_unit(fields["unit_id"])
    if actor.scope is not None:
        actor.scope.require_manager_of(fields["unit_id"])
    fields = dict(fields)
    _require_care_level(fields)
    fields.setdefault("admitted_on", today)
    fields.setdefault("status", "active")
    fields.setdefault("status_since", fields["admitted_on"])
    resident = Resident(**fields, qr_token=new_qr_token(), change_seq=next_change_number())
    db.session.add(resident)
    db.session.flush()
    db.session.add(
        ResidentToken(token=resident.qr_token, resident_id=resident.id, valid_from=utcnow())
    )
    audit.record(actor, "create", "resident", resident.id, None, audit.snapshot(resident, AUDITED))
    return resident


def update_resident(actor: audit.Actor, resident: Resident, changes: dict, today: date) -> Resident:
    """Apply a partial change; a status change without a date takes effect today."""
    if actor.scope is not None:
        actor.scope.require_manager_of(resident.unit_id)
        if "unit_id" in changes:
            _require_unit(changes["unit_id"])
            actor.scope.require_manager_of(changes["unit_id"])
    changes = dict(changes)
    _require_care_level(changes)
    # The change number first: sync takes it before touching residents, so must we (no deadlock).
    number = next_change_number()
    before = audit.snapshot(resident, AUDITED)
    old_unit_id = resident.unit_id
    if "status" in changes and changes["status"] != resident.status:
        changes.setdefault("status_since", today)
    for name, value in changes.items():
        setattr(resident, name, value)
    after = audit.snapshot(resident, AUDITED)
    if after != before:
        resident.change_seq = number
        if resident.unit_id != old_unit_id:
            db.session.add(
                RosterRemoval(
                    change_seq=resident.change_seq, resident_id=resident.id, unit_id=old_unit_id
                )
            )
        audit.record(actor, "update", "resident", resident.id, before, after)
    return resident


def search_residents(
    query: Select,
    unit_id: uuid.UUID | None = None,
    status: str | None = None,
    text: str | None = None,
) -> Select:
    if unit_id is not None:
        query = query.where(Resident.unit_id == unit_id)
    if status is not None:
        query = query.where(Resident.status == status)
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(
            or_(func.lower(Resident.name).like(pattern), func.lower(Resident.room).like(pattern))
        )
    return query


def residents_query() -> Select:
    return select(Resident).order_by(Resident.name, Resident.id)
