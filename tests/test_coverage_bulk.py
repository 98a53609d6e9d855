"""The SQL judgement of many residents gives exactly what the Python rule gives.

An institution with every kind of case the rule knows (rules per care level and per resident,
weekly and monthly, admission and discharge inside the period, a resident out of care all
week, two visits on one day, a voided visit, visits dated after "today" in one run and in a
broken one) is judged on every day of a week and after it, from the same stored state, once by
evaluate() and once by judge_in_bulk() with evaluate() for what it hands back. Every stored
column and every status change must agree. So must a refresh's turn: the rows due that
turn_in_bulk() judges from the stored row alone, the others judged as above.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, not_, select

from server.alerts.raised import apply_coverage_changes
from server.coverage import Period, evaluate
from server.coverage.bulk import due_rows, judge_in_bulk, turn_in_bulk, turns_alone
from server.models import Alert, CoverageResult, Resident
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import set_policies, sync_visit, void

ZONE = ZoneInfo("Asia/Shanghai")
WEEK = Period.parse("2026-W47")  # Monday 16 to Sunday 22 November 2026
EARLIER_WEEK = Period.parse("2026-W46")


@pytest.fixture
def institution(app, api, admin, supervisor_a, worker_a, ward_a) -> list[uuid.UUID]:
    app.config["TIMEZONE"] = "Asia/Shanghai"
    people = {
        "plain": {},
        "full": {"care_level": "full"},
        "home": {"care_level": "home"},
        "own_rule": {},
        "monthly_own": {},
        "friday": {"admitted_on": "2026-11-20"},
        "tuesday_out": {},
        "out_all_week": {},
        "never_seen": {},
    }
    set_policies(api, admin, care_levels=[("full", 3, "week"), ("home", 1, "month")])
    made = {
        key: add_resident(api, admin, ward_a, name=key, **({"admitted_on": "2026-01-05"} | fields))
        for key, fields in people.items()
    }
    set_policies(
        api,
        admin,
        care_levels=[("full", 3, "week"), ("home", 1, "month")],
        residents=[(made["own_rule"]["id"], 4, "week"), (made["monthly_own"]["id"], 3, "month")],
    )
    visits = {
        "plain": [
            "2026-11-09T09:00",
            "2026-11-16T09:00",
            "2026-11-16T15:00",
            "2026-11-19T10:00",
            "2026-11-20T10:00",
        ],
        "full": ["2026-11-17T09:00", "2026-11-18T09:00", "2026-11-21T09:00"],
        "home": ["2026-11-03T09:00"],
        "own_rule": ["2026-11-16T08:00", "2026-11-18T08:00", "2026-11-22T19:00"],
        "monthly_own": ["2026-11-02T10:00", "2026-11-18T10:00"],
        "friday": ["2026-11-20T11:00", "2026-11-21T11:00"],
        "tuesday_out": ["2026-11-16T12:00"],
        "out_all_week": ["2026-11-04T12:00"],
    }
    for key, instants in visits.items():
        for instant in instants:
            sync_visit(api, worker_a, made[key], f"{instant}+08:00")
    voided = sync_visit(api, worker_a, made["never_seen"], "2026-11-17T10:00+08:00")
    void(api, supervisor_a, voided)
    for key, since in (("tuesday_out", "2026-11-17"), ("out_all_week", "2026-11-10")):
        answer = api.patch(
            f"/residents/{made[key]['id']}",
            as_=admin,
            json={"status": "discharged", "status_since": since},
        )
        assert answer.status_code == 200, answer.json
    return [uuid.UUID(person["id"]) for person in made.values()]


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZONE)


def _current(row, rule, today: date):
    yield Period.of(rule.period, today), rule.required


def _stored() -> dict:
    db.session.expire_all()
    columns = [c for c in CoverageResult.__table__.columns if c.name != "id"]
    return {
        (row.resident_id, row.period): tuple(row)[2:]
        for row in db.session.execute(
            select(CoverageResult.resident_id, CoverageResult.period, *columns)
        )
    }


def _start_from(ids: list[uuid.UUID], today: date) -> None:
    """The stored state both ways start from: the earlier week closed, yesterday's results."""
    db.session.execute(delete(CoverageResult))
    db.session.execute(delete(Alert))
    changes = evaluate(
        ids,
        lambda row, rule: [(EARLIER_WEEK, rule.required)] if rule.period == "week" else [],
        WEEK.start,
        _noon(WEEK.start),
        close=True,
    ).changes
    yesterday = today - timedelta(days=1)
    more = evaluate(
        ids,
        lambda row, rule: _current(row, rule, min(yesterday, WEEK.end)),
        yesterday,
        _noon(yesterday),
        exact=False,
    ).changes
    apply_coverage_changes(changes + more, _noon(yesterday))
    db.session.flush()


def _alerts() -> set[tuple]:
    db.session.expire_all()
    return set(
        db.session.execute(
            select(
                Alert.key,
                Alert.kind,
                Alert.resident_id,
                Alert.unit_id,
                Alert.period,
                Alert.detail.is_not(None),
                Alert.raised_at,
                Alert.resolved_at,
            )
        ).all()
    )


def _by_python(ids, today: date, close: bool) -> tuple[dict, set, int]:
    _start_from(ids, today)
    changes = evaluate(
        ids,
        lambda row, rule: _current(row, rule, min(today, WEEK.end)),
        today,
        _noon(today),
        close=close,
        exact=False,
    ).changes
    apply_coverage_changes(changes, _noon(today))
    return _stored(), _alerts(), len(changes)


def _in_bulk(ids, today: date, close: bool) -> tuple[dict, set, int, set]:
    _start_from(ids, today)
    day = min(today, WEEK.end)
    periods = [Period.of("week", day), Period.of("month", day)]
    bulk = judge_in_bulk(
        select(Resident.id).where(Resident.id.in_(ids)), periods, today, _noon(today), close=close
    )
    more = evaluate(
        bulk.leftovers,
        lambda row, rule: _current(row, rule, day),
        today,
        _noon(today),
        close=close,
        exact=False,
    ).changes
    apply_coverage_changes(more, _noon(today))
    return _stored(), _alerts(), bulk.status_changes + len(more), bulk.leftovers


@pytest.mark.parametrize(
    "today", [WEEK.start + timedelta(days=n) for n in range(8)], ids=lambda day: day.isoformat()
)
def test_bulk_judgement_matches_the_python_rule(institution, today):
    expected, expected_alerts, expected_changes = _by_python(institution, today, close=False)
    stored, alerts, changes, _ = _in_bulk(institution, today, close=False)
    assert stored == expected
    assert (alerts, changes) == (expected_alerts, expected_changes)


def test_bulk_close_matches_the_python_rule(institution):
    today = WEEK.end + timedelta(days=1)
    expected, expected_alerts, expected_changes = _by_python(institution, today, close=True)
    stored, alerts, changes, _ = _in_bulk(institution, today, close=True)
    assert stored == expected
    assert (alerts, changes) == (expected_alerts, expected_changes)
    assert {kind for _, kind, *_, resolved_at in alerts if resolved_at is None} == {"missed"}
    assert {row[9] for key, row in stored.items() if key[1] == WEEK.label} == {"met", "missed"}


def test_visits_ahead_in_a_broken_run_are_left_to_python(institution):
    # On Wednesday "plain" has visits on Thursday and Friday but none on Wednesday.
    plain = institution[0]
    *_, leftovers = _in_bulk(institution, date(2026, 11, 18), close=False)
    assert plain in leftovers
    # On Thursday the same visits are one run from today: SQL judges them.
    *_, leftovers = _in_bulk(institution, date(2026, 11, 19), close=False)
    assert plain not in leftovers


def _by_turn(ids, today: date) -> tuple[dict, set, int, int]:
    """As a refresh with no new visits turns statuses: rows the stored row alone cannot judge
    first, in bulk, then turn_in_bulk() for the rest still due."""
    _start_from(ids, today)
    periods = [Period.of("week", today), Period.of("month", today)]
    labels = [period.label for period in periods]
    not_alone = select(CoverageResult.resident_id).where(
        due_rows(labels, today), not_(turns_alone(today))
    )
    bulk = judge_in_bulk(
        select(Resident.id).where(Resident.id.in_(not_alone)), periods, today, _noon(today)
    )
    more = evaluate(
        bulk.leftovers,
        lambda row, rule: _current(row, rule, today),
        today,
        _noon(today),
        exact=False,
    ).changes
    apply_coverage_changes(more, _noon(today))
    turned = turn_in_bulk(labels, today, _noon(today))
    return (
        _stored(),
        _alerts(),
        bulk.status_changes + len(more) + turned.status_changes,
        turned.judged,
    )


@pytest.mark.parametrize(
    "today", [WEEK.start + timedelta(days=n) for n in range(1, 7)], ids=lambda day: day.isoformat()
)
def test_turning_from_the_stored_rows_matches_the_python_rule(institution, today):
    expected, expected_alerts, expected_changes = _by_python(institution, today, close=False)
    stored, alerts, changes, _ = _by_turn(institution, today)
    assert stored == expected
    assert (alerts, changes) == (expected_alerts, expected_changes)


def test_the_turn_judges_only_whole_period_rows_without_visits_ahead(institution):
    names = dict(
        zip(
            [
                "plain",
                "full",
                "home",
                "own_rule",
                "monthly_own",
                "friday",
                "tuesday_out",
                "out_all_week",
                "never_seen",
            ],
            institution,
            strict=True,
        )
    )
    saturday = date(2026, 11, 21)
    _start_from(institution, saturday)
    labels = [WEEK.label, "2026-11"]
    due = {
        (row.resident_id, row.status)
        for row in db.session.execute(
            select(CoverageResult.resident_id, CoverageResult.status).where(
                due_rows(labels, saturday)
            )
        )
    }
    # "own_rule" (4 a week) has a visit dated Sunday, ahead of Saturday: left to judgement.
    assert due == {(names["never_seen"], "on_track"), (names["own_rule"], "on_track")}
    turned = turn_in_bulk(labels, saturday, _noon(saturday))
    assert (turned.judged, turned.rows_written, turned.status_changes) == (1, 1, 1)
    still_due = set(
        db.session.scalars(select(CoverageResult.resident_id).where(due_rows(labels, saturday)))
    )
    assert still_due == {names["own_rule"]}
    row = db.session.get(CoverageResult, (names["never_seen"], WEEK.label))
    assert (row.status, row.due_on) == ("at_risk", date(2026, 11, 22))
