"""Uploading visits: exactly once, item by item, with reasons a person can act on."""

import gzip
import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from server.models import Device, SyncConflict, Visit
from server.platform.extensions import db
from tests.conftest import statements_run
from tests.visitdata import signature_strokes, sync_body, visit_payload


def count_visits() -> int:
    return db.session.scalar(select(func.count()).select_from(Visit))


def statuses(answer) -> list[str]:
    return [result["status"] for result in answer.json["results"]]


def test_new_visit_is_created_with_its_signature(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    answer = api.post("/sync", json=sync_body([visit]), as_=worker_a)
    assert answer.status_code == 200
    assert answer.json["results"] == [{"id": visit["id"], "kind": "visit", "status": "created"}]
    stored = db.session.get(Visit, uuid.UUID(visit["id"]))
    assert stored.signature_strokes == signature_strokes(40)
    assert stored.worker_id == worker_a.user.id
    assert stored.device_id == worker_a.device_id
    assert len(stored.content_hash) == 64


def test_replayed_batch_is_duplicate(api, worker_a, resident_a):
    body = sync_body([visit_payload(resident_a), visit_payload(resident_a)])
    assert statuses(api.post("/sync", json=body, as_=worker_a)) == ["created", "created"]
    assert statuses(api.post("/sync", json=body, as_=worker_a)) == ["duplicate", "duplicate"]
    assert count_visits() == 2


def test_same_id_other_content_is_conflict_and_kept_aside(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    api.post("/sync", json=sync_body([visit]), as_=worker_a)
    changed = {**visit, "feedback": "changed my mind"}
    answer = api.post("/sync", json=sync_body([changed]), as_=worker_a)
    assert statuses(answer) == ["conflict"]
    assert "kept aside" in answer.json["results"][0]["errors"]["id"][0]
    assert db.session.get(Visit, uuid.UUID(visit["id"])).feedback == "谢谢"
    kept = db.session.scalar(select(SyncConflict))
    assert kept.payload["feedback"] == "changed my mind"


def test_the_same_visit_twice_in_one_batch_is_stored_once(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    answer = api.post("/sync", json=sync_body([visit, visit]), as_=worker_a)
    assert statuses(answer) == ["created", "duplicate"]
    assert count_visits() == 1


def test_absolute_and_delta_encodings_are_the_same_content(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    api.post("/sync", json=sync_body([visit]), as_=worker_a)
    absolute = json.loads(json.dumps(visit))
    absolute["signature"] = {
        **visit["signature"],
        "encoding": "absolute",
        "strokes": signature_strokes(40),
    }
    assert statuses(api.post("/sync", json=sync_body([absolute]), as_=worker_a)) == ["duplicate"]


def test_one_bad_item_does_not_block_the_others(api, worker_a, resident_a):
    good = visit_payload(resident_a)
    bad = visit_payload(resident_a, kind="picnic")
    answer = api.post("/sync", json=sync_body([bad, good]), as_=worker_a)
    assert statuses(answer) == ["rejected", "created"]
    assert answer.json["results"][0]["errors"] == {"kind": ["Must be one of: round, home_visit."]}


def test_a_nul_character_rejects_its_visit_alone(api, worker_a, resident_a):
    good = visit_payload(resident_a)
    bad = visit_payload(resident_a, feedback="ok\x00")
    bad["observations"]["notes"] = "\x00"
    answer = api.post("/sync", json=sync_body([bad, good]), as_=worker_a)
    assert answer.status_code == 200
    assert statuses(answer) == ["rejected", "created"]
    message = ["Text may not contain the NUL character."]
    assert answer.json["results"][0]["errors"] == {
        "feedback": message,
        "observations": {"notes": message},
    }


def test_visit_for_another_units_resident_is_rejected(api, worker_a, resident_b):
    answer = api.post("/sync", json=sync_body([visit_payload(resident_b)]), as_=worker_a)
    assert statuses(answer) == ["rejected"]
    assert "not in your units" in answer.json["results"][0]["errors"]["resident_id"][0]
    assert count_visits() == 0


def test_visit_for_unknown_resident_is_rejected(api, worker_a, resident_a):
    ghost = {**resident_a, "id": str(uuid.uuid4())}
    answer = api.post("/sync", json=sync_body([visit_payload(ghost)]), as_=worker_a)
    assert "No such resident" in answer.json["results"][0]["errors"]["resident_id"][0]


def test_check_in_far_ahead_of_the_phone_clock_is_rejected(api, worker_a, resident_a):
    phone_now = datetime.now(UTC)
    visit = visit_payload(resident_a, when=phone_now + timedelta(minutes=11))
    answer = api.post("/sync", json=sync_body([visit], device_time=phone_now), as_=worker_a)
    assert "phone's date and time" in answer.json["results"][0]["errors"]["checked_in_at"][0]
    # (no check-out: one 13 minutes ahead would be ahead of the server's clock too)
    slightly = visit_payload(resident_a, when=phone_now + timedelta(minutes=9), checked_out_at=None)
    assert statuses(
        api.post("/sync", json=sync_body([slightly], device_time=phone_now), as_=worker_a)
    ) == ["created"]


def test_bad_signatures_are_rejected_with_reasons(api, worker_a, resident_a):
    def with_signature(**changes):
        visit = visit_payload(resident_a)
        visit["signature"] = {**visit["signature"], **changes}
        return visit

    cases = [
        with_signature(signer="proxy", signer_name=None),
        with_signature(signer="none", reason="", strokes=[]),
        with_signature(strokes=[[1, 2, 3]]),
        with_signature(encoding="absolute", strokes=[[10, 10, 700, 10]]),
        with_signature(strokes=[[1, 1]] * 51),
        with_signature(strokes=[[1, 1] + [0, 0] * 4000]),
        with_signature(strokes=[]),
        with_signature(strokes=[[1.5, 2]]),
    ]
    answer = api.post("/sync", json=sync_body(cases), as_=worker_a)
    assert statuses(answer) == ["rejected"] * len(cases)
    fields = [list(r["errors"]["signature"]) for r in answer.json["results"]]
    assert fields == [["signer_name"], ["reason"]] + [["strokes"]] * 6


def test_unable_to_sign_with_a_reason_is_accepted(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    visit["signature"] = {
        "signer": "none",
        "reason": "手抖 hands shake",
        "width": 600,
        "height": 200,
        "strokes": [],
    }
    assert statuses(api.post("/sync", json=sync_body([visit]), as_=worker_a)) == ["created"]


def test_proxy_signature_with_a_name_is_accepted(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    visit["signature"] = {**visit["signature"], "signer": "proxy", "signer_name": "女儿 王丽"}
    assert statuses(api.post("/sync", json=sync_body([visit]), as_=worker_a)) == ["created"]


def test_over_long_text_is_rejected(api, worker_a, resident_a):
    visit = visit_payload(resident_a, feedback="好" * 2001)
    answer = api.post("/sync", json=sync_body([visit]), as_=worker_a)
    assert "feedback" in answer.json["results"][0]["errors"]


def test_qr_visit_needs_its_token(api, worker_a, resident_a):
    visit = visit_payload(resident_a, qr_token=None)
    answer = api.post("/sync", json=sync_body([visit]), as_=worker_a)
    assert "qr_token" in answer.json["results"][0]["errors"]


def test_every_rejection_names_a_field_and_says_what_to_do(api, worker_a, resident_a):
    items = [
        {"id": "not-a-uuid"},
        "not even an object",
        visit_payload(resident_a, checked_out_at="2020-01-01T00:00:00+00:00"),
        visit_payload(resident_a, satisfaction="ecstatic"),
        visit_payload(resident_a, checked_in_at="2026-11-23T10:00:00"),
    ]
    answer = api.post("/sync", json=sync_body(items), as_=worker_a)
    for result in answer.json["results"]:
        assert result["status"] == "rejected"
        assert result["errors"]
        for messages in _leaves(result["errors"]):
            assert all(isinstance(m, str) and len(m) > 8 for m in messages)


def _leaves(errors):
    for value in errors.values():
        if isinstance(value, dict):
            yield from _leaves(value)
        else:
            yield value


def test_too_many_visits_is_413_naming_the_limit(api, app, worker_a, resident_a):
    app.config["SYNC_MAX_VISITS"] = 3
    answer = api.post("/sync", json=sync_body([visit_payload(resident_a)] * 4), as_=worker_a)
    assert answer.status_code == 413
    assert "At most 3 visits" in answer.json["detail"]
    assert count_visits() == 0


def test_gzip_body_is_accepted_and_answer_is_gzipped(api, worker_a, resident_a):
    body = gzip.compress(json.dumps(sync_body([visit_payload(resident_a)])).encode())
    answer = api.post(
        "/sync",
        data=body,
        content_type="application/json",
        headers={"Content-Encoding": "gzip", "Accept-Encoding": "gzip"},
        as_=worker_a,
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.data))["results"][0]["status"] == "created"


def test_gzip_bomb_is_413(api, app, worker_a):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    bomb = gzip.compress(b'{"a": "' + b"x" * 100_000 + b'"}')
    answer = api.post(
        "/sync",
        data=bomb,
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
        as_=worker_a,
    )
    assert answer.status_code == 413


def test_401_without_a_valid_token_stores_nothing(api, resident_a):
    answer = api.post(
        "/sync",
        json=sync_body([visit_payload(resident_a)]),
        headers={"Authorization": "Bearer expired"},
    )
    assert answer.status_code == 401
    assert count_visits() == 0


def test_device_clock_skew_version_and_last_sync_are_recorded(api, worker_a):
    phone_time = datetime.now(UTC) + timedelta(minutes=3)
    api.post(
        "/sync",
        json=sync_body(device_time=phone_time),
        as_=worker_a,
        headers={"X-Rounds-App": "1.4.2"},
    )
    device = db.session.get(Device, worker_a.device_id)
    assert 170 <= device.clock_skew_seconds <= 190
    assert device.app_version == "1.4.2"
    assert device.last_sync_at is not None


def test_a_sync_within_a_minute_of_the_last_leaves_the_device_row_alone(api, worker_a):
    """An open app syncs every few seconds: its health is written once a minute, or at once
    when its clock or app changed, so an empty pull writes nothing."""

    def device_writes(phone_time: datetime | None = None, app: str = "1.4.2") -> int:
        with statements_run() as statements:
            answer = api.post(
                "/sync",
                json=sync_body(device_time=phone_time),
                as_=worker_a,
                headers={"X-Rounds-App": app},
            )
        assert answer.status_code == 200
        return sum(statement.startswith("UPDATE devices") for statement in statements)

    device_writes()  # the first sync also notes the device as seen (api/spec.py)
    assert device_writes() == 0
    assert device_writes(app="1.5.0") == 1
    assert device_writes(phone_time=datetime.now(UTC) + timedelta(minutes=5), app="1.5.0") == 1
    synced = db.session.get(Device, worker_a.device_id).last_sync_at
    db.session.execute(
        update(Device)
        .where(Device.id == worker_a.device_id)
        .values(last_sync_at=synced - timedelta(seconds=61))
    )
    db.session.commit()
    assert device_writes(phone_time=datetime.now(UTC) + timedelta(minutes=5), app="1.5.0") == 1


def test_malformed_envelope_is_422(api, worker_a):
    answer = api.post("/sync", json={"device_time": "yesterday", "visits": "all"}, as_=worker_a)
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"device_time", "visits"}
