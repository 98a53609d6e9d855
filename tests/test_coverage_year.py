"""Yearly and every-N-days rules through the whole path: visits synced by a phone, the
refresh, the stored result, its alerts, the board and the phone's requirement."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from server import coverage
from server.coverage.evaluate import RESIDENT_COLUMNS
from server.models import Alert, Resident
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import (
    at,
    counts_of_the_stored_results,
    kept_counts,
    open_alerts,
    refresh,
    result,
    summary,
    sync_visit,
)
from tests.visitdata import sync_body


def put_rules(api, admin, default=None, residents=(), care_levels=()) -> None:
    """Replace the policies; each rule is a dict as the API takes it."""
    body = {
        "default": default or {"required": 2, "period": "week"},
        "care_levels": list(care_levels),
        "residents": [{"resident_id": rid, **rule} for rid, rule in residents],
    }
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 200, answer.json


SIX_A_YEAR = {"required": 6, "period": "year"}
EVERY_TEN_DAYS = {"period": "days", "every_days": 10}


@pytest.fixture(autouse=True)
def in_shanghai(app):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    app.config["CHECK_IN_HORIZON_DAYS"] = 800  # visits of a whole year, synced now


@pytest.fixture
def resident(api, admin, ward_a):
    return add_resident(api, admin, ward_a, name="王桂英", admitted_on="2025-03-01")


def test_a_yearly_rule_is_at_risk_in_the_autumn_before_the_year_is_lost(
    api, admin, worker_a, resident
):
    put_rules(api, admin, residents=[(resident["id"], SIX_A_YEAR)])
    sync_visit(api, worker_a, resident, "2026-01-05T09:00+08:00")
    sync_visit(api, worker_a, resident, "2026-02-09T09:00+08:00")
    refresh("2026-04-20T09:00+08:00")
    assert summary(resident, "2026") == (6, 2, "on_track")
    assert result(resident, "2026").due_on.isoformat() == "2026-05-03"
    assert summary(resident, "2026-W17") is None  # no weekly result for a yearly rule
    refresh("2026-05-03T09:00+08:00")  # the pace asks for a third: turned as a due row
    assert summary(resident, "2026") == (6, 2, "at_risk")
    refresh("2026-10-01T09:00+08:00")
    assert summary(resident, "2026") == (6, 2, "at_risk")
    assert open_alerts(resident) == [("at_risk", "2026")]
    assert kept_counts() == counts_of_the_stored_results()

    for day in ("2026-09-01", "2026-09-08", "2026-09-15"):
        sync_visit(api, worker_a, resident, f"{day}T09:00+08:00")
    refresh("2026-10-01T09:15+08:00")
    assert summary(resident, "2026") == (6, 5, "on_track")  # caught up with the pace
    assert open_alerts(resident) == []


def test_a_yearly_rule_short_at_the_years_end_is_missed_and_the_next_year_starts(
    api, admin, worker_a, resident
):
    put_rules(api, admin, residents=[(resident["id"], SIX_A_YEAR)])
    sync_visit(api, worker_a, resident, "2026-03-05T09:00+08:00")
    refresh("2026-12-20T09:00+08:00")
    assert summary(resident, "2026") == (6, 1, "at_risk")
    refresh("2026-12-28T09:00+08:00")  # 4 days left for 5 visits
    assert summary(resident, "2026") == (6, 1, "missed")
    refresh("2027-01-01T02:00+08:00")
    assert result(resident, "2026").closed_at is not None
    assert summary(resident, "2026") == (6, 1, "missed")
    assert summary(resident, "2027") == (6, 0, "on_track")
    assert ("missed", "2026") in open_alerts(resident)


def test_a_resident_admitted_mid_year_owes_a_share_of_the_year(api, admin, ward_a, worker_a):
    put_rules(api, admin, default=SIX_A_YEAR)
    newcomer = add_resident(api, admin, ward_a, name="张建国", admitted_on="2026-07-01")
    refresh("2026-07-10T09:00+08:00")
    assert summary(newcomer, "2026") == (4, 0, "at_risk")  # ceil(6 x 184 / 365), none yet
    sync_visit(api, worker_a, newcomer, "2026-07-10T10:00+08:00")
    refresh("2026-07-10T10:15+08:00")
    assert summary(newcomer, "2026") == (4, 1, "on_track")
    assert result(newcomer, "2026").active_days == 184


def test_a_discharge_mid_year_judges_the_year_on_the_days_in_care(api, admin, worker_a, resident):
    put_rules(api, admin, default=SIX_A_YEAR)
    sync_visit(api, worker_a, resident, "2026-01-10T09:00+08:00")
    answer = api.patch(
        f"/residents/{resident['id']}",
        as_=admin,
        json={"status": "discharged", "status_since": "2026-03-31"},
    )
    assert answer.status_code == 200
    refresh("2026-04-02T09:00+08:00")
    assert summary(resident, "2026") == (2, 1, "missed")  # ceil(6 x 90 / 365) = 2
    assert result(resident, "2026").active_days == 90


def test_a_rule_changed_from_week_to_year_drops_the_weeks_row(api, admin, resident):
    refresh("2026-11-17T09:00+08:00")
    assert summary(resident, "2026-W47") == (2, 0, "on_track")
    put_rules(api, admin, residents=[(resident["id"], SIX_A_YEAR)])
    refresh("2026-11-17T09:15+08:00")
    assert summary(resident, "2026-W47") is None
    assert summary(resident, "2026") == (6, 0, "at_risk")
    put_rules(api, admin)
    refresh("2026-11-17T09:30+08:00")
    assert summary(resident, "2026") is None
    assert summary(resident, "2026-W47") == (2, 0, "on_track")


def test_a_visit_every_ten_days_turns_at_risk_then_missed_and_a_visit_starts_a_new_gap(
    api, admin, worker_a, resident
):
    put_rules(api, admin, residents=[(resident["id"], EVERY_TEN_DAYS)])
    sync_visit(api, worker_a, resident, "2026-10-01T09:00+08:00")
    refresh("2026-10-05T09:00+08:00")
    gap = result(resident, "days")
    assert (gap.status, gap.period_start.isoformat(), gap.period_end.isoformat()) == (
        "met",
        "2026-10-01",
        "2026-10-11",
    )
    assert summary(resident, "2026-W41") is None
    refresh("2026-10-10T09:00+08:00")
    assert result(resident, "days").status == "at_risk"
    assert open_alerts(resident) == [("at_risk", "2026-10-11")]  # a gap's alert: its last day
    refresh("2026-10-14T09:00+08:00")
    assert result(resident, "days").status == "missed"
    assert open_alerts(resident) == [("missed", "2026-10-11")]
    assert kept_counts() == counts_of_the_stored_results()

    sync_visit(api, worker_a, resident, "2026-10-14T10:00+08:00")
    refresh("2026-10-14T10:15+08:00")
    gap = result(resident, "days")
    assert (gap.status, gap.period_end.isoformat()) == ("met", "2026-10-24")
    assert open_alerts(resident) == []
    # The missed gap stays in the inbox, resolved, under its own day.
    kept = db.session.execute(
        select(Alert.kind, Alert.period).where(Alert.resident_id == uuid.UUID(resident["id"]))
    ).all()
    assert sorted(kept) == [("at_risk", "2026-10-11"), ("missed", "2026-10-11")]

    # The next gap missed is an alert of its own.
    refresh("2026-10-25T09:00+08:00")
    assert open_alerts(resident) == [("missed", "2026-10-24")]


def test_a_new_resident_never_visited_counts_the_gap_from_the_admission(api, admin, ward_a):
    put_rules(api, admin, default=EVERY_TEN_DAYS)
    newcomer = add_resident(api, admin, ward_a, name="周长生", admitted_on="2026-10-01")
    refresh("2026-10-03T09:00+08:00")
    gap = result(newcomer, "days")
    assert (gap.status, gap.days_visited, gap.period_end.isoformat()) == ("met", 0, "2026-10-11")


def test_a_gap_rule_changed_or_a_resident_discharged_leaves_no_gap_row(api, admin, resident):
    put_rules(api, admin, residents=[(resident["id"], EVERY_TEN_DAYS)])
    refresh("2026-11-17T09:00+08:00")
    assert result(resident, "days").status == "missed"  # never visited since March 2025
    put_rules(api, admin)
    refresh("2026-11-17T09:15+08:00")
    assert result(resident, "days") is None
    assert summary(resident, "2026-W47") == (2, 0, "on_track")
    assert open_alerts(resident) == []

    put_rules(api, admin, residents=[(resident["id"], EVERY_TEN_DAYS)])
    refresh("2026-11-17T09:30+08:00")
    assert result(resident, "days") is not None
    answer = api.patch(
        f"/residents/{resident['id']}",
        as_=admin,
        json={"status": "discharged", "status_since": "2026-11-17"},
    )
    assert answer.status_code == 200
    refresh("2026-11-18T09:00+08:00")
    assert result(resident, "days") is None


def test_the_recent_pass_judges_the_year_and_the_gap_of_a_synced_resident(
    api, admin, ward_a, worker_a, resident
):
    from server.coverage.recent import refresh_recent

    gapped = add_resident(api, admin, ward_a, name="陈志明", admitted_on="2025-03-01")
    put_rules(api, admin, residents=[(resident["id"], SIX_A_YEAR), (gapped["id"], EVERY_TEN_DAYS)])
    refresh("2026-10-01T09:00+08:00")
    assert summary(resident, "2026") == (6, 0, "at_risk")
    assert result(gapped, "days").status == "missed"
    for day in ("2026-09-01", "2026-09-08", "2026-09-15", "2026-09-22", "2026-09-29"):
        sync_visit(api, worker_a, resident, f"{day}T09:00+08:00")
    sync_visit(api, worker_a, gapped, "2026-10-01T09:30+08:00")
    refresh_recent(at("2026-10-01T09:31+08:00"))
    db.session.commit()
    assert summary(resident, "2026") == (6, 5, "on_track")
    assert result(gapped, "days").status == "met"
    assert open_alerts() == []
    assert kept_counts() == counts_of_the_stored_results()


def test_the_phone_shows_a_year_so_far_and_when_the_next_visit_is_due(
    api, admin, ward_a, worker_a, resident
):
    gapped = add_resident(api, admin, ward_a, name="陈志明", admitted_on="2025-03-01")
    put_rules(api, admin, residents=[(resident["id"], SIX_A_YEAR), (gapped["id"], EVERY_TEN_DAYS)])
    sync_visit(api, worker_a, resident, "2026-01-05T09:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-02T09:00+08:00")
    sync_visit(api, worker_a, gapped, "2026-11-12T09:00+08:00")
    ids = [uuid.UUID(resident["id"]), uuid.UUID(gapped["id"])]
    rows = db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(ids))).all()

    shown = coverage.roster_coverage(rows, date(2026, 11, 19))

    assert shown[ids[0]]["week"] == "2026"
    assert (shown[ids[0]]["required"], shown[ids[0]]["days_visited"]) == (6, 2)
    assert shown[ids[1]] == {
        "week": "days",
        "required": 1,
        "days_visited": 1,
        "every_days": 10,
        "due_by": "2026-11-22",
        "last_visit_at": at("2026-11-12T09:00+08:00"),
    }


def test_the_sync_answer_carries_the_gap_of_an_every_n_days_rule(
    api, admin, ward_a, worker_a, resident
):
    put_rules(api, admin, residents=[(resident["id"], EVERY_TEN_DAYS)])
    answer = api.post("/sync", json=sync_body([]), as_=worker_a)
    assert answer.status_code == 200, answer.json
    shown = {entry["id"]: entry["coverage"] for entry in answer.json["residents"]}
    assert shown[resident["id"]]["week"] == "days"
    assert shown[resident["id"]]["every_days"] == 10
    date.fromisoformat(shown[resident["id"]]["due_by"])


def test_the_next_year_is_prepared_on_new_years_eve_and_starts_without_a_full_pass(
    api, admin, ward_a, worker_a, resident
):
    put_rules(api, admin, residents=[(resident["id"], SIX_A_YEAR)])
    refresh("2026-12-30T09:00+08:00")
    refresh("2026-12-31T09:00+08:00")  # the last day of the month and the year: prepared
    assert summary(resident, "2027") == (6, 0, "on_track")
    first = refresh("2027-01-01T00:05+08:00")
    assert first["full"] is False
    assert summary(resident, "2027") == (6, 0, "on_track")
    refresh("2027-01-01T01:15+08:00")  # an hour after the year ended: closed
    assert result(resident, "2026").closed_at is not None
    assert summary(resident, "2026") == (6, 0, "missed")
