"""Who sees which roll-up: each one their own rows, and 404 outside their reach."""

from __future__ import annotations

import pytest

from tests import orgdata, rollupdata


@pytest.fixture
def city(app, api, admin):
    return rollupdata.build_city(api, admin)


def _rollup(api, person, organisation_id=None, path="/rollup"):
    params = {} if organisation_id is None else {"organisation_id": organisation_id}
    return api.get(path, as_=person, query_string=params)


def _ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.json
    return {row["id"] for row in answer.json["rows"]}


def test_city_inspector_sees_every_district(api, city):
    answer = _rollup(api, city.people["city_inspector"])
    assert answer.json["organisation"]["id"] == city.ids["city"]
    assert _ids(answer) == {city.ids["east"], city.ids["west"]}


def test_district_inspector_starts_at_their_district(api, city):
    answer = _rollup(api, city.people["east_inspector"])
    assert answer.json["organisation"]["id"] == city.ids["east"]
    assert _ids(answer) == {city.ids["office_1"], city.ids["office_2"]}
    assert [(above["kind"], above["reached"]) for above in answer.json["above"]] == [
        ("city", False)
    ]


def test_district_inspector_opens_their_offices(api, city):
    answer = _rollup(api, city.people["east_inspector"], city.ids["office_2"])
    assert _ids(answer) == {city.ids["unit_2"]}


@pytest.mark.parametrize("outside", ["city", "west", "office_3", "unit_3"])
def test_district_inspector_gets_404_outside(api, city, outside):
    answer = _rollup(api, city.people["east_inspector"], city.ids[outside])
    assert answer.status_code == 404


def test_office_admin_sees_only_their_office(api, city):
    answer = _rollup(api, city.people["office_admin"])
    assert answer.json["organisation"]["id"] == city.ids["office_1"]
    assert answer.json["level"] == "unit"
    assert _ids(answer) == {city.ids["unit_1a"], city.ids["unit_1b"]}


@pytest.mark.parametrize("outside", ["city", "east", "office_2", "office_3"])
def test_office_admin_gets_404_outside(api, city, outside):
    answer = _rollup(api, city.people["office_admin"], city.ids[outside])
    assert answer.status_code == 404
    csv = _rollup(api, city.people["office_admin"], city.ids[outside], "/exports/rollup.csv")
    assert csv.status_code == 404


def test_west_inspector_never_sees_the_east(api, city):
    assert _ids(_rollup(api, city.people["west_inspector"])) == {city.ids["office_3"]}
    assert _rollup(api, city.people["west_inspector"], city.ids["east"]).status_code == 404


def test_a_worker_may_not_ask(api, city):
    answer = _rollup(api, city.people["worker_unit_1a"])
    assert answer.status_code == 403


def test_a_supervisor_sees_only_their_own_units(api, admin, city):
    supervisor = orgdata.person(
        api, admin, "sup.1a", "supervisor", city.ids["office_1"], (city.ids["unit_1a"],)
    )
    answer = _rollup(api, supervisor)
    assert answer.json["organisation"]["id"] == city.ids["office_1"]
    assert _ids(answer) == {city.ids["unit_1a"]}


def test_a_unit_is_not_an_organisation(api, city):
    answer = _rollup(api, city.people["city_inspector"], city.ids["unit_1a"])
    assert answer.status_code == 404
