"""The visit the load benchmarks send: one shape, so the load test and the CPU profile measure
the same request. Kept free of the server package: the load client runs without it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta


def load_visit(resident_id: str, when: datetime, strokes: list) -> dict:
    """A round with a physical concern, Chinese text and a delta-encoded signature."""
    return {
        "id": str(uuid.uuid4()),
        "resident_id": resident_id,
        "kind": "round",
        "checked_in_at": when.isoformat(),
        "checked_out_at": (when + timedelta(minutes=4)).isoformat(),
        "identified_by": "manual",
        "qr_token": None,
        "location": None,
        "observations": {
            "living": "ok",
            "emotional": "ok",
            "physical": "concern",
            "notes": "膝盖疼 knee pain",
        },
        "service_given": "测血压 blood pressure",
        "follow_up": False,
        "satisfaction": "satisfied",
        "feedback": "",
        "signature": {
            "signer": "resident",
            "signer_name": None,
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "delta",
            "strokes": strokes,
        },
    }
