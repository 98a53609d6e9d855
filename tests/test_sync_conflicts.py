"""Conflicting copies from phones: kept once, seen by the unit's supervisors, resolved."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from server.models import AuditEvent, SyncConflict, Visit
from server.models.types import UTCDateTime
from server.platform.extensions import db
from tests.conftest import make_person
from tests.visitdata import sync_body, visit_payload


def conflict_of(api, worker, resident, **changes) -> dict:
    """A visit stored, then a second copy of it that differs in `changes`: a conflict."""
    visit = visit_payload(resident)
    assert api.post("/sync", json=sync_body([visit]), as_=worker).status_code == 200
    other = {**visit, **changes}
    answer = api.post("/sync", json=sync_body([other]), as_=worker)
    assert answer.json["results"][0]["status"] == "conflict"
    return other


def count_conflicts() -> int:
    return db.session.scalar(select(func.count()).select_from(SyncConflict))


def open_conflicts(api, person, **params):
    answer = api.get("/sync/conflicts", query_string=params, as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json


@pytest.fixture
def supervisor_b(api, ward_b):
    return make_person(api, "supervisor.b", "supervisor", [ward_b])


def test_a_resent_conflict_is_kept_once(api, worker_a, resident_a):
    changed = conflict_of(api, worker_a, resident_a, feedback="changed my mind")
    for _ in range(5):
        answer = api.post("/sync", json=sync_body([changed, changed]), as_=worker_a)
        assert [r["status"] for r in answer.json["results"]] == ["conflict", "conflict"]
    assert count_conflicts() == 1
    other = {**changed, "feedback": "and again"}
    api.post("/sync", json=sync_body([other]), as_=worker_a)
    assert count_conflicts() == 2


def test_a_conflict_shows_both_versions_and_who_sent_it(api, worker_a, supervisor_a, resident_a):
    changed = conflict_of(api, worker_a, resident_a, feedback="changed my mind", kind="home_visit")
    page = open_conflicts(api, supervisor_a)
    assert page["total"] == 1
    item = page["items"][0]
    assert item["record_id"] == changed["id"] and item["visit_id"] == changed["id"]
    assert item["kind"] == "visit"
    assert item["sender"] == {"id": str(worker_a.user.id), "display_name": "Worker.A"}
    assert item["device_id"] == str(worker_a.device_id)
    assert item["phone"]["feedback"] == "changed my mind"
    assert item["server"]["feedback"] == "谢谢"
    assert item["payload"]["kind"] == "home_visit"
    assert item["differing"] == ["feedback"]
    assert item["resolution"] is None


def test_a_supervisor_sees_the_conflicts_of_their_units_only(
    api, admin, worker_a, worker_b, supervisor_a, supervisor_b, resident_a, resident_b
):
    mine = conflict_of(api, worker_a, resident_a, feedback="a")
    theirs = conflict_of(api, worker_b, resident_b, feedback="b")
    assert [i["record_id"] for i in open_conflicts(api, supervisor_a)["items"]] == [mine["id"]]
    assert [i["record_id"] for i in open_conflicts(api, supervisor_b)["items"]] == [theirs["id"]]
    assert open_conflicts(api, admin)["total"] == 2
    outside = open_conflicts(api, supervisor_b)["items"][0]["id"]
    answer = api.post(
        f"/sync/conflicts/{outside}/resolve", json={"action": "dismiss"}, as_=supervisor_a
    )
    assert answer.status_code == 404


def test_an_amendments_conflict_lies_in_its_visits_unit(
    api, worker_a, supervisor_a, supervisor_b, resident_a
):
    visit = visit_payload(resident_a)
    api.post("/sync", json=sync_body([visit]), as_=worker_a)
    amendment = {
        "id": str(uuid.uuid4()),
        "visit_id": visit["id"],
        "changes": {"feedback": "first"},
        "reason": "typo",
    }
    api.post("/sync", json=sync_body(amendments=[amendment]), as_=worker_a)
    other = {**amendment, "changes": {"feedback": "second"}}
    answer = api.post("/sync", json=sync_body(amendments=[other]), as_=worker_a)
    assert answer.json["results"][0]["status"] == "conflict"
    (item,) = open_conflicts(api, supervisor_a)["items"]
    assert item["kind"] == "amendment" and item["visit_id"] == visit["id"]
    assert item["server"]["feedback"] == "first" and item["phone"]["feedback"] == "second"
    assert open_conflicts(api, supervisor_b)["total"] == 0


def test_taking_the_phones_version_appends_an_amendment(api, worker_a, supervisor_a, resident_a):
    changed = conflict_of(
        api,
        worker_a,
        resident_a,
        feedback="changed my mind",
        observations={
            "living": "concern",
            "emotional": "concern",
            "physical": "ok",
            "notes": "睡眠不好 sleeps badly",
        },
    )
    conflict_id = open_conflicts(api, supervisor_a)["items"][0]["id"]
    answer = api.post(
        f"/sync/conflicts/{conflict_id}/resolve",
        json={"action": "take_phone", "note": "the phone is right"},
        as_=supervisor_a,
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["resolution"] == "took_phone"
    assert answer.json["resolution_note"] == "the phone is right"
    assert answer.json["differing"] == []
    visit = api.get(f"/visits/{changed['id']}", as_=supervisor_a).json
    assert visit["feedback"] == "changed my mind"
    assert visit["observations"]["living"] == "concern"
    assert visit["original"]["feedback"] == "谢谢"  # the original stays as received
    (amendment,) = visit["amendments"]
    assert amendment["changes"] == {
        "feedback": "changed my mind",
        "observations": {"living": "concern"},
    }
    assert amendment["reason"].startswith("Taken from a conflicting copy sent by Worker.A on ")
    assert amendment["author"]["id"] == str(supervisor_a.user.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "sync_conflict"))
    assert event.action == "resolve" and event.after["resolution"] == "took_phone"
    assert event.after["amendment_id"] == amendment["id"]
    assert open_conflicts(api, supervisor_a)["total"] == 0
    assert open_conflicts(api, supervisor_a, state="resolved")["total"] == 1


def test_keeping_the_servers_version_changes_nothing_but_the_mark(
    api, worker_a, supervisor_a, resident_a
):
    changed = conflict_of(api, worker_a, resident_a, feedback="changed my mind")
    conflict_id = open_conflicts(api, supervisor_a)["items"][0]["id"]
    answer = api.post(
        f"/sync/conflicts/{conflict_id}/resolve", json={"action": "keep_server"}, as_=supervisor_a
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["resolution"] == "kept_server"
    assert db.session.get(Visit, uuid.UUID(changed["id"])).amendments == []
    again = api.post(
        f"/sync/conflicts/{conflict_id}/resolve", json={"action": "dismiss"}, as_=supervisor_a
    )
    assert again.status_code == 409


def test_a_phone_copy_differing_only_in_unamendable_fields_cannot_be_taken(
    api, worker_a, supervisor_a, resident_a
):
    conflict_of(api, worker_a, resident_a, kind="home_visit")
    conflict_id = open_conflicts(api, supervisor_a)["items"][0]["id"]
    answer = api.post(
        f"/sync/conflicts/{conflict_id}/resolve", json={"action": "take_phone"}, as_=supervisor_a
    )
    assert answer.status_code == 422
    assert "cannot be amended" in answer.json["detail"]
    dismissed = api.post(
        f"/sync/conflicts/{conflict_id}/resolve", json={"action": "dismiss"}, as_=supervisor_a
    )
    assert dismissed.json["resolution"] == "dismissed"


def test_a_worker_cannot_resolve_a_conflict(api, worker_a, supervisor_a, resident_a):
    conflict_of(api, worker_a, resident_a, feedback="changed my mind")
    conflict_id = open_conflicts(api, supervisor_a)["items"][0]["id"]
    answer = api.post(
        f"/sync/conflicts/{conflict_id}/resolve", json={"action": "take_phone"}, as_=worker_a
    )
    assert answer.status_code == 403
    assert api.get("/sync/conflicts", as_=worker_a).status_code == 403


def test_an_unknown_action_is_refused(api, supervisor_a):
    answer = api.post("/sync/conflicts/1/resolve", json={"action": "merge"}, as_=supervisor_a)
    assert answer.status_code == 422


def test_a_supervisor_sees_the_rejections_of_their_units_people(
    api, worker_a, worker_b, supervisor_a, resident_a, resident_b, ward_b
):
    bad = visit_payload(resident_a, feedback="x" * 3000)
    api.post("/sync", json=sync_body([bad]), as_=worker_a)
    api.post(
        "/sync", json=sync_body([visit_payload(resident_b, feedback="y" * 3000)]), as_=worker_b
    )
    answer = api.get("/sync/rejections", as_=supervisor_a)
    assert answer.status_code == 200
    (item,) = answer.json["items"]
    assert item["record_id"] == bad["id"] and item["kind"] == "visit"
    assert item["sender"]["display_name"] == "Worker.A"
    assert "feedback" in item["errors"]
    assert api.get("/sync/rejections", as_=worker_a).status_code == 403


# --- the migration ----------------------------------------------------------------------

_conflicts_0014 = sa.Table(
    "sync_conflicts",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("record_id", sa.Uuid),
    sa.Column("kind", sa.String),
    sa.Column("user_id", sa.Uuid),
    sa.Column("device_id", sa.Uuid),
    sa.Column("content_hash", sa.String),
    sa.Column("payload", sa.JSON),
    sa.Column("received_at", UTCDateTime(timezone=True)),
)


def test_the_migration_keeps_the_earliest_of_each_duplicate(app, api, admin):
    db.session.remove()
    downgrade(revision="0014")
    first, second = uuid.uuid4(), uuid.uuid4()
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    rows = [
        (first, "a", 0),
        (first, "a", 1),
        (first, "b", 2),
        (second, "a", 3),
        (first, "a", 4),
        (second, "a", 5),
    ]
    with db.engine.begin() as connection:
        connection.execute(
            _conflicts_0014.insert(),
            [
                {
                    "record_id": record,
                    "kind": "visit",
                    "user_id": admin.user.id,
                    "device_id": None,
                    "content_hash": digest,
                    "payload": {"n": n},
                    "received_at": start + timedelta(minutes=n),
                }
                for record, digest, n in rows
            ],
        )
    upgrade()
    kept = db.session.execute(
        select(SyncConflict.record_id, SyncConflict.content_hash, SyncConflict.payload).order_by(
            SyncConflict.id
        )
    ).all()
    assert [(r, h, p["n"]) for r, h, p in kept] == [
        (first, "a", 0),
        (first, "b", 2),
        (second, "a", 3),
    ]
