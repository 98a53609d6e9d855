"""Each computed item of the evaluation equals a count made here from the records the test
made: visits and activities through the real sync, reception days through their API, for
last year so that every month is over (docs/evaluation.md, "Computed items")."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server.evaluation.computed import DUTY_SERVICES, HINTS, OfficeYear, computed_items
from server.evaluation.table import FIGURE_NAMES, round_down
from server.platform.clock import today_in
from server.targets.settings import current_targets
from tests import evaluationdata as data
from tests.casedata import body_of, case_payload, case_sync, record_payload


@pytest.fixture
def town(api, admin, app):
    return data.town(api, admin, app)


@pytest.fixture
def year(app) -> int:
    return today_in(app.config["TIMEZONE"]).year - 1


def _computed(app, town, year: int) -> dict:
    today = today_in(app.config["TIMEZONE"])
    office = OfficeYear(
        uuid.UUID(town.east), year, today, app.config["TIMEZONE"], current_targets()
    )
    return computed_items(office)


def _rounds(api, admin, town, year):
    """Four residents in care (and one gone before the year), visited on a few days."""
    start = date(year - 1, 6, 1)
    people = [data.resident(api, admin, town.ward, f"长者{n}", start) for n in range(4)]
    gone = data.resident(api, admin, town.ward, "已出院", start)
    api.patch(
        f"/residents/{gone['id']}",
        as_=admin,
        json={"status": "discharged", "status_since": date(year - 1, 12, 1).isoformat()},
    )
    days = [date(year, 2, 3), date(year, 5, 9), date(year, 9, 1), date(year, 11, 20)]
    first, second, _, fourth = people
    visits = [data.visit_on(first, day) for day in days[:3]]
    visits.append(data.visit_on(first, days[2], seed=2))  # a second visit on one day
    visits.append(data.visit_on(second, days[3], service_given="", satisfaction=None))
    visits.append(data.visit_on(fourth, date(year, 12, 30), satisfaction="unsatisfied"))
    visits.append(data.visit_on(fourth, date(year - 1, 12, 30)))  # the year before
    data.sync_visits(api, town.worker, visits)
    west = data.resident(api, admin, town.west_ward, "西区长者", start)
    data.sync_visits(api, town.west_worker, [data.visit_on(west, date(year, 3, 3))])
    return people, [v for v in visits if v["checked_in_at"].startswith(str(year))]


def test_visits_ledgers_files_and_satisfaction_equal_counts_of_the_visits(
    api, admin, app, town, year
):
    people, visits = _rounds(api, admin, town, year)
    found = _computed(app, town, year)

    days = {v["checked_in_at"][:10] for v in visits}
    assert found["visits"]["figures"]["days"] == len(days)
    assert found["visits"]["points"] == min(6, len(days))

    complete = [v for v in visits if v["service_given"].strip() and v["satisfaction"]]
    assert found["ledgers_complete"]["figures"] == {
        "visits": len(visits),
        "complete": len(complete),
        "incomplete": len(visits) - len(complete),
    }
    assert found["ledgers_complete"]["points"] == round_down(len(complete) / len(visits) * 4)

    served = {v["resident_id"] for v in visits}
    assert found["service_files"]["figures"] == {"in_care": len(people), "with_record": len(served)}
    assert found["service_files"]["points"] == round_down(len(served) / len(people) * 6)

    rated = [v["satisfaction"] for v in visits if v["satisfaction"]]
    good = [r for r in rated if r in ("satisfied", "basically_satisfied")]
    assert found["satisfaction"]["figures"]["rated"] == len(rated)
    assert len(good) / len(rated) >= 0.8  # 4 of 5: exactly the target, which meets it
    assert found["satisfaction"]["points"] == 5


def test_satisfaction_below_the_target_scores_nothing(api, admin, app, town, year):
    person = data.resident(api, admin, town.ward, "长者", date(year - 1, 1, 1))
    ratings = ["satisfied", "satisfied", "unsatisfied", "basically_satisfied", "unsatisfied"]
    visits = [
        data.visit_on(person, date(year, 4, n + 1), satisfaction=rating)
        for n, rating in enumerate(ratings)
    ]
    data.sync_visits(api, town.worker, visits)
    found = _computed(app, town, year)["satisfaction"]
    assert found["figures"]["satisfied_share"] == pytest.approx(3 / 5)
    assert found["points"] == 0


def test_visit_days_score_one_each_up_to_six(api, admin, app, town, year):
    person = data.resident(api, admin, town.ward, "长者", date(year - 1, 1, 1))
    days = [date(year, month, 10) for month in range(1, 9)]
    data.sync_visits(api, town.worker, [data.visit_on(person, day) for day in days])
    found = _computed(app, town, year)["visits"]
    assert found["figures"]["days"] == len(days) and found["points"] == 6


def test_reception_days_every_month_score_five_and_a_missed_month_nothing(api, app, town, year):
    months = [m for m in range(1, 13) if m != 3]
    for month in months:
        data.reception_day(api, town.office_admin, date(year, month, 15), town.east)
    data.reception_day(api, town.office_admin, date(year, 5, 16), town.east)  # two in May
    found = _computed(app, town, year)["reception_day"]
    assert found["figures"]["months_met"] == len(months)
    assert found["figures"]["months_missed"] == [f"{year}-03"]
    assert found["figures"]["days"] == len(months) + 1
    assert found["points"] == 0
    data.reception_day(api, town.office_admin, date(year, 3, 2), town.east)
    assert _computed(app, town, year)["reception_day"]["points"] == 5


def test_activities_every_month_score_five(api, app, town, year):
    days = [date(year, month, 8) for month in range(1, 13)]
    data.sync_activities(api, town.worker, town.ward, days)
    found = _computed(app, town, year)["activities"]
    assert found["figures"]["months_met"] == 12 and found["points"] == 5
    assert found["figures"]["days"] == len(set(days))


def test_activities_missing_a_month_score_nothing(api, app, town, year):
    days = [date(year, month, 8) for month in range(1, 12)]
    data.sync_activities(api, town.worker, town.ward, days)
    found = _computed(app, town, year)["activities"]
    assert found["figures"]["months_missed"] == [f"{year}-12"] and found["points"] == 0


def test_services_of_the_duties_named_in_plans_score_one_each_up_to_three(
    api, admin, app, town, year
):
    person = data.resident(api, admin, town.ward, "长者", date(year - 1, 1, 1))
    named = [["emotional_support", "group_work"], ["relief", "family_counselling", "referral"]]
    cases, records = [], []
    for services in named:
        opened = f"{year}-06-01T09:00:00+00:00"
        case = case_payload(person, opened_at=opened)
        cases.append(case)
        body = body_of("plan", services=services)
        body["steps"] = [{**step, "due_on": f"{year}-07-01"} for step in body["steps"]]
        records += [
            record_payload(
                case["id"],
                kind,
                at=f"{year}-06-0{n + 2}T09:00:00+00:00",
                **({"body": body} if kind == "plan" else {}),
            )
            for n, kind in enumerate(("intake", "assessment", "plan"))
        ]
    answer = api.post("/sync", as_=town.worker, json=case_sync(cases, records))
    assert answer.status_code == 200, answer.json
    given = {code for services in named for code in services} & set(DUTY_SERVICES)
    found = _computed(app, town, year)["service_types"]
    assert set(found["figures"]["services"]) == given
    assert found["points"] == min(3, len(given))


def test_head_and_staff_come_from_the_staff_list_of_the_year(api, app, town, year):
    before, boss = date(year - 1, 1, 1), town.office_admin
    data.staff_member(api, boss, town.east, "head", before, qualification="社会工作者职业水平证书")
    data.staff_member(api, boss, town.east, "fulltime", before)
    data.staff_member(api, boss, town.east, "parttime", before)
    data.staff_member(api, boss, town.east, "volunteer", before, ended_on=date(year - 1, 12, 31))
    found = _computed(app, town, year)
    assert found["head"]["points"] == 6 and found["head"]["figures"]["qualified"] is True
    assert found["staff"]["figures"] == {"fulltime": 1, "parttime": 1, "volunteer": 0, "others": 1}
    assert found["staff"]["points"] == 0  # one more besides the full-time worker: two needed
    data.staff_member(api, boss, town.east, "volunteer", date(year, 6, 1))
    assert _computed(app, town, year)["staff"]["points"] == 8


def test_no_head_scores_nothing(app, town, year):
    assert _computed(app, town, year)["head"]["points"] == 0


def test_the_annual_plan_of_the_year_and_a_staff_introduction_score_six(
    api, admin, app, town, year
):
    data.office_document(api, town.east, "annual_plan", town.office_admin, year - 1)
    found = _computed(app, town, year)
    assert found["annual_plan"]["points"] == 0 and found["staff_posted"]["points"] == 0
    data.office_document(api, town.east, "annual_plan", town.office_admin, year)
    data.office_document(api, town.east, "staff_introduction", town.office_admin, year)
    data.office_document(api, town.west, "annual_plan", admin, year)
    found = _computed(app, town, year)
    assert found["annual_plan"] == {
        **found["annual_plan"],
        "points": 6,
        "figures": {"documents": 1},
    }
    assert found["staff_posted"]["points"] == 6


def test_an_empty_year_scores_nothing_computed(app, town, year):
    found = _computed(app, town, year)
    assert {code: value["points"] for code, value in found.items()} == dict.fromkeys(found, 0)


def test_round_down_to_the_half_point():
    assert [round_down(x) for x in (5.9, 5.5, 5.49, 4.5, 3 + 1 / 3, 0)] == [5.5, 5.5, 5, 4.5, 3, 0]


def test_every_figure_has_a_name_on_the_printed_form(app, town, year):
    found = _computed(app, town, year)
    keys = {key for value in found.values() for key in value["figures"]} | set(HINTS)
    assert keys <= set(FIGURE_NAMES)
