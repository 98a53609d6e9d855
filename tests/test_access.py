"""Who may see and change what, tested by who asks."""

from tests.conftest import add_resident, make_person
from tests.test_coverage_support import set_policies


def test_worker_sees_only_residents_of_their_units(api, worker_a, resident_a, resident_b):
    listed = api.get("/residents", as_=worker_a).json["items"]
    assert [r["id"] for r in listed] == [resident_a["id"]]


def test_another_units_resident_is_404_not_403(api, worker_a, resident_b):
    answer = api.get(f"/residents/{resident_b['id']}", as_=worker_a)
    assert answer.status_code == 404
    assert answer.json["detail"] == "No such resident."


def test_worker_may_not_add_or_change_residents(api, worker_a, ward_a, resident_a):
    assert (
        api.post(
            "/residents", json={"name": "x", "unit_id": str(ward_a.id)}, as_=worker_a
        ).status_code
        == 403
    )
    assert (
        api.patch(f"/residents/{resident_a['id']}", json={"room": "1"}, as_=worker_a).status_code
        == 403
    )


def test_supervisor_manages_residents_of_their_unit(api, admin, supervisor_a, ward_a, resident_a):
    set_policies(api, admin, care_levels=[("semi_care", 2, "week")])
    add_resident(api, supervisor_a, ward_a, name="陈凤英")
    answer = api.patch(
        f"/residents/{resident_a['id']}", json={"care_level": "semi_care"}, as_=supervisor_a
    )
    assert answer.status_code == 200


def test_supervisor_cannot_touch_another_unit(api, supervisor_a, ward_b, resident_b):
    assert (
        api.post(
            "/residents", json={"name": "x", "unit_id": str(ward_b.id)}, as_=supervisor_a
        ).status_code
        == 404
    )
    assert (
        api.patch(
            f"/residents/{resident_b['id']}", json={"room": "1"}, as_=supervisor_a
        ).status_code
        == 404
    )


def test_supervisor_cannot_move_a_resident_into_a_unit_they_do_not_manage(
    api, supervisor_a, ward_b, resident_a
):
    answer = api.patch(
        f"/residents/{resident_a['id']}", json={"unit_id": str(ward_b.id)}, as_=supervisor_a
    )
    assert answer.status_code == 404


def test_units_visible_by_role(api, admin, worker_a, ward_a, ward_b):
    assert len(api.get("/units", as_=admin).json) == 2
    assert [u["id"] for u in api.get("/units", as_=worker_a).json] == [str(ward_a.id)]
    assert api.get(f"/units/{ward_b.id}", as_=worker_a).status_code == 404


def test_only_admins_create_units_and_users(api, supervisor_a, worker_a):
    assert api.post("/units", json={"name": "New"}, as_=supervisor_a).status_code == 403
    body = {"username": "x.y", "role": "worker", "password": "long enough"}
    assert api.post("/users", json=body, as_=supervisor_a).status_code == 403
    assert api.get("/users", as_=worker_a).status_code == 403


def test_supervisor_lists_only_the_staff_of_their_units(api, supervisor_a, worker_a, worker_b):
    names = [u["username"] for u in api.get("/users", as_=supervisor_a).json]
    assert names == [supervisor_a.user.username, "worker.a"]
    assert api.get(f"/users/{worker_b.user.id}", as_=supervisor_a).status_code == 404


def test_supervisor_lists_a_fellow_supervisor_but_cannot_revoke_their_phone(
    api, supervisor_a, ward_a
):
    fellow = make_person(api, "fellow.a", "supervisor", [ward_a])
    listed = api.get(f"/users?unit_id={ward_a.id}", as_=supervisor_a).json
    assert "fellow.a" in [u["username"] for u in listed]
    assert api.get(f"/users/{fellow.user.id}", as_=supervisor_a).status_code == 200
    revoke = api.post(f"/devices/{fellow.device_id}/revoke", as_=supervisor_a)
    assert revoke.status_code == 404
    assert api.get("/residents", as_=fellow).status_code == 200
