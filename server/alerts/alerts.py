"""Alerts: raised once per key, resolved when their condition ends, acknowledged by supervisors.

Kinds: `at_risk` and `missed` (a resident's coverage for one period, raised from the status
changes that server/coverage/ reports), and `unsynced` (a worker with residents whose
phones have not synced for ROUNDS_UNSYNCED_DAYS days).
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, Subquery, exists, func, literal, or_, select, update
from sqlalchemy.sql.dml import Insert

from server.models import Alert, Device, Resident, User, user_units, utcnow
from server.models.types import UTCDateTime
from server.people.access import visible_unit_ids
from server.platform.errors import NotFound
from server.platform.extensions import db
from server.platform.sqlparts import empty_json, insert_or_on_conflict, uuid_text

COVERAGE_KINDS = ("at_risk", "missed")


def unsynced_days() -> int:
    return int(current_app.config.get("UNSYNCED_DAYS")
               or os.environ.get("ROUNDS_UNSYNCED_DAYS") or 3)


def _opening(statement: Insert) -> Insert:
    """An insert of alerts that opens each key once: a new key is inserted, a resolved alert
    is reopened as raised anew, an open one is left as it is. One statement, found by the
    key's unique index, however the planner judges the tables."""
    return statement.on_conflict_do_update(
        index_elements=["key"], where=Alert.resolved_at.is_not(None),
        set_={"raised_at": statement.excluded.raised_at, "resolved_at": None,
              "acked_at": None, "acked_by": None, "ack_note": None})


def raise_alerts(alerts: list[dict], now: datetime) -> None:
    """Open these alerts (dicts of Alert columns with a key): each is inserted once, or
    reopened if it had been resolved. Set-based: a refresh may open thousands at once."""
    for chunk in _chunks(alerts):
        rows = [{"detail": {}, **alert, "raised_at": now} for alert in chunk]
        db.session.execute(_opening(insert_or_on_conflict(Alert)), rows)


def raise_alert(key: str, kind: str, now: datetime, **fields) -> None:
    raise_alerts([{"key": key, "kind": kind, **fields}], now)


def resolve_alerts(keys: list[str], now: datetime) -> int:
    """Resolve the open alerts among these keys; return how many were open."""
    resolved = 0
    for chunk in _chunks(keys):
        # Found by key alone, then updated by id: given "resolved_at IS NULL" too, SQLite's
        # planner scans every open alert (tens of thousands after a close) once per chunk.
        open_ids = [alert_id for alert_id, resolved_at in db.session.execute(
            select(Alert.id, Alert.resolved_at).where(Alert.key.in_(chunk)))
            if resolved_at is None]
        if open_ids:
            db.session.execute(update(Alert).where(Alert.id.in_(open_ids))
                               .values(resolved_at=now))
        resolved += len(open_ids)
    return resolved


def _chunks(items: list, size: int = 1000):
    for offset in range(0, len(items), size):
        yield items[offset:offset + size]


def coverage_key(kind: str, resident_id: uuid.UUID, period: str) -> str:
    return f"{kind}:{resident_id}:{period}"


def _coverage_key_sql(kind, resident_id, period):
    """coverage_key(), computed by the database."""
    return kind + ":" + uuid_text(resident_id) + ":" + period


def apply_coverage_changes_sql(changes: Subquery, now: datetime) -> None:
    """apply_coverage_changes() for status changes the database holds (columns resident_id,
    unit_id, period, before, after): two statements, however many residents changed."""
    raising = select(
        _coverage_key_sql(changes.c.after, changes.c.resident_id, changes.c.period),
        changes.c.after, changes.c.resident_id, changes.c.unit_id, changes.c.period,
        empty_json(), literal(now, UTCDateTime),
    ).where(changes.c.after.in_(COVERAGE_KINDS))
    db.session.execute(_opening(insert_or_on_conflict(Alert).from_select(
        ["key", "kind", "resident_id", "unit_id", "period", "detail", "raised_at"], raising)))
    ended_keys = select(_coverage_key_sql(changes.c.before, changes.c.resident_id,
                                          changes.c.period)
                        ).where(changes.c.before.in_(COVERAGE_KINDS),
                                changes.c.after.is_distinct_from(changes.c.before))
    db.session.execute(update(Alert).where(Alert.key.in_(ended_keys),
                                           Alert.resolved_at.is_(None))
                       .values(resolved_at=now))


def apply_coverage_changes(changes, now: datetime) -> None:
    """The alert of a resident's new status opens; the alert of the status it left resolves.

    An alert is open only while the status it names holds, so only those two can change.
    """
    raise_alerts([{"key": coverage_key(c.after, c.resident_id, c.period), "kind": c.after,
                   "resident_id": c.resident_id, "unit_id": c.unit_id, "period": c.period}
                  for c in changes if c.after in COVERAGE_KINDS], now)
    resolve_alerts([coverage_key(c.before, c.resident_id, c.period) for c in changes
                    if c.before in COVERAGE_KINDS and c.before != c.after], now)


def check_unsynced(now: datetime | None = None) -> dict:
    """Open an alert for each worker with residents whose newest sync is too old; resolve others.

    The key holds the time of that newest sync, so a later lapse is a new alert.
    """
    now = now or utcnow()
    limit = now - timedelta(days=unsynced_days())
    has_residents = exists().where(user_units.c.user_id == User.id,
                                   user_units.c.unit_id == Resident.unit_id,
                                   Resident.status == "active")
    devices = db.session.execute(
        select(Device.user_id, Device.id, func.coalesce(Device.last_sync_at, Device.issued_at))
        .join(User, User.id == Device.user_id)
        .where(Device.revoked_at.is_(None), User.role == "worker", User.active.is_(True),
               has_residents)
    ).all()
    newest: dict = {}
    for user_id, device_id, at in devices:
        at = at if at.tzinfo else at.replace(tzinfo=now.tzinfo)
        if user_id not in newest or at > newest[user_id][1]:
            newest[user_id] = (device_id, at)
    late = {f"unsynced:{user_id}:{at.isoformat()}": (user_id, device_id, at)
            for user_id, (device_id, at) in newest.items() if at < limit}
    for key, (user_id, device_id, at) in late.items():
        raise_alert(key, "unsynced", now, worker_id=user_id, device_id=device_id,
                    detail={"last_sync_at": at.isoformat()})
    open_keys = db.session.scalars(select(Alert.key).where(Alert.kind == "unsynced",
                                                           Alert.resolved_at.is_(None)))
    resolved = resolve_alerts([key for key in open_keys if key not in late], now)
    db.session.commit()
    return {"open": len(late), "resolved": resolved}


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
