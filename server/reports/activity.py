"""Worker activity: visits per worker per day and per ISO week, the QR share, burst flags.

Added up from the per-day counts (server/reports/day_counts.py), a row per worker, unit and
day; workers with no visit in the range are listed too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from server.coverage import iso_week_label
from server.models import User, VisitDayCount
from server.people.access import Scope
from server.platform.extensions import db
from server.reports.scope import days_between, in_day_counts, sort_rows, workers_of


@dataclass
class _Tally:
    visits: int = 0
    qr: int = 0
    burst: int = 0


def activity(
    scope: Scope,
    units,
    date_from: date,
    date_to: date,
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
) -> dict:
    """Visits per worker per day and per ISO week, QR share, burst flags; paged by worker."""
    days = days_between(date_from, date_to)
    weeks = list(dict.fromkeys(iso_week_label(day) for day in days))
    # Added up from the per-day counts: a row per worker, unit and day.
    counts = VisitDayCount
    keys = (counts.worker_id, counts.visit_date)
    query = (
        in_day_counts(
            select(*keys, func.sum(counts.visits), func.sum(counts.qr), func.sum(counts.burst)),
            units,
            date_from,
            date_to,
        )
        .group_by(*keys)
        .having(func.sum(counts.visits) > 0)
    )
    per_day: dict = defaultdict(dict)
    for worker_id, day, visits, qr, burst in db.session.execute(query):
        per_day[worker_id][day] = _Tally(int(visits), int(qr or 0), int(burst or 0))
    people = {u.id: u for u in db.session.scalars(workers_of(scope, units))}
    missing = set(per_day) - set(people)
    if missing:  # visited in one's units without belonging to them (moved, or a stand-in)
        people.update(
            {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(missing)))}
        )
    rows = []
    for worker_id, person in people.items():
        tallies = per_day.get(worker_id, {})
        visits = sum(t.visits for t in tallies.values())
        qr = sum(t.qr for t in tallies.values())
        by_week: dict = defaultdict(int)
        for day, tally in tallies.items():
            by_week[iso_week_label(day)] += tally.visits
        rows.append(
            {
                "worker": {
                    "id": person.id,
                    "display_name": person.display_name,
                    "username": person.username,
                },
                "visits": visits,
                "qr": qr,
                "manual": visits - qr,
                "share_qr": None if visits == 0 else qr / visits,
                "burst": sum(t.burst for t in tallies.values()),
                "days_active": sum(1 for t in tallies.values() if t.visits),
                "per_day": [tallies[day].visits if day in tallies else 0 for day in days],
                "per_week": [by_week.get(week, 0) for week in weeks],
            }
        )
    rows = sort_rows(rows, sort, "worker", "display_name")
    start = (page - 1) * per_page
    return {
        "from": date_from,
        "to": date_to,
        "days": days,
        "weeks": weeks,
        "items": rows[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(rows),
    }
