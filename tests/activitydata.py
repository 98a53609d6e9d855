"""Building activities and their photos as a phone would send them (docs/activities.md)."""

from __future__ import annotations

import base64
import io
import uuid
from datetime import UTC, datetime, timedelta

from PIL import Image

from tests.visitdata import sync_body


def _ago(minutes: int = 60) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def attendee(resident: dict, scanned: bool = True) -> dict:
    return {
        "resident_id": resident["id"],
        "identified_by": "qr" if scanned else "manual",
        "qr_token": resident["qr_token"] if scanned else None,
        "at": _ago(50),
    }


def activity_payload(unit, residents=(), **overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "unit_id": str(unit.id),
        "type_code": "birthday",
        "title": "十二月生日会 December birthdays",
        "started_at": _ago(),
        "minutes": 90,
        "place": "活动室 Day room",
        "organisers": [],
        "volunteers": [{"name": "陈志愿", "hours": 2.5}],
        "description": "唱歌 吃蛋糕 Songs and cake",
        "attendees": [attendee(r) for r in residents],
        **overrides,
    }


def jpeg_bytes(width: int = 64, height: int = 48, colour=(200, 80, 40), fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, fmt)
    return out.getvalue()


def photo_payload(activity: dict, data: bytes | None = None, **overrides) -> dict:
    data = jpeg_bytes() if data is None else data
    return {
        "id": str(uuid.uuid4()),
        "activity_id": activity["id"],
        "content_type": "image/jpeg",
        "width": 64,
        "height": 48,
        "taken_at": _ago(40),
        "caption": "切蛋糕 Cutting the cake",
        "data": base64.b64encode(data).decode(),
        **overrides,
    }


def activity_sync(activities=(), photos=(), cursor=None) -> dict:
    return {
        **sync_body(cursor=cursor),
        "activities": list(activities),
        "activity_photos": list(photos),
    }
