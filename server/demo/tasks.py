"""What the demo's workers and supervisors did with the tasks their rounds raised: most closed
with an outcome, on time or some days late, a few cancelled, some started, a few left past their
due date; and one resident discharged with a follow-up call. Done through the same domain code
a phone's events go through, each at the time it would have happened."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.models import Resident, Task, User
from server.models.core import SUPERVISOR
from server.people.audit import Actor
from server.platform.extensions import db
from server.roster.changes import next_change_number
from server.roster.residents import update_resident
from server.tasks.records import apply_event, open_discharge_task

OUTCOMES = {
    "living": ["已安排维修 repair arranged", "已帮忙整理 helped tidy up"],
    "emotional": ["已电话联系家属 called the family", "陪老人聊了很久 a long talk"],
    "physical": ["已转介医生 referred to the doctor", "护士已复查 the nurse checked again"],
    "unsatisfied": ["已沟通，老人满意 talked it through", "已调整时间 changed the time"],
    "follow_up": ["已跟进完成 followed up", "家属已来探望 the family visited"],
}
CANCEL_OUTCOME = "老人住院，暂停跟进 in hospital, paused"
DISCHARGE_FOLLOW_UP = {"title": "出院后电话回访 Call a week after discharge", "due_in_days": 7}


def _moment(day, zone: ZoneInfo, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)), zone)


def _close_time(
    task: Task, earliest: datetime, local: ZoneInfo, now: datetime, rng: random.Random
) -> datetime:
    """On time most often (by the end of the due day), some days late otherwise; never before
    `earliest` (the task's making, or its start)."""
    created = task.created_at
    if rng.random() < 0.75:
        span = max(0, (task.due_on - created.astimezone(local).date()).days)
        at = _moment(created.astimezone(local).date() + timedelta(rng.randint(0, span)), local, rng)
    else:
        at = _moment(task.due_on + timedelta(days=rng.randint(1, 4)), local, rng)
    return min(max(at, earliest + timedelta(hours=2)), now - timedelta(hours=1))


def _closing_chance(task: Task, today) -> float:
    """Nearly every task long past its due date was closed; fewer of those due since."""
    if task.due_on < today - timedelta(days=1):
        return 0.985
    return 0.6 if task.due_on < today else 0.3


def work_the_tasks(zone: str, now: datetime, rng: random.Random) -> dict:
    """Each raised task, as its assignee left it; answer how many ended how."""
    local = ZoneInfo(zone)
    today = now.astimezone(local).date()
    number = next_change_number()  # one number for the office's whole history
    done = {"tasks_closed": 0, "tasks_cancelled": 0, "tasks_overdue": 0}
    tasks = db.session.scalars(select(Task).order_by(Task.created_at, Task.id)).all()
    for task in tasks:
        actor = Actor(user=task.assignee)
        past_due = task.due_on < today - timedelta(days=1)
        earliest = task.created_at
        if rng.random() < 0.4:
            earliest = min(task.created_at + timedelta(hours=rng.randint(2, 20)), now)
            apply_event(task, "started", {}, actor, earliest, now=earliest, number=number)
        if past_due and rng.random() < 0.06:
            at = _close_time(task, earliest, local, now, rng)
            apply_event(
                task, "cancelled", {"outcome": CANCEL_OUTCOME}, actor, at, now=at, number=number
            )
            done["tasks_cancelled"] += 1
        elif rng.random() < _closing_chance(task, today):
            at = _close_time(task, earliest, local, now, rng)
            outcome = rng.choice(OUTCOMES.get(task.finding, OUTCOMES["follow_up"]))
            apply_event(task, "closed", {"outcome": outcome}, actor, at, now=at, number=number)
            done["tasks_closed"] += 1
        elif task.due_on < today:
            done["tasks_overdue"] += 1
    db.session.flush()
    return done


def discharge_with_follow_up(zone: str, now: datetime, rng: random.Random) -> Task | None:
    """A resident went home three days ago; their supervisor asked for a call a week later."""
    local = ZoneInfo(zone)
    supervisors = db.session.scalars(
        select(User).where(User.role == SUPERVISOR).order_by(User.username)
    ).all()
    for supervisor in supervisors:
        residents = db.session.scalars(
            select(Resident)
            .where(Resident.unit_id.in_(supervisor.unit_ids), Resident.status == "active")
            .order_by(Resident.name, Resident.id)
        ).all()
        if not residents:
            continue
        resident = rng.choice(residents)
        when = now - timedelta(days=3)
        day = when.astimezone(local).date()
        actor = Actor(user=supervisor)
        update_resident(actor, resident, {"status": "discharged", "status_since": day}, day)
        return open_discharge_task(actor, resident, DISCHARGE_FOLLOW_UP, day, now=when)
    return None
