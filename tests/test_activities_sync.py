"""Activities and their photos over POST /api/v1/sync: exactly once, item by item, the files
kept beside the rows, and the pull's activities under the roster cursor (docs/activities.md)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.models import Activity, ActivityAttendance, ActivityPhoto, SyncConflict, SyncRejection
from server.platform.extensions import db
from tests.activitydata import activity_payload, activity_sync, jpeg_bytes, photo_payload
from tests.conftest import add_resident
from tests.taskdata import results_by_id


@pytest.fixture
def media(app) -> Path:
    return Path(app.config["MEDIA_DIR"])


def _sync(api, person, activities=(), photos=(), cursor=None):
    answer = api.post("/sync", as_=person, json=activity_sync(activities, photos, cursor))
    assert answer.status_code == 200, answer.json
    return answer


def _results(api, person, activities=(), photos=()) -> dict:
    return results_by_id(_sync(api, person, activities, photos))


def _files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_activity_with_scanned_residents_is_created(api, worker_a, ward_a, resident_a, admin):
    other = add_resident(api, admin, ward_a, name="张建国")
    activity = activity_payload(ward_a, [resident_a, other])
    result = _results(api, worker_a, [activity])[activity["id"]]
    assert result == {"id": activity["id"], "kind": "activity", "status": "created"}
    stored = db.session.get(Activity, uuid.UUID(activity["id"]))
    assert {str(a.resident_id) for a in stored.attendees} == {resident_a["id"], other["id"]}
    assert {a.identified_by for a in stored.attendees} == {"qr"}


def test_replayed_activity_is_duplicate(api, worker_a, ward_a, resident_a):
    activity = activity_payload(ward_a, [resident_a])
    _sync(api, worker_a, [activity])
    again = _results(api, worker_a, [activity])[activity["id"]]
    assert again["status"] == "duplicate"
    assert db.session.scalar(select(func.count()).select_from(ActivityAttendance)) == 1


def test_same_id_other_content_is_a_conflict_kept_aside(api, worker_a, ward_a, resident_a):
    activity = activity_payload(ward_a, [resident_a])
    _sync(api, worker_a, [activity])
    changed = {**activity, "title": "另一个活动 Another"}
    assert _results(api, worker_a, [changed])[activity["id"]]["status"] == "conflict"
    kept = db.session.scalars(select(SyncConflict)).one()
    assert (kept.kind, kept.payload["title"]) == ("activity", "另一个活动 Another")
    assert db.session.get(Activity, uuid.UUID(activity["id"])).title == activity["title"]


def test_attendee_out_of_scope_is_rejected(api, worker_a, ward_a, resident_a, resident_b):
    activity = activity_payload(ward_a, [resident_a, resident_b])
    result = _results(api, worker_a, [activity])[activity["id"]]
    assert result["status"] == "rejected"
    assert list(result["errors"]["attendees"]) == ["1"]
    assert "resident_id" in result["errors"]["attendees"]["1"]
    assert db.session.get(Activity, uuid.UUID(activity["id"])) is None


def test_scanned_code_of_another_resident_is_rejected(api, worker_a, ward_a, resident_a, admin):
    other = add_resident(api, admin, ward_a, name="张建国")
    activity = activity_payload(ward_a, [resident_a])
    activity["attendees"][0]["qr_token"] = other["qr_token"]
    result = _results(api, worker_a, [activity])[activity["id"]]
    assert result["errors"]["attendees"]["0"] == {
        "qr_token": ["The scanned code is not this resident's."]
    }


def test_activity_of_another_unit_is_rejected(api, worker_a, ward_b):
    activity = activity_payload(ward_b)
    result = _results(api, worker_a, [activity])[activity["id"]]
    assert (result["status"], list(result["errors"])) == ("rejected", ["unit_id"])


def test_photo_with_its_activity_is_stored_as_a_file(api, worker_a, ward_a, resident_a, media):
    activity = activity_payload(ward_a, [resident_a])
    data = jpeg_bytes()
    photo = photo_payload(activity, data)
    results = _results(api, worker_a, [activity], [photo])
    assert results[photo["id"]] == {
        "id": photo["id"],
        "kind": "activity_photo",
        "status": "created",
    }
    stored = db.session.get(ActivityPhoto, uuid.UUID(photo["id"]))
    digest = hashlib.sha256(data).hexdigest()[:16]
    assert stored.storage_key == f"activities/{activity['id']}/{photo['id']}-{digest}.jpg"
    assert (media / stored.storage_key).read_bytes() == data
    assert _files(media) == [media / stored.storage_key]


def test_photo_before_its_activity_then_after(api, worker_a, ward_a, resident_a, media):
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity)
    early = _results(api, worker_a, photos=[photo])[photo["id"]]
    assert (early["status"], early["errors"]) == (
        "rejected",
        {"activity_id": ["not yet received"]},
    )
    assert _files(media) == []
    _sync(api, worker_a, [activity])
    assert _results(api, worker_a, photos=[photo])[photo["id"]]["status"] == "created"


def test_replayed_photo_is_duplicate_and_writes_no_second_file(
    api, worker_a, ward_a, resident_a, media
):
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity)
    _sync(api, worker_a, [activity], [photo])
    written = _files(media)[0]
    before = written.stat().st_mtime_ns
    again = _results(api, worker_a, photos=[photo])[photo["id"]]
    assert again["status"] == "duplicate"
    assert _files(media) == [written]
    assert written.stat().st_mtime_ns == before


def test_photo_with_other_bytes_under_a_held_id_is_a_conflict_without_its_bytes(
    api, worker_a, ward_a, resident_a, media
):
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity)
    _sync(api, worker_a, [activity], [photo])
    other = {**photo, **{"data": photo_payload(activity, jpeg_bytes(colour=(0, 0, 255)))["data"]}}
    assert _results(api, worker_a, photos=[other])[photo["id"]]["status"] == "conflict"
    kept = db.session.scalars(select(SyncConflict)).one()
    assert "data" not in kept.payload
    assert len(_files(media)) == 1


def test_photo_too_big_is_rejected(app, api, worker_a, ward_a, resident_a, media):
    app.config["PHOTO_MAX_BYTES"] = 100
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity)
    result = _results(api, worker_a, [activity], [photo])[photo["id"]]
    assert (result["status"], list(result["errors"])) == ("rejected", ["data"])
    assert _files(media) == []


def test_photo_that_is_not_an_image_is_rejected(api, worker_a, ward_a, resident_a, media):
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity, b"GIF89a not really a photo at all")
    result = _results(api, worker_a, [activity], [photo])[photo["id"]]
    assert result["errors"] == {"data": ["The photo is not a readable image."]}
    assert db.session.get(ActivityPhoto, uuid.UUID(photo["id"])) is None


def test_photo_of_another_format_than_stated_is_rejected(api, worker_a, ward_a, resident_a):
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity, jpeg_bytes(fmt="PNG"))
    result = _results(api, worker_a, [activity], [photo])[photo["id"]]
    assert list(result["errors"]) == ["content_type"]


def test_more_than_four_photos_a_request_is_refused(api, worker_a, ward_a):
    activity = activity_payload(ward_a)
    body = activity_sync([activity], [photo_payload(activity) for _ in range(5)])
    answer = api.post("/sync", as_=worker_a, json=body)
    assert answer.status_code == 413
    assert "activity_photos" in answer.json["errors"]


def test_pull_carries_types_and_the_units_recent_activities(
    api, worker_a, worker_b, ward_a, resident_a
):
    activity = activity_payload(ward_a, [resident_a])
    photo = photo_payload(activity)
    _sync(api, worker_a, [activity], [photo])
    pulled = _sync(api, worker_a).json
    assert "birthday" in {t["code"] for t in pulled["activity_types"]}
    [entry] = pulled["activities"]
    assert entry["attendee_ids"] == [resident_a["id"]]
    assert (entry["photo_count"], entry["created_by"]) == (1, str(worker_a.user.id))
    assert _sync(api, worker_b).json["activities"] == []
    quiet = _sync(api, worker_a, cursor=pulled["cursor"]).json
    assert (quiet["activities"], quiet["activity_types"]) == ([], [])


def test_resident_admitted_after_the_day_is_rejected(api, admin, worker_a, ward_a, resident_a):
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    api.patch(f"/residents/{resident_a['id']}", as_=admin, json={"admitted_on": tomorrow})
    activity = activity_payload(ward_a, [resident_a])
    result = _results(api, worker_a, [activity])[activity["id"]]
    assert result["errors"]["attendees"]["0"] == {
        "resident_id": ["This resident was not in care on the day of the activity."]
    }


def test_a_refused_photo_is_kept_under_its_own_kind_with_codes(api, worker_a, resident_a):
    photo = {"id": "9d7c1a52-2d0e-4bb1-9a53-3f1f5a0f6c11", "activity_id": "not an id"}
    answer = api.post("/sync", json=activity_sync(photos=[photo]), as_=worker_a)
    [result] = answer.json["results"]
    assert (result["kind"], result["status"]) == ("activity_photo", "rejected")
    assert result["codes"]["activity_id"][0]["code"] == "invalid"
    kept = db.session.scalars(select(SyncRejection)).one()
    assert kept.kind == "activity_photo"


def test_an_item_refused_inside_a_list_is_kept_with_its_reasons(api, worker_a, ward_a, resident_a):
    """Errors keyed by a list's positions are kept as the answer names them (positions as
    text): storing them once failed the whole sync."""
    activity = activity_payload(ward_a, [resident_a])
    activity["attendees"][0]["resident_id"] = "not a uuid"
    result = _results(api, worker_a, [activity])[activity["id"]]
    assert result["status"] == "rejected" and "attendees" in result["errors"]
    kept = db.session.scalars(select(SyncRejection)).one()
    assert kept.kind == "activity" and "0" in kept.errors["attendees"]
