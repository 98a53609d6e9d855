"""A device id belongs to the person who first registered it: another person's login with it
gets a device of their own (a shared phone keeps working), and a revoked device stays revoked."""

import uuid

from sqlalchemy import select

from server.models import Device
from server.platform.extensions import db
from tests.conftest import PASSWORD, Person, make_person


def login(api, username: str, device_id: uuid.UUID):
    return api.post(
        "/auth/login",
        json={
            "username": username,
            "password": PASSWORD,
            "device": {"id": str(device_id), "name": "phone"},
        },
    )


def as_person(answer) -> Person:
    return Person(
        user=None, token=answer.json["token"], device_id=uuid.UUID(answer.json["device_id"])
    )


def test_another_workers_login_with_a_device_id_does_not_take_it_over(api, worker_a, ward_a):
    make_person(api, "worker.c", "worker", [ward_a])
    answer = login(api, "worker.c", worker_a.device_id)
    assert answer.status_code == 200
    assert answer.json["device_id"] != str(worker_a.device_id)
    assert api.get("/me", as_=worker_a).status_code == 200  # the owner is still signed in
    owned = db.session.get(Device, worker_a.device_id)
    db.session.refresh(owned)
    assert owned.user_id == worker_a.user.id


def test_two_workers_sharing_a_phone_log_in_one_after_the_other(api, worker_a, ward_a):
    make_person(api, "worker.c", "worker", [ward_a])
    phone = worker_a.device_id
    first = login(api, "worker.c", phone).json["device_id"]
    assert login(api, "worker.a", phone).json["device_id"] == str(phone)
    again = login(api, "worker.c", phone)
    assert again.json["device_id"] == first  # one device row per person on the phone
    assert api.get("/me", as_=as_person(again)).json["username"] == "worker.c"
    rows = db.session.scalars(select(Device.id)).all()
    assert len(rows) == 3  # the fixture's worker.c login, the phone's, and worker.c's on it


def test_a_revoked_device_stays_revoked(api, worker_a, supervisor_a):
    revoked = api.post(f"/devices/{worker_a.device_id}/revoke", as_=supervisor_a)
    assert revoked.status_code == 200
    answer = login(api, "worker.a", worker_a.device_id)
    assert answer.status_code == 200
    fresh = as_person(answer)
    assert fresh.device_id != worker_a.device_id
    assert api.get("/me", as_=worker_a).status_code == 401  # the old token stays dead
    assert api.get("/me", as_=fresh).status_code == 200
    devices = {d["id"]: d for d in api.get("/devices", as_=supervisor_a).json}
    assert devices[str(worker_a.device_id)]["revoked_at"] is not None
    assert devices[str(fresh.device_id)]["revoked_at"] is None


def test_the_owner_logging_in_again_keeps_the_device(api, worker_a):
    answer = login(api, "worker.a", worker_a.device_id)
    assert answer.json["device_id"] == str(worker_a.device_id)
    assert api.get("/me", as_=worker_a).status_code == 401  # its old token was replaced
    assert api.get("/me", as_=as_person(answer)).status_code == 200


def test_a_visit_synced_from_a_shared_phone_is_on_the_device_of_whoever_logged_in(
    api, worker_a, resident_a, ward_a
):
    from tests.visitdata import sync_body, visit_payload

    make_person(api, "worker.c", "worker", [ward_a])
    second = as_person(login(api, "worker.c", worker_a.device_id))
    visit = visit_payload(resident_a)
    assert (
        api.post("/sync", json=sync_body([visit]), as_=second).json["results"][0]["status"]
        == "created"
    )
    stored = api.get(f"/visits/{visit['id']}", as_=second).json
    assert stored["device_id"] == str(second.device_id)
