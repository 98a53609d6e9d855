"""An office's staff list and the year's facts through the API: dates, the one head, who counts
for a year, the rules' team, the annual plan and the printed introduction."""

from __future__ import annotations

import pytest

from tests.factsdata import pdf_bytes, png_bytes, two_offices, upload


@pytest.fixture
def offices(api, admin):
    return two_offices(api, admin)


def add(api, as_, office_id, **fields):
    body = {"position": "volunteer", "started_on": "2026-01-01", **fields}
    return api.post(f"/offices/{office_id}/staff", as_=as_, json=body)


def made(api, as_, office_id, **fields) -> dict:
    answer = add(api, as_, office_id, **fields)
    assert answer.status_code == 201, answer.json
    return answer.json


def facts(api, as_, office_id, year=2026) -> dict:
    answer = api.get(f"/offices/{office_id}/facts?year={year}", as_=as_)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_head_who_left_in_march_and_the_next_from_april_both_count(api, offices):
    a, o = offices.admin, offices.office
    made(
        api,
        a,
        o,
        name="王芳",
        position="head",
        qualification="社会工作者职业水平证书 中级",
        started_on="2024-05-01",
        ended_on="2026-03-31",
    )
    made(
        api,
        a,
        o,
        name="李强",
        position="head",
        qualification="社会工作专业本科",
        started_on="2026-04-01",
    )
    team = facts(api, a, o)["team"]
    assert [h["name"] for h in team["heads"]] == ["王芳", "李强"]
    assert team["head_qualified"] is True
    assert team["rule"]["head"] is True


def test_volunteer_who_ended_before_the_year_does_not_count(api, offices):
    a, o = offices.admin, offices.office
    made(api, a, o, name="Early", started_on="2024-01-01", ended_on="2025-12-31")
    made(api, a, o, name="Late", started_on="2026-12-31")
    team = facts(api, a, o)["team"]
    assert [v["name"] for v in team["volunteers"]] == ["Late"]


def test_rule_met_with_a_head_a_fulltimer_and_two_volunteers(api, offices):
    a, o = offices.admin, offices.office
    made(api, a, o, name="Head", position="head", qualification="MSW")
    made(api, a, o, name="Full", position="fulltime")
    made(api, a, o, name="V1")
    before = facts(api, a, o)["team"]["rule"]
    assert (before["fulltime"], before["others"], before["met"]) == (True, False, False)
    assert before["others_count"] == 1
    made(api, a, o, name="V2")
    after = facts(api, a, o)["team"]["rule"]
    assert after["met"] is True
    assert after["others_count"] == 2


def test_first_fulltimer_is_not_one_of_the_two_others(api, offices):
    a, o = offices.admin, offices.office
    made(api, a, o, name="Head", position="head")
    made(api, a, o, name="F1", position="fulltime")
    made(api, a, o, name="F2", position="fulltime")
    rule = facts(api, a, o)["team"]["rule"]
    assert (rule["others_count"], rule["met"]) == (1, False)
    made(api, a, o, name="P1", position="parttime")
    assert facts(api, a, o)["team"]["rule"]["met"] is True


def test_one_person_in_two_entries_counts_once(api, offices):
    a, o = offices.admin, offices.office
    made(api, a, o, name="Head", position="head")
    made(api, a, o, name="Full", position="fulltime")
    made(api, a, o, name="Same", started_on="2026-01-01", ended_on="2026-05-31")
    made(api, a, o, name="Same", position="parttime", started_on="2026-06-01")
    rule = facts(api, a, o)["team"]["rule"]
    assert (rule["others_count"], rule["met"]) == (1, False)


def test_head_without_a_qualification_is_said(api, offices):
    made(api, offices.admin, offices.office, name="Head", position="head")
    assert facts(api, offices.admin, offices.office)["team"]["head_qualified"] is False


def test_overlapping_heads_are_a_conflict(api, offices):
    a, o = offices.admin, offices.office
    made(api, a, o, name="First", position="head", started_on="2026-01-01")
    clash = add(api, a, o, name="Second", position="head", started_on="2026-06-01")
    assert clash.status_code == 409
    assert clash.json["code"] == "head_overlap"


def test_ending_the_head_lets_the_next_begin(api, offices):
    a, o = offices.admin, offices.office
    first = made(api, a, o, name="First", position="head", started_on="2026-01-01")
    ended = api.patch(f"/offices/{o}/staff/{first['id']}", as_=a, json={"ended_on": "2026-05-31"})
    assert ended.status_code == 200, ended.json
    assert ended.json["ended_on"] == "2026-05-31"
    assert add(api, a, o, name="Next", position="head", started_on="2026-06-01").status_code == 201
    reopened = api.patch(f"/offices/{o}/staff/{first['id']}", as_=a, json={"ended_on": None})
    assert reopened.status_code == 409


def test_an_entry_ends_on_or_after_it_starts(api, offices):
    answer = add(
        api, offices.admin, offices.office, name="X", started_on="2026-05-01", ended_on="2026-04-30"
    )
    assert answer.status_code == 422
    assert answer.json["codes"]["ended_on"][0]["code"] == "before_start"
    entry = made(api, offices.admin, offices.office, name="Y", started_on="2026-05-01")
    moved = api.patch(
        f"/offices/{offices.office}/staff/{entry['id']}",
        as_=offices.admin,
        json={"ended_on": "2026-01-01"},
    )
    assert moved.status_code == 422


def test_staff_on_a_day_are_those_in_post(api, offices):
    a, o = offices.admin, offices.office
    made(api, a, o, name="Gone", started_on="2025-01-01", ended_on="2025-06-30")
    made(api, a, o, name="Here", started_on="2025-03-01")
    on = api.get(f"/offices/{o}/staff?on=2025-08-01", as_=a).json
    assert [p["name"] for p in on] == ["Here"]
    every = api.get(f"/offices/{o}/staff", as_=a).json
    assert sorted(p["name"] for p in every) == ["Gone", "Here"]


def test_a_user_of_the_office_lends_their_name(api, offices):
    entry = made(
        api,
        offices.admin,
        offices.office,
        user_id=str(offices.supervisor.user.id),
        position="fulltime",
    )
    assert entry["name"] == offices.supervisor.user.display_name
    assert entry["user_id"] == str(offices.supervisor.user.id)


def test_a_user_of_another_office_is_refused(api, offices):
    answer = add(api, offices.admin, offices.office, user_id=str(offices.other_admin.user.id))
    assert answer.status_code == 422
    assert answer.json["codes"]["user_id"][0]["code"] == "not_found"


def test_a_person_without_an_account_needs_a_name(api, offices):
    answer = add(api, offices.admin, offices.office)
    assert answer.status_code == 422
    assert answer.json["codes"]["name"][0]["code"] == "required"


def test_another_offices_admin_finds_no_staff(api, offices):
    entry = made(api, offices.admin, offices.office, name="V")
    other, o = offices.other_admin, offices.office
    assert api.get(f"/offices/{o}/staff", as_=other).status_code == 404
    assert add(api, other, o, name="W").status_code == 404
    assert (
        api.patch(f"/offices/{o}/staff/{entry['id']}", as_=other, json={"name": "Z"}).status_code
        == 404
    )
    assert api.get(f"/offices/{o}/facts", as_=other).status_code == 404


def test_an_entry_of_another_office_is_not_found_under_this_one(api, admin, offices):
    entry = made(api, admin, offices.other, name="V")
    answer = api.patch(
        f"/offices/{offices.office}/staff/{entry['id']}", as_=admin, json={"name": "Z"}
    )
    assert answer.status_code == 404


def test_inspector_and_supervisor_read_and_may_not_change(api, offices):
    entry = made(api, offices.admin, offices.office, name="V")
    for reader in (offices.inspector, offices.supervisor):
        assert api.get(f"/offices/{offices.office}/staff", as_=reader).status_code == 200
        assert api.get(f"/offices/{offices.office}/facts", as_=reader).status_code == 200
        assert add(api, reader, offices.office, name="W").status_code == 403
        patched = api.patch(
            f"/offices/{offices.office}/staff/{entry['id']}", as_=reader, json={"name": "Z"}
        )
        assert patched.status_code == 403


def test_staff_changes_are_audited(api, offices):
    from sqlalchemy import select

    from server.models import AuditEvent
    from server.platform.extensions import db

    entry = made(api, offices.admin, offices.office, name="V")
    api.patch(
        f"/offices/{offices.office}/staff/{entry['id']}",
        as_=offices.admin,
        json={"phone": "13800000000"},
    )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == entry["id"]).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].after == {"phone": "13800000000"}


def test_plan_facts_are_the_years_plans_and_the_latest_introduction(api, offices):
    a, o = offices.admin, offices.office
    plan = upload(api, a, o, pdf_bytes(), title="2026 plan", year=2026).json
    upload(api, a, o, pdf_bytes("black"), title="2025 plan", year=2025)
    withdrawn = upload(api, a, o, pdf_bytes("red"), title="Draft", year=2026).json
    api.post(f"/documents/{withdrawn['id']}/withdraw", as_=a)
    upload(
        api,
        a,
        o,
        png_bytes("red"),
        content_type="image/png",
        kind="staff_introduction",
        title="Wall v1",
        year=None,
        dated_on="2026-01-10",
    )
    latest = upload(
        api,
        a,
        o,
        png_bytes("green"),
        content_type="image/png",
        kind="staff_introduction",
        title="Wall v2",
        year=None,
        dated_on="2026-02-10",
    ).json
    plan_facts = facts(api, a, o)["plan"]
    assert [d["id"] for d in plan_facts["annual_plans"]] == [plan["id"]]
    assert plan_facts["staff_introduction"]["id"] == latest["id"]
    assert facts(api, a, o, 2025)["plan"]["staff_introduction"] is None


def test_staff_introduction_prints_who_is_in_post_today(api, offices):
    a, o = offices.admin, offices.office
    made(
        api,
        a,
        o,
        name="在岗的人",
        position="fulltime",
        qualification="助理社会工作师",
        introduction="心理疏导",
        phone="13900000000",
        started_on="2020-01-01",
    )
    made(api, a, o, name="已离开的人", started_on="2020-01-01", ended_on="2020-12-31")
    page = api.get(f"/offices/{o}/staff-introduction", as_=offices.inspector)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Facts office" in html
    assert "在岗的人" in html and "心理疏导" in html and "13900000000" in html
    assert "专职社工" in html
    assert "已离开的人" not in html


def test_staff_introduction_takes_its_style_from_a_file(api, offices):
    html = api.get(f"/offices/{offices.office}/staff-introduction", as_=offices.admin)
    assert "<style" not in html.get_data(as_text=True)  # the site's policy forbids inline style
    assert 'href="/api/v1/staff-introduction.css"' in html.get_data(as_text=True)
    css = api.get("/staff-introduction.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "@page" in css.get_data(as_text=True)


def test_a_districts_admin_reaches_its_offices_and_another_districts_inspector_does_not(
    api, admin, offices
):
    from tests import orgdata

    district_admin = orgdata.person(api, admin, "districtadmin", "admin", offices.district)
    assert add(api, district_admin, offices.office, name="V").status_code == 201
    elsewhere = orgdata.district(api, admin, "Elsewhere district")
    stranger = orgdata.person(api, admin, "elsewhereinspector", "inspector", elsewhere)
    assert api.get(f"/offices/{offices.office}/staff", as_=stranger).status_code == 404
    assert api.get(f"/offices/{offices.office}/facts", as_=stranger).status_code == 404
    page = api.get(f"/offices/{offices.office}/staff-introduction", as_=stranger)
    assert page.status_code == 404
