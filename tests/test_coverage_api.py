"""The coverage board, its history and the policies, asked for by the people who use them."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server.coverage import roster_coverage
from tests.conftest import add_resident
from tests.test_coverage_support import refresh, set_policies, sync_visit


@pytest.fixture
def board(app, api, admin, worker_a, ward_a, ward_b):
    """Ward A: one resident visited twice this week, one not at all; ward B: one resident."""
    app.config["TIMEZONE"] = "Asia/Shanghai"
    seen = add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")
    unseen = add_resident(api, admin, ward_a, name="李秀英", admitted_on="2026-01-05")
    other = add_resident(api, admin, ward_b, name="Arthur Lee", admitted_on="2026-01-05")
    sync_visit(api, worker_a, seen, "2026-11-16T09:00+08:00")
    sync_visit(api, worker_a, seen, "2026-11-18T09:00+08:00")
    refresh("2026-11-21T09:00+08:00")
    return {"seen": seen, "unseen": unseen, "other": other}


def test_board_answers_the_documented_shape(api, supervisor_a, board, ward_a):
    answer = api.get("/coverage?week=2026-W47", as_=supervisor_a)
    assert answer.status_code == 200
    body = answer.json
    assert body["period"] == "2026-W47" and body["evaluated_at"]
    assert body["units"] == [{"unit_id": str(ward_a.id), "residents": 2, "met": 1,
                              "on_track": 0, "at_risk": 1, "missed": 0}]
    rows = {row["name"]: row for row in body["residents"]}
    assert set(rows) == {"王桂英", "李秀英"}  # ward B is not the supervisor's
    assert rows["王桂英"] == {"resident_id": board["seen"]["id"], "name": "王桂英",
                             "unit_id": str(ward_a.id), "required": 2, "days_visited": 2,
                             "last_visit_at": "2026-11-18T01:00:00+00:00", "status": "met"}
    assert rows["李秀英"]["status"] == "at_risk" and rows["李秀英"]["last_visit_at"] is None


def test_admin_sees_every_unit_and_may_filter(api, admin, board, ward_b):
    everything = api.get("/coverage?week=2026-W47", as_=admin).json
    assert len(everything["units"]) == 2 and len(everything["residents"]) == 3
    one = api.get(f"/coverage?week=2026-W47&unit_id={ward_b.id}", as_=admin).json
    assert [row["name"] for row in one["residents"]] == ["Arthur Lee"]


def test_a_worker_sees_their_units_and_not_others(api, worker_a, worker_b, board, ward_a):
    mine = api.get("/coverage?week=2026-W47", as_=worker_a).json
    assert {row["unit_id"] for row in mine["residents"]} == {str(ward_a.id)}
    assert api.get(f"/coverage?unit_id={ward_a.id}", as_=worker_b).status_code == 404
    theirs = api.get("/coverage?week=2026-W47", as_=worker_b).json
    assert [row["name"] for row in theirs["residents"]] == ["Arthur Lee"]


@pytest.mark.parametrize("query", ["week=2026-48", "week=2026-W54", "month=2026-13",
                                   "week=2026-W47&month=2026-11", "unit_id=nope"])
def test_bad_periods_are_refused(api, supervisor_a, query):
    assert api.get(f"/coverage?{query}", as_=supervisor_a).status_code == 422


def test_history_gives_the_share_met_per_unit_and_week(api, supervisor_a, board, ward_a):
    answer = api.get("/coverage/history?weeks=3", as_=supervisor_a)
    assert answer.status_code == 200
    body = answer.json
    assert len(body["weeks"]) == 3
    assert [unit["unit_id"] for unit in body["units"]] == [str(ward_a.id)]
    by_week = {week["period"]: week for week in body["units"][0]["weeks"]}
    assert by_week["2026-W47"] == {"period": "2026-W47", "residents": 2, "met": 1,
                                   "share_met": 0.5}


def test_history_of_weeks_without_results_has_no_share(app, api, supervisor_a, ward_a):
    body = api.get("/coverage/history?weeks=2", as_=supervisor_a).json
    assert all(week["share_met"] is None for week in body["units"][0]["weeks"])


def test_policies_default_to_two_a_week(api, worker_a):
    assert api.get("/coverage/policies", as_=worker_a).json == {
        "default": {"required": 2, "period": "week"}, "care_levels": [], "residents": []}


def test_only_admins_change_policies(api, admin, supervisor_a, resident_a):
    body = {"default": {"required": 3, "period": "week"},
            "care_levels": [{"care_level": "home", "required": 1, "period": "month"}],
            "residents": [{"resident_id": resident_a["id"], "required": 1, "period": "week"}]}
    assert api._call("PUT", "/coverage/policies", json=body,
                     as_=supervisor_a).status_code == 403
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 200
    assert answer.json == body
    assert api.get("/coverage/policies", as_=supervisor_a).json == body


def test_a_supervisor_sees_overrides_of_their_units_only(api, admin, supervisor_a, resident_b):
    set_policies(api, admin, residents=[(resident_b["id"], 1, "week")])
    assert api.get("/coverage/policies", as_=supervisor_a).json["residents"] == []


@pytest.mark.parametrize("body", [
    {"default": {"required": 8, "period": "week"}},
    {"default": {"required": 2, "period": "fortnight"}},
    {"default": {"required": 2}, "care_levels": [
        {"care_level": "a", "required": 1}, {"care_level": "a", "required": 2}]},
    {"default": {"required": 2}, "residents": [
        {"resident_id": "00000000-0000-4000-8000-000000000000", "required": 1}]},
    {"care_levels": []},
])
def test_bad_policies_are_refused(api, admin, body):
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 422, answer.json


def test_the_phone_count_follows_the_policy(app, api, admin, worker_a, ward_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    resident = add_resident(api, admin, ward_a, care_level="full_care", admitted_on="2026-01-05")
    client = add_resident(api, admin, ward_a, care_level="home", admitted_on="2026-01-05")
    set_policies(api, admin, care_levels=[("full_care", 3, "week"), ("home", 1, "month")])
    sync_visit(api, worker_a, resident, "2026-11-17T09:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-17T10:00+08:00")
    counts = roster_coverage([uuid.UUID(resident["id"]), uuid.UUID(client["id"])],
                             date(2026, 11, 19))
    assert counts[uuid.UUID(resident["id"])]["week"] == "2026-W47"
    assert counts[uuid.UUID(resident["id"])]["required"] == 3
    assert counts[uuid.UUID(resident["id"])]["days_visited"] == 1
    assert counts[uuid.UUID(client["id"])] == {"week": "2026-11", "required": 1,
                                               "days_visited": 0, "last_visit_at": None}
