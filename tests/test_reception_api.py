"""Reception days at the desk: who records and sees them, what each kind of visitor must give,
the counts a list carries, and a resident's receptions."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from flask import current_app

from server.models import AuditEvent
from server.platform.clock import today_in
from tests.conftest import add_resident, make_person
from tests.officedata import (
    day_body,
    family_visit,
    public_visit,
    receive,
    record_day,
    resident_visit,
)


def _today() -> date:
    return today_in(current_app.config["TIMEZONE"])


@pytest.fixture
def supervisor_b(api, ward_b):
    return make_person(api, "supervisor.b", "supervisor", [ward_b])


def _put(api, path, person, body):
    return api._call("PUT", path, as_=person, json=body)


def test_supervisor_records_a_day_for_their_unit_with_three_people(
    api, supervisor_a, ward_a, resident_a
):
    day = record_day(api, supervisor_a, _today(), ward_a, staff=[str(supervisor_a.user.id)])
    receive(api, supervisor_a, day, resident_visit(resident_a))
    receive(api, supervisor_a, day, family_visit(resident_a))
    answer = receive(api, supervisor_a, day, public_visit())
    assert answer["unit"]["name"] == ward_a.name
    assert answer["staff_people"] == [
        {"id": str(supervisor_a.user.id), "display_name": "Supervisor.A"}
    ]
    assert [r["visitor_kind"] for r in answer["receptions"]] == ["resident", "family", "public"]
    assert answer["receptions"][0]["resident"] == {"id": resident_a["id"], "name": "王桂英"}
    assert answer["receptions"][2]["referred_to"] == "Street office 街道办"
    assert answer["counts"] == {
        "total": 3,
        "resident": 1,
        "family": 1,
        "public": 1,
        "resolved": 1,
        "pending": 1,
        "referred": 1,
    }


def test_each_role_sees_the_days_in_its_sight(
    api, admin, supervisor_a, supervisor_b, worker_a, ward_a, ward_b
):
    today = _today()
    mine = record_day(api, supervisor_a, today, ward_a)["id"]
    theirs = record_day(api, supervisor_b, today, ward_b)["id"]
    office = record_day(api, admin, today)["id"]

    def ids(person):
        answer = api.get("/reception-days", as_=person)
        assert answer.status_code == 200, answer.json
        return {day["id"] for day in answer.json["items"]}

    assert ids(admin) == {mine, theirs, office}
    assert ids(supervisor_a) == {mine, office}
    assert ids(supervisor_b) == {theirs, office}
    assert api.get("/reception-days", as_=worker_a).status_code == 403
    assert api.get(f"/reception-days/{mine}", as_=supervisor_b).status_code == 404
    assert api.get(f"/reception-days/{mine}", as_=worker_a).status_code == 403
    assert api.get(f"/reception-days/{office}", as_=supervisor_b).status_code == 200


def test_another_units_supervisor_cannot_record_for_or_change_that_unit(
    api, supervisor_a, supervisor_b, ward_a, resident_a
):
    today = _today()
    refused = api.post("/reception-days", json=day_body(today, ward_a), as_=supervisor_b)
    assert refused.status_code == 422
    assert "unit_id" in refused.json["errors"]
    day = record_day(api, supervisor_a, today, ward_a)
    path = f"/reception-days/{day['id']}"
    assert _put(api, path, supervisor_b, day_body(today, notes="x")).status_code == 404
    added = api.post(f"{path}/receptions", json=public_visit(), as_=supervisor_b)
    assert added.status_code == 404


def test_worker_may_not_record_a_day(api, worker_a, ward_a):
    answer = api.post("/reception-days", json=day_body(_today(), ward_a), as_=worker_a)
    assert answer.status_code == 403


def test_a_day_is_recorded_once_held_not_ahead(api, supervisor_a, ward_a):
    ahead = day_body(_today() + timedelta(days=1), ward_a)
    answer = api.post("/reception-days", json=ahead, as_=supervisor_a)
    assert answer.status_code == 422
    assert "held_on" in answer.json["errors"]


def test_staff_must_be_users(api, supervisor_a, ward_a):
    body = day_body(_today(), ward_a, staff=["6f1d1c2e-5a55-4c8e-9d37-1f0b7c3a2e10"])
    answer = api.post("/reception-days", json=body, as_=supervisor_a)
    assert answer.status_code == 422
    assert "staff" in answer.json["errors"]


@pytest.mark.parametrize(
    ("visitor", "field"),
    [
        (public_visit(visitor_name=""), "visitor_name"),
        (public_visit(contact=""), "contact"),
        (public_visit(referred_to=" "), "referred_to"),
        (family_visit(relation=""), "relation"),
        (family_visit(visitor_name=""), "visitor_name"),
        ({"visitor_kind": "resident", "request": "?", "outcome": "resolved"}, "resident_id"),
    ],
)
def test_each_kind_of_visitor_gives_what_it_needs(api, supervisor_a, ward_a, visitor, field):
    day = record_day(api, supervisor_a, _today(), ward_a)
    answer = api.post(f"/reception-days/{day['id']}/receptions", json=visitor, as_=supervisor_a)
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == [field]


def test_a_resident_received_must_be_in_ones_units(api, supervisor_a, ward_a, resident_b):
    day = record_day(api, supervisor_a, _today(), ward_a)
    path = f"/reception-days/{day['id']}/receptions"
    for visitor in (resident_visit(resident_b), family_visit(resident_b)):
        answer = api.post(path, json=visitor, as_=supervisor_a)
        assert answer.status_code == 422
        assert list(answer.json["errors"]) == ["resident_id"]


def test_a_day_is_edited_and_audited(api, supervisor_a, ward_a):
    today = _today()
    day = record_day(api, supervisor_a, today, ward_a)
    body = day_body(today - timedelta(days=1), ward_a, place="Hall 大厅", notes="Rain 下雨")
    answer = _put(api, f"/reception-days/{day['id']}", supervisor_a, body)
    assert answer.status_code == 200, answer.json
    assert (answer.json["held_on"], answer.json["place"]) == (body["held_on"], "Hall 大厅")
    event = AuditEvent.query.filter_by(entity="reception_day", action="update").one()
    assert event.after == {
        "held_on": body["held_on"],
        "notes": "Rain 下雨",
        "place": "Hall 大厅",
    }


def test_the_list_counts_people_by_kind_and_outcome(api, admin, supervisor_a, ward_a, resident_a):
    today = _today()
    first_day = today.replace(day=1)
    visitors = [
        resident_visit(resident_a),
        resident_visit(resident_a, outcome="pending"),
        family_visit(),
        public_visit(),
        public_visit(outcome="resolved", referred_to="ignored"),
    ]
    days = [record_day(api, supervisor_a, first_day, ward_a), record_day(api, admin, today)]
    made = []
    for n, visitor in enumerate(visitors):
        receive(api, supervisor_a, days[n % 2], visitor)
        made.append((days[n % 2]["id"], visitor["visitor_kind"], visitor["outcome"]))
    answer = api.get(f"/reception-days?from={first_day}&to={today}", as_=supervisor_a).json
    expected_total = Counter()
    for _, kind, outcome in made:
        expected_total.update([kind, outcome, "total"])
    assert answer["counts"] == {
        key: expected_total[key]
        for key in ("total", "resident", "family", "public", "resolved", "referred", "pending")
    }
    for item in answer["items"]:
        mine = Counter()
        for day_id, kind, outcome in made:
            if day_id == item["id"]:
                mine.update([kind, outcome, "total"])
        assert item["counts"] == {key: mine[key] for key in item["counts"]}
    detail = api.get(f"/reception-days/{days[0]['id']}", as_=admin).json
    assert all(r["referred_to"] == "" for r in detail["receptions"] if r["outcome"] != "referred")


def test_a_residents_page_lists_their_receptions(
    api, admin, supervisor_a, supervisor_b, ward_a, resident_a
):
    day = record_day(api, supervisor_a, _today(), ward_a)
    receive(api, supervisor_a, day, resident_visit(resident_a))
    receive(api, supervisor_a, day, family_visit(resident_a))
    receive(api, supervisor_a, day, public_visit())
    answer = api.get(f"/receptions?resident_id={resident_a['id']}", as_=supervisor_a)
    assert answer.status_code == 200, answer.json
    assert [r["visitor_kind"] for r in answer.json["items"]] == ["family", "resident"]
    assert {r["held_on"] for r in answer.json["items"]} == {day["held_on"]}
    assert answer.json["total"] == 2
    outside = api.get(f"/receptions?resident_id={resident_a['id']}", as_=supervisor_b)
    assert outside.status_code == 404


def test_an_office_day_does_not_name_another_units_resident(
    api, admin, supervisor_b, ward_a, resident_a
):
    day = record_day(api, admin, _today())
    receive(api, admin, day, family_visit(resident_a))
    answer = api.get(f"/reception-days/{day['id']}", as_=supervisor_b).json
    assert answer["receptions"][0]["resident"] is None
    assert answer["receptions"][0]["resident_id"] is None


def test_the_unit_filter_holds_that_units_days_and_the_offices(
    api, admin, supervisor_b, ward_a, ward_b
):
    other = add_resident(api, admin, ward_b, name="Arthur Lee")
    today = _today()
    mine = record_day(api, admin, today, ward_a)["id"]
    office = record_day(api, admin, today)["id"]
    receive(api, admin, record_day(api, admin, today, ward_b), resident_visit(other))
    answer = api.get(f"/reception-days?unit_id={ward_a.id}", as_=admin).json
    assert {day["id"] for day in answer["items"]} == {mine, office}
    assert answer["counts"]["total"] == 0
    assert api.get(f"/reception-days?unit_id={ward_a.id}", as_=supervisor_b).status_code == 404
