"""What eight weeks of office work leave behind the demo rounds: corrections, handled follow-ups,
each finished week and month judged, older alerts acknowledged — done through the same domain
code the office screens call, then dated when it would have happened."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server import coverage
from server.alerts.inbox import acknowledge
from server.demo import coverage_rules
from server.demo import organisations as demo_organisations
from server.demo.activities import record_demo_activities
from server.demo.cases import open_demo_cases
from server.demo.evaluation import give_demo_evaluations
from server.demo.facts import keep_demo_office_facts
from server.demo.meetings import hold_demo_meetings
from server.demo.reception import record_demo_reception_days
from server.demo.reviews import review_demo_records
from server.demo.sampling import draw_demo_samples
from server.demo.tasks import discharge_with_follow_up, work_the_tasks
from server.models import Alert, User, Visit, utcnow
from server.models.core import SUPERVISOR
from server.people.audit import Actor
from server.platform.extensions import db
from server.reports.followups import handle_followup
from server.reports.listing import concerns_of
from server.visits.ingest import SyncContext, ingest

HANDLED_NOTES = [
    "已电话联系家属 called the family",
    "已转介医生 referred to the doctor",
    "已安排维修 repair arranged",
    "已沟通，老人满意 talked it through",
]
ACK_NOTES = ["本周已补访 visited again this week", "老人住院 in hospital that week"]
CORRECTION = {
    "service_given": "测血压、聊天；血压偏高，已告知护士 blood pressure high, nurse told",
    "reason": "补充测量结果 added the reading",
}


def _supervisors() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == SUPERVISOR)))


def _supervisor_of(unit_id: uuid.UUID, supervisors: list[User]) -> User | None:
    return next((user for user in supervisors if unit_id in user.unit_ids), None)


def correct_some(visits: list[dict], zone: str, now: datetime, rng: random.Random) -> int:
    """A worker adds what they forgot to a recent visit the next morning: an amendment."""
    recent = [
        visit
        for visit in visits
        if now - datetime.fromisoformat(visit["checked_in_at"]) < timedelta(days=10)
        and now - datetime.fromisoformat(visit["checked_in_at"]) > timedelta(days=1)
    ]
    made = 0
    for visit in rng.sample(recent, min(3, len(recent))):
        morning = datetime.fromisoformat(visit["checked_in_at"]) + timedelta(hours=16)
        context = SyncContext(
            user=visit["worker"], device_id=None, device_time=morning, now=morning, zone=zone
        )
        amendment = {
            "id": str(uuid.uuid4()),
            "visit_id": visit["id"],
            "changes": {"service_given": CORRECTION["service_given"]},
            "reason": CORRECTION["reason"],
        }
        results = ingest([], [amendment], context)
        made += results[0]["status"] == "created"
    return made


def handle_followups(visits: list[dict], now: datetime, rng: random.Random) -> int:
    """Most follow-ups older than four days were acted on by the unit's supervisor."""
    supervisors = _supervisors()
    handled = 0
    for sent in visits:
        checked_in = datetime.fromisoformat(sent["checked_in_at"])
        flagged = concerns_of(sent) or sent["satisfaction"] == "unsatisfied"
        if not flagged or now - checked_in < timedelta(days=4) or rng.random() < 0.25:
            continue
        visit = db.session.get(Visit, uuid.UUID(sent["id"]))
        supervisor = _supervisor_of(visit.unit_id, supervisors)
        if supervisor is None:
            continue
        note = rng.choice(HANDLED_NOTES)
        when = checked_in + timedelta(hours=rng.randint(20, 70))
        handle_followup(Actor(user=supervisor), visit.id, note, when)
        handled += 1
    return handled


def _finished_weeks(zone: str, now: datetime, weeks: int) -> list[str]:
    today = now.astimezone(ZoneInfo(zone)).date()
    return [coverage.iso_week_label(today - timedelta(weeks=n)) for n in range(weeks - 1, 0, -1)]


def judge_the_weeks(zone: str, now: datetime, weeks: int) -> list[str]:
    """Close each finished week as the scheduler did on its Monday, then this week's refresh.

    The demo's rules are all weekly (the default), so there is no month to close.
    """
    labels = _finished_weeks(zone, now, weeks)
    for label in labels:
        monday = coverage.Period.parse(label).end + timedelta(days=1)
        coverage.close_period(label, datetime.combine(monday, time(0, 10), ZoneInfo(zone)))
        db.session.commit()  # as the close job does: one close, one unit of work
    while True:
        more = coverage.refresh(now)["more"]
        db.session.commit()  # as the refresh job does
        if not more:
            return labels


def acknowledge_older_alerts(now: datetime, rng: random.Random) -> int:
    """Supervisors dealt with the weeks missed before the last two; the newer ones are open."""
    supervisors = _supervisors()
    acked = 0
    for alert in db.session.scalars(select(Alert).where(Alert.kind == "missed")).all():
        supervisor = _supervisor_of(alert.unit_id, supervisors)
        if supervisor is None or now - alert.raised_at < timedelta(days=14):
            continue
        acknowledge(Actor(user=supervisor), alert.id, rng.choice(ACK_NOTES))
        alert.acked_at = alert.raised_at + timedelta(hours=rng.randint(8, 30))
        acked += 1
    return acked


def follow_through(rounds: list[dict], zone: str, weeks: int, now: datetime | None = None) -> dict:
    """Everything the office did about the demo rounds; answer what was done, for the CLI."""
    now = now or utcnow()
    levels = demo_organisations.build_the_levels(zone, now, weeks)  # the second district first
    rng = random.Random(7)
    done = {
        **levels,
        "amendments": correct_some(rounds, zone, now, rng),
        "followups_handled": handle_followups(rounds, now, rng),
    }
    db.session.commit()
    done["periods_closed"] = len(judge_the_weeks(zone, now, weeks))
    done["alerts_acknowledged"] = acknowledge_older_alerts(now, rng)
    db.session.commit()
    done.update(work_the_tasks(zone, now, rng))
    discharge_with_follow_up(zone, now, rng)
    db.session.commit()
    done["cases"] = len(open_demo_cases(now, rng))
    db.session.commit()
    done["reviews"] = review_demo_records(now, random.Random(23))
    done["meetings"] = len(hold_demo_meetings(zone, now))
    done["reception_days"] = len(record_demo_reception_days(zone, now))
    done["other_rules"] = coverage_rules.give_other_rules()  # a year's, every N days
    done["activities"] = len(record_demo_activities(zone, now, rng))
    done["samples"] = len(draw_demo_samples(zone, now))
    done["office_facts"] = keep_demo_office_facts(zone, now)
    done["evaluations"] = len(give_demo_evaluations(zone, now))
    db.session.commit()
    return done
