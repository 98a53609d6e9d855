"""Outside a person's scope a unit does not exist: staff shared between units show a
supervisor only the units in their scope, and filtering by a foreign unit is a 404."""

from tests.conftest import make_person


def test_shared_staff_show_a_supervisor_only_their_units(api, supervisor_a, ward_a, ward_b):
    shared = make_person(api, "shared.worker", "worker", [ward_a, ward_b])
    listed = {u["username"]: u for u in api.get("/users", as_=supervisor_a).json}
    seen = listed["shared.worker"]
    assert [unit["id"] for unit in seen["units"]] == [str(ward_a.id)]
    assert seen["unit_ids"] == [str(ward_a.id)]
    assert str(ward_b.id) not in str(listed) and ward_b.name not in str(listed)
    one = api.get(f"/users/{shared.user.id}", as_=supervisor_a).json
    assert one["unit_ids"] == [str(ward_a.id)] and len(one["units"]) == 1


def test_an_admin_sees_every_unit_of_shared_staff(api, admin, ward_a, ward_b):
    make_person(api, "shared.worker", "worker", [ward_a, ward_b])
    listed = {u["username"]: u for u in api.get("/users", as_=admin).json}
    assert sorted(listed["shared.worker"]["unit_ids"]) == sorted([str(ward_a.id), str(ward_b.id)])


def test_filtering_by_a_unit_outside_ones_scope_is_404(api, supervisor_a, worker_b, ward_b):
    answer = api.get(f"/users?unit_id={ward_b.id}", as_=supervisor_a)
    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_filtering_by_a_unit_that_does_not_exist_is_the_same_404(api, supervisor_a, admin):
    import uuid

    ghost = uuid.uuid4()
    assert api.get(f"/users?unit_id={ghost}", as_=supervisor_a).status_code == 404
    assert api.get(f"/users?unit_id={ghost}", as_=admin).status_code == 200  # an empty list


def test_filtering_by_ones_own_unit_lists_its_workers_and_supervisors(
    api, supervisor_a, worker_a, ward_a
):
    answer = api.get(f"/users?unit_id={ward_a.id}", as_=supervisor_a)
    assert [u["username"] for u in answer.json] == [supervisor_a.user.username, "worker.a"]
