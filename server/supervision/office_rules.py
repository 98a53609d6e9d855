"""The office's two monthly rules, judged like coverage: at least `activities_per_month`
distinct days with an activity and `reception_days_per_month` distinct days with a reception
day, by server/coverage/rule.py's `judge` (docs/office-rules.md).

A supervisor's rules count their units' activities and reception days (and the whole office's
reception days); an admin's, the whole office. Days, not records: two activities on one day
count once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from server.coverage.periods import Period
from server.coverage.rule import judge
from server.models import Activity, Unit
from server.people.access import Scope
from server.platform.extensions import db
from server.supervision.reception import held_days
from server.targets.settings import Targets

RULES = (("activities", "activities_per_month"), ("reception_days", "reception_days_per_month"))


def activity_days(scope: Scope, unit_id: uuid.UUID | None, start: date, end: date) -> list[date]:
    """The distinct days with an activity of the units in sight from `start` to `end`."""
    query = select(Activity.held_on).where(Activity.held_on >= start, Activity.held_on <= end)
    if unit_id is not None:
        query = query.where(Activity.unit_id == unit_id)
    else:
        query = scope.filter(query, Activity.unit_id)
    return sorted(db.session.scalars(query.distinct()))


def judged(
    rule: str, setting: str, required: int, days: Iterable[date], month: Period, today: date
) -> dict:
    """One rule for one month from the distinct days it was done on, as seen on `today`."""
    done = sorted({day for day in days if month.start <= day <= month.end})
    assessment = judge(
        month,
        required,
        (month.start, month.end),
        len(done),
        {day for day in done if day >= today},
        today,
    )
    return {
        "rule": rule,
        "setting": setting,
        "required": required,
        "done": len(done),
        "last_on": done[-1] if done else None,
        "status": assessment.status,
        "due_on": assessment.due_on,
    }


def office_rules(
    scope: Scope, unit_id: uuid.UUID | None, month: Period, today: date, targets: Targets
) -> dict:
    """Both rules for the calendar month, within the scope (or one unit of it)."""
    if unit_id is not None:
        scope.get(Unit, unit_id)  # 404 for a unit one may not see
    found = {
        "activities": activity_days(scope, unit_id, month.start, month.end),
        "reception_days": held_days(scope, unit_id, month.start, month.end),
    }
    return {
        "month": month.label,
        "rules": [
            judged(rule, setting, getattr(targets, setting), found[rule], month, today)
            for rule, setting in RULES
        ],
    }
