"""What a supervisor sees of the alerts: those of their units, filtered, and acknowledged.

Coverage alerts belong to a unit; an unsynced alert to a worker, seen by whoever shares one
of the worker's units.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, exists, or_, select

from server.models import Alert, user_units, utcnow
from server.people import audit
from server.people.access import Scope
from server.platform.errors import NotFound
from server.platform.extensions import db


def alerts_visible_to(scope: Scope) -> Select:
    """Coverage alerts of one's units; unsynced alerts of workers who share one of them."""
    query = select(Alert).order_by(Alert.raised_at.desc(), Alert.id.desc())
    if scope.everything:
        return query
    # Either of two columns may place an alert in the scope, so this is an OR of two of
    # Scope.filter's tests rather than Scope.filter itself.
    units = sorted(scope.unit_ids)
    shares = exists().where(
        user_units.c.user_id == Alert.worker_id, user_units.c.unit_id.in_(units)
    )
    return query.where(or_(Alert.unit_id.in_(units), shares))


def filter_alerts(query: Select, state: str, unit_id: uuid.UUID | None, kind: str | None) -> Select:
    if state == "open":
        query = query.where(Alert.resolved_at.is_(None))
    elif state == "resolved":
        query = query.where(Alert.resolved_at.is_not(None))
    if kind is not None:
        query = query.where(Alert.kind == kind)
    if unit_id is not None:
        in_unit = exists().where(
            user_units.c.user_id == Alert.worker_id, user_units.c.unit_id == unit_id
        )
        query = query.where(or_(Alert.unit_id == unit_id, in_unit))
    return query


def acknowledge(actor: audit.Actor, alert_id: int, note: str | None) -> Alert:
    alert = db.session.scalar(alerts_visible_to(actor.scope).where(Alert.id == alert_id))
    if alert is None:
        raise NotFound("alert")
    alert.acked_at, alert.acked_by, alert.ack_note = utcnow(), actor.user_id, note
    return alert
