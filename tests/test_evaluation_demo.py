"""The demo's evaluations: last year's of every office with its self score handed in, this
year's begun, both read back through the API."""

from __future__ import annotations

from sqlalchemy import select

from server.models import Evaluation, Organisation
from server.platform.clock import today_in
from server.platform.extensions import db
from tests.conftest import make_person


def test_the_demo_hands_in_last_years_self_score_for_each_office(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    year = today_in(app.config["TIMEZONE"]).year
    offices = set(db.session.scalars(select(Organisation.id).where(Organisation.kind == "office")))
    held = {(e.office_id, e.year) for e in db.session.scalars(select(Evaluation))}
    assert held == {(office, y) for office in offices for y in (year - 1, year)}
    reader = make_person(api, "eval.reader", "admin")
    listed = api.get(f"/evaluations?year={year - 1}", as_=reader).json["items"]
    assert {row["status"] for row in listed} == {"self"}
    assert all(row["totals"]["self"] is not None and row["grade"] for row in listed)
    begun = api.get(f"/evaluations?year={year}", as_=reader).json["items"]
    assert {row["status"] for row in begun} == {"open"}
