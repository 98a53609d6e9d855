"""Units and staff accounts through the API."""

from tests.conftest import PASSWORD


def test_admin_creates_and_renames_a_unit(api, admin):
    created = api.post("/units", json={"name": "青山村 Qingshan", "kind": "area"}, as_=admin)
    assert created.status_code == 201
    assert created.json["kind"] == "area"
    renamed = api.patch(f"/units/{created.json['id']}", json={"name": "Qingshan"}, as_=admin)
    assert renamed.json == {**created.json, "name": "Qingshan"}


def test_duplicate_unit_name_is_409(api, admin, ward_a):
    answer = api.post("/units", json={"name": ward_a.name}, as_=admin)
    assert answer.status_code == 409
    assert answer.json["errors"] == {"name": ["Already in use."]}


def test_created_user_can_log_in_and_password_never_appears(api, admin, ward_a):
    created = api.post(
        "/users",
        json={
            "username": "Li.Na",
            "display_name": "李娜",
            "role": "worker",
            "password": PASSWORD,
            "unit_ids": [str(ward_a.id)],
        },
        as_=admin,
    )
    assert created.status_code == 201
    assert created.json["username"] == "li.na"
    assert created.json["units"] == [{"id": str(ward_a.id), "name": ward_a.name}]
    assert "password" not in created.json and "password_hash" not in created.json
    login = api.post(
        "/auth/login",
        json={
            "username": "li.na",
            "password": PASSWORD,
            "device": {"id": "6f1c1f0e-8a3b-4f7e-9a51-0d5b8c7e2a10"},
        },
    )
    assert login.status_code == 200
    listed = api.get("/users", as_=admin).json
    assert all("password" not in user and "password_hash" not in user for user in listed)


def test_admin_password_reset_signs_the_person_out(api, admin, worker_a):
    answer = api.patch(
        f"/users/{worker_a.user.id}", json={"password": "a brand new one"}, as_=admin
    )
    assert answer.status_code == 200
    assert api.get("/me", as_=worker_a).status_code == 401


def test_admin_reassigns_units(api, admin, worker_a, ward_b):
    answer = api.patch(f"/users/{worker_a.user.id}", json={"unit_ids": [str(ward_b.id)]}, as_=admin)
    assert [unit["id"] for unit in answer.json["units"]] == [str(ward_b.id)]
    assert api.get("/me", as_=worker_a).json["units"][0]["id"] == str(ward_b.id)


def test_taken_username_is_409(api, admin, worker_a):
    body = {"username": "worker.a", "role": "worker", "password": PASSWORD}
    assert api.post("/users", json=body, as_=admin).status_code == 409


def test_unknown_unit_for_a_user_is_422(api, admin):
    body = {
        "username": "x.z",
        "role": "worker",
        "password": PASSWORD,
        "unit_ids": ["00000000-0000-4000-8000-000000000000"],
    }
    answer = api.post("/users", json=body, as_=admin)
    assert answer.status_code == 422
    assert "unit_ids" in answer.json["errors"]


def test_users_filter_by_role(api, admin, supervisor_a, worker_a):
    names = [u["username"] for u in api.get("/users?role=supervisor", as_=admin).json]
    assert names == ["supervisor.a"]
