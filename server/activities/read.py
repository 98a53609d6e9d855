"""Reading activities: the phone's copy (its pull), the office's list with its totals, one
activity with its attendees and photos, and the activities a resident attended.

Everything is limited by the reader's Scope: an activity belongs to its unit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, distinct, func, select

from server.models import (
    Activity,
    ActivityAttendance,
    ActivityPhoto,
    ActivityType,
    Resident,
    Unit,
    User,
)
from server.people.access import Scope
from server.platform.errors import NotFound
from server.platform.extensions import db

# The phone keeps the activities of the last 31 days and drops older copies itself.
PHONE_DAYS = 31


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# --- the pull ---------------------------------------------------------------------------


def changed_activities(
    unit_ids: set[uuid.UUID] | None, since: int, up_to: int | None, today: date
) -> list[dict]:
    """The pull's part: the units' activities of the last 31 days changed after `since`."""
    query = (
        select(Activity)
        .where(Activity.change_seq > since, Activity.held_on >= today - timedelta(PHONE_DAYS))
        .order_by(Activity.change_seq, Activity.id)
    )
    if unit_ids is not None:
        query = query.where(Activity.unit_id.in_(sorted(unit_ids)))
    if up_to is not None:
        query = query.where(Activity.change_seq <= up_to)
    activities = list(db.session.scalars(query))
    counts = _photo_counts([a.id for a in activities])
    attendees = _attendee_ids([a.id for a in activities])
    return [
        {
            "id": str(a.id),
            "unit_id": str(a.unit_id),
            "type_code": a.type_code,
            "title": a.title,
            "started_at": _iso(a.started_at),
            "held_on": a.held_on.isoformat(),
            "place": a.place,
            "attendee_ids": attendees.get(a.id, []),
            "photo_count": counts.get(a.id, 0),
            "created_by": str(a.created_by),
        }
        for a in activities
    ]


def _attendee_ids(ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {}
    if ids:
        query = select(ActivityAttendance.activity_id, ActivityAttendance.resident_id).where(
            ActivityAttendance.activity_id.in_(ids)
        )
        for activity_id, resident_id in db.session.execute(query):
            found.setdefault(activity_id, []).append(str(resident_id))
    return found


def _photo_counts(ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    query = (
        select(ActivityPhoto.activity_id, func.count())
        .where(ActivityPhoto.activity_id.in_(ids))
        .group_by(ActivityPhoto.activity_id)
    )
    return dict(db.session.execute(query).all())


def _attendee_counts(ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    query = (
        select(ActivityAttendance.activity_id, func.count())
        .where(ActivityAttendance.activity_id.in_(ids))
        .group_by(ActivityAttendance.activity_id)
    )
    return dict(db.session.execute(query).all())


# --- the office -------------------------------------------------------------------------


@dataclass
class ActivityFilter:
    """What the office list asks for (docs/activities.md, GET /api/v1/activities)."""

    start: date | None = None
    end: date | None = None
    unit_id: uuid.UUID | None = None
    type_code: str | None = None


def _filtered(scope: Scope, wanted: ActivityFilter, query: Select) -> Select:
    query = scope.filter(query, Activity.unit_id)
    if wanted.start is not None:
        query = query.where(Activity.held_on >= wanted.start)
    if wanted.end is not None:
        query = query.where(Activity.held_on <= wanted.end)
    if wanted.unit_id is not None:
        query = query.where(Activity.unit_id == wanted.unit_id)
    if wanted.type_code:
        query = query.where(Activity.type_code == wanted.type_code)
    return query


def _names() -> tuple[dict, dict]:
    units = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    kinds = {kind.code: kind for kind in db.session.scalars(select(ActivityType))}
    return units, kinds


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": str(user.id), "display_name": user.display_name, "username": user.username}


def _rows(activities: list[Activity]) -> list[dict]:
    ids = [a.id for a in activities]
    photos, attendees = _photo_counts(ids), _attendee_counts(ids)
    units, kinds = _names()
    users = _users({a.created_by for a in activities})
    return [
        _row(a, units, kinds, users, attendees.get(a.id, 0), photos.get(a.id, 0))
        for a in activities
    ]


def _users(ids) -> dict:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(sorted(ids))))}


def _row(a: Activity, units, kinds, users, attendee_count: int, photo_count: int) -> dict:
    kind = kinds.get(a.type_code)
    return {
        "id": str(a.id),
        "unit_id": str(a.unit_id),
        "unit_name": units.get(a.unit_id, ""),
        "type_code": a.type_code,
        "type_name_en": kind.name_en if kind else a.type_code,
        "type_name_zh": kind.name_zh if kind else a.type_code,
        "title": a.title,
        "started_at": _iso(a.started_at),
        "held_on": a.held_on.isoformat(),
        "minutes": a.minutes,
        "place": a.place,
        "attendee_count": attendee_count,
        "photo_count": photo_count,
        "volunteers": a.volunteers,
        "created_by": _person(users.get(a.created_by)),
    }


_NEWEST_FIRST = (Activity.started_at.desc(), Activity.id.desc())


def list_activities(
    scope: Scope, wanted: ActivityFilter, page: int, per_page: int
) -> tuple[list[dict], int]:
    """One page of the activities in sight, newest first, and how many there are."""
    query = _filtered(scope, wanted, select(Activity))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = list(
        db.session.scalars(
            query.order_by(*_NEWEST_FIRST).limit(per_page).offset((page - 1) * per_page)
        )
    )
    return _rows(items), total


def totals(scope: Scope, wanted: ActivityFilter) -> dict:
    """Activities, days with one, attendances, distinct residents, volunteers and their hours."""
    ids = _filtered(scope, wanted, select(Activity.id)).scalar_subquery()
    activities, days = db.session.execute(
        _filtered(scope, wanted, select(func.count(), func.count(distinct(Activity.held_on))))
    ).one()
    attendances, residents = db.session.execute(
        select(func.count(), func.count(distinct(ActivityAttendance.resident_id))).where(
            ActivityAttendance.activity_id.in_(ids)
        )
    ).one()
    volunteers = [
        v
        for listed in db.session.scalars(_filtered(scope, wanted, select(Activity.volunteers)))
        for v in listed or []
    ]
    return {
        "activities": activities,
        "days": days,
        "attendances": attendances,
        "residents": residents,
        "volunteers": len(volunteers),
        "volunteer_hours": round(sum(float(v.get("hours", 0)) for v in volunteers), 2),
    }


def activity_in_sight(scope: Scope, activity_id: uuid.UUID) -> Activity:
    return scope.get(Activity, activity_id, "activity")


def detail(activity: Activity, photo_url: Callable[[ActivityPhoto], str]) -> dict:
    """One activity with its organisers, attendees (and how each was recognised), photos."""
    row = _rows([activity])[0]
    organisers = _users({uuid.UUID(o) for o in activity.organisers})
    return {
        **row,
        "description": activity.description,
        "received_at": _iso(activity.received_at),
        "organisers": [
            _person(organisers[uuid.UUID(o)])
            for o in activity.organisers
            if uuid.UUID(o) in organisers
        ],
        "attendees": [
            {
                "resident_id": str(a.resident_id),
                "name": a.resident.name,
                "room": a.resident.room or "",
                "identified_by": a.identified_by,
                "at": _iso(a.at),
            }
            for a in sorted(activity.attendees, key=lambda a: (a.resident.name, a.at))
        ],
        "photos": [
            {
                "id": str(p.id),
                "content_type": p.content_type,
                "width": p.width,
                "height": p.height,
                "byte_size": p.byte_size,
                "caption": p.caption,
                "taken_at": _iso(p.taken_at),
                "url": photo_url(p),
            }
            for p in activity.photos
        ],
    }


def photo_of(activity: Activity, photo_id: uuid.UUID) -> ActivityPhoto:
    photo = db.session.get(ActivityPhoto, photo_id)
    if photo is None or photo.activity_id != activity.id:
        raise NotFound("photo")
    return photo


def resident_activities(
    scope: Scope, resident_id: uuid.UUID, page: int, per_page: int
) -> tuple[list[dict], int]:
    """The activities a resident of one's units attended, newest first."""
    scope.get(Resident, resident_id, "resident")
    attended = select(ActivityAttendance.activity_id).where(
        ActivityAttendance.resident_id == resident_id
    )
    query = scope.filter(select(Activity).where(Activity.id.in_(attended)), Activity.unit_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = list(
        db.session.scalars(
            query.order_by(*_NEWEST_FIRST).limit(per_page).offset((page - 1) * per_page)
        )
    )
    return _rows(items), total
