"""What a supervisor sees of the alerts: those of their units, filtered, and acknowledged.

Coverage alerts belong to a unit; an unsynced alert to a worker, seen by whoever shares one
of the worker's units.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, exists, or_, select

from server.models import Alert, User, user_units, utcnow
from server.people.access import visible_unit_ids
from server.platform.errors import NotFound
from server.platform.extensions import db


def alerts_visible_to(user: User) -> Select:
    """Coverage alerts of one's units; unsynced alerts of workers who share one of them."""
    query = select(Alert).order_by(Alert.raised_at.desc(), Alert.id.desc())
    scope = visible_unit_ids(user)
    if scope is None:
        return query
    shares = exists().where(user_units.c.user_id == Alert.worker_id,
                            user_units.c.unit_id.in_(scope))
    return query.where(or_(Alert.unit_id.in_(scope), shares))


def filter_alerts(query: Select, state: str, unit_id: uuid.UUID | None,
                  kind: str | None) -> Select:
    if state == "open":
        query = query.where(Alert.resolved_at.is_(None))
    elif state == "resolved":
        query = query.where(Alert.resolved_at.is_not(None))
    if kind is not None:
        query = query.where(Alert.kind == kind)
    if unit_id is not None:
        in_unit = exists().where(user_units.c.user_id == Alert.worker_id,
                                 user_units.c.unit_id == unit_id)
        query = query.where(or_(Alert.unit_id == unit_id, in_unit))
    return query


def acknowledge(user: User, alert_id: int, note: str | None) -> Alert:
    alert = db.session.scalar(alerts_visible_to(user).where(Alert.id == alert_id))
    if alert is None:
        raise NotFound("alert")
    alert.acked_at, alert.acked_by, alert.ack_note = utcnow(), user.id, note
    return alert
