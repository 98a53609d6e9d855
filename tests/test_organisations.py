"""The organisation levels: districts and offices made through the API, and who reaches what."""

from __future__ import annotations

from tests import orgdata


def _two_offices(api, admin):
    north = orgdata.district(api, admin, "North district 北区")
    east = orgdata.office(api, admin, north, "East office 东工作室")
    west = orgdata.office(api, admin, north, "West office 西工作室")
    return north, east, west


def test_a_city_admin_makes_districts_and_offices(api, admin):
    north, east, _ = _two_offices(api, admin)
    seen = {org["id"]: org for org in api.get("/organisations", as_=admin).json}
    assert seen[east]["parent_id"] == north and seen[east]["kind"] == "office"
    again = api.post(
        "/organisations",
        as_=admin,
        json={"kind": "office", "name": "East office 东工作室", "parent_id": north},
    )
    assert again.status_code == 409


def test_an_office_sits_in_a_district_and_there_is_one_city(api, admin):
    city = orgdata.city_of(api, admin)["city"]
    wrong = api.post(
        "/organisations", as_=admin, json={"kind": "office", "name": "X", "parent_id": city}
    )
    assert wrong.status_code == 422 and "parent_id" in wrong.json["errors"]
    second = api.post("/organisations", as_=admin, json={"kind": "city", "name": "Another"})
    assert second.status_code == 409


def test_two_offices_may_each_have_a_ward_of_the_same_name(api, admin):
    _, east, west = _two_offices(api, admin)
    orgdata.unit(api, admin, east, "一病区")
    orgdata.unit(api, admin, west, "一病区")


def test_an_office_admin_sees_only_its_own_units_and_staff(api, admin):
    _, east, west = _two_offices(api, admin)
    east_ward = orgdata.unit(api, admin, east, "East ward")
    west_ward = orgdata.unit(api, admin, west, "West ward")
    boss = orgdata.person(api, admin, "eastboss", "admin", east)
    orgdata.person(api, admin, "westworker", "worker", unit_ids=(west_ward["id"],))
    units = {unit["id"] for unit in api.get("/units", as_=boss).json}
    assert units == {east_ward["id"]}
    assert api.get(f"/units/{west_ward['id']}", as_=boss).status_code == 404
    staff = {user["username"] for user in api.get("/users", as_=boss).json}
    assert "westworker" not in staff and "eastboss" in staff
    # A unit the office's admin makes goes to their office without naming it.
    made = api.post("/units", as_=boss, json={"name": "East ward 2", "kind": "ward"})
    assert made.status_code == 201 and made.json["office_id"] == east
    outside = api.post("/units", as_=boss, json={"name": "W", "kind": "ward", "office_id": west})
    assert outside.status_code == 422


def test_staff_hold_only_their_offices_units(api, admin):
    _, east, west = _two_offices(api, admin)
    west_ward = orgdata.unit(api, admin, west, "West ward")
    answer = api.post(
        "/users",
        as_=admin,
        json={
            "username": "mixed",
            "role": "worker",
            "password": "correct horse battery",
            "organisation_id": east,
            "unit_ids": [west_ward["id"]],
        },
    )
    assert answer.status_code == 422 and "unit_ids" in answer.json["errors"]


def test_an_inspector_reads_below_their_bureau_and_changes_nothing(api, admin):
    north, east, _ = _two_offices(api, admin)
    south = orgdata.district(api, admin, "South district 南区")
    south_office = orgdata.office(api, admin, south, "South office 南工作室")
    east_ward = orgdata.unit(api, admin, east, "East ward")
    south_ward = orgdata.unit(api, admin, south_office, "South ward")
    inspector = orgdata.person(api, admin, "northinspector", "inspector", north)
    units = {unit["id"] for unit in api.get("/units", as_=inspector).json}
    assert east_ward["id"] in units and south_ward["id"] not in units
    assert api.get("/reports/satisfaction", as_=inspector).status_code == 200
    refused = api.post("/units", as_=inspector, json={"name": "Mine", "kind": "ward"})
    assert refused.status_code == 403
    seen = {org["id"]: org["reached"] for org in api.get("/organisations", as_=inspector).json}
    assert seen[north] and seen[east] and not seen[orgdata.city_of(api, admin)["city"]]
    assert south not in seen and south_office not in seen


def test_an_inspector_works_at_a_bureau_not_an_office(api, admin):
    _, east, _ = _two_offices(api, admin)
    answer = api.post(
        "/users",
        as_=admin,
        json={
            "username": "inoffice",
            "role": "inspector",
            "password": "correct horse battery",
            "organisation_id": east,
        },
    )
    assert answer.status_code == 422 and "organisation_id" in answer.json["errors"]


def test_only_the_city_admin_changes_what_every_office_shares(api, admin):
    _, east, _ = _two_offices(api, admin)
    boss = orgdata.person(api, admin, "eastboss", "admin", east)
    assert api.put("/targets", as_=boss, json={"satisfaction_target": 0.9}).status_code == 403
    assert api.put("/targets", as_=admin, json={"satisfaction_target": 0.9}).status_code == 200
