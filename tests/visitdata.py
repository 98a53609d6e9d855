"""Building visit payloads as a phone would send them."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta


def signature_strokes(points: int = 400, strokes: int = 4, seed: int = 1) -> list[list[int]]:
    """A realistic hand-drawn signature, in absolute pixels inside 600 by 200."""
    rng = random.Random(seed)
    per_stroke = max(1, points // strokes)
    out = []
    for index in range(strokes):
        x, y = 40 + index * 130, 100
        stroke = [x, y]
        for _ in range(per_stroke - 1):
            x = min(599, max(0, x + rng.randint(-3, 4)))
            y = min(199, max(0, y + rng.randint(-4, 4)))
            stroke += [x, y]
        out.append(stroke)
    return out


def delta_encode(strokes: list[list[int]]) -> list[list[int]]:
    encoded = []
    for stroke in strokes:
        out = [stroke[0], stroke[1]]
        for i in range(2, len(stroke), 2):
            out += [stroke[i] - stroke[i - 2], stroke[i + 1] - stroke[i - 1]]
        encoded.append(out)
    return encoded


def visit_payload(
    resident: dict, *, when: datetime | None = None, points: int = 40, seed: int = 1, **overrides
) -> dict:
    when = when or datetime.now(UTC) - timedelta(minutes=5)
    strokes = signature_strokes(points, seed=seed)
    visit = {
        "id": str(uuid.uuid4()),
        "resident_id": resident["id"],
        "kind": "round",
        "checked_in_at": when.isoformat(),
        "checked_out_at": (when + timedelta(minutes=4)).isoformat(),
        "identified_by": "qr",
        "qr_token": resident["qr_token"],
        "location": None,
        "observations": {
            "living": "ok",
            "emotional": "concern",
            "physical": "ok",
            "notes": "睡眠不好 sleeps badly",
        },
        "service_given": "测血压 blood pressure checked",
        "follow_up": True,
        "satisfaction": "satisfied",
        "feedback": "谢谢",
        "signature": {
            "signer": "resident",
            "signer_name": None,
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "delta",
            "strokes": delta_encode(strokes),
        },
    }
    visit.update(overrides)
    return visit


def sync_body(visits=(), amendments=(), cursor=None, device_time=None) -> dict:
    return {
        "device_time": (device_time or datetime.now(UTC)).isoformat(),
        "cursor": cursor,
        "visits": list(visits),
        "amendments": list(amendments),
    }
