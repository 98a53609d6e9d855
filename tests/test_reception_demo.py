"""The demo institution's reception days: a day a month for each supervisor's unit, past
months met, with the kinds of visitors the desk sees."""

from __future__ import annotations

from sqlalchemy import select

from server.coverage.periods import Period
from server.models import Reception, ReceptionDay
from server.platform.clock import today_in
from server.platform.extensions import db
from server.supervision.reception import DAY_FIELDS


def test_the_demo_holds_a_reception_day_each_past_month(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    days = list(db.session.scalars(select(ReceptionDay)))
    today = today_in(app.config["TIMEZONE"])
    last_month = Period.of("month", today).previous()
    assert any(last_month.start <= day.held_on <= last_month.end for day in days)
    assert all(day.held_on <= today and day.unit_id is not None for day in days)
    kinds = {reception.visitor_kind for reception in db.session.scalars(select(Reception))}
    assert kinds == {"resident", "family", "public"}
    assert all(getattr(days[0], name) is not None for name in DAY_FIELDS if name != "unit_id")
