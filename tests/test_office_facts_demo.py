"""The demo's offices: a staff list with its history and this year's annual plan on disk; the
first office meets the team rule, read through the facts API."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from server.models import OFFICE, OfficeDocument, Organisation
from server.platform.clock import today_in
from server.platform.extensions import db


def _login(api, username: str) -> dict:

    answer = api.post(
        "/auth/login",
        json={
            "username": username,
            "password": "rounds-demo",
            "device": {"id": str(uuid.uuid4()), "name": "test"},
        },
    )
    assert answer.status_code == 200, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


def test_the_demo_office_has_its_team_and_plan(app, api, client):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    first = db.session.scalars(
        select(Organisation).where(Organisation.kind == OFFICE).order_by(Organisation.created_at)
    ).first()
    year = today_in(app.config["TIMEZONE"]).year
    headers = _login(api, "admin")
    facts = client.get(f"/api/v1/offices/{first.id}/facts?year={year}", headers=headers).json
    assert facts["team"]["rule"]["met"] is True
    assert facts["team"]["head_qualified"] is True
    [plan] = facts["plan"]["annual_plans"]
    stored = db.session.get(OfficeDocument, uuid.UUID(plan["id"]))
    assert (Path(app.config["MEDIA_DIR"]) / stored.storage_key).is_file()
    last_year = client.get(f"/api/v1/offices/{first.id}/facts?year={year - 1}", headers=headers)
    assert len(last_year.json["team"]["heads"]) == 2  # the head changed last spring
