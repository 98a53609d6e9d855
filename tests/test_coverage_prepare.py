"""On the last day of a week the refreshes prepare the next one, and Monday's stays incremental.

2026-11-22 is a Sunday (the last day of 2026-W47) in Asia/Shanghai; 2026-W48 starts on the 23rd.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from server.coverage import passes, policies, prepare
from server.models import CoverageResult, CoverageState
from server.platform.extensions import db
from server.reports import exports
from tests.conftest import add_resident
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
)


@pytest.fixture
def home(app, api, admin, ward_a):
    """Three residents of one ward; one needs a round every day (at risk from Monday on)."""
    app.config["TIMEZONE"] = "Asia/Shanghai"
    residents = {
        name: add_resident(api, admin, ward_a, name=name, admitted_on="2026-01-05")
        for name in ("王桂英", "李秀英", "张建国")
    }
    set_policies(api, admin, residents=[(residents["张建国"]["id"], 7, "week")])
    refresh("2026-11-21T09:00+08:00")  # Saturday: nothing to prepare yet
    return residents


def stored_results() -> dict:
    db.session.expire_all()
    return {
        (r.resident_id, r.period): (
            r.required,
            r.active_days,
            r.days_visited,
            r.last_visit_at,
            r.status,
            r.due_on,
            r.closed_at,
        )
        for r in db.session.scalars(select(CoverageResult))
    }


def state() -> CoverageState:
    db.session.expire_all()
    return db.session.get(CoverageState, 1)


def test_sunday_prepares_the_next_week_without_alerts_or_counts(api, supervisor_a, home):
    assert summary(home["王桂英"], "2026-W48") is None
    assert refresh("2026-11-22T00:15+08:00")["prepared"] == 3
    assert summary(home["王桂英"], "2026-W48") == (2, 0, "on_track")
    assert summary(home["张建国"], "2026-W48") == (7, 0, "at_risk")
    assert state().prepared_periods == ["2026-W48"] and state().prepared_complete
    # Nobody is behind in a week that has not started: no alert, no counts, an empty board.
    assert open_alerts(home["张建国"]) == [("missed", "2026-W47")]
    assert not [key for key in kept_counts() if key[0] == "2026-W48"]
    board = api.get("/coverage?week=2026-W48", as_=supervisor_a).json
    assert board["residents"] == [] and board["units"][0]["residents"] == 0


def test_monday_takes_over_what_sunday_prepared_and_kept_up_to_date(
    api, admin, worker_a, supervisor_a, ward_a, home
):
    refresh("2026-11-22T00:15+08:00")
    # Sunday goes on after preparing: a visit, a discharge, an admission.
    sync_visit(api, worker_a, home["王桂英"], "2026-11-22T10:00+08:00")
    answer = api.patch(
        f"/residents/{home['李秀英']['id']}",
        as_=admin,
        json={"status": "discharged", "status_since": "2026-11-22"},
    )
    assert answer.status_code == 200
    newcomer = add_resident(api, admin, ward_a, name="陈志明", admitted_on="2026-11-22")
    # The three who changed are judged for next week too (the discharged one has no row).
    assert refresh("2026-11-22T10:15+08:00")["prepared"] == 2
    assert result(home["王桂英"], "2026-W48").last_visit_at == at("2026-11-22T10:00+08:00")
    assert summary(home["李秀英"], "2026-W48") is None
    assert summary(newcomer, "2026-W48") == (2, 0, "on_track")

    monday = refresh("2026-11-23T00:15+08:00")
    assert monday["full"] is False
    assert open_alerts(home["张建国"]) == [("at_risk", "2026-W48"), ("missed", "2026-W47")]
    assert state().prepared_periods == []
    board = api.get("/coverage?week=2026-W48", as_=supervisor_a).json
    assert board["units"][0]["residents"] == 3
    assert kept_counts() == counts_of_the_stored_results()

    # A full pass at the same instant finds nothing to change.
    prepared = stored_results()
    db.session.execute(update(CoverageState).values(periods=[]))
    db.session.commit()
    assert refresh("2026-11-23T00:15+08:00")["full"] is True
    assert stored_results() == prepared


def test_preparing_takes_slices_and_an_unfinished_one_leaves_monday_a_full_pass(monkeypatch, home):
    monkeypatch.setattr(prepare, "PREPARE_SLICE", 2)
    assert refresh("2026-11-22T00:15+08:00")["prepared"] == 2
    assert not state().prepared_complete
    prepared = [summary(resident, "2026-W48") for resident in home.values()]
    assert prepared.count(None) == 1
    assert refresh("2026-11-23T00:15+08:00")["full"] is True
    assert [summary(resident, "2026-W48") for resident in home.values()] == [
        (2, 0, "on_track"),
        (2, 0, "on_track"),
        (7, 0, "at_risk"),
    ]
    assert open_alerts(home["张建国"]) == [("at_risk", "2026-W48"), ("missed", "2026-W47")]


def test_the_last_slice_finishes_and_monday_stays_incremental(monkeypatch, home):
    monkeypatch.setattr(prepare, "PREPARE_SLICE", 2)
    refresh("2026-11-22T00:15+08:00")
    assert refresh("2026-11-22T00:30+08:00")["prepared"] == 1
    assert state().prepared_complete
    assert refresh("2026-11-23T00:15+08:00")["full"] is False


def test_a_busy_refresh_leaves_its_slice_to_the_next(monkeypatch, api, worker_a, home):
    monkeypatch.setattr(prepare, "BUSY", 2)
    monkeypatch.setattr(passes, "WATERMARK_OVERLAP", timedelta(0))  # visits read once
    sync_visit(api, worker_a, home["王桂英"], "2026-11-21T10:00+08:00")
    sync_visit(api, worker_a, home["李秀英"], "2026-11-21T10:00+08:00")
    busy = refresh("2026-11-22T00:15+08:00")
    assert busy["evaluated"] >= 2 and busy["prepared"] == 2  # only the two kept up to date
    assert not state().prepared_complete
    assert refresh("2026-11-22T00:30+08:00")["prepared"] == 3
    assert state().prepared_complete


def test_a_policy_changed_on_sunday_judges_the_residents_it_moved_again(api, admin, home):
    refresh("2026-11-22T00:15+08:00")
    set_policies(
        api, admin, residents=[(home["张建国"]["id"], 7, "week"), (home["李秀英"]["id"], 1, "week")]
    )
    assert refresh("2026-11-22T09:00+08:00")["full"] is False
    assert summary(home["李秀英"], "2026-W47") == (1, 0, "at_risk")  # none yet, Sunday left
    assert summary(home["李秀英"], "2026-W48") == (1, 0, "on_track")
    assert summary(home["王桂英"], "2026-W48") == (2, 0, "on_track")
    assert refresh("2026-11-23T00:15+08:00")["full"] is False
    assert summary(home["李秀英"], "2026-W48") == (1, 0, "on_track")


def test_a_policy_that_moves_many_on_sunday_prepares_the_week_again(monkeypatch, api, admin, home):
    monkeypatch.setattr(policies, "FEW_MOVED", 2)
    refresh("2026-11-22T00:15+08:00")
    set_policies(api, admin, default=(3, "week"))  # moves all three
    assert refresh("2026-11-22T09:00+08:00")["full"] is True  # starts preparing over
    assert summary(home["王桂英"], "2026-W48") is None
    assert refresh("2026-11-22T09:15+08:00")["prepared"] == 3
    assert summary(home["王桂英"], "2026-W48") == (3, 0, "on_track")
    assert summary(home["张建国"], "2026-W48") == (3, 0, "on_track")  # the override is gone
    assert refresh("2026-11-23T00:15+08:00")["full"] is False


def test_the_last_day_of_a_month_prepares_the_month(app, api, admin, ward_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    set_policies(api, admin, care_levels=[("home", 1, "month")])
    client = add_resident(
        api, admin, ward_a, name="周长生", care_level="home", admitted_on="2026-01-05"
    )
    refresh("2026-11-29T09:00+08:00")
    refresh("2026-11-30T09:00+08:00")  # Monday, a new week: a full pass, which prepares nothing
    assert refresh("2026-11-30T09:15+08:00")["prepared"] == 1
    assert summary(client, "2026-12") == (1, 0, "on_track")
    assert summary(client, "2026-W49") is None
    assert refresh("2026-12-01T00:15+08:00")["full"] is False


def test_the_coverage_export_leaves_out_a_week_not_started(monkeypatch, api, admin, home):
    refresh("2026-11-22T00:15+08:00")
    monkeypatch.setattr(exports, "today_in", lambda zone: date(2026, 11, 22))
    text = api.get("/exports/coverage.csv?from=2026-11-16&to=2026-11-29", as_=admin).text
    assert "2026-W47" in text and "2026-W48" not in text
