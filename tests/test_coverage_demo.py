"""The demo institution shows the yearly and every-N-days rules: a few home-visit clients on
each, judged by the next refresh and listed on the boards of those rules."""

from __future__ import annotations

from sqlalchemy import select

from server import coverage
from server.models import CoverageResult
from server.platform.extensions import db


def test_the_demo_has_clients_on_a_yearly_rule_and_on_a_visit_every_fortnight(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    rules = coverage.load_policies().residents.values()
    assert sorted((rule.period, rule.required, rule.every_days) for rule in rules) == [
        ("days", 1, 14),
        ("days", 1, 14),
        ("year", 6, None),
        ("year", 6, None),
    ]
    coverage.refresh()
    db.session.commit()
    periods = [row.period for row in db.session.scalars(select(CoverageResult))]
    assert periods.count("days") == 2
    assert sum(1 for label in periods if label.isdigit()) == 2
