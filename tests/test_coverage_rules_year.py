"""The yearly rule and the every-N-days rule as pure functions, table by table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.coverage import Period, active_window, assess, prorated
from server.coverage.rule import judge_gap, pace

Y2026 = Period.parse("2026")
Y2028 = Period.parse("2028")  # a leap year
WHOLE = (date(2026, 1, 1), date(2026, 12, 31))


def visits(n: int, first: date = date(2026, 1, 5)) -> list[date]:
    return [first + timedelta(days=7 * k) for k in range(n)]


def test_years_parse_and_name_themselves():
    assert (Y2026.label, Y2026.start, Y2026.end, Y2026.days) == (
        "2026",
        date(2026, 1, 1),
        date(2026, 12, 31),
        365,
    )
    assert Y2028.days == 366
    assert Period.of("year", date(2027, 6, 30)).label == "2027"
    assert Y2026.previous().label == "2025"
    assert Period.parse("2026-11").kind == "month"


@pytest.mark.parametrize(
    ("admitted", "status", "since", "active_days", "required"),
    [
        (date(2025, 3, 1), "active", date(2025, 3, 1), 365, 6),
        (date(2026, 7, 1), "active", date(2026, 7, 1), 184, 4),  # admitted mid-year
        (date(2025, 3, 1), "discharged", date(2026, 3, 31), 90, 2),  # discharged in March
        (date(2026, 12, 31), "active", date(2026, 12, 31), 1, 1),
    ],
)
def test_a_year_is_prorated_for_admission_and_discharge(
    admitted, status, since, active_days, required
):
    window = active_window(Y2026, admitted, status, since)
    assert (window[1] - window[0]).days + 1 == active_days
    assert prorated(6, active_days, Y2026.days) == required


def test_a_leap_year_prorates_over_366_days():
    window = active_window(Y2028, date(2028, 7, 1), "active", date(2028, 7, 1))
    assert (window[1] - window[0]).days + 1 == 184
    assert prorated(6, 184, Y2028.days) == 4  # 6 x 184 / 366 = 3.02
    assert prorated(366, 366, Y2028.days) == 366


@pytest.mark.parametrize(
    ("visited", "today", "status", "due_on"),
    [
        # the worked example of docs/coverage.md: 6 a year, two days visited
        (2, date(2026, 1, 20), "on_track", date(2026, 5, 3)),
        (2, date(2026, 5, 2), "on_track", date(2026, 5, 3)),
        (2, date(2026, 5, 3), "at_risk", date(2026, 12, 29)),
        (2, date(2026, 10, 1), "at_risk", date(2026, 12, 29)),  # behind, not yet lost
        (2, date(2026, 12, 28), "at_risk", date(2026, 12, 29)),
        (2, date(2026, 12, 29), "missed", None),
        # caught up with the pace by October: on track until it asks for a sixth
        (5, date(2026, 10, 1), "on_track", date(2026, 11, 2)),
        (5, date(2026, 11, 2), "at_risk", None),  # one left: lost only if the year ends
        (5, date(2026, 12, 31), "at_risk", None),
        (6, date(2026, 3, 1), "met", None),
        # on New Year's Day nothing is owed yet
        (0, date(2026, 1, 1), "on_track", date(2026, 1, 2)),
        (0, date(2026, 1, 2), "at_risk", date(2026, 12, 27)),
        # the year ended short
        (5, date(2027, 1, 1), "missed", None),
    ],
)
def test_a_year_is_at_risk_once_behind_its_pace(visited, today, status, due_on):
    result = assess(Y2026, 6, WHOLE, visits(visited), today)
    assert (result.status, result.due_on) == (status, due_on)


def test_the_pace_follows_the_days_elapsed():
    assert [pace(6, elapsed, 365) for elapsed in (0, 1, 60, 61, 121, 122, 273, 365)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        5,
        6,
    ]


def test_a_leap_years_pace_counts_29_february():
    """6 of 366 days: the third visit is owed once 123 days are gone (6 x 122 / 366 is 2)."""
    whole = (date(2028, 1, 1), date(2028, 12, 31))
    two = [date(2028, 1, 5), date(2028, 2, 29)]
    result = assess(Y2028, 6, whole, two, date(2028, 3, 1))
    assert (result.status, result.due_on) == ("on_track", date(2028, 5, 3))
    assert assess(Y2028, 6, whole, two, date(2028, 5, 3)).status == "at_risk"


def test_a_resident_admitted_mid_year_keeps_the_pace_of_their_own_days():
    """Admitted 1 July: 4 of 6, over 184 days. The first visit is owed once a day is gone,
    the second once 47 are (4 x 46 / 184 is exactly 1)."""
    window = (date(2026, 7, 1), date(2026, 12, 31))
    result = assess(Y2026, 4, window, [date(2026, 7, 3)], date(2026, 7, 10))
    assert (result.status, result.due_on) == ("on_track", date(2026, 8, 17))
    assert assess(Y2026, 4, window, [], date(2026, 7, 1)).status == "on_track"
    assert assess(Y2026, 4, window, [], date(2026, 7, 2)).status == "at_risk"


def test_a_resident_discharged_mid_year_is_judged_on_their_days():
    window = (date(2026, 1, 1), date(2026, 3, 31))  # 90 days, 2 of 6
    assert assess(Y2026, 2, window, [date(2026, 1, 10)], date(2026, 2, 14)).status == "on_track"
    assert assess(Y2026, 2, window, [date(2026, 1, 10)], date(2026, 2, 16)).status == "at_risk"
    assert assess(Y2026, 2, window, [date(2026, 1, 10)], date(2026, 4, 2)).status == "missed"


def test_a_closed_year_is_met_or_missed():
    assert assess(Y2026, 6, WHOLE, visits(5), date(2026, 6, 1), closed=True).status == "missed"
    assert assess(Y2026, 6, WHOLE, visits(6), date(2026, 6, 1), closed=True).status == "met"


def test_the_last_days_of_a_year_leave_no_room():
    """Every remaining day must have a visit: at risk even if the pace were kept."""
    result = assess(Y2026, 366 - 1, WHOLE, [], date(2026, 1, 1))
    assert result.status == "at_risk"
    assert assess(Y2026, 365, WHOLE, [], date(2026, 1, 2)).status == "missed"


OCT = lambda day: date(2026, 10, day)  # noqa: E731


@pytest.mark.parametrize(
    ("every", "starts_on", "today", "status", "ends_on", "due_on", "overdue"),
    [
        # every 10 days, visited 1 October: a visit on the 11th is in time
        (10, OCT(1), OCT(1), "met", OCT(11), OCT(10), 0),
        (10, OCT(1), OCT(9), "met", OCT(11), OCT(10), 0),
        (10, OCT(1), OCT(10), "at_risk", OCT(11), OCT(12), 0),
        (10, OCT(1), OCT(11), "at_risk", OCT(11), OCT(12), 0),
        (10, OCT(1), OCT(12), "missed", OCT(11), None, 1),
        (10, OCT(1), OCT(20), "missed", OCT(11), None, 9),
        # a gap shorter than a week warns on its last day only
        (3, OCT(1), OCT(3), "met", OCT(4), OCT(4), 0),
        (3, OCT(1), OCT(4), "at_risk", OCT(4), OCT(5), 0),
        # every day: at risk each day until visited
        (1, OCT(1), OCT(1), "met", OCT(2), OCT(2), 0),
        (1, OCT(1), OCT(2), "at_risk", OCT(2), OCT(3), 0),
        (1, OCT(1), OCT(3), "missed", OCT(2), None, 1),
        # across the end of February in a leap year: 29 February is a day of the gap
        (2, date(2028, 2, 28), date(2028, 3, 1), "at_risk", date(2028, 3, 1), date(2028, 3, 2), 0),
        (2, date(2028, 2, 28), date(2028, 3, 2), "missed", date(2028, 3, 1), None, 1),
    ],
)
def test_a_visit_every_n_days(every, starts_on, today, status, ends_on, due_on, overdue):
    gap = judge_gap(every, starts_on, today)
    assert (gap.status, gap.ends_on, gap.due_on, gap.days_overdue(today)) == (
        status,
        ends_on,
        due_on,
        overdue,
    )
