"""Eight weeks of demo rounds, recorded through the same sync code a phone's upload goes through,
each day's visits synced that evening, so the board, its history, the follow-ups, satisfaction
and presence have true things to show."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from server.models import Resident, ResidentToken, User, utcnow
from server.models.core import WORKER
from server.platform.extensions import db
from server.visits.ingest import SyncContext, ingest

WEEKS = 8
SERVICES = [
    "测血压、聊天 blood pressure, a chat",
    "协助洗澡 help with bathing",
    "整理房间 tidied the room",
    "陪同散步 a walk together",
    "送药提醒 medicine reminder",
]
NOTES = [
    "睡眠不好 sleeps badly",
    "膝盖疼 knee pain",
    "想念家人 misses the family",
    "屋顶漏雨 the roof leaks",
    "忘记吃药 forgets the medicine",
]
FEEDBACK = ["谢谢", "很好 very good", "", "希望多来 please come more often"]
UNSATISFIED_FEEDBACK = [
    "等了很久 waited a long time",
    "饭菜太咸 the food is too salty",
    "希望换个时间 another time of day, please",
]
SATISFACTION = ["satisfied"] * 7 + ["basically_satisfied"] * 2 + ["unsatisfied"]
# Most residents get their rounds; some fall behind now and then, a few often (the far homes).
DILIGENCE = {"steady": [0, 1, 14, 3], "patchy": [1, 4, 8, 1], "hard_to_reach": [3, 5, 4, 0]}
SYNC_HOUR = 19  # the evening a day's visits reach the server, when the phone is on Wi-Fi


@dataclass
class DemoRounds:
    """What was recorded, so the rest of the demo can follow up on it."""

    created: int
    visits: list[dict]  # as sent, with "worker": the User who sent it


def backdate_labels(zone: str) -> None:
    """The labels were printed on admission: a code scanned on a demo round was valid then."""
    local = ZoneInfo(zone)
    for resident in db.session.scalars(select(Resident)):
        admitted = datetime.combine(resident.admitted_on, time(8), local)
        db.session.execute(
            update(ResidentToken)
            .where(ResidentToken.resident_id == resident.id)
            .values(valid_from=admitted)
        )


def _strokes(rng: random.Random) -> list[list[int]]:
    strokes = []
    for index in range(rng.randint(2, 4)):
        x, y = 60 + index * 140, 100
        stroke = [x, y]
        for _ in range(rng.randint(15, 40)):
            x = min(590, max(10, x + rng.randint(-2, 6)))
            y = min(190, max(10, y + rng.randint(-6, 6)))
            stroke += [x, y]
        strokes.append(stroke)
    return strokes


def _location(resident: Resident, rng: random.Random) -> dict | None:
    """At the door (within about 40 m), or now and then recorded from the road into the village."""
    if resident.home_lat is None or resident.home_lon is None:
        return None
    spread = 0.02 if rng.random() < 0.04 else 0.0003
    return {
        "lat": round(resident.home_lat + rng.uniform(-spread, spread), 6),
        "lon": round(resident.home_lon + rng.uniform(-spread, spread), 6),
        "accuracy_m": rng.randint(5, 30),
    }


def _visit(resident: Resident, checked_in: datetime, rng: random.Random) -> dict:
    concern = rng.random() < 0.15
    satisfaction = rng.choice(SATISFACTION)
    feedback = (
        rng.choice(UNSATISFIED_FEEDBACK) if satisfaction == "unsatisfied" else rng.choice(FEEDBACK)
    )
    by_family = rng.random() < 0.08
    home = resident.address is not None
    scanned = rng.random() < 0.85
    return {
        "id": str(uuid.uuid4()),
        "resident_id": str(resident.id),
        "kind": "home_visit" if home else "round",
        "checked_in_at": checked_in.isoformat(),
        "checked_out_at": (checked_in + timedelta(minutes=rng.randint(3, 25))).isoformat(),
        "identified_by": "qr" if scanned else "manual",
        "qr_token": resident.qr_token if scanned else None,
        "location": _location(resident, rng) if home else None,
        "observations": {
            "living": "concern" if concern and rng.random() < 0.3 else "ok",
            "emotional": "concern" if concern else "ok",
            "physical": "concern" if rng.random() < 0.1 else "ok",
            "notes": rng.choice(NOTES) if concern else "",
        },
        "service_given": rng.choice(SERVICES),
        "follow_up": concern and rng.random() < 0.5,
        "satisfaction": satisfaction,
        "feedback": feedback,
        "signature": {
            "signer": "proxy" if by_family else "resident",
            "signer_name": "李明（儿子）" if by_family else None,
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "absolute",
            "strokes": _strokes(rng),
        },
    }


def _days_of_week(
    monday: date, today: date, resident: Resident, profile: str, rng: random.Random
) -> list[date]:
    days = [monday + timedelta(days=n) for n in range(7)]
    days = [day for day in days if resident.admitted_on <= day <= today]
    count = rng.choices([0, 1, 2, 3], weights=DILIGENCE[profile])[0]
    if resident.care_level == "full_care" and count >= 2:
        count += 1  # their rule asks for three rounds a week
    return sorted(rng.sample(days, min(len(days), count)))


def _plan(zone: str, now: datetime, rng: random.Random) -> dict[tuple[User, date], list[dict]]:
    """The visits each worker made each day, by the workers of each resident's unit."""
    local = ZoneInfo(zone)
    today = now.astimezone(local).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    workers = db.session.scalars(
        select(User).where(User.role == WORKER).order_by(User.username)
    ).all()
    by_day: dict[tuple[User, date], list[dict]] = {}
    for resident in db.session.scalars(select(Resident).order_by(Resident.name, Resident.id)):
        carers = [worker for worker in workers if resident.unit_id in worker.unit_ids]
        if not carers:
            continue
        profile = rng.choices(list(DILIGENCE), weights=[16, 3, 1 + 3 * bool(resident.address)])[0]
        for week in range(WEEKS):
            monday = first_monday + timedelta(weeks=week)
            for day in _days_of_week(monday, today, resident, profile, rng):
                start = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), local)
                if start > now:
                    continue
                worker = rng.choice(carers)
                by_day.setdefault((worker, day), []).append(_visit(resident, start, rng))
    return by_day


def record_demo_visits(zone: str, now: datetime | None = None) -> DemoRounds:
    """Rounds over the last eight weeks, each worker's day synced that evening."""
    now = now or utcnow()
    rng = random.Random(48)
    backdate_labels(zone)
    created, sent = 0, []
    for (worker, day), visits in sorted(
        _plan(zone, now, rng).items(), key=lambda item: (item[0][1], item[0][0].username)
    ):
        evening = min(now, datetime.combine(day, time(SYNC_HOUR), ZoneInfo(zone)))
        context = SyncContext(
            user=worker, device_id=None, device_time=evening, now=evening, zone=zone
        )
        results = ingest(visits, [], context)
        created += sum(result["status"] == "created" for result in results)
        sent += [{**visit, "worker": worker} for visit in visits]
    db.session.commit()
    return DemoRounds(created=created, visits=sent)
