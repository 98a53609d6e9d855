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
    or missed remain. A year is judged against its pace (judge_year()).
    """
    if period.kind == "year":
        return judge_year(period, required, window, days_visited, upcoming, today, closed=closed)
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


def pace(required: int, elapsed: int, active_days: int) -> int:
    """The days a yearly rule asks to have been visited once `elapsed` active days are gone:
    the requirement pro-rated to the part of the year already behind."""
    return prorated(required, elapsed, active_days)


def judge_year(
    period: Period,
    required: int,
    window: tuple[date, date],
    days_visited: int,
    upcoming: set[date],
    today: date,
    *,
    closed: bool = False,
) -> Assessment:
    """A yearly rule: at risk as soon as the resident is behind the year's pace, not only when
    the open days run out (that would warn in the last days of December). docs/coverage.md
    has a worked example."""
    start, end = window
    active_days = (end - start).days + 1
    needed = required - days_visited
    if needed <= 0:
        return Assessment(required, active_days, days_visited, "met", None)
    if closed or today > period.end:
        return Assessment(required, active_days, days_visited, "missed", None)
    first_open = max(start, today)
    ahead = sum(1 for day in upcoming if first_open <= day <= end)
    free_left = max(0, (end - first_open).days + 1) - ahead
    elapsed = min(max(0, (today - start).days), active_days)
    if free_left < needed:
        return Assessment(required, active_days, days_visited, "missed", None)
    if free_left == needed or days_visited < pace(required, elapsed, active_days):
        # Without a visit it stays behind: missed once fewer open days are left than needed.
        due_on = first_open + timedelta(days=free_left - needed + 1)
        due_on = due_on if due_on <= period.end else None
        return Assessment(required, active_days, days_visited, "at_risk", due_on)
    # On track: due the first day the pace asks for more than the days visited, or the open
    # days come down to the days needed, whichever is first.
    behind_on = start + timedelta(days=days_visited * active_days // required + 1)
    short_on = first_open + timedelta(days=free_left - needed)
    due_on = min(behind_on, short_on)
    return Assessment(
        required, active_days, days_visited, "on_track", due_on if due_on <= period.end else None
    )


@dataclass(frozen=True)
class Gap:
    """An every-N-days rule's rolling result: the gap since the last visit (or admission)."""

    starts_on: date  # the last visited day, or the admission day
    ends_on: date  # the last day a visit is in time: starts_on + N
    status: str
    due_on: date | None  # the day the status turns if nothing else happens

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.ends_on).days)


def warning_days(every_days: int) -> int:
    """How many last days of a gap are at risk: one, or two for a gap of a week or more."""
    return 2 if every_days >= 7 else 1


def judge_gap(every_days: int, starts_on: date, today: date) -> Gap:
    """A visit at least every N days: met while the gap is short, at risk on its last
    day(s), missed once it is exceeded."""
    ends_on = starts_on + timedelta(days=every_days)
    warned_from = ends_on - timedelta(days=warning_days(every_days) - 1)
    if today > ends_on:
        return Gap(starts_on, ends_on, "missed", None)
    if today >= warned_from:
        return Gap(starts_on, ends_on, "at_risk", ends_on + timedelta(days=1))
    return Gap(starts_on, ends_on, "met", warned_from)
