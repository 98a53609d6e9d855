"""Who draws, reads and checks samples: the bureau's inspectors and admins above the office
draw and check; the office's own staff read; other districts see nothing."""

from __future__ import annotations

import pytest

from server.models import AuditEvent
from server.platform.extensions import db
from tests import sampledata
from tests.sampledata import days_ago, visit_on


@pytest.fixture
def city(api, admin):
    return sampledata.city(api, admin)


@pytest.fixture
def sample(api, admin, city) -> dict:
    east = sampledata.residents(api, admin, city.east_ward, 3)
    sampledata.sync_visits(
        api, city.worker, [visit_on(days_ago(1 + n), east[n % 3], seed=n) for n in range(6)]
    )
    answer = sampledata.draw(api, city.inspector, city.east, size=4)
    assert answer.status_code == 201, answer.json
    return answer.json


def test_an_inspector_of_another_district_finds_nothing(api, city, sample):
    outsider = city.south_inspector
    assert sampledata.draw(api, outsider, city.east).status_code == 404
    assert api.get(f"/samples/{sample['id']}", as_=outsider).status_code == 404
    assert api.get(f"/samples/{sample['id']}/verify", as_=outsider).status_code == 404
    patched = api.patch(
        f"/samples/{sample['id']}/items/1", as_=outsider, json={"outcome": "confirmed"}
    )
    assert patched.status_code == 404
    assert api.get("/samples", as_=outsider).json["total"] == 0
    assert (
        api.get("/samples", as_=outsider, query_string={"office_id": city.east}).status_code == 404
    )


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_the_offices_staff_read_its_samples_and_may_not_draw(api, city, sample, who):
    person = getattr(city, who)
    listed = api.get("/samples", as_=person, query_string={"office_id": city.east})
    assert listed.status_code == 200 and [s["id"] for s in listed.json["items"]] == [sample["id"]]
    assert listed.json["items"][0]["checked"] == 0
    assert api.get(f"/samples/{sample['id']}", as_=person).status_code == 200
    assert sampledata.draw(api, person, city.east).status_code == 403
    patched = api.patch(f"/samples/{sample['id']}/items/1", as_=person, json={"note": "x"})
    assert patched.status_code == 403


def test_the_offices_admin_reads_and_may_not_draw_or_check(api, city, sample):
    boss = city.office_admin
    assert api.get(f"/samples/{sample['id']}", as_=boss).status_code == 200
    assert sampledata.draw(api, boss, city.east).status_code == 403
    patched = api.patch(f"/samples/{sample['id']}/items/1", as_=boss, json={"outcome": "confirmed"})
    assert patched.status_code == 403


def test_another_offices_worker_finds_nothing(api, city, sample):
    assert api.get(f"/samples/{sample['id']}", as_=city.south_worker).status_code == 404
    assert api.get("/samples", as_=city.south_worker).json["total"] == 0


def test_a_district_admin_and_the_city_admin_draw(api, admin, city, sample):
    assert sampledata.draw(api, city.district_admin, city.east).status_code == 201
    assert sampledata.draw(api, admin, city.east).status_code == 201
    listed = api.get("/samples", as_=city.inspector).json
    assert listed["total"] == 3


def test_checking_an_item_is_recorded_with_who_and_when(api, city, sample):
    path = f"/samples/{sample['id']}/items/2"
    answer = api.patch(
        path, as_=city.inspector, json={"outcome": "discrepancy", "note": "No record 无记录"}
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["outcome"] == "discrepancy"
    assert answer.json["checked_by"]["id"] == str(city.inspector.user.id)
    assert answer.json["checked_at"] is not None
    noted = api.patch(path, as_=city.inspector, json={"note": "Ledger shows it 台账有"})
    assert noted.json["outcome"] == "discrepancy" and noted.json["note"] == "Ledger shows it 台账有"
    again = api.get(f"/samples/{sample['id']}", as_=city.supervisor).json
    assert again["checked"] == 1
    assert again["items"][1]["note"] == "Ledger shows it 台账有"
    events = db.session.query(AuditEvent).filter_by(entity="sample_item").all()
    assert [event.after.get("outcome") for event in events] == ["discrepancy", None]
    assert {event.user_id for event in events} == {city.inspector.user.id}
    assert events[0].entity_id == f"{sample['id']}/2"


def test_an_item_that_is_not_there_is_404(api, city, sample):
    answer = api.patch(
        f"/samples/{sample['id']}/items/99", as_=city.inspector, json={"outcome": "confirmed"}
    )
    assert answer.status_code == 404
    empty = api.patch(f"/samples/{sample['id']}/items/1", as_=city.inspector, json={})
    assert empty.status_code == 422


def test_the_draw_is_audited(api, city, sample):
    [event] = db.session.query(AuditEvent).filter_by(entity="sample").all()
    assert event.user_id == city.inspector.user.id
    assert event.after["seed"] == sample["seed"] and event.after["drawn"] == 4
    assert event.after["seed_given"] is False


def test_the_checklist_prints_the_draw(api, city, sample):
    api.patch(f"/samples/{sample['id']}/items/1", as_=city.inspector, json={"outcome": "confirmed"})
    page = api.get(f"/samples/{sample['id']}/print", as_=city.worker)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert sample["seed"] in html and "North.Inspector" in html
    assert "the same 4 records" in html and "☑ 属实 Confirmed" in html
    assert "满意 Satisfied" in html
