"""The demo city: its bureaus named, a second district with a care home of its own and its weeks
of rounds, a city and a district inspector, and the demo institution's own users as they were."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from server.demo.organisations import (
    CITY_NAME,
    DISTRICT_NAME,
    INSTITUTION_NAME,
    SECOND_DISTRICT,
    SECOND_OFFICE,
)
from server.models import Organisation, Resident, Unit, Visit
from server.platform.extensions import db
from tests.conftest import Api

DEMO_PASSWORD = "rounds-demo"


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    return result.output


def _login(api: Api, username: str) -> dict:
    answer = api.post(
        "/auth/login",
        json={
            "username": username,
            "password": DEMO_PASSWORD,
            "device": {"id": str(uuid.uuid4()), "name": "test"},
        },
    )
    assert answer.status_code == 200, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


def _names(api: Api, username: str, path: str) -> set[str]:
    answer = api.client.get(f"/api/v1{path}", headers=_login(api, username))
    assert answer.status_code == 200, answer.json
    return {item["name"] for item in answer.json}


def test_the_demo_city_has_two_districts_and_their_offices(demo):
    names = set(db.session.scalars(select(Organisation.name)))
    assert {CITY_NAME, DISTRICT_NAME, INSTITUTION_NAME, SECOND_DISTRICT, SECOND_OFFICE} <= names
    for username in ("inspector", "lucheng", "ouhai", "supervisor3", "worker7"):
        assert username in demo


def test_the_second_home_has_weeks_of_rounds_synced(demo):
    office = db.session.scalar(select(Organisation).where(Organisation.name == SECOND_OFFICE))
    units = list(db.session.scalars(select(Unit.id).where(Unit.office_id == office.id)))
    visits = db.session.scalar(
        select(func.count()).select_from(Visit).where(Visit.unit_id.in_(units))
    )
    residents = db.session.scalar(
        select(func.count()).select_from(Resident).where(Resident.unit_id.in_(units))
    )
    assert residents == 8 and visits >= residents * 3 * 7  # three a week, eight weeks


def test_each_inspector_sees_their_own_bureaus_offices(api, demo):
    city = _names(api, "inspector", "/organisations")
    assert {INSTITUTION_NAME, SECOND_OFFICE} <= city
    district = _names(api, "lucheng", "/organisations")
    assert INSTITUTION_NAME in district and SECOND_OFFICE not in district and CITY_NAME in district


def test_the_demo_institutions_users_see_what_they_saw(api, demo):
    units = _names(api, "supervisor1", "/units")
    assert all("Sunrise" in name for name in units)
    second = _names(api, "ouhai", "/units")
    assert second == {"瓯海一区 Ouhai F1"}
