"""The office's reception days of the past months in the demo: each supervisor's, with the
residents, family members and members of the public received, recorded through the same code
the desk's screen calls, then dated when it would have happened."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.coverage.periods import Period
from server.models import ReceptionDay, Resident, User
from server.models.core import SUPERVISOR
from server.people.audit import Actor
from server.platform.clock import today_in
from server.platform.extensions import db
from server.supervision.reception import DayFields, NewReception, add_reception, record_day

MONTHS = 3
REQUESTS = [
    ("想换到朝南的房间 wants a south-facing room", "已登记，等待空房 put on the list", "pending"),
    (
        "询问护理等级费用 asks about the care-level fees",
        "解释了收费标准 explained the fees",
        "resolved",
    ),
    ("反映夜里走廊太吵 the corridor is noisy at night", "已告知夜班 night staff told", "resolved"),
    ("想申请居家养老服务 wants home-care services", "转介街道办 referred", "referred"),
    ("询问探视时间 asks about visiting hours", "已告知 told", "resolved"),
]
FAMILY = [("王小明", "儿子 son"), ("李芳", "女儿 daughter"), ("张伟", "侄子 nephew")]
PUBLIC = [("陈女士 Mrs Chen", "139 0000 0001"), ("刘先生 Mr Liu", "138 0000 0002")]


def _held_days(today: date, rng: random.Random) -> list[date]:
    """A day in each of the past months, and this month's once it has been held."""
    month = Period.of("month", today)
    days = []
    for _ in range(MONTHS):
        month = month.previous()
        days.append(month.start + timedelta(days=rng.randint(8, 20)))
    if today.day > 5:
        days.append(today.replace(day=5))
    return days


def _received(residents: list[Resident], rng: random.Random) -> list[NewReception]:
    people = []
    for kind in ("resident", "family", "public")[: rng.randint(2, 3)]:
        request, action, outcome = rng.choice(REQUESTS)
        common = {"request": request, "action": action, "outcome": outcome}
        if outcome == "referred":
            common["referred_to"] = "街道社区服务中心 the street's service centre"
        if kind == "resident":
            people.append(NewReception("resident", resident_id=rng.choice(residents).id, **common))
        elif kind == "family":
            name, relation = rng.choice(FAMILY)
            resident = rng.choice(residents)
            people.append(
                NewReception(
                    "family",
                    resident_id=resident.id,
                    visitor_name=name,
                    relation=relation,
                    **common,
                )
            )
        else:
            name, contact = rng.choice(PUBLIC)
            people.append(NewReception("public", visitor_name=name, contact=contact, **common))
    return people


def record_demo_reception_days(zone: str, now: datetime) -> list[ReceptionDay]:
    """Each supervisor's monthly reception day for their first unit, with two or three people."""
    rng = random.Random(23)
    today = today_in(zone, now)
    recorded = []
    supervisors = db.session.scalars(
        select(User).where(User.role == SUPERVISOR).order_by(User.username)
    )
    for supervisor in supervisors:
        if not supervisor.unit_ids:
            continue
        unit_id = sorted(supervisor.unit_ids)[0]
        residents = list(
            db.session.scalars(
                select(Resident)
                .where(Resident.unit_id == unit_id, Resident.status == "active")
                .order_by(Resident.name, Resident.id)
            )
        )
        if not residents:
            continue
        actor = Actor(user=supervisor)
        for held_on in _held_days(today, rng):
            fields = DayFields(
                held_on, unit_id, "接待室 reception room", [supervisor.id], "每月接待日 monthly"
            )
            day = record_day(actor, fields, today)
            for person in _received(residents, rng):
                add_reception(actor, day, person)
            when = datetime.combine(held_on, time(16), tzinfo=ZoneInfo(zone))
            day.created_at = day.updated_at = when
            for reception in day.receptions:
                reception.created_at = when
            recorded.append(day)
    db.session.flush()
    return recorded
