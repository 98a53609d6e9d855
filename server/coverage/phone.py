"""What the phone shows: this period's count for each resident on the roster ("1 / 2")."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, func, select

from server.coverage.counts import chunks, last_visits
from server.coverage.periods import GAP_LABEL, current_periods
from server.coverage.policies import load_policies
from server.coverage.rule import active_window, judge_gap, prorated
from server.models import Visit
from server.platform.extensions import db


def roster_coverage(residents: Sequence, today: date) -> dict[uuid.UUID, dict]:
    """This period's count for each resident, as the phone shows it ("1 / 2").

    `residents` are rows the roster already read, with the columns of evaluate.RESIDENT_COLUMNS
    (id, care level, admission, status and its date). `week` names the period of the
    resident's rule: "2026-W48", "2026-11" for a monthly one, "2026" for a yearly one, or
    "days" for an every-N-days rule, which also gives N and the last day a visit is in time.
    A year's days are read only for the residents on a yearly rule.
    """
    policies = load_policies()
    current = current_periods(today)
    first = min(current["week"].start, current["month"].start)
    answer: dict[uuid.UUID, dict] = {}
    for batch in chunks(list(residents)):
        rules = {row.id: policies.rule_for(row.id, row.care_level) for row in batch}
        days, last = _days_and_last_visits([row.id for row in batch], first)
        yearly = [row.id for row in batch if rules[row.id].period == "year"]
        if yearly:
            days.update(_days_and_last_visits(yearly, current["year"].start)[0])
        gaps = _gaps([row for row in batch if rules[row.id].period == "days"], rules, today)
        for row in batch:
            rule = rules[row.id]
            if rule.period == "days":
                answer[row.id] = {**gaps[row.id], "last_visit_at": last.get(row.id)}
                continue
            period = current[rule.period]
            window = active_window(period, row.admitted_on, row.status, row.status_since)
            active_days = (window[1] - window[0]).days + 1 if window else period.days
            answer[row.id] = {
                "week": period.label,
                "required": prorated(rule.required, active_days, period.days),
                "days_visited": sum(
                    1 for day in days.get(row.id, ()) if period.start <= day <= period.end
                ),
                "last_visit_at": last.get(row.id),
            }
    return answer


def _gaps(rows: list, rules: dict, today: date) -> dict[uuid.UUID, dict]:
    """The phone's every-N-days requirement: the gap as the refresh judges it (gaps.py)."""
    last = _last_visited_days([row.id for row in rows], today)
    answer = {}
    for row in rows:
        visited_on = last.get(row.id)
        starts_on = max(visited_on, row.admitted_on) if visited_on else row.admitted_on
        gap = judge_gap(rules[row.id].every_days, starts_on, today)
        answer[row.id] = {
            "week": GAP_LABEL,
            "required": 1,
            "days_visited": 1 if visited_on is not None and visited_on >= starts_on else 0,
            "every_days": rules[row.id].every_days,
            "due_by": gap.ends_on.isoformat(),
        }
    return answer


def _last_visited_days(resident_ids: list[uuid.UUID], today: date) -> dict[uuid.UUID, date]:
    if not resident_ids:
        return {}
    return dict(
        db.session.execute(
            select(Visit.resident_id, func.max(Visit.visit_date))
            .where(
                Visit.resident_id.in_(resident_ids),
                Visit.voided_at.is_(None),
                Visit.visit_date <= today,
            )
            .group_by(Visit.resident_id)
        ).all()
    )


# Every sync that names residents runs it: built once (docs/sync.md, "CPU per sync").
_visits = Visit.__table__
_DAYS_AND_LATEST = (
    select(_visits.c.resident_id, _visits.c.visit_date, func.max(_visits.c.checked_in_at))
    .where(
        _visits.c.resident_id.in_(bindparam("ids", expanding=True)),
        _visits.c.voided_at.is_(None),
        _visits.c.visit_date >= bindparam("first"),
    )
    .group_by(_visits.c.resident_id, _visits.c.visit_date)
)


def _days_and_last_visits(
    resident_ids: list[uuid.UUID], first: date
) -> tuple[dict[uuid.UUID, set[date]], dict[uuid.UUID, datetime]]:
    """The days visited from `first` on, and the latest check-in ever, in one query for the
    residents visited since `first` (most of those a sync answers: it names the residents
    just visited) and a second only for the others."""
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    last: dict[uuid.UUID, datetime] = {}
    for resident_id, day, latest in db.session.execute(
        _DAYS_AND_LATEST, {"ids": resident_ids, "first": first}
    ):
        days[resident_id].add(day)
        if resident_id not in last or latest > last[resident_id]:
            last[resident_id] = latest
    not_lately = [resident_id for resident_id in resident_ids if resident_id not in last]
    if not_lately:
        last.update(last_visits(not_lately, date.max))
    return days, last
