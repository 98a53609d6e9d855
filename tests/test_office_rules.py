"""The office's monthly rules: distinct days with an activity and with a reception day, judged
like coverage against the targets, in each role's sight."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import current_app

from server.coverage.periods import Period
from server.people.access import Scope
from server.platform.clock import today_in
from server.supervision.office_rules import office_rules
from server.targets.settings import Targets
from tests.conftest import make_person
from tests.officedata import record_activity, record_day


def _today() -> date:
    return today_in(current_app.config["TIMEZONE"])


def _month_before(day: date, months: int = 1) -> Period:
    month = Period.of("month", day)
    for _ in range(months):
        month = month.previous()
    return month


def _rules(api, person, **query) -> dict:
    answer = api.get("/coverage/office", query_string=query, as_=person)
    assert answer.status_code == 200, answer.json
    return {rule["rule"]: rule for rule in answer.json["rules"]}


def _put_targets(api, admin, **targets):
    answer = api._call("PUT", "/targets", as_=admin, json=targets)
    assert answer.status_code == 200, answer.json


@pytest.fixture
def supervisor_b(api, ward_b):
    return make_person(api, "supervisor.b", "supervisor", [ward_b])


def test_a_past_month_is_met_or_missed_by_distinct_days(api, admin, supervisor_a, worker_a, ward_a):
    month = _month_before(_today())
    days = [month.start, month.start, month.start + timedelta(days=9)]
    for day in days:
        record_activity(ward_a, worker_a, day)
    record_day(api, supervisor_a, month.start + timedelta(days=3), ward_a)
    record_day(api, supervisor_a, month.start + timedelta(days=3), ward_a)
    _put_targets(api, admin, activities_per_month=2, reception_days_per_month=2)
    rules = _rules(api, supervisor_a, month=month.label)
    assert rules["activities"] == {
        "rule": "activities",
        "setting": "activities_per_month",
        "required": 2,
        "done": len(set(days)),
        "last_on": max(days).isoformat(),
        "status": "met",
        "due_on": None,
    }
    held = rules["reception_days"]
    assert (held["done"], held["required"], held["status"]) == (1, 2, "missed")
    assert held["setting"] == "reception_days_per_month"


def test_a_month_with_nothing_is_missed_once_past(api, supervisor_a):
    rules = _rules(api, supervisor_a, month=_month_before(_today(), 2).label)
    assert {name: rule["status"] for name, rule in rules.items()} == {
        "activities": "missed",
        "reception_days": "missed",
    }
    assert rules["activities"]["last_on"] is None


def test_a_month_ahead_is_on_track(api, supervisor_a):
    ahead = Period.of("month", Period.of("month", _today()).end + timedelta(days=1))
    rules = _rules(api, supervisor_a, month=ahead.label)
    assert rules["activities"]["status"] == "on_track"
    assert rules["activities"]["due_on"] == ahead.end.isoformat()


def test_each_role_counts_the_activities_and_days_in_its_sight(
    api, admin, supervisor_a, supervisor_b, worker_a, worker_b, ward_a, ward_b
):
    month = _month_before(_today())
    record_activity(ward_a, worker_a, month.start)
    record_activity(ward_b, worker_b, month.start + timedelta(days=1))
    record_activity(ward_b, worker_b, month.start + timedelta(days=2))
    record_day(api, supervisor_a, month.start, ward_a)
    record_day(api, admin, month.start + timedelta(days=5))  # the whole office's
    done = {
        "admin": (3, 2),
        "a": (1, 2),
        "b": (2, 1),
    }
    for name, person in (("admin", admin), ("a", supervisor_a), ("b", supervisor_b)):
        rules = _rules(api, person, month=month.label)
        assert (rules["activities"]["done"], rules["reception_days"]["done"]) == done[name]
    one_unit = _rules(api, admin, month=month.label, unit_id=str(ward_b.id))
    assert (one_unit["activities"]["done"], one_unit["reception_days"]["done"]) == (2, 1)
    outside = api.get(
        "/coverage/office", query_string={"unit_id": str(ward_a.id)}, as_=supervisor_b
    )
    assert outside.status_code == 404
    assert api.get("/coverage/office", as_=worker_a).status_code == 403


# --- the judgement within the month, on days chosen here ------------------------------------

MONTH = Period.parse("2026-11")


@pytest.mark.parametrize(
    ("required", "done_on", "today", "status", "due_on"),
    [
        # Done already: met, whatever the day.
        (1, [date(2026, 11, 3)], date(2026, 11, 10), "met", None),
        # Nothing yet, days to spare: on track, due by the month's last day.
        (1, [], date(2026, 11, 10), "on_track", date(2026, 11, 30)),
        # Nothing yet on the month's last day: at risk, the month not yet lost.
        (1, [], date(2026, 11, 30), "at_risk", None),
        # Two needed, one done, one day left: at risk.
        (2, [date(2026, 11, 2)], date(2026, 11, 30), "at_risk", None),
        # Three needed, none done, two days left: missed before the month ends.
        (3, [], date(2026, 11, 29), "missed", None),
        # Past the month: missed.
        (1, [], date(2026, 12, 1), "missed", None),
    ],
)
def test_the_rules_status_within_the_month(
    app, api, admin, ward_a, worker_a, required, done_on, today, status, due_on
):
    for day in done_on:
        record_activity(ward_a, worker_a, day)
    targets = Targets(activities_per_month=required, reception_days_per_month=required)
    rules = office_rules(Scope(None, manager=True), None, MONTH, today, targets)["rules"]
    activities = rules[0]
    assert (activities["rule"], activities["status"], activities["due_on"]) == (
        "activities",
        status,
        due_on,
    )
    assert activities["done"] == len(set(done_on))
    assert rules[1]["done"] == 0
