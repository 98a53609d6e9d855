"""Conflicts and rejections that sync set aside: what a supervisor sees of them, and settling
each conflict.

A conflict is a second, different version of a visit or an amendment whose id the server
already held (server/visits/ingest.py keeps one row per record and content). It lies in the
unit of the stored visit (for an amendment, of the visit it corrects). A supervisor of that
unit, or an admin, resolves it one of three ways: keeps the server's version, dismisses it
(both only mark it), or takes the phone's version — recorded as an amendment of the stored
visit through the same path a phone's correction takes, so the original stays as it was
received. Only the amendable fields can be taken.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select

from server.models import Amendment, SyncConflict, SyncRejection, Visit, user_units, utcnow
from server.people import audit
from server.people.access import Scope
from server.platform.clock import local_date
from server.platform.errors import ApiError, NotFound
from server.platform.extensions import db
from server.visits import ingest
from server.visits.read import current_content

STATES = ("open", "resolved", "all")
ACTIONS = {"keep_server": "kept_server", "take_phone": "took_phone", "dismiss": "dismissed"}
OBSERVATION_FIELDS = ("living", "emotional", "physical", "notes")
# The fields a conflict can differ in that an amendment can take, as the screens name them.
FIELDS = (
    *(f"observations.{name}" for name in OBSERVATION_FIELDS),
    "service_given",
    "follow_up",
    "feedback",
)


@dataclass
class ConflictView:
    """A conflict with what the office screen shows beside it."""

    conflict: SyncConflict
    visit: Visit
    phone: dict
    server: dict
    differing: list[str]

    def __getattr__(self, name: str):
        return getattr(self.conflict, name)

    @property
    def visit_id(self) -> uuid.UUID:
        return self.visit.id

    @property
    def unit_id(self) -> uuid.UUID:
        return self.visit.unit_id

    @property
    def resident(self):
        return self.visit.resident


def _visit_of_conflict():
    """The id of the stored visit a conflict belongs to: the record itself, or the visit the
    held amendment corrects."""
    return func.coalesce(Amendment.visit_id, SyncConflict.record_id)


def conflicts_visible_to(scope: Scope, state: str = "open") -> Select:
    """(conflict, visit) rows in the scope's units, newest first."""
    query = (
        select(SyncConflict, Visit)
        .outerjoin(
            Amendment,
            and_(SyncConflict.kind == "amendment", Amendment.id == SyncConflict.record_id),
        )
        .join(Visit, Visit.id == _visit_of_conflict())
    )
    query = scope.filter(query, Visit.unit_id)
    if state == "open":
        query = query.where(SyncConflict.resolved_at.is_(None))
    elif state == "resolved":
        query = query.where(SyncConflict.resolved_at.is_not(None))
    return query.order_by(SyncConflict.received_at.desc(), SyncConflict.id.desc())


def _phone_content(conflict: SyncConflict, server: dict) -> dict:
    """The amendable fields as the phone's copy has them (validated when it arrived, so the
    shape is the schema's; missing optional fields take the schema's defaults)."""
    payload = conflict.payload or {}
    if conflict.kind == "amendment":  # the phone's correction, applied to the visit as it is
        changes = payload.get("changes") or {}
        content = {
            **server,
            "observations": {**server["observations"], **(changes.get("observations") or {})},
        }
        for name in ("service_given", "follow_up", "feedback"):
            if name in changes:
                content[name] = changes[name]
        return content
    observations = payload.get("observations") or {}
    return {
        "observations": {
            name: observations.get(name, "" if name == "notes" else None)
            for name in OBSERVATION_FIELDS
        },
        "service_given": payload.get("service_given", ""),
        "follow_up": payload.get("follow_up", False),
        "feedback": payload.get("feedback", ""),
    }


def _value(content: dict, name: str):
    if name.startswith("observations."):
        return content["observations"].get(name.split(".", 1)[1])
    return content.get(name)


def differing_fields(phone: dict, server: dict) -> list[str]:
    return [name for name in FIELDS if _value(phone, name) != _value(server, name)]


def view_of(conflict: SyncConflict, visit: Visit) -> ConflictView:
    server = current_content(visit)
    phone = _phone_content(conflict, server)
    return ConflictView(conflict, visit, phone, server, differing_fields(phone, server))


def page_of_conflicts(scope: Scope, state: str, page: int, per_page: int) -> dict:
    query = conflicts_visible_to(scope, state)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {
        "items": [view_of(conflict, visit) for conflict, visit in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def _conflict_in_scope(scope: Scope, conflict_id: int) -> tuple[SyncConflict, Visit]:
    row = db.session.execute(
        conflicts_visible_to(scope, "all").where(SyncConflict.id == conflict_id)
    ).first()
    if row is None:
        raise NotFound("conflict")
    return row[0], row[1]


def _changes(view: ConflictView) -> dict:
    """The phone's differing amendable fields, in the shape of an amendment's changes."""
    changes: dict = {}
    for name in view.differing:
        if name.startswith("observations."):
            changes.setdefault("observations", {})[name.split(".", 1)[1]] = _value(view.phone, name)
        else:
            changes[name] = view.phone[name]
    return changes


def resolve(
    actor: audit.Actor,
    conflict_id: int,
    action: str,
    note: str | None,
    *,
    zone: str,
    now: datetime | None = None,
) -> ConflictView:
    """Settle a conflict; for take_phone, amend the stored visit with the phone's fields.

    404 outside the actor's scope, 403 for one who sees the unit but does not manage it, 409
    when it was resolved already, 422 when the phone's copy differs in nothing an amendment
    can take."""
    now = now or utcnow()
    conflict, visit = _conflict_in_scope(actor.scope, conflict_id)
    actor.scope.require_manager_of(visit.unit_id)
    if conflict.resolved_at is not None:
        raise ApiError(409, "This conflict is resolved already.")
    view = view_of(conflict, visit)
    amendment_id = None
    if action == "take_phone":
        amendment_id = _take_phone(actor, view, zone, now)
    before = audit.snapshot(conflict, ("resolution", "resolution_note"))
    conflict.resolved_at, conflict.resolved_by = now, actor.user_id
    conflict.resolution, conflict.resolution_note = ACTIONS[action], note
    after = {**audit.snapshot(conflict, ("resolution", "resolution_note"))}
    if amendment_id is not None:
        after["amendment_id"] = str(amendment_id)
    audit.record(actor, "resolve", "sync_conflict", conflict.id, before, after)
    db.session.flush()
    return view_of(conflict, db.session.get(Visit, visit.id))


def _take_phone(actor: audit.Actor, view: ConflictView, zone: str, now: datetime) -> uuid.UUID:
    if not view.differing:
        raise ApiError(
            422,
            "The phone's version differs from the server's only in fields "
            "that cannot be amended (such as the times, the resident or the "
            "signature): there is nothing to take. Keep the server's version "
            "or dismiss the conflict.",
            errors={"action": ["Nothing amendable differs."]},
        )
    sender = view.conflict.user
    day = local_date(view.conflict.received_at, zone).isoformat()
    raw = {
        "id": str(uuid.uuid4()),
        "visit_id": str(view.visit.id),
        "changes": _changes(view),
        "reason": f"Taken from a conflicting copy sent by {sender.display_name} on {day}",
    }
    ctx = ingest.SyncContext(
        user=actor.user,
        device_id=actor.device_id,
        device_time=now,
        now=now,
        zone=zone,
        scope=actor.scope,
    )
    result = ingest.ingest_amendment(raw, ctx)
    if result.status != "created":
        raise ApiError(
            422, "The phone's version could not be recorded as an amendment.", errors=result.errors
        )
    db.session.expire(view.visit, ["amendments"])
    return uuid.UUID(raw["id"])


def rejections_visible_to(scope: Scope) -> Select:
    """Rejections sent by the people of the scope's units (a rejected record may name no
    resident the server knows, so its sender places it), newest first."""
    query = select(SyncRejection)
    if not scope.everything:
        senders = select(user_units.c.user_id).where(
            user_units.c.unit_id.in_(sorted(scope.unit_ids))
        )
        query = query.where(SyncRejection.user_id.in_(senders))
    return query.order_by(SyncRejection.received_at.desc(), SyncRejection.id.desc())
