"""Coverage through the whole path: visits synced by a phone, the refresh, the stored result.

Each case is a row: the institution's zone, the resident, the visits (local check-in times),
then the refresh instants and the exact results expected. The server itself runs in UTC.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
from sqlalchemy import select

from server import coverage
from server.models import Alert
from server.platform.extensions import db
from tests.conftest import add_resident, statements_run
from tests.test_coverage_support import (
    at,
    counts_of_the_stored_results,
    kept_counts,
    open_alerts,
    refresh,
    result,
    set_policies,
    summary,
    sync_visit,
    void,
)


@pytest.fixture(autouse=True)
def server_in_utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()
    assert os.environ.get("TZ") is None


@pytest.fixture
def zone(app):
    def set_zone(name: str) -> None:
        app.config["TIMEZONE"] = name

    return set_zone


@pytest.fixture
def resident(api, admin, ward_a):
    return add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")


@pytest.fixture
def five_by_id(api, admin, ward_a) -> list[dict]:
    """Five residents in care, in id order: the order in which slices take them."""
    return sorted(
        (
            add_resident(api, admin, ward_a, name=f"R{n}", admitted_on="2026-01-05")
            for n in range(5)
        ),
        key=lambda r: uuid.UUID(r["id"]),
    )


def judged_in(week: str, residents: list[dict]) -> list[int | None]:
    """Each resident's required days in the week, None where there is no result yet."""
    return [None if (row := result(r, week)) is None else row.required for r in residents]


def test_sunday_2359_and_monday_0000_in_shanghai_fall_in_two_weeks(
    zone, api, worker_a, supervisor_a, resident
):
    zone("Asia/Shanghai")
    refresh("2026-11-22T12:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-22T23:59:00+08:00")  # Sunday, W47
    sync_visit(api, worker_a, resident, "2026-11-23T00:00:00+08:00")  # Monday, W48
    refresh("2026-11-23T01:00+08:00")
    assert summary(resident, "2026-W47") == (2, 1, "missed")
    assert summary(resident, "2026-W48") == (2, 1, "on_track")
    assert open_alerts(resident) == [("missed", "2026-W47")]


def test_the_close_job_closes_the_week_and_a_refresh_steps_in_an_hour_later(
    zone, api, worker_a, resident
):
    """The first refresh of a week leaves the last one to the close job (Monday 00:10); only a
    refresh an hour after the week ended closes it, for a scheduler that was down at 00:10."""
    zone("Asia/Shanghai")
    refresh("2026-11-22T12:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-22T13:00:00+08:00")  # Sunday, W47
    assert refresh("2026-11-23T00:05+08:00")["closed"] == []
    assert result(resident, "2026-W47").closed_at is None
    assert summary(resident, "2026-W48") == (2, 0, "on_track")

    assert refresh("2026-11-23T01:00+08:00")["closed"] == ["2026-W47"]
    assert summary(resident, "2026-W47") == (2, 1, "missed")
    assert result(resident, "2026-W47").closed_at == at("2026-11-23T01:00+08:00")


def test_a_refresh_after_a_long_outage_closes_every_period_left_open(
    zone, api, admin, ward_a, worker_a, resident
):
    """The scheduler was down over a week's end and a month's: the next refresh closes both,
    once, and every row of each."""
    zone("Asia/Shanghai")
    set_policies(api, admin, care_levels=[("home", 1, "month")])
    at_home = add_resident(api, admin, ward_a, care_level="home", admitted_on="2026-01-05")
    refresh("2026-11-20T12:00+08:00")  # W47, and November for the monthly rule

    assert refresh("2026-12-02T12:00+08:00")["closed"] == ["2026-11", "2026-W47"]
    assert refresh("2026-12-02T12:15+08:00")["closed"] == []
    assert summary(resident, "2026-W47") == (2, 0, "missed")
    assert summary(at_home, "2026-11") == (1, 0, "missed")
    assert result(resident, "2026-W47").closed_at == at("2026-12-02T12:00+08:00")
    assert result(at_home, "2026-11").closed_at == at("2026-12-02T12:00+08:00")


def test_daylight_saving_end_in_berlin_keeps_sunday_one_day(zone, api, worker_a, resident):
    zone("Europe/Berlin")
    sync_visit(api, worker_a, resident, "2026-10-25T00:30:00+02:00")  # Sunday, summer time
    sync_visit(api, worker_a, resident, "2026-10-25T23:30:00+01:00")  # Sunday, winter time
    sync_visit(api, worker_a, resident, "2026-10-26T00:30:00+01:00")  # Monday, W44
    refresh("2026-10-25T20:00+01:00")
    assert summary(resident, "2026-W43") == (2, 1, "missed")  # Sunday counted once
    refresh("2026-10-26T09:00+01:00")
    assert summary(resident, "2026-W44") == (2, 1, "on_track")


@pytest.mark.parametrize(
    ("visits", "voided", "at", "expected"),
    [
        # two visits the same day count once; Sunday is the only day left for the second
        (
            ["2026-11-17T09:00+08:00", "2026-11-17T15:00+08:00"],
            [],
            "2026-11-22T08:00+08:00",
            (2, 1, "at_risk"),
        ),
        # a voided visit does not count
        (
            ["2026-11-17T09:00+08:00", "2026-11-19T09:00+08:00"],
            [1],
            "2026-11-20T08:00+08:00",
            (2, 1, "on_track"),
        ),
        (
            ["2026-11-17T09:00+08:00", "2026-11-19T09:00+08:00"],
            [],
            "2026-11-20T08:00+08:00",
            (2, 2, "met"),
        ),
        # nothing by Saturday: two days left for two rounds
        ([], [], "2026-11-21T08:00+08:00", (2, 0, "at_risk")),
        # nothing by Sunday: it cannot be met any more
        ([], [], "2026-11-22T08:00+08:00", (2, 0, "missed")),
        # visited on Sunday once: the day is counted, so the second round has no day left
        (["2026-11-22T09:00+08:00"], [], "2026-11-22T10:00+08:00", (2, 1, "missed")),
    ],
)
def test_counting_rules(zone, api, worker_a, supervisor_a, resident, visits, voided, at, expected):
    zone("Asia/Shanghai")
    ids = [sync_visit(api, worker_a, resident, when) for when in visits]
    for index in voided:
        void(api, supervisor_a, ids[index])
    refresh(at)
    assert summary(resident, "2026-W47") == expected


def test_a_void_after_a_refresh_is_seen_by_the_next(zone, api, worker_a, supervisor_a, resident):
    zone("Asia/Shanghai")
    first = sync_visit(api, worker_a, resident, "2026-11-16T09:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-17T09:00+08:00")
    refresh("2026-11-18T08:00+08:00")
    assert summary(resident, "2026-W47") == (2, 2, "met")
    void(api, supervisor_a, first)
    refresh("2026-11-18T08:15+08:00")
    assert summary(resident, "2026-W47") == (2, 1, "on_track")


def test_admitted_on_friday_needs_a_share(zone, api, admin, worker_a, ward_a):
    zone("Asia/Shanghai")
    newcomer = add_resident(api, admin, ward_a, name="张建国", admitted_on="2026-11-20")
    refresh("2026-11-20T09:00+08:00")
    assert summary(newcomer, "2026-W47") == (1, 0, "on_track")  # ceil(2 x 3 / 7)
    refresh("2026-11-22T09:00+08:00")
    assert summary(newcomer, "2026-W47") == (1, 0, "at_risk")
    sync_visit(api, worker_a, newcomer, "2026-11-22T10:00+08:00")
    refresh("2026-11-22T10:15+08:00")
    assert summary(newcomer, "2026-W47") == (1, 1, "met")
    assert open_alerts(newcomer) == []


def test_discharged_on_tuesday_is_judged_on_two_days(zone, api, admin, worker_a, resident):
    zone("Asia/Shanghai")
    refresh("2026-11-16T09:00+08:00")
    assert summary(resident, "2026-W47") == (2, 0, "on_track")
    sync_visit(api, worker_a, resident, "2026-11-16T10:00+08:00")
    answer = api.patch(
        f"/residents/{resident['id']}",
        as_=admin,
        json={"status": "discharged", "status_since": "2026-11-17"},
    )
    assert answer.status_code == 200
    refresh("2026-11-18T09:00+08:00")
    assert summary(resident, "2026-W47") == (1, 1, "met")  # ceil(2 x 2 / 7)
    refresh("2026-11-25T09:00+08:00")
    assert summary(resident, "2026-W48") is None  # not in care that week


def test_late_visit_for_a_closed_week_turns_it_met_and_resolves_the_alert(
    zone, api, worker_a, resident
):
    zone("Asia/Shanghai")
    sync_visit(api, worker_a, resident, "2026-11-10T09:00+08:00")
    refresh("2026-11-13T09:00+08:00")
    refresh("2026-11-16T09:00+08:00")  # a new week: the refresh closes W46
    assert summary(resident, "2026-W46") == (2, 1, "missed")
    assert open_alerts(resident) == [("missed", "2026-W46")]
    # The phone was offline for a week; its Thursday visit arrives now.
    sync_visit(api, worker_a, resident, "2026-11-12T09:00+08:00")
    refresh("2026-11-16T09:15+08:00")
    assert summary(resident, "2026-W46") == (2, 2, "met")
    assert open_alerts(resident) == []


def test_a_late_visit_synced_before_a_full_pass_still_changes_the_closed_week(
    zone, api, worker_a, resident
):
    """The close job closed W47 at 00:10; a phone offline for days syncs before the first
    refresh of W48, which judges every resident of the new week."""
    zone("Asia/Shanghai")
    refresh("2026-11-21T09:00+08:00")
    coverage.close_period("2026-W47", at("2026-11-23T00:10+08:00"))
    assert summary(resident, "2026-W47") == (2, 0, "missed")
    sync_visit(api, worker_a, resident, "2026-11-19T09:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-20T09:00+08:00")
    assert refresh("2026-11-23T00:15+08:00")["full"] is True
    assert summary(resident, "2026-W47") == (2, 2, "met")
    assert result(resident, "2026-W48").last_visit_at == at("2026-11-20T09:00+08:00")
    assert open_alerts(resident) == []


def test_care_level_and_resident_overrides(zone, api, admin, ward_a):
    zone("Asia/Shanghai")
    set_policies(api, admin, care_levels=[("full_care", 3, "week")])
    full_care = add_resident(
        api, admin, ward_a, name="刘淑珍", care_level="full_care", admitted_on="2026-01-05"
    )
    overridden = add_resident(
        api, admin, ward_a, name="陈志明", care_level="full_care", admitted_on="2026-01-05"
    )
    plain = add_resident(api, admin, ward_a, name="杨德福", admitted_on="2026-01-05")
    set_policies(
        api,
        admin,
        care_levels=[("full_care", 3, "week")],
        residents=[(overridden["id"], 1, "week")],
    )
    refresh("2026-11-16T09:00+08:00")
    assert summary(full_care, "2026-W47") == (3, 0, "on_track")
    assert summary(overridden, "2026-W47") == (1, 0, "on_track")
    assert summary(plain, "2026-W47") == (2, 0, "on_track")
    refresh("2026-11-20T09:00+08:00")  # Friday: three days left for three rounds
    assert summary(full_care, "2026-W47") == (3, 0, "at_risk")
    assert summary(plain, "2026-W47") == (2, 0, "on_track")


def test_monthly_policy_for_home_visits(zone, api, admin, worker_a, ward_a):
    zone("Asia/Shanghai")
    set_policies(api, admin, care_levels=[("home", 1, "month")])
    client = add_resident(
        api, admin, ward_a, name="周长生", care_level="home", admitted_on="2026-01-05"
    )
    refresh("2026-11-10T09:00+08:00")
    assert summary(client, "2026-11") == (1, 0, "on_track")
    assert summary(client, "2026-W46") is None
    refresh("2026-11-30T09:00+08:00")
    assert summary(client, "2026-11") == (1, 0, "at_risk")
    sync_visit(api, worker_a, client, "2026-11-05T09:00+08:00")
    refresh("2026-11-30T09:15+08:00")
    assert summary(client, "2026-11") == (1, 1, "met")


def test_a_changed_rule_moves_a_resident_between_week_and_month(zone, api, admin, resident):
    zone("Asia/Shanghai")
    refresh("2026-11-17T09:00+08:00")
    assert summary(resident, "2026-W47") == (2, 0, "on_track")
    set_policies(api, admin, residents=[(resident["id"], 2, "month")])
    refresh("2026-11-17T09:15+08:00")
    assert summary(resident, "2026-W47") is None
    assert summary(resident, "2026-11") == (2, 0, "on_track")


def test_only_the_first_refresh_of_a_day_looks_for_rows_due_to_turn(zone, app, resident):
    zone("Asia/Shanghai")

    def due_lookups(when: str) -> int:
        with statements_run() as statements:
            refresh(when)
        return sum("due_on <=" in statement for statement in statements)

    assert due_lookups("2026-11-20T09:00+08:00") == 0  # the first run: a full pass
    assert result(resident, "2026-W47").status == "on_track"
    assert due_lookups("2026-11-21T00:05+08:00") > 0  # Saturday: 2 needed, 2 days left
    assert result(resident, "2026-W47").status == "at_risk"
    assert due_lookups("2026-11-21T00:20+08:00") == 0
    assert due_lookups("2026-11-22T00:05+08:00") > 0
    assert result(resident, "2026-W47").status == "missed"


def test_the_morning_turn_leaves_a_resident_with_a_new_visit_to_the_exact_count(
    zone, api, worker_a, resident
):
    """Saturday 00:05: from the stored row alone (no visit yet, 2 needed, 2 days left) the
    resident would turn at risk. A visit of Friday evening synced since counts first: they
    stay on track, and no alert is raised and resolved within the refresh."""
    zone("Asia/Shanghai")
    refresh("2026-11-20T12:00+08:00")
    assert summary(resident, "2026-W47") == (2, 0, "on_track")
    sync_visit(api, worker_a, resident, "2026-11-20T20:00+08:00")
    answer = refresh("2026-11-21T00:05+08:00")
    assert summary(resident, "2026-W47") == (2, 1, "on_track")
    assert answer["status_changes"] == 0
    assert (
        db.session.scalars(
            select(Alert.key).where(Alert.resident_id == uuid.UUID(resident["id"]))
        ).all()
        == []
    )


def test_a_midnight_turn_larger_than_one_refresh_goes_on_in_the_next(
    zone, monkeypatch, api, worker_a, five_by_id
):
    """Two due rows a refresh: Saturday's turn of four residents takes two refreshes, in id
    order, each status turned and alerted once; a new visit is counted at once all the same."""
    zone("Asia/Shanghai")
    monkeypatch.setattr(coverage.passes, "DUE_ROWS_PER_REFRESH", 2)
    residents = five_by_id
    refresh("2026-11-20T12:00+08:00")
    sync_visit(api, worker_a, residents[4], "2026-11-20T20:00+08:00")

    def statuses() -> list[str]:
        return [result(r, "2026-W47").status for r in residents]

    def turns(when: str) -> tuple[bool, int]:
        """Whether the refresh looked for due rows, and how many statuses changed."""
        with statements_run() as statements:
            answer = refresh(when)
        return any("due_on <=" in s for s in statements), answer["status_changes"]

    assert turns("2026-11-21T00:05+08:00") == (True, 2)
    assert statuses() == ["at_risk", "at_risk", "on_track", "on_track", "on_track"]
    assert summary(residents[4], "2026-W47") == (2, 1, "on_track")
    assert turns("2026-11-21T00:20+08:00") == (True, 2)
    assert statuses() == ["at_risk"] * 4 + ["on_track"]
    assert turns("2026-11-21T00:35+08:00") == (False, 0)
    raised = db.session.scalars(select(Alert.resident_id).where(Alert.kind == "at_risk"))
    assert sorted(raised, key=str) == sorted((uuid.UUID(r["id"]) for r in residents[:4]), key=str)


def test_a_full_pass_larger_than_one_refresh_goes_on_in_the_next(
    zone, monkeypatch, api, worker_a, five_by_id
):
    """Two residents a refresh: the first run of an install judges five in three refreshes,
    in id order; a resident with a new visit is judged at once all the same."""
    zone("Asia/Shanghai")
    monkeypatch.setattr(coverage.passes, "FULL_PASS_SLICE", 2)
    assert refresh("2026-11-18T12:00+08:00")["full"] is True
    assert judged_in("2026-W47", five_by_id) == [2, 2, None, None, None]
    sync_visit(api, worker_a, five_by_id[4], "2026-11-18T12:30+08:00")
    assert refresh("2026-11-18T12:45+08:00")["full"] is True
    assert judged_in("2026-W47", five_by_id) == [2, 2, 2, 2, 2]
    assert summary(five_by_id[4], "2026-W47") == (2, 1, "on_track")
    assert refresh("2026-11-18T13:00+08:00")["full"] is True  # the last slice: one left
    assert refresh("2026-11-18T13:15+08:00")["full"] is False
    assert kept_counts() == counts_of_the_stored_results()


def test_a_policy_change_during_a_full_pass_starts_it_over(
    zone, monkeypatch, api, admin, five_by_id
):
    zone("Asia/Shanghai")
    monkeypatch.setattr(coverage.passes, "FULL_PASS_SLICE", 2)
    monkeypatch.setattr(coverage.policies, "FEW_MOVED", 1)
    refresh("2026-11-18T12:00+08:00")
    refresh("2026-11-18T12:15+08:00")
    assert judged_in("2026-W47", five_by_id) == [2, 2, 2, 2, None]
    set_policies(api, admin, default=(3, "week"))
    refresh("2026-11-18T12:30+08:00")
    assert judged_in("2026-W47", five_by_id) == [3, 3, 2, 2, None]
    refresh("2026-11-18T12:45+08:00")
    refresh("2026-11-18T13:00+08:00")
    assert judged_in("2026-W47", five_by_id) == [3, 3, 3, 3, 3]
    assert refresh("2026-11-18T13:15+08:00")["full"] is False


def test_a_full_pass_under_way_when_the_week_ends_starts_over_for_the_new_week(
    zone, monkeypatch, five_by_id
):
    zone("Asia/Shanghai")
    monkeypatch.setattr(coverage.passes, "FULL_PASS_SLICE", 2)
    refresh("2026-11-22T23:30+08:00")
    refresh("2026-11-22T23:45+08:00")
    refresh("2026-11-23T00:05+08:00")  # Monday: a new week, from the first resident again
    assert judged_in("2026-W48", five_by_id) == [2, 2, None, None, None]
    refresh("2026-11-23T00:20+08:00")
    refresh("2026-11-23T00:35+08:00")
    assert judged_in("2026-W48", five_by_id) == [2, 2, 2, 2, 2]
    assert refresh("2026-11-23T00:50+08:00")["full"] is False


def test_the_refresh_command_goes_on_until_a_full_pass_is_done(app, zone, monkeypatch, five_by_id):
    """By hand, one command does what the scheduler spreads over a quarter hour each: three
    slices, then one refresh that looks for the rows due today."""
    zone("Asia/Shanghai")
    monkeypatch.setattr(coverage.passes, "FULL_PASS_SLICE", 2)
    output = app.test_cli_runner().invoke(
        args=["coverage", "refresh", "--at", "2026-11-18T12:00+08:00"]
    )
    assert output.exit_code == 0, output.output
    assert output.output.count("refresh ok") == 4
    assert judged_in("2026-W47", five_by_id) == [2, 2, 2, 2, 2]


def test_a_month_that_ends_during_a_full_pass_is_judged_for_every_resident(
    zone, monkeypatch, api, admin, ward_a
):
    """The first run of an install starts on the last evening of November and reaches only
    weekly residents before midnight; the November results of the monthly ones are still
    written, though no open November row shows that month to the close."""
    zone("Asia/Shanghai")
    monkeypatch.setattr(coverage.passes, "FULL_PASS_SLICE", 2)
    set_policies(api, admin, care_levels=[("home", 1, "month")])
    made = sorted(
        (
            add_resident(api, admin, ward_a, name=f"R{n}", admitted_on="2026-01-05")
            for n in range(5)
        ),
        key=lambda r: uuid.UUID(r["id"]),
    )
    for resident in made[2:]:
        answer = api.patch(f"/residents/{resident['id']}", json={"care_level": "home"}, as_=admin)
        assert answer.status_code == 200, answer.json
    refresh("2026-11-30T23:40+08:00")  # judges the two weekly residents only
    assert [summary(r, "2026-11") for r in made] == [None] * 5
    coverage.close_due_periods(at("2026-12-01T00:05+08:00"))
    assert [summary(r, "2026-11") for r in made[2:]] == [(1, 0, "missed")] * 3
