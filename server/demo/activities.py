"""The demo's group activities: a birthday party, a tai chi morning, a health talk and a
festival in the homes' recent weeks, with residents scanned in or picked from the roster and
a generated photo each — made through the same code a phone's upload goes through
(docs/activities.md)."""

from __future__ import annotations

import hashlib
import io
import random
import uuid
from datetime import datetime, timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from server.activities import photos
from server.activities.records import Clocks, NewActivity, Recorder, record_activity
from server.models import ActivityPhoto, Resident, User
from server.models.core import WORKER
from server.people.access import Scope
from server.platform import media
from server.platform.extensions import db

PLANS = (
    ("birthday", "十二月集体生日会 December birthday party", "活动室 Day room", 90, 3),
    ("tai_chi", "晨练太极拳 Morning tai chi", "花园 Garden", 45, 6),
    ("health_talk", "冬季防跌倒讲座 Preventing falls in winter", "多功能厅 Hall", 60, 10),
    ("festival", "冬至包饺子 Winter solstice dumplings", "餐厅 Dining room", 120, 17),
)
VOLUNTEERS = ("陈晓燕 Chen Xiaoyan", "刘伟 Liu Wei", "学生志愿者 Student volunteer")


def _picture(title: str, rng: random.Random) -> bytes:
    """A small JPEG that stands for the activity's photo."""
    image = Image.new("RGB", (640, 480), tuple(rng.randint(90, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(0, 440)
        draw.ellipse((x, y, x + 40, y + 40), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    draw.text((20, 20), title.split(" ", 1)[-1], fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _attendees(worker: User, day, at: datetime, rng: random.Random) -> list[dict]:
    residents = db.session.scalars(
        select(Resident)
        .where(
            Resident.unit_id.in_(worker.unit_ids),
            Resident.status == "active",
            Resident.admitted_on <= day,
        )
        .order_by(Resident.name)
    ).all()
    chosen = rng.sample(list(residents), min(len(residents), rng.randint(5, 9)))
    return [
        {
            "resident_id": r.id,
            "identified_by": "qr" if index % 3 else "manual",
            "qr_token": r.qr_token if index % 3 else None,
            "at": at + timedelta(minutes=index),
        }
        for index, r in enumerate(chosen)
    ]


def _add_photo(activity, worker: User, title: str, rng: random.Random) -> None:
    data = _picture(title, rng)
    photo_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    digest = hashlib.sha256(data).hexdigest()
    key = photos.storage_key(activity.id, photo_id, "image/jpeg", digest)
    media.store(current_app.config["MEDIA_DIR"], key, data)
    db.session.add(
        ActivityPhoto(
            id=photo_id,
            activity_id=activity.id,
            content_type="image/jpeg",
            byte_size=len(data),
            width=640,
            height=480,
            sha256=digest,
            storage_key=key,
            caption=title.split(" ", 1)[0],
            taken_at=activity.started_at + timedelta(minutes=20),
            created_by=worker.id,
            received_at=activity.started_at + timedelta(hours=3),
        )
    )


def record_demo_activities(zone: str, now: datetime, rng: random.Random) -> list:
    """Each of the first two workers' units holds the planned activities; answers them."""
    workers = db.session.scalars(
        select(User).where(User.role == WORKER, User.active.is_(True)).order_by(User.username)
    ).all()[:2]
    made = []
    clocks = Clocks(now, now, zone, timedelta(minutes=10), timedelta(days=90))
    for worker in workers:
        if not worker.unit_ids:
            continue
        recorder = Recorder(user_id=worker.id, scope=Scope.of(worker))
        for code, title, place, minutes, days_ago in PLANS:
            started = (now - timedelta(days=days_ago)).replace(
                hour=2, minute=30, second=0, microsecond=0
            )
            new = NewActivity(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                unit_id=worker.unit_ids[0],
                type_code=code,
                title=title,
                started_at=started,
                minutes=minutes,
                place=place,
                organisers=[worker.id],
                volunteers=[
                    {"name": name, "hours": rng.choice((1.5, 2, 3))}
                    for name in rng.sample(VOLUNTEERS, rng.randint(0, 2))
                ],
                description="长者们积极参与。 The residents joined in gladly.",
                attendees=_attendees(worker, started.date(), started, rng),
            )
            activity = record_activity(recorder, new, clocks)
            _add_photo(activity, worker, title, rng)
            made.append(activity)
    db.session.flush()
    return made
