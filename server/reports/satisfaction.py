"""Satisfaction against the target: per unit, worker and month, and the unsatisfied visits.

Institutions are judged on the share satisfied among those rated, against the office's target
(server/targets/settings.py): by default 80%, with 基本满意 (basically satisfied) counted as
satisfied. The figures add up the per-day counts (server/reports/day_counts.py); the answer
names the setting it was judged by.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import extract, func, select

from server.models import User, Visit, VisitDayCount
from server.platform.extensions import db
from server.reports.day_counts import RATINGS
from server.reports.listing import rows_of
from server.reports.scope import (
    in_day_counts,
    in_range,
    in_scope,
    months_between,
    sort_rows,
    unit_names,
)
from server.targets.settings import Targets, satisfaction_setting

DEFAULTS = Targets()


def exact(target: float) -> Fraction:
    """The target as the fraction it was written as: 0.9 is 9/10, not its nearest float."""
    return Fraction(repr(target))


def score(counts: dict, targets: Targets = DEFAULTS) -> dict:
    """Counts, the share satisfied + basically satisfied among rated, the share satisfied by
    the setting, and the check against the target."""
    satisfied = counts.get("satisfied", 0)
    basically = counts.get("basically_satisfied", 0)
    rated = satisfied + basically + counts.get("unsatisfied", 0)
    good = satisfied + basically if targets.basically_counts_as_satisfied else satisfied
    return {
        "satisfied": satisfied,
        "basically_satisfied": basically,
        "unsatisfied": counts.get("unsatisfied", 0),
        "rated": rated,
        "share": None if rated == 0 else (satisfied + basically) / rated,
        "satisfied_share": None if rated == 0 else good / rated,
        # Compared on the exact fraction: 4 of 5 meets 80%, whatever floats say.
        "meets_target": None
        if rated == 0
        else Fraction(good, rated) >= exact(targets.satisfaction_target),
    }


def satisfaction(
    units, date_from: date, date_to: date, sort: str = "name", targets: Targets = DEFAULTS
) -> dict:
    # Added up from the per-day counts (a few rows a worker and day), grouped per unit,
    # worker and month; units, workers and months add up here.
    counts = VisitDayCount
    year, month = extract("year", counts.visit_date), extract("month", counts.visit_date)
    keys = (counts.unit_id, counts.worker_id, year, month)
    grouped = in_day_counts(
        select(*keys, *[func.sum(getattr(counts, rating)) for rating in RATINGS]),
        units,
        date_from,
        date_to,
    ).group_by(*keys)
    by_unit: dict = defaultdict(lambda: defaultdict(int))
    by_worker: dict = defaultdict(lambda: defaultdict(int))
    by_month: dict = defaultdict(lambda: defaultdict(int))
    total: dict = defaultdict(int)
    for unit_id, worker_id, y, m, *numbers in db.session.execute(grouped):
        for rating, number in zip(RATINGS, numbers, strict=True):
            number = int(number or 0)
            if not number:  # units and workers are listed only with something rated
                continue
            by_unit[unit_id][rating] += number
            by_worker[worker_id][rating] += number
            by_month[f"{int(y)}-{int(m):02d}"][rating] += number
            total[rating] += number
    names = unit_names(by_unit)
    workers = dict(
        db.session.execute(
            select(User.id, User.display_name).where(User.id.in_(list(by_worker)))
        ).all()
    )
    unit_rows = [
        {"unit": {"id": unit_id, "name": names.get(unit_id, "")}, **score(counts, targets)}
        for unit_id, counts in by_unit.items()
    ]
    worker_rows = [
        {
            "worker": {"id": worker_id, "display_name": workers.get(worker_id, "")},
            **score(counts, targets),
        }
        for worker_id, counts in by_worker.items()
    ]
    # "share" sorts by the share the target judges.
    sort = sort.replace("share", "satisfied_share")
    return {
        "from": date_from,
        "to": date_to,
        "target": satisfaction_setting(targets),
        "total": score(total, targets),
        "units": sort_rows(unit_rows, sort, "unit", "name"),
        "workers": sort_rows(worker_rows, sort, "worker", "display_name"),
        "months": [
            {"month": month, **score(by_month.get(month, {}), targets)}
            for month in months_between(date_from, date_to)
        ],
    }


def unsatisfied(units, date_from: date, date_to: date, page: int = 1, per_page: int = 50) -> dict:
    """Unsatisfied visits with their comments, newest first: the ones to follow up."""
    # Count and page read the partial indexes of unsatisfied visits alone (index-only); only
    # the page's visits are then loaded.
    where = in_range(
        in_scope(
            select(Visit.id).where(Visit.voided_at.is_(None), Visit.satisfaction == "unsatisfied"),
            units,
        ),
        date_from,
        date_to,
    )
    total = db.session.scalar(select(func.count()).select_from(where.subquery()))
    ids = list(
        db.session.scalars(
            where.order_by(Visit.checked_in_at.desc(), Visit.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return {"items": rows_of(ids), "page": page, "per_page": per_page, "total": total}
