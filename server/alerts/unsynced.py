"""Unsynced alerts: a worker with residents whose phones have all been silent for
UNSYNCED_DAYS days (ROUNDS_UNSYNCED_DAYS) is raised, and resolved once one syncs again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select

from server.alerts.raised import raise_alert, resolve_alerts
from server.models import Alert, Device, Resident, User, user_units, utcnow
from server.models.core import WORKER
from server.platform.extensions import db


def unsynced_days() -> int:
    return int(current_app.config["UNSYNCED_DAYS"])


def check_unsynced(now: datetime | None = None) -> dict:
    """Open an alert for each worker with residents whose newest sync is too old; resolve others.

    The key holds the time of that newest sync, so a later lapse is a new alert. Flushes; the
    caller (the refresh job) commits.
    """
    now = now or utcnow()
    limit = now - timedelta(days=unsynced_days())
    has_residents = exists().where(
        user_units.c.user_id == User.id,
        user_units.c.unit_id == Resident.unit_id,
        Resident.status == "active",
    )
    devices = db.session.execute(
        select(Device.user_id, Device.id, func.coalesce(Device.last_sync_at, Device.issued_at))
        .join(User, User.id == Device.user_id)
        .where(Device.is_live(now), User.role == WORKER, User.active.is_(True), has_residents)
    ).all()
    newest: dict = {}
    for user_id, device_id, at in devices:
        at = at if at.tzinfo else at.replace(tzinfo=now.tzinfo)
        if user_id not in newest or at > newest[user_id][1]:
            newest[user_id] = (device_id, at)
    late = {
        f"unsynced:{user_id}:{at.isoformat()}": (user_id, device_id, at)
        for user_id, (device_id, at) in newest.items()
        if at < limit
    }
    for key, (user_id, device_id, at) in late.items():
        raise_alert(
            key,
            "unsynced",
            now,
            worker_id=user_id,
            device_id=device_id,
            detail={"last_sync_at": at.isoformat()},
        )
    open_keys = db.session.scalars(
        select(Alert.key).where(Alert.kind == "unsynced", Alert.resolved_at.is_(None))
    )
    resolved = resolve_alerts([key for key in open_keys if key not in late], now)
    db.session.flush()
    return {"open": len(late), "resolved": resolved}
