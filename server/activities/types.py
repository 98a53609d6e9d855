"""The kinds of activity: six built in (seeded by the migration) and the office's own.

A type is retired (`active` false), never deleted: activities name it.
"""

from __future__ import annotations

from sqlalchemy import select

from server.models import ActivityType, utcnow
from server.platform.extensions import db


def type_entry(kind: ActivityType) -> dict:
    return {
        "code": kind.code,
        "name_en": kind.name_en,
        "name_zh": kind.name_zh,
        "builtin": kind.builtin,
        "active": kind.active,
    }


def all_types() -> list[dict]:
    """Every type, active first, by code (the admin's list)."""
    kinds = db.session.scalars(select(ActivityType).order_by(ActivityType.code))
    return sorted((type_entry(kind) for kind in kinds), key=lambda t: not t["active"])


def active_types() -> list[dict]:
    """The types a phone may record (the pull)."""
    query = select(ActivityType).where(ActivityType.active.is_(True)).order_by(ActivityType.code)
    return [type_entry(kind) for kind in db.session.scalars(query)]


def put_type(code: str, name_en: str, name_zh: str, active: bool) -> tuple[dict, bool]:
    """Add a type or rename or retire one; answers the type and whether it is new."""
    kind = db.session.get(ActivityType, code)
    created = kind is None
    if created:
        kind = ActivityType(code=code, builtin=False)
        db.session.add(kind)
    kind.name_en, kind.name_zh, kind.active = name_en, name_zh, active
    kind.updated_at = utcnow()
    db.session.flush()
    return type_entry(kind), created


def is_active(code: str) -> bool:
    kind = db.session.get(ActivityType, code)
    return kind is not None and kind.active
