"""An office's admin gives their own residents a coverage rule of their own; replacing every
rule (PUT /coverage/policies) is the city's admin's alone."""

from __future__ import annotations

import uuid

import pytest

from server import coverage
from tests import orgdata

RULE = {"required": 3, "period": "week"}


def _resident(api, admin, unit: dict, name: str) -> dict:
    answer = api.post("/residents", as_=admin, json={"name": name, "unit_id": unit["id"]})
    assert answer.status_code == 201, answer.json
    return answer.json


@pytest.fixture
def offices(api, admin):
    """Two offices of one district, each with a ward, a resident and its admin."""
    district = orgdata.district(api, admin, "North 北区")
    made = {}
    for key in ("east", "west"):
        office = orgdata.office(api, admin, district, f"{key} office")
        unit = orgdata.unit(api, admin, office, f"{key} ward")
        made[key] = {
            "resident": _resident(api, admin, unit, f"{key} resident"),
            "admin": orgdata.person(api, admin, f"{key}.boss", "admin", office),
            "supervisor": orgdata.person(
                api, admin, f"{key}.sup", "supervisor", office, unit_ids=(unit["id"],)
            ),
        }
    return made


def _rule_of(resident: dict) -> coverage.Rule:
    return coverage.load_policies().residents.get(uuid.UUID(resident["id"]))


def test_an_office_admin_gives_their_resident_a_rule_and_others_keep_theirs(api, offices, admin):
    east, west = offices["east"], offices["west"]
    given = api.put(
        f"/residents/{west['resident']['id']}/coverage-policy", as_=admin, json={"required": 1}
    )
    assert given.status_code == 200, given.json
    answer = api.put(
        f"/residents/{east['resident']['id']}/coverage-policy", as_=east["admin"], json=RULE
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["residents"] == [{"resident_id": east["resident"]["id"], **RULE}]
    assert _rule_of(east["resident"]) == coverage.Rule(3, "week")
    assert _rule_of(west["resident"]) == coverage.Rule(1, "week")


def test_taking_the_rule_away_leaves_the_general_one(api, offices):
    east = offices["east"]
    path = f"/residents/{east['resident']['id']}/coverage-policy"
    api.put(path, as_=east["admin"], json=RULE)
    answer = api.client.delete(f"/api/v1{path}", headers=east["admin"].headers)
    assert answer.status_code == 200, answer.json
    assert answer.json["residents"] == [] and _rule_of(east["resident"]) is None


def test_a_resident_of_another_office_is_not_found(api, offices):
    path = f"/residents/{offices['west']['resident']['id']}/coverage-policy"
    assert api.put(path, as_=offices["east"]["admin"], json=RULE).status_code == 404
    assert _rule_of(offices["west"]["resident"]) is None


def test_a_supervisor_may_not_set_a_rule(api, offices):
    east = offices["east"]
    path = f"/residents/{east['resident']['id']}/coverage-policy"
    assert api.put(path, as_=east["supervisor"], json=RULE).status_code == 403


def test_only_the_city_replaces_every_rule(api, offices, admin):
    policies = api.get("/coverage/policies", as_=admin).json
    refused = api.put("/coverage/policies", as_=offices["east"]["admin"], json=policies)
    assert refused.status_code == 403
    assert api.put("/coverage/policies", as_=admin, json=policies).status_code == 200


def test_an_every_n_days_rule_needs_its_n(api, offices):
    east = offices["east"]
    path = f"/residents/{east['resident']['id']}/coverage-policy"
    answer = api.put(path, as_=east["admin"], json={"period": "days"})
    assert answer.status_code == 422 and "every_days" in answer.json["errors"]
