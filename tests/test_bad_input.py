"""Bad input gets a clear problem+json answer and changes nothing."""

from sqlalchemy import func, select

from server.models import Resident
from server.platform.extensions import db


def resident_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Resident))


def assert_problem(answer, status):
    assert answer.status_code == status
    assert answer.mimetype == "application/problem+json"
    body = answer.json
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def test_malformed_json_is_400(api, admin):
    answer = api.post("/residents", data="{not json", content_type="application/json", as_=admin)
    assert_problem(answer, 400)
    assert resident_count() == 0


def test_wrong_content_type_is_415(api, admin, ward_a):
    answer = api.post(
        "/residents",
        data=f"name=x&unit_id={ward_a.id}",
        content_type="application/x-www-form-urlencoded",
        as_=admin,
    )
    assert "JSON" in assert_problem(answer, 415)["detail"]


def test_missing_and_wrong_fields_are_422_per_field(api, admin):
    answer = api.post("/residents", json={"sex": "robot", "birth_year": "old"}, as_=admin)
    errors = assert_problem(answer, 422)["errors"]
    assert set(errors) == {"name", "unit_id", "sex", "birth_year"}
    assert resident_count() == 0


def test_unknown_fields_are_rejected(api, admin, ward_a):
    answer = api.post(
        "/residents",
        json={"name": "x", "unit_id": str(ward_a.id), "favourite_colour": "blue"},
        as_=admin,
    )
    assert assert_problem(answer, 422)["errors"] == {"favourite_colour": ["Unknown field."]}


def test_over_long_text_is_422(api, admin, ward_a):
    answer = api.post("/residents", json={"name": "x" * 121, "unit_id": str(ward_a.id)}, as_=admin)
    assert "name" in assert_problem(answer, 422)["errors"]


def test_text_with_a_nul_character_is_422_and_stores_nothing(api, admin, ward_a):
    answer = api.post(
        "/residents", json={"name": "王\x00", "unit_id": str(ward_a.id), "address": "x"}, as_=admin
    )
    assert assert_problem(answer, 422)["errors"] == {
        "name": ["Text may not contain the NUL character."]
    }
    listed = api.get(f"/residents?unit_id={ward_a.id}", as_=admin)
    assert listed.status_code == 200 and "王" not in str(listed.json)


def test_invalid_uuid_is_422(api, admin):
    answer = api.post("/residents", json={"name": "x", "unit_id": "not-a-uuid"}, as_=admin)
    assert assert_problem(answer, 422)["errors"] == {"unit_id": ["Not a valid UUID."]}


def test_a_body_that_is_not_an_object_is_422(api, admin):
    assert_problem(api.post("/residents", json=[1, 2], as_=admin), 422)


def test_empty_patch_is_422(api, admin, resident_a):
    assert_problem(api.patch(f"/residents/{resident_a['id']}", json={}, as_=admin), 422)


def test_body_over_the_limit_is_413(api, app, admin, ward_a):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    answer = api.post("/residents", json={"name": "x" * 2000, "unit_id": str(ward_a.id)}, as_=admin)
    assert "1000 bytes" in assert_problem(answer, 413)["detail"]


def test_unknown_api_route_is_404_problem(api, admin):
    assert_problem(api.get("/no-such-thing", as_=admin), 404)


def test_wrong_method_is_405_problem(api, admin):
    assert_problem(api._call("DELETE", "/residents", as_=admin), 405)


def test_unexpected_errors_hide_the_stack_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = client.get("/boom")
    body = assert_problem(answer, 500)
    assert "secret" not in answer.get_data(as_text=True)
    assert "Traceback" not in body["detail"]
