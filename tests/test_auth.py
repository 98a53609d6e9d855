"""Logins, device tokens, the rate limit and revocation."""

import uuid
from datetime import timedelta

from server.models import Device
from server.platform.extensions import db
from tests.conftest import PASSWORD, make_person, statements_run


def login(api, username, password=PASSWORD, device_id=None, **kwargs):
    device = {"id": str(device_id or uuid.uuid4()), "name": "Phone"}
    return api.post(
        "/auth/login", json={"username": username, "password": password, "device": device}, **kwargs
    )


def test_login_answers_token_and_user_with_units(api, worker_a, ward_a):
    answer = login(api, "worker.a")
    assert answer.status_code == 200
    body = answer.json
    assert len(body["token"]) >= 40
    assert body["user"]["role"] == "worker"
    assert body["user"]["units"] == [{"id": str(ward_a.id), "name": ward_a.name}]
    assert "password" not in str(body)


def test_token_is_stored_only_as_a_hash(api, worker_a):
    device = db.session.get(Device, worker_a.device_id)
    assert worker_a.token not in device.token_hash
    assert len(device.token_hash) == 64


def test_token_lives_ninety_days_by_default(api, worker_a):
    device = db.session.get(Device, worker_a.device_id)
    assert device.expires_at - device.issued_at == timedelta(days=90)


def test_wrong_password_is_401_problem(api, worker_a):
    answer = login(api, "worker.a", "wrong password")
    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"
    assert answer.json["detail"] == "The username or password is wrong."


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(api, worker_a):
    assert login(api, "nobody", "x").json == login(api, "worker.a", "x").json


def test_repeated_failures_lock_the_username_with_retry_after(api, worker_a):
    for _ in range(5):
        assert login(api, "worker.a", "wrong").status_code == 401
    answer = login(api, "worker.a", PASSWORD)
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert "Try again in" in answer.json["detail"]
    assert "token" not in answer.json


def test_failures_from_one_address_lock_that_address(api, app, worker_a, worker_b):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for name in ("a", "b", "c"):
        login(api, f"guess.{name}", "wrong")
    assert login(api, "worker.b").status_code == 429
    other_address = login(api, "worker.b", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other_address.status_code == 200


def test_logout_revokes_the_token(api, worker_a):
    assert api.get("/me", as_=worker_a).status_code == 200
    assert api.post("/auth/logout", as_=worker_a).status_code == 204
    answer = api.get("/me", as_=worker_a)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_login_again_on_the_same_device_replaces_its_token(api, worker_a):
    again = login(api, "worker.a", device_id=worker_a.device_id)
    assert again.status_code == 200
    assert api.get("/me", as_=worker_a).status_code == 401
    assert (
        api.get("/me", headers={"Authorization": f"Bearer {again.json['token']}"}).json["username"]
        == "worker.a"
    )


def test_expired_token_is_refused(api, worker_a):
    device = db.session.get(Device, worker_a.device_id)
    device.expires_at = device.issued_at - timedelta(seconds=1)
    db.session.commit()
    assert api.get("/me", as_=worker_a).status_code == 401


def test_missing_or_malformed_authorization_is_401(api):
    assert api.get("/me").status_code == 401
    assert api.get("/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert api.get("/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_supervisor_revokes_a_lost_phone_of_their_worker(api, supervisor_a, worker_a):
    answer = api.post(f"/devices/{worker_a.device_id}/revoke", as_=supervisor_a)
    assert answer.status_code == 200
    assert answer.json["revoked_at"] is not None
    assert api.get("/me", as_=worker_a).status_code == 401


def test_supervisor_cannot_see_devices_of_another_ward(api, supervisor_a, worker_b):
    answer = api.post(f"/devices/{worker_b.device_id}/revoke", as_=supervisor_a)
    assert answer.status_code == 404
    listed = api.get("/devices", as_=supervisor_a).json
    assert str(worker_b.device_id) not in {device["id"] for device in listed}


def test_worker_cannot_revoke_devices(api, worker_a, worker_b):
    assert api.post(f"/devices/{worker_b.device_id}/revoke", as_=worker_a).status_code == 403


def test_deactivated_user_cannot_log_in_or_use_old_token(api, admin, worker_a):
    answer = api.patch(f"/users/{worker_a.user.id}", json={"active": False}, as_=admin)
    assert answer.status_code == 200
    assert api.get("/me", as_=worker_a).status_code == 401
    assert login(api, "worker.a").status_code == 401


def test_me_answers_the_current_user(api, supervisor_a, ward_a):
    me = api.get("/me", as_=supervisor_a).json
    assert me["username"] == "supervisor.a"
    assert me["units"][0]["name"] == ward_a.name


def test_names_are_case_insensitive_at_login(api, worker_a):
    assert login(api, "Worker.A").status_code == 200


def test_login_person_helper_creates_distinct_devices(api, ward_a):
    one = make_person(api, "w.one", "worker", [ward_a])
    two = make_person(api, "w.two", "worker", [ward_a])
    assert one.device_id != two.device_id


def test_a_token_finds_its_device_person_and_units_in_one_query(api, ward_a, ward_b):
    """Every API request asks; the person's scope comes with them, in name order."""
    from server.people.auth import device_for_token

    nurse = make_person(api, "nurse.ab", "worker", [ward_b, ward_a])
    db.session.expunge_all()
    with statements_run() as statements:
        device = device_for_token(nurse.token)
        units = [unit.name for unit in device.user.units]

    assert device.id == nurse.device_id and device.user.username == "nurse.ab"
    assert units == sorted([ward_a.name, ward_b.name])
    assert len(statements) == 1


def test_passwords_get_the_full_argon2_cost_unless_the_app_asks_for_the_light_one(app):
    from server.people.auth import hash_password, verify_password

    light = hash_password("a password")  # TestConfig sets PASSWORD_HASH_FAST
    app.config["PASSWORD_HASH_FAST"] = False
    full = hash_password("a password")
    assert "m=1024,t=1" in light
    assert "m=1024,t=1" not in full
    assert verify_password(light, "a password") and verify_password(full, "a password")


def test_a_refused_token_names_its_cause_so_the_phone_knows_what_to_forget(
    api, supervisor_a, worker_a, worker_b
):
    """Revoked: the phone wipes its roster (keeping unsent visits). Expired: it keeps all."""
    device = db.session.get(Device, worker_b.device_id)
    device.expires_at = device.issued_at - timedelta(seconds=1)
    db.session.commit()
    assert api.get("/me", as_=worker_b).json["code"] == "session_expired"
    api.post(f"/devices/{worker_a.device_id}/revoke", as_=supervisor_a)
    refused = api.get("/me", as_=worker_a)
    assert refused.status_code == 401 and refused.json["code"] == "device_revoked"
    assert (
        api.get("/me", headers={"Authorization": "Bearer nonsense"}).json["code"] == "unknown_token"
    )
