"""A cursor the server cannot read, or one forged, means a full resend (`reset: true`), never
an error: the pull runs after the push is committed, so an error there would leave the pushed
visits stored but never acknowledged."""

import base64
import json
import uuid

import pytest

from tests.visitdata import sync_body, visit_payload


def statuses(answer) -> list[str]:
    return [result["status"] for result in answer.json["results"]]


def _cursor(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decoded(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


UNREADABLE_CURSORS = [
    "not base64 at all!!",
    "%%%%",
    "é",
    _cursor(b"\xff\xfe not utf-8"),
    _cursor(b"[1, 2"),
    _cursor([1, 2]),
    _cursor("a string"),
    _cursor({"v": 1}),
    _cursor(b"[" * 1400 + b"]" * 1400),  # deeper than the JSON parser recurses
]
# Changes to a real cursor (the worker's own scope and week), so that only the bad value
# stands between the cursor and the queries.
FORGED_VALUES = [
    {"s": "12"},
    {"s": 10**30},
    {"s": 2**63},
    {"s": -5},
    {"s": True},
    {"s": 1.5},
    {"s": None},
    {"r": "not a uuid"},
    {"r": 12},
    {"r": ["x"]},
    {"u": ["x"]},
    {"w": {}},
    {"u": "unknown scope"},
    {"u": "*"},
    {"v": 2},
    {"s": 10**30, "r": str(uuid.uuid4())},
]


@pytest.mark.parametrize("cursor", UNREADABLE_CURSORS)
def test_an_unreadable_cursor_means_a_full_resend(api, worker_a, resident_a, cursor):
    visit = visit_payload(resident_a)
    answer = api.post("/sync", json=sync_body([visit], cursor=cursor), as_=worker_a)
    assert answer.status_code == 200, answer.json
    assert statuses(answer) == ["created"]
    assert answer.json["reset"] is True
    assert [r["id"] for r in answer.json["residents"]] == [resident_a["id"]]


@pytest.mark.parametrize("forged", FORGED_VALUES)
def test_a_forged_cursor_means_a_full_resend(api, worker_a, resident_a, forged):
    real = _decoded(api.post("/sync", json=sync_body(), as_=worker_a).json["cursor"])
    visit = visit_payload(resident_a)
    answer = api.post(
        "/sync", json=sync_body([visit], cursor=_cursor({**real, **forged})), as_=worker_a
    )
    assert answer.status_code == 200, answer.json
    assert statuses(answer) == ["created"]
    assert answer.json["reset"] is True
    assert [r["id"] for r in answer.json["residents"]] == [resident_a["id"]]


def test_a_cursor_from_the_future_means_a_full_resend(api, worker_a, resident_a):
    first = api.post("/sync", json=sync_body(), as_=worker_a).json
    raw = _decoded(first["cursor"])
    raw["s"] += 1000  # a number the server has not handed out: changes below it would be lost
    answer = api.post("/sync", json=sync_body(cursor=_cursor(raw)), as_=worker_a)
    assert answer.json["reset"] is True
    assert [r["id"] for r in answer.json["residents"]] == [resident_a["id"]]


def test_a_good_cursor_still_resumes(api, worker_a, resident_a):
    first = api.post("/sync", json=sync_body(), as_=worker_a).json
    again = api.post("/sync", json=sync_body(cursor=first["cursor"]), as_=worker_a).json
    assert again["reset"] is False and again["residents"] == []


def test_a_forged_scope_names_no_unit_as_removed(api, worker_a, resident_a):
    real = _decoded(api.post("/sync", json=sync_body(), as_=worker_a).json["cursor"])
    forged = _cursor({**real, "u": real["u"] + ",not-a-unit"})
    answer = api.post("/sync", json=sync_body(cursor=forged), as_=worker_a).json
    assert answer["reset"] is True and answer["removed"]["units"] == []
