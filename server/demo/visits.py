"""Two weeks of demo rounds, recorded through the same sync code a phone's upload goes through,
so a new user's coverage board, history, follow-ups and satisfaction have something to show."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.models import Resident, User, utcnow
from server.platform.extensions import db
from server.visits.ingest import SyncContext, ingest

SERVICES = ["测血压、聊天 blood pressure, a chat", "协助洗澡 help with bathing",
            "整理房间 tidied the room", "陪同散步 a walk together", "送药提醒 medicine reminder"]
NOTES = ["睡眠不好 sleeps badly", "膝盖疼 knee pain", "想念家人 misses the family", ""]
FEEDBACK = ["谢谢", "很好 very good", "", "希望多来 please come more often"]
SATISFACTION = ["satisfied"] * 6 + ["basically_satisfied"] * 3 + ["unsatisfied"]


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


def _visit(resident: Resident, checked_in: datetime, rng: random.Random) -> dict:
    concern = rng.random() < 0.15
    return {
        "id": str(uuid.uuid4()), "resident_id": str(resident.id),
        "kind": "home_visit" if resident.address else "round",
        "checked_in_at": checked_in.isoformat(),
        "checked_out_at": (checked_in + timedelta(minutes=rng.randint(3, 25))).isoformat(),
        "identified_by": "qr" if rng.random() < 0.85 else "manual",
        "qr_token": resident.qr_token, "location": None,
        "observations": {"living": "ok", "emotional": "concern" if concern else "ok",
                         "physical": "concern" if rng.random() < 0.1 else "ok",
                         "notes": rng.choice(NOTES) if concern else ""},
        "service_given": rng.choice(SERVICES), "follow_up": concern and rng.random() < 0.5,
        "satisfaction": rng.choice(SATISFACTION), "feedback": rng.choice(FEEDBACK),
        "signature": {"signer": "resident", "signer_name": None, "reason": None,
                      "width": 600, "height": 200, "encoding": "absolute",
                      "strokes": _strokes(rng)},
    }


def _days_visited(rng: random.Random, days: list) -> list:
    """Most residents get their two rounds a week; some fall behind, some get three."""
    weekly = rng.choices([0, 1, 2, 3], weights=[1, 2, 6, 2])[0]
    return sorted(rng.sample(days, min(len(days), weekly * len(days) // 7 or weekly)))


def record_demo_visits(zone: str, now: datetime | None = None) -> int:
    """Visits over the last 13 days by the workers of each resident's unit; answer the count."""
    now = now or utcnow()
    local = ZoneInfo(zone)
    today = now.astimezone(local).date()
    rng = random.Random(48)
    workers = db.session.scalars(select(User).where(User.role == "worker")
                                 .order_by(User.username)).all()
    by_worker: dict = {}
    for resident in db.session.scalars(select(Resident).order_by(Resident.name, Resident.id)):
        carers = [w for w in workers if resident.unit_id in w.unit_ids]
        if not carers:
            continue
        days = [today - timedelta(days=n) for n in range(13, -1, -1)]
        for day in _days_visited(rng, days):
            start = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), local)
            if start > now:
                continue
            by_worker.setdefault(rng.choice(carers), []).append(_visit(resident, start, rng))
    count = 0
    for worker, visits in by_worker.items():
        for first in range(0, len(visits), 200):
            context = SyncContext(user=worker, device_id=None, device_time=now, now=now,
                                  zone=zone)
            results = ingest(visits[first:first + 200], [], context)
            count += sum(result["status"] == "created" for result in results)
    db.session.commit()
    return count
