"""Coverage: how many distinct days each resident was visited in a period, against the rule.

The rules, in the words supervisors use, are in docs/coverage.md. In short: a policy says how
many distinct local days with a valid visit a resident needs per week or month; residents who
were active only part of the period need a pro-rated share; the status is met, on_track,
at_risk or missed. Results are stored per resident and period and kept fresh by refresh().

The package, in reading order: periods, policies, rule (the pure rule), counts (reading
visits), evaluate (judging a few residents in Python), bulk (judging many in SQL), store
(writing what changed), prepare (the next period, on the last day of this one), plan (what
one refresh will do), passes (the refresh that carries it out, and the close), summary (the
counts the board adds up), phone (the roster's count) and board (the supervisor's views).
"""

from server.coverage.board import board, history
from server.coverage.evaluate import DROP, Change, evaluate
from server.coverage.passes import close_due_periods, close_period, refresh
from server.coverage.periods import Period, current_periods, iso_week_label, week_bounds
from server.coverage.phone import roster_coverage
from server.coverage.policies import (
    Policies,
    Rule,
    load_policies,
    replace_policies,
    set_resident_rule,
)
from server.coverage.rule import Assessment, active_window, assess, judge, prorated

__all__ = [
    "DROP",
    "Assessment",
    "Change",
    "Period",
    "Policies",
    "Rule",
    "active_window",
    "assess",
    "board",
    "close_due_periods",
    "close_period",
    "current_periods",
    "evaluate",
    "history",
    "iso_week_label",
    "judge",
    "load_policies",
    "prorated",
    "refresh",
    "replace_policies",
    "roster_coverage",
    "set_resident_rule",
    "week_bounds",
]
