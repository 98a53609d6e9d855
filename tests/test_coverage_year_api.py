"""Yearly and every-N-days rules in the policies API and on the board, for each role."""

from __future__ import annotations

import pytest

from tests.conftest import add_resident
from tests.test_coverage_support import refresh, sync_visit
from tests.test_coverage_year import EVERY_TEN_DAYS, SIX_A_YEAR, put_rules


@pytest.fixture
def ruled(app, api, admin, worker_a, ward_a, ward_b):
    """Ward A: one resident on 6 a year, visited twice, one every ten days, last seen on 1
    October; ward B: one on 6 a year. Judged on 14 October."""
    app.config["TIMEZONE"] = "Asia/Shanghai"
    app.config["CHECK_IN_HORIZON_DAYS"] = 800
    yearly = add_resident(api, admin, ward_a, name="王桂英", admitted_on="2025-03-01")
    gapped = add_resident(api, admin, ward_a, name="李秀英", admitted_on="2025-03-01")
    other = add_resident(api, admin, ward_b, name="Arthur Lee", admitted_on="2025-03-01")
    put_rules(
        api,
        admin,
        residents=[
            (yearly["id"], SIX_A_YEAR),
            (gapped["id"], EVERY_TEN_DAYS),
            (other["id"], SIX_A_YEAR),
        ],
    )
    sync_visit(api, worker_a, yearly, "2026-01-05T09:00+08:00")
    sync_visit(api, worker_a, yearly, "2026-02-09T09:00+08:00")
    sync_visit(api, worker_a, gapped, "2026-10-01T09:00+08:00")
    refresh("2026-10-14T09:00+08:00")
    return {"yearly": yearly, "gapped": gapped, "other": other}


def test_an_admin_sets_a_yearly_and_an_every_n_days_rule(api, admin, supervisor_a, resident_a):
    body = {
        "default": {"required": 2, "period": "week"},
        "care_levels": [{"care_level": "home", "required": 12, "period": "year"}],
        "residents": [{"resident_id": resident_a["id"], "required": 1, **EVERY_TEN_DAYS}],
    }
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 200, answer.json
    assert answer.json == body
    assert api.get("/coverage/policies", as_=supervisor_a).json == body


def test_an_every_n_days_rule_asks_for_one_visit_a_gap(api, admin, resident_a):
    body = {
        "default": {"required": 366, "period": "year"},
        "residents": [{"resident_id": resident_a["id"], **EVERY_TEN_DAYS}],
    }
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 200, answer.json
    assert answer.json["residents"] == [
        {"resident_id": resident_a["id"], "required": 1, "period": "days", "every_days": 10}
    ]


def test_supervisors_and_workers_may_not_set_rules(api, supervisor_a, worker_a):
    body = {"default": SIX_A_YEAR}
    for person in (supervisor_a, worker_a):
        assert api._call("PUT", "/coverage/policies", json=body, as_=person).status_code == 403


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"required": 367, "period": "year"}, "required"),
        ({"required": 32, "period": "month"}, "required"),
        ({"period": "days"}, "every_days"),
        ({"period": "days", "every_days": 0}, "every_days"),
        ({"period": "days", "every_days": 367}, "every_days"),
        ({"period": "days", "every_days": None}, "every_days"),
        ({"required": 2, "period": "decade"}, "period"),
    ],
)
def test_rules_outside_their_period_are_refused(api, admin, rule, field):
    answer = api._call("PUT", "/coverage/policies", json={"default": rule}, as_=admin)
    assert answer.status_code == 422, answer.json
    assert answer.mimetype == "application/problem+json"
    assert field in answer.json["errors"]["default"]


counts = {"met": 0, "on_track": 0, "at_risk": 0, "missed": 0}


def test_the_years_board_lists_the_residents_on_a_yearly_rule(api, supervisor_a, ruled, ward_a):
    answer = api.get("/coverage?year=2026", as_=supervisor_a)
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["period"] == "2026"
    assert [
        (r["name"], r["required"], r["days_visited"], r["status"]) for r in body["residents"]
    ] == [("王桂英", 6, 2, "at_risk")]
    (unit,) = body["units"]
    assert unit == {"unit_id": str(ward_a.id), "residents": 1, **counts, "at_risk": 1}
    assert "days_overdue" not in body["residents"][0]


def test_the_every_n_days_board_says_how_many_days_overdue(api, supervisor_a, ruled):
    body = api.get("/coverage?period=days", as_=supervisor_a).json
    assert body["period"] == "days"
    (row,) = body["residents"]
    assert (row["name"], row["status"], row["every_days"], row["due_by"]) == (
        "李秀英",
        "missed",
        10,
        "2026-10-11",
    )
    assert row["days_overdue"] >= 3  # as of the real today: at least since 14 October


def test_each_role_sees_its_own_units_on_the_years_board(
    api, admin, worker_a, worker_b, supervisor_a, ruled, ward_a, ward_b
):
    everything = api.get("/coverage?year=2026", as_=admin).json
    assert sorted(r["name"] for r in everything["residents"]) == ["Arthur Lee", "王桂英"]
    assert len(everything["units"]) == 2
    mine = api.get("/coverage?year=2026", as_=worker_a).json
    assert [r["name"] for r in mine["residents"]] == ["王桂英"]
    theirs = api.get("/coverage?year=2026", as_=worker_b).json
    assert [r["name"] for r in theirs["residents"]] == ["Arthur Lee"]
    assert api.get("/coverage?period=days", as_=worker_b).json["residents"] == []
    for person, other in ((supervisor_a, ward_b), (worker_b, ward_a)):
        answer = api.get(f"/coverage?year=2026&unit_id={other.id}", as_=person)
        assert answer.status_code == 404


@pytest.mark.parametrize(
    "query", ["year=26", "year=2026-01", "period=week", "year=2026&week=2026-W47", "year=1900"]
)
def test_bad_year_and_gap_board_parameters_are_refused(api, supervisor_a, query):
    answer = api.get(f"/coverage?{query}", as_=supervisor_a)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"


def test_a_new_visit_moves_the_resident_off_the_every_n_days_boards_missed(
    api, supervisor_a, worker_a, ruled
):
    sync_visit(api, worker_a, ruled["gapped"], "2026-10-14T10:00+08:00")
    refresh("2026-10-14T10:15+08:00")
    (row,) = api.get("/coverage?period=days", as_=supervisor_a).json["residents"]
    assert (row["status"], row["due_by"]) == ("met", "2026-10-24")
