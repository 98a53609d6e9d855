"""The roll-up's figures, each against a count made here from the records synced."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta

import pytest

from server.coverage.passes import refresh
from server.models import Case, CoverageResult, Task
from server.platform.clock import today_in
from server.platform.extensions import db
from tests import rollupdata
from tests.rollupdata import child_of, local_noon


@pytest.fixture
def city(app, api, admin):
    zone = app.config["TIMEZONE"]
    today = today_in(zone)
    built = rollupdata.build_city(api, admin)
    rollupdata.sync_visits(api, built, today, zone)
    rollupdata.sync_tasks_and_cases(api, built, today)
    # Coverage judged as of last Sunday evening, then now: last week's results are stored.
    sunday = today - timedelta(days=today.weekday() + 1)
    refresh(local_noon(sunday, zone) + timedelta(hours=10))
    db.session.commit()
    refresh()
    db.session.commit()
    return built


def _range(today: date) -> tuple[date, date]:
    return today - timedelta(days=20), today


def _judged(start: date, end: date) -> set[str]:
    """Weeks and months wholly inside the range, labelled as the coverage tables do."""
    labels, day = set(), start
    while day <= end:
        monday = day - timedelta(days=day.weekday())
        if monday >= start and monday + timedelta(days=6) <= end:
            year, week, _ = monday.isocalendar()
            labels.add(f"{year}-W{week:02d}")
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        if first >= start and following - timedelta(days=1) <= end:
            labels.add(f"{first.year}-{first.month:02d}")
        day += timedelta(days=1)
    return labels


def expected(city, level: str, start: date, end: date, today: date, zone: str) -> dict:
    """Every figure per row, counted from the visits sent and the stored records."""
    rows: dict = defaultdict(
        lambda: {
            "residents": 0,
            "visits": 0,
            "days": set(),
            "workers": set(),
            "ratings": defaultdict(int),
            "judged": 0,
            "met": 0,
            "open": 0,
            "overdue": 0,
            "closed": 0,
            "cases_open": 0,
            "cases_closed": 0,
        }
    )
    for unit_id, residents in city.residents.items():
        rows[child_of(city, level, unit_id)]["residents"] += len(residents)
    for visit in city.visits:
        if start <= visit["day"] <= end:
            row = rows[child_of(city, level, visit["unit"])]
            row["visits"] += 1
            row["days"].add(visit["day"])
            row["workers"].add(visit["worker"])
            if visit["rating"]:
                row["ratings"][visit["rating"]] += 1
    labels = _judged(start, end)
    for result in db.session.query(CoverageResult).filter(CoverageResult.period.in_(labels)):
        row = rows[child_of(city, level, str(result.unit_id))]
        row["judged"] += 1
        row["met"] += result.status == "met"
    for task in db.session.query(Task):
        row = rows[child_of(city, level, str(task.unit_id))]
        is_open = task.status in ("open", "in_progress")
        row["open"] += is_open
        row["overdue"] += is_open and task.due_on < today
        closed_on = task.closed_at and rollupdata.local_day(task.closed_at, zone)
        row["closed"] += task.status == "done" and closed_on and start <= closed_on <= end
    for case in db.session.query(Case):
        row = rows[child_of(city, level, str(case.unit_id))]
        row["cases_open"] += case.stage != "archived"
        closed_on = case.closed_at and rollupdata.local_day(case.closed_at, zone)
        row["cases_closed"] += bool(closed_on and start <= closed_on <= end)
    return rows


def assert_row(row: dict, wanted: dict) -> None:
    assert row["residents"] == wanted["residents"]
    assert row["activity"] == {
        "visits": wanted["visits"],
        "visited_days": len(wanted["days"]),
        "workers": len(wanted["workers"]),
    }
    ratings = wanted["ratings"]
    assert row["satisfaction"]["satisfied"] == ratings["satisfied"]
    assert row["satisfaction"]["basically_satisfied"] == ratings["basically_satisfied"]
    assert row["satisfaction"]["unsatisfied"] == ratings["unsatisfied"]
    rated = sum(ratings.values())
    assert row["satisfaction"]["rated"] == rated
    if rated:  # the default target counts basically satisfied as satisfied
        good = ratings["satisfied"] + ratings["basically_satisfied"]
        assert row["satisfaction"]["satisfied_share"] == pytest.approx(good / rated)
    assert row["coverage"]["judged"] == wanted["judged"]
    assert row["coverage"]["met"] == wanted["met"]
    assert row["tasks"] == {
        "open": wanted["open"],
        "overdue": wanted["overdue"],
        "closed": wanted["closed"],
    }
    assert row["cases"]["open"] == wanted["cases_open"]
    assert row["cases"]["closed"] == wanted["cases_closed"]


def _total(rows: dict) -> dict:
    total = {
        key: 0 for key in ("residents", "visits", "judged", "met", "open", "overdue", "closed")
    }
    total.update(days=set(), workers=set(), ratings=defaultdict(int), cases_open=0, cases_closed=0)
    for row in rows.values():
        for key, value in row.items():
            if isinstance(value, set):
                total[key] |= value
            elif isinstance(value, dict):
                for name, number in value.items():
                    total[key][name] += number
            else:
                total[key] += value
    return total


def _get(api, person, **params):
    answer = api.get("/rollup", as_=person, query_string=params)
    assert answer.status_code == 200, answer.json
    return answer.json


@pytest.mark.parametrize(
    ("organisation", "level"), [("city", "district"), ("east", "office"), ("office_1", "unit")]
)
def test_each_level_counts_what_its_children_hold(app, api, admin, city, organisation, level):
    zone = app.config["TIMEZONE"]
    today = today_in(zone)
    start, end = _range(today)
    answer = _get(
        api,
        city.people["city_inspector"],
        organisation_id=city.ids[organisation],
        **{"from": start.isoformat(), "to": end.isoformat()},
    )
    assert answer["level"] == level
    wanted = expected(city, level, start, end, today, zone)
    rows = {row["id"]: row for row in answer["rows"]}
    children = {child_of(city, level, unit) for unit in city.office_of}
    if level == "unit":
        children = {
            unit for unit, office in city.office_of.items() if office == city.ids[organisation]
        }
    elif level == "office":
        children = {o for o, d in city.district_of.items() if d == city.ids[organisation]}
    assert set(rows) == children
    for child in children:
        assert_row(rows[child], wanted[child])
    assert_row(answer["total"], _total({child: wanted[child] for child in children}))


def test_the_figures_are_not_all_nothing(app, api, city):
    """The city built has visits, ratings, judged weeks, overdue tasks and an open case."""
    zone = app.config["TIMEZONE"]
    start, end = _range(today_in(zone))
    total = _get(
        api, city.people["city_inspector"], **{"from": start.isoformat(), "to": end.isoformat()}
    )["total"]
    assert total["activity"]["visits"] == len(city.visits)
    assert total["satisfaction"]["rated"] > 0
    assert total["coverage"]["judged"] > 0
    assert 0 < total["tasks"]["overdue"] < total["tasks"]["open"]
    assert total["tasks"]["closed"] == 1
    assert total["cases"]["open"] == 1


def test_a_narrower_period_counts_only_its_days(app, api, city):
    zone = app.config["TIMEZONE"]
    today = today_in(zone)
    start = end = today - timedelta(days=4)
    answer = _get(
        api,
        city.people["city_inspector"],
        organisation_id=city.ids["west"],
        **{"from": start.isoformat(), "to": end.isoformat()},
    )
    assert answer["total"]["activity"] == {"visits": 2, "visited_days": 1, "workers": 1}
    assert answer["periods_judged"] == []
    assert answer["total"]["coverage"]["share_met"] is None


def test_the_default_is_the_top_one_reaches_this_year(app, api, city):
    today = today_in(app.config["TIMEZONE"])
    answer = _get(api, city.people["city_inspector"])
    assert answer["organisation"]["id"] == city.ids["city"]
    assert answer["from"] == today.replace(month=1, day=1).isoformat()
    assert answer["to"] == today.isoformat()


def test_the_csv_holds_the_rows_and_the_total(app, api, city):
    answer = api.get(
        "/exports/rollup.csv",
        as_=city.people["city_inspector"],
        query_string={"organisation_id": city.ids["east"]},
    )
    assert answer.status_code == 200
    body = answer.data.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    json = _get(api, city.people["city_inspector"], organisation_id=city.ids["east"])
    assert [line["id"] for line in lines] == [row["id"] for row in json["rows"]] + [
        city.ids["east"]
    ]
    assert [int(line["visits"]) for line in lines] == [
        row["activity"]["visits"] for row in json["rows"]
    ] + [json["total"]["activity"]["visits"]]
    assert lines[-1]["level"] == "district"


def test_from_after_to_is_refused(api, city):
    answer = api.get(
        "/rollup",
        as_=city.people["city_inspector"],
        query_string={"from": "2026-05-02", "to": "2026-05-01"},
    )
    assert answer.status_code == 422
    assert "from" in answer.json["errors"]


def test_a_start_after_today_without_an_end_is_refused(api, city):
    answer = api.get(
        "/rollup", as_=city.people["city_inspector"], query_string={"from": "2999-01-01"}
    )
    assert answer.status_code == 422
    assert "from" in answer.json["errors"]
