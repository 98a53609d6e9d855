"""Weeks, months and years as coverage periods, and their labels ("2026-W47", "2026-11",
"2026"); and the rolling gap of an every-N-days rule, labelled "days"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property


@dataclass(frozen=True)
class Period:
    kind: str  # "week" | "month" | "year" | "days" (a resident's own rolling gap)
    start: date
    end: date

    @cached_property  # asked for once per resident and period by every refresh
    def label(self) -> str:
        if self.kind == "week":
            return iso_week_label(self.start)
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "days":
            return GAP_LABEL
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls("week", monday, monday + timedelta(days=6))
        if kind == "year":
            return cls("year", date(day.year, 1, 1), date(day.year, 12, 31))
        if kind == "days":  # each resident's gap has its own dates (gaps.py): only the label
            return cls("days", day, day)
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls("month", first, following - timedelta(days=1))

    @classmethod
    def parse(cls, label: str) -> Period:
        """ "2026-W47", "2026-11" or "2026"; ValueError for anything else."""
        if len(label) == 4 and label.isdigit():
            return cls.of("year", date(int(label), 1, 1))
        if "-W" in label:
            year, week = label.split("-W")
            return cls.of("week", date.fromisocalendar(int(year), int(week), 1))
        year, month = label.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(label)
        return cls.of("month", date(int(year), int(month), 1))

    def previous(self) -> Period:
        return Period.of(self.kind, self.start - timedelta(days=1))


# The label of every resident's every-N-days result: one rolling row each.
GAP_LABEL = "days"
# The kinds judged in SQL (bulk.py) and turned from the stored row; the others in Python.
BULK_KINDS = ("week", "month")


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding `day`."""
    week = Period.of("week", day)
    return week.start, week.end


def current_periods(today: date) -> dict[str, Period]:
    """The week, the month and the year holding `today`, by kind."""
    return {
        "week": Period.of("week", today),
        "month": Period.of("month", today),
        "year": Period.of("year", today),
    }
