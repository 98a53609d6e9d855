"""A sync never fails as a whole for what one item holds: each item is judged alone, and the
server's clock bounds check-ins as well as the phone's."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.models import SyncRejection, Visit
from server.platform.extensions import db
from server.visits import presence
from tests.visitdata import sync_body, visit_payload


def statuses(answer) -> list[str]:
    return [result["status"] for result in answer.json["results"]]


def stored_visits() -> int:
    return db.session.scalar(select(func.count()).select_from(Visit))


@pytest.mark.parametrize(
    "check_in",
    ["0001-01-01T00:00:00+08:00", "9999-12-31T20:00:00-10:00", "1900-01-01T08:00:00+00:00"],
)
def test_a_check_in_out_of_range_is_rejected_alone(api, worker_a, resident_a, check_in):
    good = [visit_payload(resident_a), visit_payload(resident_a)]
    bad = visit_payload(resident_a, checked_in_at=check_in, checked_out_at=None)
    answer = api.post("/sync", json=sync_body([good[0], bad, good[1]]), as_=worker_a)
    assert answer.status_code == 200, answer.json
    assert statuses(answer) == ["created", "rejected", "created"]
    assert "checked_in_at" in answer.json["results"][1]["errors"]
    assert stored_visits() == 2


def test_a_check_out_out_of_range_is_rejected_alone(api, worker_a, resident_a):
    bad = visit_payload(resident_a, checked_out_at="9999-12-31T20:00:00-10:00")
    answer = api.post("/sync", json=sync_body([bad, visit_payload(resident_a)]), as_=worker_a)
    assert answer.status_code == 200
    assert statuses(answer) == ["rejected", "created"]
    assert answer.json["results"][0]["errors"]  # a reason, whichever rule caught it


def test_any_failure_judging_one_visit_rejects_that_visit_only(
    api, worker_a, resident_a, monkeypatch
):
    bad = visit_payload(resident_a, feedback="this one breaks the presence check")
    real = presence.assess_batch

    def failing(visits):
        if any(visit.feedback.startswith("this one breaks") for visit in visits):
            raise RuntimeError("a bug met an unusual visit")
        return real(visits)

    monkeypatch.setattr(presence, "assess_batch", failing)
    answer = api.post("/sync", json=sync_body([visit_payload(resident_a), bad]), as_=worker_a)
    assert answer.status_code == 200
    assert statuses(answer) == ["created", "rejected"]
    assert "_item" in answer.json["results"][1]["errors"]
    assert stored_visits() == 1
    assert db.session.scalar(select(func.count()).select_from(SyncRejection)) == 1


def test_a_failure_hashing_an_amendment_rejects_that_amendment_only(
    api, worker_a, resident_a, monkeypatch
):
    from server.visits import ingest

    real = ingest.canonical_hash
    monkeypatch.setattr(
        ingest, "canonical_hash", lambda record: real(record) if "changes" not in record else 1 / 0
    )
    visit = visit_payload(resident_a)
    amendment = {
        "id": str(uuid.uuid4()),
        "visit_id": visit["id"],
        "changes": {"feedback": "x"},
        "reason": "typo",
    }
    answer = api.post("/sync", json=sync_body([visit], [amendment]), as_=worker_a)
    assert answer.status_code == 200
    assert statuses(answer) == ["created", "rejected"]


# --- the phone's clock and the server's ---------------------------------------------------


def test_a_phone_clock_years_ahead_cannot_vouch_for_its_check_in(api, worker_a, resident_a):
    future = datetime(2031, 5, 1, 9, 0, tzinfo=UTC)
    visit = visit_payload(resident_a, when=future)
    answer = api.post("/sync", json=sync_body([visit], device_time=future), as_=worker_a)
    assert statuses(answer) == ["rejected"]
    assert "server's clock" in answer.json["results"][0]["errors"]["checked_in_at"][0]


def test_a_check_in_a_few_minutes_ahead_of_the_server_is_accepted(api, worker_a, resident_a):
    ahead = datetime.now(UTC) + timedelta(minutes=5)
    visit = visit_payload(resident_a, when=ahead, checked_out_at=None)
    answer = api.post("/sync", json=sync_body([visit], device_time=ahead), as_=worker_a)
    assert statuses(answer) == ["created"]


def test_a_late_visit_inside_the_horizon_is_accepted(api, worker_a, resident_a):
    late = datetime.now(UTC) - timedelta(days=80)
    assert statuses(
        api.post("/sync", json=sync_body([visit_payload(resident_a, when=late)]), as_=worker_a)
    ) == ["created"]


def test_a_late_visit_beyond_the_horizon_is_rejected_with_its_reason(api, worker_a, resident_a):
    late = datetime.now(UTC) - timedelta(days=91)
    answer = api.post("/sync", json=sync_body([visit_payload(resident_a, when=late)]), as_=worker_a)
    assert statuses(answer) == ["rejected"]
    assert "90 days" in answer.json["results"][0]["errors"]["checked_in_at"][0]


def test_the_horizon_and_the_allowance_are_settings(app, api, worker_a, resident_a):
    app.config["CHECK_IN_HORIZON_DAYS"] = 7
    app.config["CHECK_IN_MAX_AHEAD_SECONDS"] = 0
    old = visit_payload(resident_a, when=datetime.now(UTC) - timedelta(days=8))
    ahead = datetime.now(UTC) + timedelta(minutes=5)
    early = visit_payload(resident_a, when=ahead, checked_out_at=None)
    answer = api.post("/sync", json=sync_body([old, early], device_time=ahead), as_=worker_a)
    assert statuses(answer) == ["rejected", "rejected"]
