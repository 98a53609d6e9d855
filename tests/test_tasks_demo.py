"""The demo institution's tasks are what real use would leave: raised by the rules from its
rounds' findings, most closed with an outcome (on time and late), a few overdue, one discharge
follow-up still with its assignee."""

from __future__ import annotations

from sqlalchemy import func, select

from server.models import Resident, Task, TaskEvent, Visit
from server.platform.clock import today_in
from server.platform.extensions import db


def test_the_demo_tasks_come_from_its_rounds_and_were_worked_on(app, api):
    result = app.test_cli_runner().invoke(args=["demo-data", "--visits"])
    assert result.exit_code == 0, result.output
    tasks = db.session.scalars(select(Task)).all()
    raised = [task for task in tasks if task.source == "finding"]
    assert raised and all(task.visit_id is not None for task in raised)
    flagged = db.session.scalar(
        select(func.count()).select_from(Visit).where(Visit.follow_up.is_(True))
    )
    assert sum(task.finding == "follow_up" for task in raised) == flagged
    done = [task for task in raised if task.status == "done"]
    assert all(task.outcome and task.closed_at for task in done)
    late = [task for task in done if task.closed_at.date() > task.due_on]
    assert late and len(late) < len(done) / 2  # most on time, some late
    open_ = [task for task in raised if task.status in ("open", "in_progress")]
    assert open_ and len(open_) < len(done)
    today = today_in(app.config["TIMEZONE"])
    overdue = [task for task in open_ if task.due_on < today]
    assert overdue and len(overdue) < len(open_)  # a few left past their due date
    (follow_up,) = [task for task in tasks if task.source == "discharge"]
    assert db.session.get(Resident, follow_up.resident_id).status == "discharged"
    assert follow_up.status == "open"
    kinds = set(db.session.scalars(select(TaskEvent.kind).distinct()))
    assert {"created", "started", "closed", "cancelled"} <= kinds

    device = {"id": "0c0ffee0-8a3b-4f7e-9a51-0d5b8c7e2a13"}
    assignee = db.session.get(type(follow_up.assignee), follow_up.assignee_id)
    token = api.post(
        "/auth/login",
        json={"username": assignee.username, "password": "rounds-demo", "device": device},
    ).json["token"]
    answer = api.get("/tasks?source=discharge", headers={"Authorization": f"Bearer {token}"})
    assert [item["id"] for item in answer.json["items"]] == [str(follow_up.id)]
