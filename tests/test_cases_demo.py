"""The demo institution's case work: one case archived with its whole history, one in
intervention with its plan, contacts and an urgent risk task, one just opened."""

from __future__ import annotations

from sqlalchemy import select

from server.models import Case, Task
from server.platform.extensions import db


def test_the_demo_holds_cases_at_three_stages(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    cases = {case.stage: case for case in db.session.scalars(select(Case))}
    assert set(cases) == {"archived", "intervention", "intake"}
    archived = cases["archived"]
    kinds = [record.kind for record in archived.records]
    assert kinds == [
        "intake",
        "assessment",
        "plan",
        "contact",
        "contact",
        "review",
        "closure",
        "signoff",
    ]
    steps = db.session.scalars(select(Task).where(Task.case_id == archived.id)).all()
    assert steps and {task.status for task in steps} == {"done"}
    live = cases["intervention"]
    assert live.review_due_on is not None and live.last_contact_at is not None
    priorities = {
        t.priority for t in db.session.scalars(select(Task).where(Task.case_id == live.id))
    }
    assert priorities == {"routine", "urgent"}
    assert cases["intake"].records == []
