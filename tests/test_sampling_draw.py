"""Drawing a sample: only the office's records of the period, reproducible from its seed."""

from __future__ import annotations

import uuid

import pytest

from server.inspection.sampling import draw
from tests import sampledata
from tests.sampledata import days_ago, visit_on


@pytest.fixture
def city(api, admin):
    return sampledata.city(api, admin)


@pytest.fixture
def visits(api, admin, city):
    """Twelve visits of the east office in the last month, two older ones, one voided, and
    visits of the south office in the same days: {"in": ids, "old": ids, "voided": id}."""
    east = sampledata.residents(api, admin, city.east_ward, 4)
    south = sampledata.residents(api, admin, city.south_ward, 2)
    recent = [visit_on(days_ago(1 + n), east[n % 4], seed=n) for n in range(13)]
    old = [visit_on(days_ago(60 + n), east[n], seed=n) for n in range(2)]
    inside = sampledata.sync_visits(api, city.worker, recent)
    older = sampledata.sync_visits(api, city.worker, old)
    sampledata.sync_visits(
        api, city.south_worker, [visit_on(days_ago(2 + n), south[n % 2]) for n in range(4)]
    )
    voided = inside.pop()
    answer = api.post(f"/visits/{voided}/void", as_=admin, json={"reason": "Entered twice 重复"})
    assert answer.status_code == 200, answer.json
    return {"in": inside, "old": older, "voided": voided}


def _items(answer) -> list[str]:
    return [item["visit_id"] for item in answer.json["items"]]


def test_a_sample_holds_only_the_offices_visits_of_the_period(api, city, visits):
    answer = sampledata.draw(api, city.inspector, city.east, size=200)
    assert answer.status_code == 201, answer.json
    assert answer.json["population"] == len(visits["in"]) == 12
    assert sorted(_items(answer)) == sorted(visits["in"])
    assert visits["voided"] not in _items(answer)
    assert answer.json["drawn_by"]["id"] == str(city.inspector.user.id)
    assert len(answer.json["seed"]) == 32


def test_size_larger_than_the_population_takes_all(api, city, visits):
    answer = sampledata.draw(api, city.inspector, city.east, size=50)
    assert answer.json["size"] == 50
    assert answer.json["drawn"] == len(answer.json["items"]) == 12
    assert [item["position"] for item in answer.json["items"]] == list(range(1, 13))


def test_the_same_seed_draws_the_same_records_and_verify_says_so(api, city, visits):
    first = sampledata.draw(api, city.inspector, city.east, size=5, seed="abc123")
    again = sampledata.draw(api, city.district_admin, city.east, size=5, seed="abc123")
    assert first.status_code == again.status_code == 201
    assert _items(first) == _items(again) and len(_items(first)) == 5
    checked = api.get(f"/samples/{first.json['id']}/verify", as_=city.worker)
    assert checked.status_code == 200
    assert checked.json == {
        "same": True,
        "count": 5,
        "population": 12,
        "population_then": 12,
        "seed": "abc123",
    }


def test_the_draw_is_the_seeds_sample_of_the_population_ordered_by_id(api, city, visits):
    answer = sampledata.draw(api, city.inspector, city.east, size=4, seed="proof")
    population = sorted(uuid.UUID(text) for text in visits["in"])
    assert _items(answer) == [str(v) for v in draw(population, "proof", 4)]


def test_different_seeds_generally_draw_different_records(api, city, visits):
    drawn = {
        tuple(_items(sampledata.draw(api, city.inspector, city.east, size=3, seed=f"s{n}")))
        for n in range(6)
    }
    assert len(drawn) > 1


def test_a_voided_visit_since_the_draw_shows_in_the_redraw(api, admin, city, visits):
    answer = sampledata.draw(api, city.inspector, city.east, size=12)
    api.post(f"/visits/{visits['in'][0]}/void", as_=admin, json={"reason": "Wrong resident"})
    checked = api.get(f"/samples/{answer.json['id']}/verify", as_=city.inspector).json
    assert checked["same"] is False
    assert (checked["population"], checked["population_then"]) == (11, 12)


def test_a_residents_sample_holds_those_in_care_during_the_period(api, admin, city):
    admitted = days_ago(100).isoformat()
    east = sampledata.residents(api, admin, city.east_ward, 4, admitted_on=admitted)
    sampledata.residents(api, admin, city.south_ward, 2, admitted_on=admitted)
    later = sampledata.residents(
        api, admin, city.east_ward, 1, admitted_on=sampledata.today().isoformat()
    )
    for resident, left_on in ((east[0], days_ago(40)), (east[3], days_ago(10))):
        left = api.patch(
            f"/residents/{resident['id']}",
            as_=admin,
            json={"status": "discharged", "status_since": left_on.isoformat()},
        )
        assert left.status_code == 200, left.json
    answer = sampledata.draw(
        api,
        city.inspector,
        city.east,
        kind="residents",
        size=10,
        period_start=days_ago(30),
        period_end=days_ago(1),
    )
    assert answer.status_code == 201, answer.json
    drawn = {item["resident"]["id"] for item in answer.json["items"]}
    assert drawn == {east[1]["id"], east[2]["id"], east[3]["id"]}
    assert later[0]["id"] not in drawn
    first = answer.json["items"][0]
    assert first["visit_id"] is None
    assert first["resident"]["unit_name"] == "East ward 东病区"
    assert {"room", "phone", "address"} <= set(first["resident"])


def test_a_visit_item_carries_what_the_check_needs(api, city, visits):
    answer = sampledata.draw(api, city.inspector, city.east, size=1)
    [item] = answer.json["items"]
    assert item["worker"]["id"] == str(city.worker.user.id)
    assert item["satisfaction"] == "satisfied"
    assert item["service_given"] == "测血压 blood pressure checked"
    assert item["register_url"] == f"/api/v1/register?visit_id={item['visit_id']}"
    assert item["resident"]["name"].startswith("长者")
    register = api.get("/register", as_=city.inspector, query_string={"visit_id": item["visit_id"]})
    assert register.status_code == 200


def test_a_period_that_ends_before_it_starts_is_refused(api, city):
    answer = sampledata.draw(
        api, city.inspector, city.east, period_start=days_ago(1), period_end=days_ago(5)
    )
    assert answer.status_code == 422 and "period_start" in answer.json["errors"]
    too_many = sampledata.draw(api, city.inspector, city.east, size=201)
    assert too_many.status_code == 422 and "size" in too_many.json["errors"]


def test_a_sample_is_drawn_from_an_office_not_a_bureau(api, city):
    answer = sampledata.draw(api, city.inspector, city.north)
    assert answer.status_code == 422 and "office_id" in answer.json["errors"]


def test_a_residents_sample_redraws_the_same_from_its_seed(api, admin, city):
    admitted = days_ago(100).isoformat()
    sampledata.residents(api, admin, city.east_ward, 8, admitted_on=admitted)
    first = sampledata.draw(api, city.inspector, city.east, kind="residents", size=3, seed="r1")
    again = sampledata.draw(api, city.inspector, city.east, kind="residents", size=3, seed="r1")
    ids = [[item["resident"]["id"] for item in answer.json["items"]] for answer in (first, again)]
    assert ids[0] == ids[1] and len(ids[0]) == 3
    checked = api.get(f"/samples/{first.json['id']}/verify", as_=city.office_admin).json
    assert checked["same"] is True and checked["population"] == 8


def test_the_list_is_paged_newest_first(api, city, visits):
    made = [sampledata.draw(api, city.inspector, city.east, size=1).json["id"] for _ in range(3)]
    page = api.get("/samples", as_=city.inspector, query_string={"per_page": 2}).json
    assert page["total"] == 3 and len(page["items"]) == 2
    second = api.get("/samples", as_=city.inspector, query_string={"per_page": 2, "page": 2}).json
    listed = [s["id"] for s in page["items"] + second["items"]]
    assert sorted(listed) == sorted(made)
    assert page["items"][0]["drawn_at"] >= page["items"][1]["drawn_at"]
