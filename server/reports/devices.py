"""Devices: workers' phones with their last sync, the stale ones (silent too long) first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from server.models import Device, utcnow
from server.people.access import Scope
from server.platform.extensions import db
from server.reports.scope import workers_of


def devices(
    scope: Scope,
    units,
    stale_days: int,
    now: datetime | None = None,
    only_stale: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> dict:
    """Workers' devices with their last sync, stalest first; stale: active and silent too long.

    A device that never synced counts from when it was issued. Revoked or expired devices are
    listed (to see what was revoked) but are never stale.
    """
    now = now or utcnow()
    limit = now - timedelta(days=stale_days)
    people = select(workers_of(scope, units).subquery().c.id)
    last = func.coalesce(Device.last_sync_at, Device.issued_at)
    active = Device.is_live(now)
    stale = and_(active, last < limit)
    query = select(Device).where(Device.user_id.in_(people))
    stale_count = db.session.scalar(select(func.count()).select_from(query.where(stale).subquery()))
    if only_stale:
        query = query.where(stale)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.order_by(case((active, 0), else_=1), last, Device.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = []
    for device in found:
        since = device.last_sync_at or device.issued_at
        is_active = device.is_live(now)
        items.append(
            {
                "id": device.id,
                "name": device.name,
                "app_version": device.app_version,
                "worker": {
                    "id": device.user.id,
                    "display_name": device.user.display_name,
                    "username": device.user.username,
                },
                "issued_at": device.issued_at,
                "last_seen_at": device.last_seen_at,
                "last_sync_at": device.last_sync_at,
                "expires_at": device.expires_at,
                "revoked_at": device.revoked_at,
                "clock_skew_seconds": device.clock_skew_seconds,
                "days_since_sync": None
                if device.last_sync_at is None
                else (now - device.last_sync_at).days,
                "active": is_active,
                "stale": is_active and since < limit,
            }
        )
    return {
        "stale_days": stale_days,
        "now": now,
        "stale": stale_count,
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
    }
