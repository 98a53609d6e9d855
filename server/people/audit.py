"""The audit trail: every change to units, residents, users and visits, with who and from where."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.models import AuditEvent, User
from server.people.access import Scope
from server.platform.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who is acting, from which device, and what they may reach (all None for the command
    line, which may change anything).

    A request passes the scope it built; otherwise it is worked out from the user, so a person
    acting never goes unchecked."""

    user: User | None
    device_id: uuid.UUID | None = None
    scope: Scope | None = None

    def __post_init__(self) -> None:
        if self.scope is None and self.user is not None:
            object.__setattr__(self, "scope", Scope.of(self.user))

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.user.id if self.user else None


SYSTEM = Actor(user=None)


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict:
    """The audited fields of a record, as plain JSON values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: Any,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; only changed fields are kept."""
    if before is not None and after is not None:
        changed = {key for key in after if before.get(key) != after.get(key)}
        before = {key: before.get(key) for key in sorted(changed)}
        after = {key: after[key] for key in sorted(changed)}
    event = AuditEvent(
        user_id=actor.user_id,
        device_id=actor.device_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    db.session.add(event)
    return event
