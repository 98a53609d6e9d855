"""The demo's supervision meetings over the last month: each supervisor's group and
individual meetings with their workers, a resident discussed at some, one follow-up task raised;
most people meet the monthly rule, one worker falls short (docs/meetings.md). Recorded through
the same domain code the office's screen goes through."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from server.demo.visits import WEEKS
from server.models import Resident, SupervisionMeeting, User
from server.people.audit import Actor
from server.platform.clock import today_in
from server.platform.extensions import db
from server.supervision.meetings import record_meeting

# (days ago, supervisor, kind, participants, topics, decisions, a resident discussed?, a task?)
HELD = [
    (
        30,
        "supervisor1",
        "group",
        ["worker1", "worker2", "worker6"],
        "防跌倒巡视要点 What to look for against falls",
        "夜班加巡一次 One more night round",
        True,
        True,
    ),
    (
        28,
        "supervisor2",
        "group",
        ["worker3", "worker4", "worker5"],
        "入户探访安全 Safety on home visits",
        "两人同行去偏远村 Two together to far villages",
        False,
        False,
    ),
    (
        16,
        "supervisor1",
        "group",
        ["worker1", "worker2"],
        "情绪低落的老人 Residents in low mood",
        "每周陪聊一次 A weekly talk",
        True,
        False,
    ),
    (
        14,
        "supervisor2",
        "group",
        ["worker3", "worker4"],
        "记录怎样写清楚 Writing records plainly",
        "按模板写 Use the template",
        False,
        False,
    ),
    (
        9,
        "supervisor1",
        "individual",
        ["worker6"],
        "个案进展 A case's progress",
        "下周复评 Review next week",
        True,
        False,
    ),
    (
        6,
        "supervisor2",
        "individual",
        ["worker4"],
        "工作量 Caseload",
        "调整两位老人 Hand over two residents",
        False,
        False,
    ),
    (
        2,
        "supervisor1",
        "individual",
        ["worker1"],
        "家属沟通 Talking with families",
        "约家属面谈 Meet the family",
        True,
        False,
    ),
    (
        1,
        "supervisor2",
        "group",
        ["worker3", "worker6"],
        "冬季取暖安全 Heating safety in winter",
        "逐户检查炉子 Check every stove",
        False,
        False,
    ),
]


def _staff() -> dict[str, User]:
    return {user.username: user for user in db.session.scalars(select(User))}


def _resident_of(user: User) -> Resident | None:
    units = user.unit_ids
    return db.session.scalars(
        select(Resident).where(Resident.unit_id.in_(units)).order_by(Resident.name).limit(1)
    ).first()


def hold_demo_meetings(zone: str, now: datetime) -> list[SupervisionMeeting]:
    """A month of meetings, each on its day; the staff had joined before the demo's rounds."""
    staff = _staff()
    if "supervisor1" not in staff:
        return []
    joined = now - timedelta(weeks=WEEKS)
    for user in staff.values():  # the demo's people worked there before its weeks of rounds
        user.created_at = min(user.created_at, joined)
    today = today_in(zone, now)
    made = []
    for days_ago, boss, kind, names, topics, decisions, discuss, task in HELD:
        supervisor = staff[boss]
        first = staff[names[0]]
        resident = _resident_of(first) if discuss or task else None
        held_on = today - timedelta(days=days_ago)
        document = {
            "kind": kind,
            "held_on": held_on,
            "place": "社工部会议室 Social work office",
            "minutes": 60 if kind == "group" else 30,
            "topics": topics,
            "decisions": decisions,
            "participants": [staff[name].id for name in names],
            "discussed": [{"resident_id": resident.id, "case_id": None, "note": topics}]
            if resident and discuss
            else [],
            "tasks": [
                {
                    "resident_id": resident.id,
                    "title": "床边加装护栏 Fit a bed rail",
                    "details": decisions,
                    "assignee_id": first.id,
                    "due_on": held_on + timedelta(days=7),
                    "priority": "soon",
                }
            ]
            if resident and task
            else [],
        }
        made.append(record_meeting(Actor(user=supervisor), document, today))
    return made
