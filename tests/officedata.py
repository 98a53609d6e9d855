"""Reception days and activities for the office-rule tests.

`record_activity` inserts an activity through its ORM model: the phones' `activities` sync
list is built elsewhere, and this is the one place to switch to it (tests/visitdata.py's
sync_body) once it is here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from server.models import Activity, ActivityType
from server.platform.extensions import db


def record_activity(unit, organiser, held_on: date, title: str = "Birthday party 生日会") -> None:
    """An activity of `unit` held on `held_on`, as if a phone had synced it."""
    if db.session.get(ActivityType, "birthday") is None:  # PostgreSQL's tests empty the seeds
        db.session.add(ActivityType(code="birthday", name_en="Birthday", name_zh="生日会"))
        db.session.flush()
    db.session.add(
        Activity(
            id=uuid.uuid4(),
            unit_id=unit.id,
            type_code="birthday",
            title=title,
            started_at=datetime.combine(held_on, time(10), tzinfo=UTC),
            held_on=held_on,
            created_by=organiser.user.id,
            content_hash=uuid.uuid4().hex,
        )
    )
    db.session.commit()


def day_body(held_on: date, unit=None, **fields) -> dict:
    return {
        "held_on": held_on.isoformat(),
        "unit_id": None if unit is None else str(unit.id),
        "place": "Office 办公室",
        **fields,
    }


def record_day(api, person, held_on: date, unit=None, **fields) -> dict:
    answer = api.post("/reception-days", json=day_body(held_on, unit, **fields), as_=person)
    assert answer.status_code == 201, answer.json
    return answer.json


def resident_visit(resident: dict, **fields) -> dict:
    return {
        "visitor_kind": "resident",
        "resident_id": resident["id"],
        "request": "想换房间 wants another room",
        "outcome": "resolved",
        **fields,
    }


def family_visit(resident: dict | None = None, **fields) -> dict:
    return {
        "visitor_kind": "family",
        "resident_id": None if resident is None else resident["id"],
        "visitor_name": "王小明",
        "relation": "son 儿子",
        "request": "Asks about the fees 询问费用",
        "outcome": "pending",
        **fields,
    }


def public_visit(**fields) -> dict:
    return {
        "visitor_kind": "public",
        "visitor_name": "Mrs Chen 陈女士",
        "contact": "13900000000",
        "request": "Asks how to apply for home care 咨询居家养老",
        "outcome": "referred",
        "referred_to": "Street office 街道办",
        **fields,
    }


def receive(api, person, day: dict, visitor: dict) -> dict:
    answer = api.post(f"/reception-days/{day['id']}/receptions", json=visitor, as_=person)
    assert answer.status_code == 201, answer.json
    return answer.json
