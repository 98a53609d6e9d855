"""The monthly meeting rule per person: each supervisor holds, and each worker takes part in,
at least `targets.meetings_per_month` meetings a calendar month (docs/meetings.md).

Judged by the coverage rule itself (server/coverage/rule.py's `judge`), the month as the
period and the days with a meeting as its visited days, so "at risk" and "missed" mean here
what they mean on the coverage board. A person who joined during the month is pro-rated from
the day their account was made, as a resident admitted mid-period is.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from server.coverage.periods import Period
from server.coverage.rule import judge, prorated
from server.models import MeetingParticipant, SupervisionMeeting, User, user_units
from server.models.core import SUPERVISOR, WORKER
from server.people.access import Scope
from server.platform.clock import local_date
from server.platform.extensions import db

SETTING = "meetings_per_month"


@dataclass(frozen=True)
class PersonRule:
    user: User
    meetings: int
    days: int
    required: int
    last_held_on: date | None
    status: str
    due_on: date | None


def people_in_scope(scope: Scope, unit_id: uuid.UUID | None = None) -> list[User]:
    """The active supervisors and workers the rule is judged for: of one unit, or of every unit
    one sees."""
    query = select(User).where(User.active.is_(True), User.role.in_((SUPERVISOR, WORKER)))
    units = None if unit_id is None else [unit_id]
    if units is None and not scope.everything:
        units = sorted(scope.unit_ids)
    if units is not None:
        members = select(user_units.c.user_id).where(user_units.c.unit_id.in_(units))
        query = query.where(User.id.in_(members))
    return list(db.session.scalars(query.order_by(User.role, User.display_name, User.id)))


def _meeting_days(period: Period, people: list[User]) -> dict[uuid.UUID, list[date]]:
    """Each person's meeting dates in the period: those held by a supervisor, those taken part
    in by anyone (a supervisor's only when held, as the rule says)."""
    days: dict[uuid.UUID, list[date]] = defaultdict(list)
    ids = [user.id for user in people]
    if not ids:
        return days
    in_month = (
        SupervisionMeeting.held_on >= period.start,
        SupervisionMeeting.held_on <= period.end,
    )
    held = select(SupervisionMeeting.supervisor_id, SupervisionMeeting.held_on).where(
        SupervisionMeeting.supervisor_id.in_(ids), *in_month
    )
    taken = (
        select(MeetingParticipant.user_id, SupervisionMeeting.held_on)
        .join(SupervisionMeeting, SupervisionMeeting.id == MeetingParticipant.meeting_id)
        .where(MeetingParticipant.user_id.in_(ids), *in_month)
    )
    roles = {user.id: user.role for user in people}
    for user_id, held_on in db.session.execute(held):
        if roles[user_id] == SUPERVISOR:
            days[user_id].append(held_on)
    for user_id, held_on in db.session.execute(taken):
        if roles[user_id] == WORKER:
            days[user_id].append(held_on)
    return days


def judge_person(
    period: Period, required: int, joined_on: date, dates: list[date], today: date
) -> tuple[int, str, date | None] | None:
    """(the pro-rated requirement, the status, when it turns) for one person; None when they
    joined after the month."""
    start = max(period.start, joined_on)
    if start > period.end:
        return None
    window = (start, period.end)
    needed = prorated(required, (period.end - start).days + 1, period.days)
    distinct = {day for day in dates if period.start <= day <= period.end}
    assessment = judge(
        period, needed, window, len(distinct), {d for d in distinct if d >= today}, today
    )
    return needed, assessment.status, assessment.due_on


def month_rule(
    scope: Scope,
    period: Period,
    required: int,
    today: date,
    zone: str,
    unit_id: uuid.UUID | None = None,
) -> list[PersonRule]:
    """The rule for each person in scope for the month, supervisors first."""
    people = people_in_scope(scope, unit_id)
    days = _meeting_days(period, people)
    judged = []
    for user in people:
        dates = days.get(user.id, [])
        result = judge_person(period, required, local_date(user.created_at, zone), dates, today)
        if result is None:
            continue
        needed, status, due_on = result
        judged.append(
            PersonRule(
                user=user,
                meetings=len(dates),
                days=len(set(dates)),
                required=needed,
                last_held_on=max(dates) if dates else None,
                status=status,
                due_on=due_on,
            )
        )
    return judged


def rule_document(period: Period, required: int, people: list[PersonRule]) -> dict:
    return {
        "month": period.label,
        "required": required,
        "setting": SETTING,
        "people": [
            {
                "user": {
                    "id": person.user.id,
                    "display_name": person.user.display_name,
                    "role": person.user.role,
                },
                "meetings": person.meetings,
                "days": person.days,
                "required": person.required,
                "last_held_on": person.last_held_on,
                "status": person.status,
                "due_on": person.due_on,
            }
            for person in people
        ],
    }
