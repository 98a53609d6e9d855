"""The office's activities: the list with totals counted independently, one activity with its
photos, the photo file, the print view, a resident's activities, the desk's activity and the
types, for each role (docs/activities.md, "Office")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app

from tests.activitydata import activity_payload, activity_sync, jpeg_bytes, photo_payload
from tests.conftest import add_resident, make_person
from tests.taskdata import results_by_id


def _record(api, person, activities, photos=()) -> None:
    results = results_by_id(api.post("/sync", as_=person, json=activity_sync(activities, photos)))
    assert {r["status"] for r in results.values()} == {"created"}, results


def _days_ago(days: int, hours: int = 0) -> str:
    return (datetime.now(UTC) - timedelta(days=days, hours=hours + 1)).isoformat()


@pytest.fixture
def recorded(api, admin, worker_a, worker_b, ward_a, ward_b, resident_a, resident_b):
    """Three activities in ward A (two on one day), one in ward B, and a photo."""
    since = (datetime.now(UTC) - timedelta(days=60)).date().isoformat()
    for resident in (resident_a, resident_b):
        api.patch(f"/residents/{resident['id']}", as_=admin, json={"admitted_on": since})
    second = add_resident(api, admin, ward_a, name="张建国", admitted_on=since)
    a = [
        activity_payload(ward_a, [resident_a, second], started_at=_days_ago(2)),
        activity_payload(
            ward_a,
            [resident_a],
            started_at=_days_ago(2, 2),
            type_code="tai_chi",
            volunteers=[{"name": "V1", "hours": 1}, {"name": "V2", "hours": 1.5}],
        ),
        activity_payload(ward_a, [second], started_at=_days_ago(5), volunteers=[]),
    ]
    b = [activity_payload(ward_b, [resident_b], started_at=_days_ago(1))]
    photo = photo_payload(a[0])
    _record(api, worker_a, a, [photo])
    _record(api, worker_b, b)
    return {"a": a, "b": b, "photo": photo, "second": second}


def _local_day(started_at: str) -> str:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromisoformat(started_at).astimezone(zone).date().isoformat()


def _expected_totals(activities: list[dict]) -> dict:
    volunteers = [v for a in activities for v in a["volunteers"]]
    return {
        "activities": len(activities),
        "days": len({_local_day(a["started_at"]) for a in activities}),
        "attendances": sum(len(a["attendees"]) for a in activities),
        "residents": len({x["resident_id"] for a in activities for x in a["attendees"]}),
        "volunteers": len(volunteers),
        "volunteer_hours": sum(v["hours"] for v in volunteers),
    }


def test_admin_sees_every_activity_newest_first_with_totals(api, admin, recorded):
    answer = api.get("/activities", as_=admin)
    assert answer.status_code == 200, answer.json
    everything = recorded["a"] + recorded["b"]
    assert [i["id"] for i in answer.json["items"]] == [
        a["id"] for a in sorted(everything, key=lambda a: a["started_at"], reverse=True)
    ]
    assert answer.json["totals"] == _expected_totals(everything)


def test_supervisor_sees_only_the_units_activities(api, supervisor_a, recorded):
    answer = api.get("/activities", as_=supervisor_a)
    assert {i["id"] for i in answer.json["items"]} == {a["id"] for a in recorded["a"]}
    assert answer.json["totals"] == _expected_totals(recorded["a"])


def test_filter_by_type_counts_only_that_type(api, supervisor_a, recorded):
    answer = api.get("/activities", as_=supervisor_a, query_string={"type_code": "tai_chi"})
    tai_chi = [a for a in recorded["a"] if a["type_code"] == "tai_chi"]
    assert answer.json["totals"] == _expected_totals(tai_chi)


def test_another_units_supervisor_sees_none_and_gets_404(api, ward_b, recorded):
    other = make_person(api, "supervisor.b", "supervisor", [ward_b])
    answer = api.get("/activities", as_=other)
    assert {i["id"] for i in answer.json["items"]} == {a["id"] for a in recorded["b"]}
    assert api.get(f"/activities/{recorded['a'][0]['id']}", as_=other).status_code == 404
    photo = f"/activities/{recorded['a'][0]['id']}/photos/{recorded['photo']['id']}"
    assert api.get(photo, as_=other).status_code == 404


def test_worker_reads_their_units_activity_with_attendees_and_photos(
    api, worker_a, recorded, resident_a
):
    activity = recorded["a"][0]
    answer = api.get(f"/activities/{activity['id']}", as_=worker_a)
    assert answer.status_code == 200
    assert {a["name"] for a in answer.json["attendees"]} == {"王桂英", "张建国"}
    assert {a["identified_by"] for a in answer.json["attendees"]} == {"qr"}
    [photo] = answer.json["photos"]
    file = api.get(photo["url"].removeprefix("/api/v1"), as_=worker_a)
    assert file.status_code == 200
    assert file.mimetype == "image/jpeg"
    assert file.data == jpeg_bytes()
    assert file.headers["Cache-Control"].startswith("private")


def test_print_view_names_the_attendees_and_embeds_the_photo(api, supervisor_a, recorded):
    answer = api.get(f"/activities/{recorded['a'][0]['id']}/print", as_=supervisor_a)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "团体活动记录" in html and "Group activity record" in html
    assert "王桂英" in html and "张建国" in html
    assert html.count("data:image/jpeg;base64,") == 1


def test_residents_page_lists_the_activities_attended(api, supervisor_a, recorded, resident_a):
    answer = api.get(f"/residents/{resident_a['id']}/activities", as_=supervisor_a)
    assert answer.status_code == 200
    expected = [
        a for a in recorded["a"] if resident_a["id"] in {x["resident_id"] for x in a["attendees"]}
    ]
    assert {i["id"] for i in answer.json["items"]} == {a["id"] for a in expected}
    assert answer.json["total"] == len(expected)


def test_resident_of_another_unit_is_404(api, supervisor_a, recorded, resident_b):
    assert api.get(f"/residents/{resident_b['id']}/activities", as_=supervisor_a).status_code == 404


def test_activity_recorded_at_the_desk(api, supervisor_a, ward_a, resident_a):
    body = activity_payload(ward_a, [resident_a], id=None)
    body["attendees"][0].update(identified_by="manual", qr_token=None)
    answer = api.post("/activities", as_=supervisor_a, json=body)
    assert answer.status_code == 201, answer.json
    assert [a["identified_by"] for a in answer.json["attendees"]] == ["manual"]
    assert answer.json["created_by"]["id"] == str(supervisor_a.user.id)


def test_desk_activity_with_a_retired_type_is_422(api, admin, supervisor_a, ward_a):
    api.client.put(
        "/api/v1/activity-types/music",
        headers=admin.headers,
        json={"name_en": "Music", "name_zh": "音乐活动", "active": False},
    )
    answer = api.post(
        "/activities", as_=supervisor_a, json=activity_payload(ward_a, type_code="music")
    )
    assert answer.status_code == 422
    assert "type_code" in answer.json["errors"]


def test_admin_adds_and_retires_a_type_others_may_not(api, admin, supervisor_a):
    body = {"name_en": "Calligraphy", "name_zh": "书法", "active": True}
    put = api.client.put("/api/v1/activity-types/calligraphy", headers=admin.headers, json=body)
    assert put.status_code == 200, put.json
    assert put.json == {**body, "code": "calligraphy", "builtin": False}
    refused = api.client.put(
        "/api/v1/activity-types/calligraphy", headers=supervisor_a.headers, json=body
    )
    assert refused.status_code == 403
    retired = {**body, "active": False}
    api.client.put("/api/v1/activity-types/calligraphy", headers=admin.headers, json=retired)
    listed = {t["code"]: t for t in api.get("/activity-types", as_=supervisor_a).json}
    assert listed["calligraphy"]["active"] is False
    assert listed["birthday"]["builtin"] is True


def test_type_code_of_other_characters_is_422(api, admin):
    body = {"name_en": "X", "name_zh": "X"}
    answer = api.client.put("/api/v1/activity-types/Bad-Code", headers=admin.headers, json=body)
    assert answer.status_code == 422
