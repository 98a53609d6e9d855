"""Alerts: raised once, resolved when their condition ends, seen and acknowledged by supervisors."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import String, Uuid, func, literal, select, update

from server.alerts.raised import apply_coverage_changes_sql
from server.alerts.unsynced import check_unsynced
from server.models import Alert, Device, utcnow
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import open_alerts, refresh, sync_visit, void


@pytest.fixture
def resident(app, api, admin, ward_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    return add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")


def count_alerts() -> int:
    return db.session.scalar(select(func.count()).select_from(Alert))


def test_at_risk_is_raised_once_and_resolved_by_the_visit(api, worker_a, resident):
    refresh("2026-11-21T08:00+08:00")
    refresh("2026-11-21T08:15+08:00")
    refresh("2026-11-21T12:00+08:00")
    assert open_alerts(resident) == [("at_risk", "2026-W47")]
    assert count_alerts() == 1
    sync_visit(api, worker_a, resident, "2026-11-21T13:00+08:00")
    refresh("2026-11-21T13:15+08:00")
    assert open_alerts(resident) == [("at_risk", "2026-W47")]  # one more needed, one day left
    sync_visit(api, worker_a, resident, "2026-11-22T09:00+08:00")
    refresh("2026-11-22T09:15+08:00")
    assert open_alerts(resident) == []
    assert count_alerts() == 1


def test_an_alert_whose_condition_returns_is_reopened_not_duplicated(
    api, worker_a, supervisor_a, resident
):
    refresh("2026-11-21T08:00+08:00")
    [raised] = api.get("/alerts", as_=supervisor_a).json["items"]
    assert (
        api.post(
            f"/alerts/{raised['id']}/ack", json={"note": "周六上午去"}, as_=supervisor_a
        ).status_code
        == 200
    )
    late = sync_visit(api, worker_a, resident, "2026-11-20T10:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-21T09:00+08:00")
    refresh("2026-11-21T09:15+08:00")
    assert open_alerts(resident) == []  # met
    void(api, supervisor_a, late)
    refresh("2026-11-21T10:15+08:00")
    assert open_alerts(resident) == [("at_risk", "2026-W47")]
    [reopened] = api.get("/alerts", as_=supervisor_a).json["items"]
    assert reopened["id"] == raised["id"] and count_alerts() == 1
    assert (reopened["resolved_at"], reopened["acked_at"], reopened["ack_note"]) == (
        None,
        None,
        None,
    )
    assert reopened["raised_at"] > raised["raised_at"]


def test_status_changes_held_in_the_database_reopen_and_resolve_alerts(app, resident):
    resident_id, unit_id = uuid.UUID(resident["id"]), uuid.UUID(resident["unit_id"])

    def apply_in_sql(before, after, at):
        changes = select(
            literal(resident_id, Uuid).label("resident_id"),
            literal(unit_id, Uuid).label("unit_id"),
            literal("2026-W47").label("period"),
            literal(before, String).label("before"),
            literal(after, String).label("after"),
        ).subquery("changes")
        apply_coverage_changes_sql(changes, at)

    first = utcnow()
    apply_in_sql("on_track", "at_risk", first)
    apply_in_sql("on_track", "at_risk", first + timedelta(minutes=1))  # open: left alone
    assert open_alerts(resident) == [("at_risk", "2026-W47")]
    apply_in_sql("at_risk", "on_track", first + timedelta(minutes=2))
    assert open_alerts(resident) == []
    apply_in_sql("on_track", "at_risk", first + timedelta(minutes=3))
    assert open_alerts(resident) == [("at_risk", "2026-W47")] and count_alerts() == 1
    assert db.session.scalar(select(Alert.raised_at)) == first + timedelta(minutes=3)


def test_missed_when_the_week_closes_short(app, api, worker_a, resident):
    refresh("2026-11-21T08:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-21T09:00+08:00")
    result = app.test_cli_runner().invoke(
        args=["coverage", "close", "--week", "2026-W47", "--at", "2026-11-23T00:10:00+08:00"]
    )
    assert result.exit_code == 0, result.output
    assert open_alerts(resident) == [("missed", "2026-W47")]
    again = app.test_cli_runner().invoke(
        args=["coverage", "close", "--week", "2026-W47", "--at", "2026-11-23T00:20:00+08:00"]
    )
    assert again.exit_code == 0
    assert count_alerts() == 2  # the resolved at_risk and the missed, never a second missed


def test_closing_a_week_that_has_not_ended_fails_cleanly(app):
    result = app.test_cli_runner().invoke(
        args=["coverage", "close", "--week", "2026-W47", "--at", "2026-11-20T10:00:00+08:00"]
    )
    assert result.exit_code == 1
    assert "has not ended" in result.output


def _last_sync(person, when) -> None:
    db.session.execute(
        update(Device).where(Device.id == person.device_id).values(last_sync_at=when)
    )
    db.session.commit()


def test_unsynced_phone_of_a_worker_with_residents(app, api, worker_a, worker_b, resident):
    now = utcnow()
    _last_sync(worker_a, now - timedelta(days=4))
    _last_sync(worker_b, now - timedelta(days=9))  # ward B has no residents
    check_unsynced(now)
    check_unsynced(now + timedelta(hours=1))
    rows = db.session.scalars(select(Alert)).all()
    assert [(a.kind, a.worker_id) for a in rows] == [("unsynced", worker_a.user.id)]
    _last_sync(worker_a, now)
    check_unsynced(now + timedelta(hours=2))
    assert open_alerts() == []


def test_the_unsynced_limit_is_a_setting(app, worker_a, resident):
    app.config["UNSYNCED_DAYS"] = 7
    _last_sync(worker_a, utcnow() - timedelta(days=4))
    assert check_unsynced()["open"] == 0


def test_an_expired_phone_raises_no_unsynced_alert(app, worker_a, resident):
    # Its token no longer opens the API: the worker must log in again, and the devices report
    # lists it as not active. A phone that is silent because it cannot sync is no alert.
    now = utcnow()
    _last_sync(worker_a, now - timedelta(days=5))
    db.session.execute(
        update(Device)
        .where(Device.id == worker_a.device_id)
        .values(expires_at=now - timedelta(days=1))
    )
    db.session.commit()
    assert check_unsynced(now)["open"] == 0
    assert open_alerts() == []


@pytest.fixture
def some_alerts(app, api, worker_a, resident, ward_b, admin):
    other = add_resident(api, admin, ward_b, name="Arthur Lee", admitted_on="2026-01-05")
    _last_sync(worker_a, utcnow() - timedelta(days=5))
    refresh("2026-11-21T08:00+08:00")
    check_unsynced()
    return other


def test_supervisors_list_alerts_of_their_units(
    api, supervisor_a, admin, worker_a, some_alerts, ward_a, ward_b
):
    mine = api.get("/alerts", as_=supervisor_a)
    assert mine.status_code == 200
    assert sorted(item["kind"] for item in mine.json["items"]) == ["at_risk", "unsynced"]
    at_risk = next(item for item in mine.json["items"] if item["kind"] == "at_risk")
    assert at_risk["resident_name"] == "王桂英" and at_risk["period"] == "2026-W47"
    assert api.get("/alerts?kind=unsynced", as_=supervisor_a).json["total"] == 1
    assert api.get("/alerts", as_=admin).json["total"] == 3
    assert api.get(f"/alerts?unit_id={ward_b.id}", as_=admin).json["total"] == 1
    assert api.get(f"/alerts?unit_id={ward_b.id}", as_=supervisor_a).status_code == 404
    assert api.get("/alerts?state=resolved", as_=admin).json["total"] == 0
    assert api.get("/alerts", as_=worker_a).status_code == 403


def test_acknowledge_with_a_note(api, supervisor_a, admin, some_alerts):
    other = api.get("/alerts?kind=at_risk", as_=admin).json["items"]
    theirs = next(item for item in other if item["resident_name"] == "Arthur Lee")
    assert (
        api.post(f"/alerts/{theirs['id']}/ack", json={"note": "x"}, as_=supervisor_a).status_code
        == 404
    )
    mine = api.get("/alerts?kind=at_risk", as_=supervisor_a).json["items"][0]
    answer = api.post(
        f"/alerts/{mine['id']}/ack", json={"note": "家属周六来探望"}, as_=supervisor_a
    )
    assert answer.status_code == 200
    assert answer.json["ack_note"] == "家属周六来探望" and answer.json["acked_at"]
    assert answer.json["resolved_at"] is None  # acknowledged is not resolved
    assert (
        api.post(
            f"/alerts/{mine['id']}/ack", json={"note": "x" * 1001}, as_=supervisor_a
        ).status_code
        == 422
    )
