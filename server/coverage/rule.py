"""The rule itself: a pure function of a period, a requirement and the days visited.

Tested table by table (tests/test_coverage_rules.py); nothing here touches the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from server.coverage.periods import Period


@dataclass(frozen=True)
class Assessment:
    required: int
    active_days: int
    days_visited: int
    status: str
    due_on: date | None


def active_window(
    period: Period, admitted_on: date, status: str, status_since: date
) -> tuple[date, date] | None:
    """The days of the period the resident was in care: admission and discharge days count."""
    start = max(period.start, admitted_on)
    end = period.end if status == "active" else min(period.end, status_since)
    return (start, end) if start <= end else None


def prorated(required: int, active_days: int, period_days: int) -> int:
    return math.ceil(required * active_days / period_days)


def assess(
    period: Period,
    required: int,
    window: tuple[date, date],
    visit_days: Iterable[date],
    today: date,
    *,
    closed: bool = False,
) -> Assessment:
    """Judge one resident for one period from the days they were visited, as seen on `today`."""
    visited = {day for day in visit_days if period.start <= day <= period.end}
    return judge(
        period,
        required,
        window,
        len(visited),
        {d for d in visited if d >= today},
        today,
        closed=closed,
    )


def judge(
    period: Period,
    required: int,
    window: tuple[date, date],
    days_visited: int,
    upcoming: set[date],
    today: date,
    *,
    closed: bool = False,
) -> Assessment:
    """The rule itself. `required` is already pro-rated; `upcoming` holds the visited days of
    the period from today on. Once today is past the period's end, or it was closed, only met
    or missed remain.
    """
    start, end = window
    active_days = (end - start).days + 1
    needed = required - days_visited
    if needed <= 0:
        return Assessment(required, active_days, days_visited, "met", None)
    if closed or today > period.end:
        return Assessment(required, active_days, days_visited, "missed", None)
    # Days still open for a visit: active, today or later, not already counted.
    first_open = max(start, today)
    if not upcoming:  # the usual case, and a refresh judges 100,000 residents: no list
        free_left = max(0, (end - first_open).days + 1)
        status = (
            "missed" if free_left < needed else "at_risk" if free_left == needed else "on_track"
        )
        due_on = {
            "on_track": end + timedelta(days=1 - needed),
            "at_risk": first_open + timedelta(days=1),
        }.get(status)
        if due_on is not None and due_on > period.end:
            due_on = None
        return Assessment(required, active_days, days_visited, status, due_on)
    free = [first_open + timedelta(days=n) for n in range((end - first_open).days + 1)]
    free = [day for day in free if day not in upcoming]

    def status_with(free_left: int) -> str:
        if free_left < needed:
            return "missed"
        return "at_risk" if free_left == needed else "on_track"

    status = status_with(len(free))
    # The next day the status turns without a new visit: once free days slip into the past.
    due_on = None
    if status == "on_track":
        due_on = free[len(free) - needed - 1] + timedelta(days=1)
    elif status == "at_risk":
        due_on = free[0] + timedelta(days=1)
    if due_on is not None and due_on > period.end:
        due_on = None
    return Assessment(required, active_days, days_visited, status, due_on)
