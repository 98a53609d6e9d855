"""What the phone shows: this period's count for each resident on the roster ("1 / 2")."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Resident
from .counts import chunks, last_visits, visit_days
from .evaluate import RESIDENT_COLUMNS
from .periods import current_periods
from .policies import load_policies
from .rule import active_window, prorated


def roster_coverage(resident_ids: list[uuid.UUID], today: date) -> dict[uuid.UUID, dict]:
    """This period's count for each resident, as the phone shows it ("1 / 2").

    `week` names the period of the resident's rule: "2026-W48", or "2026-11" for a monthly one.
    """
    policies = load_policies()
    current = current_periods(today)
    answer: dict[uuid.UUID, dict] = {}
    for batch in chunks(list(resident_ids)):
        days = visit_days(batch, current["month"].start if current["month"].start <
                           current["week"].start else current["week"].start,
                           max(current["week"].end, current["month"].end))
        last = last_visits(batch, date.max)
        for row in db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(batch))):
            rule = policies.rule_for(row.id, row.care_level)
            period = current[rule.period]
            window = active_window(period, row.admitted_on, row.status, row.status_since)
            active_days = (window[1] - window[0]).days + 1 if window else period.days
            answer[row.id] = {
                "week": period.label,
                "required": prorated(rule.required, active_days, period.days),
                "days_visited": sum(1 for day in days.get(row.id, ())
                                    if period.start <= day <= period.end),
                "last_visit_at": last.get(row.id),
            }
    return answer
