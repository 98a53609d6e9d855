"""The demo institution's supervision meetings: a month of them, tasks raised once, the rule
showing people who met it and one who did not (docs/meetings.md)."""

from __future__ import annotations

from sqlalchemy import select

from server.models import SupervisionMeeting, Task
from server.platform.extensions import db


def test_the_demo_holds_a_month_of_meetings(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    meetings = db.session.scalars(select(SupervisionMeeting)).all()
    assert {m.kind for m in meetings} == {"individual", "group"}
    assert all(len(m.participants) >= 2 for m in meetings if m.kind == "group")
    raised = db.session.scalars(select(Task).where(Task.source == "meeting")).all()
    assert len(raised) == 1 and raised[0].meeting_id in {m.id for m in meetings}
    login = api.post(
        "/auth/login",
        json={
            "username": "admin",
            "password": "rounds-demo",
            "device": {"id": "6b1c8a52-4d1e-4e35-9a4c-3b0c7d2e9f10", "name": "test"},
        },
    )
    assert login.status_code == 200, login.json
    headers = {"Authorization": f"Bearer {login.json['token']}"}
    seen = []
    for query in ({"month": _previous_month(app)}, {}):
        rule = api.get("/meetings/rule", headers=headers, query_string=query)
        assert rule.status_code == 200
        seen.append({p["user"]["display_name"]: p["status"] for p in rule.json["people"]})
    # Wu Hai took part in one meeting in all; Sun Li in three, two of them a fortnight apart.
    assert all(month["吴海 Wu Hai"] != "met" for month in seen)
    assert any(month["孙丽 Sun Li"] == "met" for month in seen)


def _previous_month(app) -> str:
    from server.coverage.periods import Period
    from server.platform.clock import today_in

    return Period.of("month", today_in(app.config["TIMEZONE"])).previous().label
