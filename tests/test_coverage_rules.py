"""The rule as a pure function: periods, pro-rating and statuses, table by table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.coverage import Period, active_window, assess, prorated
from server.coverage.counts import CARRY_BACK, carry_ranges

W47 = Period.parse("2026-W47")  # Monday 16 to Sunday 22 November 2026
D = lambda day: date(2026, 11, day)  # noqa: E731


def test_periods_parse_and_name_themselves():
    assert (W47.start, W47.end, W47.days) == (D(16), D(22), 7)
    assert Period.of("week", date(2027, 1, 1)).label == "2026-W53"
    assert Period.parse("2026-02").end == date(2026, 2, 28)
    assert Period.parse("2028-02").days == 29
    assert Period.parse("2026-W01").start == date(2025, 12, 29)
    assert W47.previous().label == "2026-W46"
    for bad in ("2026-W54", "2026-13", "26-11", "2026-1"):
        with pytest.raises(ValueError):
            Period.parse(bad)


@pytest.mark.parametrize("label", ["2026-W47", "2026-W01", "2026-03", "2027-01", "2028-W09"])
def test_a_last_visit_is_carried_from_every_period_that_ends_within_reach(label):
    """The rows a last visit may be carried from are read as one range of labels per kind of
    period: each range must hold every week, or every month, ending in the CARRY_BACK days
    before the period, and no more of that kind."""
    period = Period.parse(label)
    weeks, months = carry_ranges(period)
    for back in range(1, 400):
        day = period.start - timedelta(days=back)
        for kind, (oldest, newest) in (("week", weeks), ("month", months)):
            earlier = Period.of(kind, day)
            in_reach = period.start - CARRY_BACK <= earlier.end < period.start
            if in_reach:
                assert oldest <= earlier.label <= newest, (kind, earlier.label)
            elif earlier.end < period.start - CARRY_BACK:
                assert not oldest <= earlier.label <= newest, (kind, earlier.label)


@pytest.mark.parametrize(
    ("admitted", "status", "since", "window"),
    [
        (D(1), "active", D(1), (D(16), D(22))),
        (D(20), "active", D(20), (D(20), D(22))),  # admitted on Friday
        (D(1), "discharged", D(17), (D(16), D(17))),  # discharged on Tuesday
        (D(1), "deceased", D(15), None),  # before the week
        (D(23), "active", D(23), None),  # after the week
        (D(18), "discharged", D(19), (D(18), D(19))),
    ],
)
def test_active_window(admitted, status, since, window):
    assert active_window(W47, admitted, status, since) == window


@pytest.mark.parametrize(
    ("required", "active", "days", "expected"),
    [
        (2, 7, 7, 2),
        (2, 3, 7, 1),
        (2, 2, 7, 1),
        (3, 5, 7, 3),
        (3, 4, 7, 2),
        (2, 1, 7, 1),
        (1, 10, 30, 1),
        (4, 15, 30, 2),
        (0, 7, 7, 0),
    ],
)
def test_prorating_rounds_up(required, active, days, expected):
    assert prorated(required, active, days) == expected


FULL = (D(16), D(22))


@pytest.mark.parametrize(
    ("required", "window", "visits", "today", "status", "due_on"),
    [
        # on track, turning at risk on Saturday (two days for two rounds)
        (2, FULL, [], D(16), "on_track", D(21)),
        (2, FULL, [], D(20), "on_track", D(21)),
        (2, FULL, [], D(21), "at_risk", D(22)),
        (2, FULL, [], D(22), "missed", None),
        # one round done: at risk on Sunday, unless Sunday itself was the day
        (2, FULL, [D(17)], D(18), "on_track", D(22)),
        (2, FULL, [D(17)], D(22), "at_risk", None),
        (2, FULL, [D(22)], D(22), "missed", None),
        (2, FULL, [D(17), D(17)], D(19), "on_track", D(22)),
        (2, FULL, [D(17), D(19)], D(19), "met", None),
        # visits outside the period never count
        (2, FULL, [D(15), D(23)], D(16), "on_track", D(21)),
        # admitted on Friday: one round in three days
        (1, (D(20), D(22)), [], D(16), "on_track", D(22)),
        (1, (D(20), D(22)), [], D(22), "at_risk", None),
        # discharged on Tuesday, never visited: missed from Wednesday
        (1, (D(16), D(17)), [], D(17), "at_risk", D(18)),
        (1, (D(16), D(17)), [], D(18), "missed", None),
        # nothing required: met
        (0, FULL, [], D(16), "met", None),
        # after the period, short is missed whatever the day
        (2, FULL, [D(16)], D(23), "missed", None),
    ],
)
def test_status_and_when_it_turns(required, window, visits, today, status, due_on):
    result = assess(W47, required, window, visits, today)
    assert (result.status, result.due_on) == (status, due_on)


def test_a_closed_period_is_met_or_missed():
    assert assess(W47, 2, FULL, [D(16)], D(18), closed=True).status == "missed"
    assert assess(W47, 2, FULL, [D(16), D(18)], D(18), closed=True).status == "met"


def test_monthly_rule():
    november = Period.parse("2026-11")
    result = assess(november, 1, (november.start, november.end), [], D(10))
    assert (result.status, result.due_on, result.active_days) == ("on_track", D(30), 30)
    assert assess(november, 1, (november.start, november.end), [], D(30)).status == "at_risk"
