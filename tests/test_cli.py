"""The `rounds` commands."""

from datetime import timedelta

from sqlalchemy import func, select

from server.coverage import iso_week_label
from server.models import Resident, Unit, User
from server.people.users import user_by_username
from server.platform.clock import today_in
from server.platform.extensions import db


def test_users_create_prompts_for_a_hidden_password(app, ward_a):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Nurse.Li",
            "--role",
            "worker",
            "--unit",
            ward_a.name,
            "--display-name",
            "李护士",
        ],
        input="a good password\na good password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a good password" not in result.output
    user = user_by_username("nurse.li")
    assert user.display_name == "李护士" and user.unit_ids == [ward_a.id]


def test_users_create_refuses_an_unknown_unit(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "x.y",
            "--role",
            "worker",
            "--unit",
            "Nowhere",
            "--password",
            "12345678",
        ]
    )
    assert result.exit_code != 0
    assert "no unit named 'Nowhere'" in result.output


def test_demo_data_builds_the_bilingual_institution_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "worker1" in result.output and "rounds-demo" in result.output
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert count(Unit) == 7
    assert 110 <= count(Resident) <= 130
    roles = sorted(db.session.scalars(select(User.role)))
    assert roles.count("worker") == 6 and roles.count("supervisor") == 2 and "admin" in roles
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "nothing loaded" in again.output
    assert count(Resident) <= 130


def test_demo_logins_work(app, api):
    app.test_cli_runner().invoke(args=["demo-data"])
    device = {"id": "6f1c1f0e-8a3b-4f7e-9a51-0d5b8c7e2a11"}
    answer = api.post(
        "/auth/login", json={"username": "worker1", "password": "rounds-demo", "device": device}
    )
    assert answer.status_code == 200
    assert len(answer.json["user"]["units"]) == 2


def test_demo_visits_go_through_sync_and_fill_the_board(app, api):
    from server.models import Visit

    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    stored = db.session.scalar(select(func.count()).select_from(Visit))
    assert f"Recorded {stored} demo visits" in result.output
    assert stored > 150
    last_week = iso_week_label(today_in(app.config["TIMEZONE"]) - timedelta(days=7))
    closed = runner.invoke(args=["coverage", "close", "--week", last_week])
    assert closed.exit_code == 0, closed.output
    device = {"id": "6f1c1f0e-8a3b-4f7e-9a51-0d5b8c7e2a12"}
    token = api.post(
        "/auth/login", json={"username": "supervisor1", "password": "rounds-demo", "device": device}
    ).json["token"]
    board = api.get(
        f"/coverage?week={last_week}", headers={"Authorization": f"Bearer {token}"}
    ).json
    statuses = {row["status"] for row in board["residents"]}
    assert statuses == {"met", "missed"}  # most met their rounds, some fell behind


def test_the_demo_shows_weeks_of_real_work_on_every_office_screen(app, api):
    from server.models import Amendment, Visit

    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    device = {"id": "0c0ffee0-8a3b-4f7e-9a51-0d5b8c7e2a12"}
    token = api.post(
        "/auth/login", json={"username": "supervisor1", "password": "rounds-demo", "device": device}
    ).json["token"]
    auth = {"Authorization": f"Bearer {token}"}

    history = api.get("/coverage/history?weeks=8", headers=auth).json
    judged = {
        week["period"] for unit in history["units"] for week in unit["weeks"] if week["residents"]
    }
    assert len(judged) == 8  # seven finished weeks and this one

    alerts = api.get("/alerts?state=all&per_page=200", headers=auth).json["items"]
    assert {alert["acked_at"] is None for alert in alerts} == {True, False}
    followups = {
        status: api.get(f"/followups?status={status}", headers=auth).json["total"]
        for status in ("open", "handled")
    }
    assert followups["open"] > 0 and followups["handled"] > followups["open"]
    unsatisfied = api.get("/reports/satisfaction/unsatisfied", headers=auth).json["total"]
    assert unsatisfied > 0

    visits = db.session.scalars(select(Visit)).all()
    scanned = [visit.presence["token"] for visit in visits if visit.identified_by == "qr"]
    assert set(scanned) == {"current"}  # the labels were valid when they were scanned
    assert all(
        visit.presence["token"] is None for visit in visits if visit.identified_by == "manual"
    )
    assert any(visit.presence["distance_m"] is not None for visit in visits)
    assert db.session.scalar(select(func.count()).select_from(Amendment)) >= 2
