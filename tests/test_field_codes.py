"""A refused field carries a code and its parameters beside its English message, so the app
can say it in its user's language."""

import uuid

from marshmallow import Schema, fields, validate

from server.platform.field_codes import coded, schema_codes
from tests.conftest import PASSWORD
from tests.test_bad_input import assert_problem


def codes_of(answer, status=422) -> dict:
    body = assert_problem(answer, status)
    assert set(body["codes"]) == set(body["errors"])
    return body["codes"]


def new_user(**fields) -> dict:
    return {"username": "li.na", "role": "worker", "password": PASSWORD, **fields}


def test_empty_display_name_is_length_with_its_bounds(api, admin):
    answer = api.post("/users", json=new_user(display_name=""), as_=admin)
    assert answer.json["errors"] == {"display_name": ["Length must be between 1 and 120."]}
    assert codes_of(answer) == {
        "display_name": [
            {"code": "length", "min": 1, "max": 120, "message": "Length must be between 1 and 120."}
        ]
    }


def test_missing_field_is_required(api, admin):
    answer = api.post("/users", json={"role": "worker", "password": PASSWORD}, as_=admin)
    assert codes_of(answer)["username"][0]["code"] == "required"


def test_null_in_a_required_field_is_required(api, admin):
    answer = api.post("/users", json=new_user(role=None), as_=admin)
    assert codes_of(answer)["role"][0]["code"] == "required"


def test_unknown_field_is_unknown(api, admin, ward_a):
    answer = api.post(
        "/residents", json={"name": "x", "unit_id": str(ward_a.id), "colour": "blue"}, as_=admin
    )
    assert codes_of(answer) == {"colour": [{"code": "unknown", "message": "Unknown field."}]}


def test_choice_outside_the_list_is_one_of_with_the_choices(api, admin):
    answer = api.post("/users", json=new_user(role="robot"), as_=admin)
    (code,) = codes_of(answer)["role"]
    assert code["code"] == "one_of"
    assert "worker" in code["choices"]


def test_number_outside_its_bounds_is_range(api, admin, ward_a):
    answer = api.post(
        "/residents", json={"name": "x", "unit_id": str(ward_a.id), "birth_year": 1700}, as_=admin
    )
    assert codes_of(answer)["birth_year"][0] | {"message": ""} == {
        "code": "range",
        "min": 1890,
        "max": 2100,
        "message": "",
    }


def test_text_where_a_number_goes_is_number(api, admin, ward_a):
    answer = api.post(
        "/residents", json={"name": "x", "unit_id": str(ward_a.id), "birth_year": "old"}, as_=admin
    )
    assert codes_of(answer)["birth_year"][0]["code"] == "number"


def test_malformed_uuid_is_invalid(api, admin):
    answer = api.post("/residents", json={"name": "x", "unit_id": "not-a-uuid"}, as_=admin)
    assert codes_of(answer)["unit_id"] == [{"code": "invalid", "message": "Not a valid UUID."}]


def test_username_with_other_characters_is_pattern(api, admin):
    answer = api.post("/users", json=new_user(username="li na"), as_=admin)
    assert codes_of(answer)["username"][0]["code"] == "pattern"


def test_malformed_email_is_email(api, supervisor_a):
    answer = api._call("PUT", "/alerts/digest-address", json={"email": "x"}, as_=supervisor_a)
    assert codes_of(answer)["email"][0]["code"] == "email"


def test_malformed_date_is_date(api, supervisor_a):
    answer = api.get("/reports/activity?from=yesterday", as_=supervisor_a)
    assert codes_of(answer)["from"][0]["code"] == "date"


def test_date_outside_the_years_is_range_with_iso_bounds(api, supervisor_a):
    answer = api.get("/reports/activity?from=1999-12-31", as_=supervisor_a)
    (code,) = codes_of(answer)["from"]
    assert (code["code"], code["min"], code["max"]) == ("range", "2000-01-01", "2100-12-31")


def test_too_many_units_in_a_query_is_too_many(api, supervisor_a):
    units = "&".join(f"unit_id={uuid.uuid4()}" for _ in range(201))
    answer = api.get(f"/reports/activity?{units}", as_=supervisor_a)
    assert codes_of(answer)["unit_id"][0] | {"message": ""} == {
        "code": "too_many",
        "max": 200,
        "message": "",
    }


def test_unit_that_does_not_exist_is_not_found(api, admin):
    missing = str(uuid.uuid4())
    answer = api.post("/users", json=new_user(unit_ids=[missing]), as_=admin)
    assert codes_of(answer)["unit_ids"] == [
        {"code": "not_found", "value": missing, "message": f"No such unit: {missing}"}
    ]


def test_username_in_use_is_taken(api, admin, worker_a):
    answer = api.post("/users", json=new_user(username=worker_a.user.username), as_=admin)
    assert answer.json["errors"] == {"username": ["Already in use."]}
    assert codes_of(answer, 409) == {"username": [{"code": "taken", "message": "Already in use."}]}


def test_guessable_password_is_weak_password(api, admin):
    answer = api.post("/users", json=new_user(password="password1"), as_=admin)
    codes = codes_of(answer)["password"]
    assert {code["code"] for code in codes} == {"weak_password"}
    assert len(answer.json["errors"]["password"]) == len(codes) == 2


def test_nested_fields_keep_their_nesting(api):
    answer = api.post(
        "/auth/login",
        json={"username": "x", "password": "y", "device": {"id": "not-a-uuid"}},
    )
    assert codes_of(answer) == {
        "device": {"id": [{"code": "invalid", "message": "Not a valid UUID."}]}
    }


def test_more_days_than_a_week_has_is_range_up_to_seven(api, admin):
    policies = api.get("/coverage/policies", as_=admin).json
    wanted = {**policies, "care_levels": [{"care_level": "full", "required": 8, "period": "week"}]}
    answer = api._call("PUT", "/coverage/policies", json=wanted, as_=admin)
    assert codes_of(answer) == {
        "care_levels": {
            "0": {
                "required": [
                    {
                        "code": "range",
                        "min": 0,
                        "max": 7,
                        "message": "A week has 7 days: at most 7.",
                    }
                ]
            }
        }
    }


def test_path_number_beyond_64_bits_is_range(api, supervisor_a):
    answer = api.post(f"/alerts/{2**70}/ack", json={}, as_=supervisor_a)
    assert codes_of(answer)["alert_id"][0] | {"message": ""} == {
        "code": "range",
        "min": 0,
        "max": 2**63 - 1,
        "message": "",
    }


def test_codes_follow_a_list_of_nested_schemas_by_index():
    class Item(Schema):
        kind = fields.String(validate=validate.OneOf(["a", "b"]))

    class Batch(Schema):
        items = fields.List(fields.Nested(Item), validate=validate.Length(max=5))

    data = {"items": [{"kind": "a"}, {"kind": "z"}]}
    schema = Batch()
    messages = schema.validate(data)
    assert schema_codes(schema, messages, data) == {
        "items": {
            "1": {
                "kind": [
                    {"code": "one_of", "choices": ["a", "b"], "message": "Must be one of: a, b."}
                ]
            }
        }
    }


def test_a_message_given_its_own_code_keeps_it_whatever_its_wording():
    class Named(Schema):
        name = fields.String(validate=validate.Length(max=3, error="Too long, sorry."))

    data = {"name": "abcd"}
    schema = Named()
    assert schema_codes(schema, schema.validate(data), data)["name"][0]["code"] == "length"
    assert schema_codes(None, {"x": [coded("Nope.", "taken")]}, {}) == {
        "x": [{"code": "taken", "message": "Nope."}]
    }


def test_the_problem_schema_documents_codes(api):
    document = api.get("/api/openapi.json").json
    problem = document["components"]["schemas"]["Problem"]
    assert "codes" in problem["properties"]
