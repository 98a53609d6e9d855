"""The demo's case work: one case archived with its whole history, one in intervention with a
plan and contacts, one just opened — made through the same domain code a phone's records go
through, each step at the time it would have happened (docs/cases.md)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from server.cases.records import NewCase, NewRecord, add_record, open_case
from server.demo.visits import _strokes
from server.models import Case, Resident, Task, User
from server.models.core import SUPERVISOR, WORKER
from server.people.audit import Actor
from server.platform.extensions import db
from server.tasks.records import apply_event


def _signature(rng: random.Random, signer: str = "resident", name: str | None = None) -> dict:
    return {
        "signer": signer,
        "signer_name": name,
        "reason": None,
        "width": 600,
        "height": 200,
        "strokes": _strokes(rng),
    }


def _intake(resident: Resident, problems: str) -> dict:
    return {
        "register": {
            "office": "社工部 Social work office",
            "worker_phone": "",
            "client_phone": resident.phone or "",
            "address": resident.address or resident.room or "",
            "problems": problems,
        },
        "consent": {"given": True, "by": "resident", "name": resident.name},
    }


PLAN = {
    "goals": [
        {
            "id": "g1",
            "text": "每周参加一次小组活动 Joins a group activity weekly",
            "measure": "签到",
        },
        {
            "id": "g2",
            "text": "与子女每周通话 Talks with the children weekly",
            "measure": "通话记录",
        },
    ],
    "services": ["emotional_support", "group_work", "family_counselling"],
    "review_every_weeks": 4,
    "agreed": {"signer": "resident", "signer_name": ""},
}


def _plan(start: datetime) -> dict:
    due = [(start + timedelta(days=days)).date().isoformat() for days in (7, 14)]
    steps = [
        {"id": "s1", "title": "介绍兴趣小组 Introduce the singing group", "goal_id": "g1"},
        {
            "id": "s2",
            "title": "与子女约定通话时间 Agree call times with the children",
            "goal_id": "g2",
        },
    ]
    return {
        **PLAN,
        "steps": [{**s, "due_on": d, "assignee_id": None} for s, d in zip(steps, due, strict=True)],
    }


ASSESSMENT = {
    "needs": [
        {"domain": "emotional", "severity": "moderate", "priority": 1, "notes": "入住后情绪低落"},
        {"domain": "social", "severity": "mild", "priority": 2, "notes": "少与人交往"},
    ],
    "risks": [],
    "summary": "新入住适应困难 Finding it hard to settle in",
}


def _step(actor: Actor, case: Case, kind: str, body: dict, at: datetime, signature=None) -> None:
    add_record(actor, case, NewRecord(kind=kind, body=body, at=at, signature=signature), now=at)


def _archived(worker: User, supervisor: User, resident: Resident, now, rng) -> Case:
    actor, start = Actor(user=worker), now - timedelta(days=120)
    case = open_case(actor, NewCase(resident.id, "resident_request", opened_at=start), now=start)
    _step(actor, case, "intake", _intake(resident, "入住后不适应 Unsettled since moving in"), start)
    _step(actor, case, "assessment", ASSESSMENT, start + timedelta(days=2))
    _step(
        actor,
        case,
        "plan",
        _plan(start + timedelta(days=5)),
        start + timedelta(days=5),
        _signature(rng),
    )
    for days, summary in (
        (12, "陪同参加合唱 Went to the choir with her"),
        (20, "家庭会议 Family meeting"),
    ):
        mode = "visit" if days == 12 else "family_meeting"
        contact = {"mode": mode, "visit_id": None, "goal_ids": ["g1", "g2"], "summary": summary}
        _step(actor, case, "contact", contact, start + timedelta(days=days))
    review = {
        "progress": [
            {"goal_id": "g1", "status": "in_progress", "note": "已去两次"},
            {"goal_id": "g2", "status": "achieved", "note": ""},
        ],
        "summary": "进展良好 Going well",
    }
    _step(actor, case, "review", review, start + timedelta(days=33))
    closure = {
        "reason": "goals_met",
        "evaluation": [
            {"goal_id": "g1", "status": "achieved", "note": "每周参加"},
            {"goal_id": "g2", "status": "achieved", "note": ""},
        ],
        "summary": "已适应院内生活 Settled in",
        "satisfaction": "satisfied",
        "referral": None,
        "follow_up": None,
    }
    closed = start + timedelta(days=60)
    _step(actor, case, "closure", closure, closed, _signature(rng))
    for task in db.session.scalars(select(Task).where(Task.case_id == case.id)):
        apply_event(
            task,
            "closed",
            {"outcome": "已完成 done"},
            actor,
            closed - timedelta(days=1),
            now=closed,
        )
    _step(
        Actor(user=supervisor),
        case,
        "signoff",
        {"note": "同意结案 Agreed"},
        closed + timedelta(days=2),
    )
    return case


def _in_intervention(worker: User, resident: Resident, now, rng) -> Case:
    actor, start = Actor(user=worker), now - timedelta(days=24)
    source = NewCase(
        resident.id,
        "round_finding",
        source_note="巡视发现情绪低落 low mood on a round",
        opened_at=start,
    )
    case = open_case(actor, source, now=start)
    _step(
        actor, case, "intake", _intake(resident, "丧偶后独处 Alone since losing her husband"), start
    )
    assessment = {
        **ASSESSMENT,
        "risks": ["isolation"],
        "summary": "丧偶后孤立 Isolated after bereavement",
    }
    _step(actor, case, "assessment", assessment, start + timedelta(days=1))
    _step(
        actor,
        case,
        "plan",
        _plan(start + timedelta(days=3)),
        start + timedelta(days=3),
        _signature(rng),
    )
    contact = {
        "mode": "phone",
        "visit_id": None,
        "goal_ids": ["g2"],
        "summary": "与女儿通话 Called the daughter",
        "minutes": 20,
    }
    _step(actor, case, "contact", contact, start + timedelta(days=9))
    return case


def _just_opened(worker: User, resident: Resident, now) -> Case:
    actor, start = Actor(user=worker), now - timedelta(hours=5)
    new = NewCase(
        resident.id, "family_request", source_note="女儿来电 The daughter called", opened_at=start
    )
    return open_case(actor, new, now=start)


def _team() -> tuple[User, User, list[Resident]] | None:
    """A supervisor, a worker of their first unit, and its active residents."""
    for supervisor in db.session.scalars(
        select(User).where(User.role == SUPERVISOR).order_by(User.username)
    ):
        for unit_id in supervisor.unit_ids:
            worker = db.session.scalars(
                select(User)
                .where(User.role == WORKER, User.active.is_(True))
                .order_by(User.username)
            ).all()
            worker = next((w for w in worker if unit_id in w.unit_ids), None)
            residents = db.session.scalars(
                select(Resident)
                .where(Resident.unit_id == unit_id, Resident.status == "active")
                .order_by(Resident.name, Resident.id)
            ).all()
            if worker is not None and len(residents) >= 3:
                return supervisor, worker, residents
    return None


def open_demo_cases(now: datetime, rng: random.Random) -> list[Case]:
    """Three cases of one unit at three stages (none when the demo has no such unit)."""
    team = _team()
    if team is None:
        return []
    supervisor, worker, residents = team
    chosen = rng.sample(residents, 3)
    return [
        _archived(worker, supervisor, chosen[0], now, rng),
        _in_intervention(worker, chosen[1], now, rng),
        _just_opened(worker, chosen[2], now),
    ]
