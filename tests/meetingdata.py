"""Building supervision meetings as the office sends them (docs/meetings.md)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import current_app

from server.platform.clock import today_in


def local_today() -> date:
    return today_in(current_app.config["TIMEZONE"])


def meeting_payload(participants, *, kind: str | None = None, **overrides) -> dict:
    people = [str(person.user.id) for person in participants]
    return {
        "id": str(uuid.uuid4()),
        "kind": kind or ("individual" if len(people) == 1 else "group"),
        "held_on": (local_today() - timedelta(days=1)).isoformat(),
        "place": "二楼会议室 Meeting room, 2F",
        "minutes": 45,
        "topics": "跌倒预防 Falls prevention",
        "decisions": "每周复查 Weekly check",
        "participants": people,
        "discussed": [],
        "tasks": [],
        **overrides,
    }


def record(api, person, participants, **overrides):
    return api.post("/meetings", as_=person, json=meeting_payload(participants, **overrides))


def recorded(api, person, participants, **overrides) -> dict:
    answer = record(api, person, participants, **overrides)
    assert answer.status_code == 201, answer.json
    return answer.json


def put(api, person, meeting_id: str, body: dict):
    return api.client.put(f"/api/v1/meetings/{meeting_id}", headers=person.headers, json=body)


def edit_body(meeting: dict, **overrides) -> dict:
    """A PUT body from a meeting as read: everything but its tasks."""
    keep = ("kind", "held_on", "unit_id", "place", "minutes", "topics", "decisions")
    body = {key: meeting[key] for key in keep}
    body["participants"] = meeting["participants"]
    body["discussed"] = [
        {"resident_id": d["resident_id"], "case_id": d["case_id"], "note": d["note"]}
        for d in meeting["discussed"]
    ]
    return {**body, **overrides}
