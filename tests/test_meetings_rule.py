"""The monthly meeting rule per person, against counts made here from the meetings recorded:
met, on track, at risk, missed, and the joiner pro-rated (docs/meetings.md)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from server.coverage.periods import Period
from server.people.access import Scope
from server.platform.extensions import db
from server.supervision.meeting_rule import month_rule
from tests.conftest import make_person
from tests.meetingdata import recorded

OCTOBER = Period.parse("2026-10")


def _joined(person, day: date) -> None:
    """The account was made on `day` (a hire date the test needs, not today)."""
    person.user.created_at = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
    db.session.commit()


@pytest.fixture
def staff(api, ward_a, supervisor_a, worker_a):
    """Ward A's people, all there since September but the joiner, who came on 25 October."""
    others = {
        name: make_person(api, f"worker.{name}", "worker", [ward_a])
        for name in ("busy", "idle", "joiner")
    }
    people = {"supervisor": supervisor_a, "one": worker_a, **others}
    for key, person in people.items():
        _joined(person, date(2026, 10, 25) if key == "joiner" else date(2026, 9, 1))
    return people


@pytest.fixture
def october(api, staff):
    """The month's meetings, and each person's count of them, counted here."""
    held = [
        ("2026-10-05", ["one", "busy"]),
        ("2026-10-12", ["busy"]),
        ("2026-10-12", ["busy"]),  # a second meeting the same day: one day for the rule
        ("2026-10-28", ["joiner"]),
    ]
    counts: Counter = Counter()
    for held_on, names in held:
        recorded(api, staff["supervisor"], [staff[n] for n in names], held_on=held_on)
        counts["supervisor"] += 1
        counts.update(names)
    return counts


def _rule(today: date, required: int = 2) -> dict[str, dict]:
    judged = month_rule(Scope(None, manager=True), OCTOBER, required, today, "Asia/Shanghai")
    return {person.user.username: person for person in judged}


def test_each_persons_meetings_are_counted(staff, october):
    rule = _rule(date(2026, 10, 31))
    for key, person in staff.items():
        assert rule[person.user.username].meetings == october[key]


def test_two_meetings_on_two_days_meet_the_rule(staff, october):
    rule = _rule(date(2026, 10, 20))
    assert rule["supervisor.a"].status == "met"
    assert rule["worker.busy"].status == "met"


def test_two_meetings_on_one_day_count_as_one_day(staff, october):
    busy = _rule(date(2026, 10, 31), required=3)["worker.busy"]
    assert (busy.meetings, busy.days, busy.status) == (3, 2, "at_risk")


def test_one_short_with_days_left_is_on_track(staff, october):
    one = _rule(date(2026, 10, 20))["worker.a"]
    assert one.status == "on_track" and one.due_on == date(2026, 10, 31)


def test_one_short_on_the_last_day_is_at_risk(staff, october):
    assert _rule(date(2026, 10, 31))["worker.a"].status == "at_risk"


def test_two_short_on_the_last_day_is_missed(staff, october):
    assert _rule(date(2026, 10, 31))["worker.idle"].status == "missed"


def test_short_once_the_month_is_over_is_missed(staff, october):
    rule = _rule(date(2026, 11, 5))
    assert rule["worker.a"].status == "missed"
    assert rule["worker.busy"].status == "met"


def test_joiner_is_prorated_from_the_day_they_joined(staff, october):
    joiner = _rule(date(2026, 10, 31))["worker.joiner"]
    # 7 of October's 31 days: ceil(2 * 7 / 31) = 1 meeting, and they had one.
    assert (joiner.required, joiner.meetings, joiner.status) == (1, 1, "met")
    assert _rule(date(2026, 10, 31))["worker.idle"].required == 2


def test_someone_who_joined_after_the_month_is_not_judged(api, staff, ward_a):
    late = make_person(api, "worker.late", "worker", [ward_a])
    _joined(late, date(2026, 11, 2))
    assert "worker.late" not in _rule(date(2026, 11, 5))


def test_rule_api_names_the_setting_and_the_people_of_ones_units(
    api, staff, october, admin, worker_b
):
    answer = api.get("/meetings/rule", as_=staff["supervisor"], query_string={"month": "2026-10"})
    assert answer.status_code == 200, answer.json
    assert (answer.json["month"], answer.json["required"]) == ("2026-10", 2)
    assert answer.json["setting"] == "meetings_per_month"
    people = {p["user"]["display_name"]: p for p in answer.json["people"]}
    assert "Worker.B" not in people
    assert people["Worker.Busy"]["meetings"] == october["busy"]
    assert people["Worker.A"]["status"] == "missed"  # October is over
    assert answer.json["people"][0]["user"]["role"] == "supervisor"
    _joined(worker_b, date(2026, 9, 1))
    everyone = api.get("/meetings/rule", as_=admin, query_string={"month": "2026-10"})
    assert "Worker.B" in {p["user"]["display_name"] for p in everyone.json["people"]}


def test_rule_api_is_for_the_office(api, staff):
    assert api.get("/meetings/rule", as_=staff["one"]).status_code == 403


def test_rule_api_refuses_a_unit_out_of_sight(api, staff, ward_b):
    answer = api.get(
        "/meetings/rule", as_=staff["supervisor"], query_string={"unit_id": str(ward_b.id)}
    )
    assert answer.status_code == 404
