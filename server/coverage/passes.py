"""Keeping the stored results fresh: the refresh, which carries out plan.py's plan, and the
close of a period.

refresh() looks only at what changed since its last run and at rows whose status is due to
change; a new period, or a policy change that moved many residents' rules, makes it judge
every resident once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from server.coverage import prepare
from server.coverage.bulk import judge_in_bulk, turn_in_bulk
from server.coverage.counts import chunks
from server.coverage.evaluate import DROP, Evaluated, evaluate
from server.coverage.gaps import due_gaps, judge_gaps, on_gap_rules
from server.coverage.periods import GAP_LABEL, Period
from server.coverage.plan import Record, RefreshPlan, plan_refresh
from server.coverage.summary import keep_counts, recount
from server.models import CoverageResult, CoverageState, Resident, utcnow
from server.platform.clock import today_in
from server.platform.extensions import db

# A visit stamped received_at=T may commit a little after T; re-reading this much before the
# last run's start costs a few extra rows and never misses one.
WATERMARK_OVERLAP = timedelta(minutes=5)
# The close jobs run ten minutes after a period ends; a refresh closes an ended period itself
# only once this much time has passed since (the scheduler was down at the time), so the
# first refresh of a week does not also carry the close of the last one.
CLOSE_JOB_GRACE = timedelta(hours=1)
# On the mornings when tens of thousands of statuses turn at once (Saturday and Sunday at
# midnight for a twice-weekly rule), each refresh takes this many due rows at most, those of
# the first residents in id order, and leaves the others to the next: a refresh holds
# SQLite's write lock, or PostgreSQL's row locks, for a second or two instead of five, while
# phones sync. At 56,000 turns the last is made by about 01:50, long before the digest.
DUE_ROWS_PER_REFRESH = 8_000
# A full pass (a new install, a policy change that moved many rules, a new period that was not
# prepared) judges this many residents in care a refresh, in id order, and the next refreshes
# go on: at 100,000 the whole took 5-7 s in one transaction; five slices take an hour.
FULL_PASS_SLICE = 20_000


def _state() -> CoverageState:
    state = db.session.get(CoverageState, 1)
    if state is None:
        state = CoverageState(id=1, refreshed_at=None, change_seq=0, periods=[])
        db.session.add(state)
        db.session.flush()
    return state


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def refresh(now: datetime | None = None) -> dict:
    """Bring the stored results up to date as of `now`; return what it did (for job runs).

    Reads only residents with visits received or voided since the last run, residents whose
    record or rule changed (admission, discharge, care level, unit, policy), and rows whose
    status is due to turn; a new period, or a policy change that moved many, makes it read
    every resident once, a slice a refresh (a full pass).

    First the periods that ended an hour ago and more are closed, then plan_refresh() decides
    what this refresh does and carry_out() does it. Flushes; the caller commits. The refresh
    job closes those periods itself first, committing each (server/jobs/schedule.py), so
    here it finds none left; a test or a benchmark that calls refresh() alone gets them
    closed in the same unit of work.
    """
    now = now or utcnow()
    started = utcnow()
    closed = close_due_periods(now, grace=CLOSE_JOB_GRACE)
    state = _state()
    plan = plan_refresh(
        state,
        now,
        started,
        full_pass_slice=FULL_PASS_SLICE,
        due_rows_per_refresh=DUE_ROWS_PER_REFRESH,
        overlap=WATERMARK_OVERLAP,
    )
    done = carry_out(plan, state)
    db.session.flush()
    return {
        "at": now.isoformat(),
        "full": plan.full,
        "evaluated": done.evaluated,
        "late": done.late,
        "status_changes": done.status_changes,
        "closed": closed,
        "prepared": done.prepared,
        # A full pass or a turn is under way: the next refresh goes on with it.
        "more": plan.more,
    }


@dataclass(frozen=True)
class Done:
    """What carry_out() did, as refresh() reports it."""

    evaluated: int  # current results judged
    late: int  # results of other periods judged again for late or voided visits
    status_changes: int
    prepared: int  # residents judged for the next periods


def carry_out(plan: RefreshPlan, state: CoverageState) -> Done:
    """Do what the plan says, in this order: start the prepared periods (their alerts); turn
    the due rows the stored row decides; judge the current periods; judge again the other
    periods' rows late visits change; raise and resolve the alerts of the statuses that
    changed; keep the board's counts; prepare the next periods; record the state. Flushes;
    the caller commits."""
    from server.alerts import raised

    now, today = plan.now, plan.today
    if plan.starting:
        prepare.raise_prepared_alerts(list(plan.starting), now)
    turned = turn_in_bulk(plan.labels, today, now, among=plan.turnable()) if plan.due else None
    judged, in_sql = _judge_current(plan)
    late = reevaluate_rows(plan.late_rows, today, now)
    if turned is not None:
        judged.count += turned.judged
        in_sql += turned.status_changes
        judged.written |= turned.written

    raised.apply_coverage_changes(judged.changes + late.changes, now)
    keep_counts([*plan.labels, GAP_LABEL], judged.written | late.written, now)
    # Before the state takes this refresh's change number: prepare reads who changed since.
    prepared = prepare.advance(
        state,
        today,
        now,
        None if plan.full else set(plan.touched),
        judged=judged.count + late.count,
    )
    _record(state, plan.record)
    return Done(
        judged.count, late.count, len(judged.changes) + in_sql + len(late.changes), prepared
    )


def _record(state: CoverageState, record: Record) -> None:
    state.refreshed_at, state.change_seq = record.refreshed_at, record.change_seq
    state.periods = None if record.periods is None else list(record.periods)
    state.turned_on = record.turned_on
    state.full_labels = None if record.full_labels is None else list(record.full_labels)
    state.full_after = record.full_after


def _judge_current(plan: RefreshPlan) -> tuple[Evaluated, int]:
    """Judge the current periods: the touched residents in Python with exact counts, the
    others in SQL, and what SQL leaves over in Python. Answers what was judged and written,
    with the status changes still to alert on, and the status changes the database applied
    itself."""
    today, now = plan.today, plan.now
    current_period = periods_of_the_rule(plan.period)
    exact = evaluate(plan.touched, current_period, today, now)
    bulk = judge_in_bulk(plan.judged_in_sql(), list(plan.periods), today, now)
    left = evaluate(bulk.leftovers, current_period, today, now, exact=False)
    gaps = judge_gaps(_gap_candidates(plan, bulk.leftovers), today, now)
    return Evaluated(
        exact.count + bulk.judged + left.count + gaps.count,
        exact.changes + left.changes + gaps.changes,
        exact.written | bulk.written | left.written | gaps.written,
    ), bulk.status_changes


def _gap_candidates(plan: RefreshPlan, leftovers: set[uuid.UUID]) -> set[uuid.UUID]:
    """Whose every-N-days row the refresh judges: the touched, whoever SQL handed back (the
    residents on such a rule among those it was given), the rows due to turn, and the rows
    of residents it judged for another rule (their rule changed: the row goes)."""
    wanted = on_gap_rules(plan.touched) | leftovers
    if plan.due:
        wanted |= due_gaps(plan.today)
    wanted |= set(
        db.session.scalars(
            select(CoverageResult.resident_id).where(
                CoverageResult.period == GAP_LABEL,
                CoverageResult.resident_id.in_(plan.judged_in_sql()),
            )
        )
    )
    return wanted


def periods_of_the_rule(period: Callable[[str], Period]):
    """For evaluate(): a resident is judged for the current period of their rule's kind, and
    their rows of the other kinds' current periods are dropped (a rule that switched between
    week, month and year leaves no stale open row behind; an every-N-days rule has none of
    these, gaps.py judges its row)."""

    def current_period(row, rule):
        for kind in ("week", "month", "year"):
            yield period(kind), rule.required if kind == rule.period else DROP

    return current_period


def reevaluate_rows(
    rows: tuple[tuple[uuid.UUID, str], ...], today: date, now: datetime
) -> Evaluated:
    """A late or voided visit in a past period: recount it, keeping its requirement."""
    by_resident: dict[uuid.UUID, list[Period]] = defaultdict(list)
    for resident_id, label in rows:
        by_resident[resident_id].append(Period.parse(label))
    return evaluate(
        list(by_resident), lambda row, rule: ((p, None) for p in by_resident[row.id]), today, now
    )


def close_period(label: str, now: datetime | None = None) -> dict:
    """Judge a finished week or month for good: met or missed, and alerts for the missed.

    Flushes; the caller commits (a close is one unit of work)."""
    from server.alerts import raised

    now = now or utcnow()
    period = Period.parse(label)
    today = today_in(_zone(), now)
    if today <= period.end:
        raise ValueError(f"{label} has not ended yet (today is {today.isoformat()})")
    holding = select(CoverageResult.resident_id).where(CoverageResult.period == label)
    candidates = select(Resident.id).where(
        or_(Resident.in_care_since(period.start), Resident.id.in_(holding))
    )
    bulk = judge_in_bulk(candidates, [period], today, now, close=True)
    stored = {
        resident_id
        for batch in chunks(list(bulk.leftovers))
        for resident_id in db.session.scalars(holding.where(CoverageResult.resident_id.in_(batch)))
    }

    def periods_for(row, rule):
        if rule.period == period.kind:
            yield period, rule.required
        elif row.id in stored:
            yield period, None

    left = evaluate(bulk.leftovers, periods_for, today, now, close=True, exact=False)
    raised.apply_coverage_changes(left.changes, now)
    recount([label], now)
    db.session.flush()
    return {
        "period": label,
        "evaluated": bulk.judged + left.count,
        "status_changes": bulk.status_changes + len(left.changes),
    }


def close_due_periods(now: datetime, grace: timedelta = timedelta(0)) -> list[str]:
    """Close every period that ended at least `grace` ago and still has open rows (the
    scheduler may have been down when its close job was due), and the ended periods the
    refreshes were judging that were never closed. Flushes; the caller commits."""
    closed: list[str] = []
    for label in periods_to_close(now, grace):
        close_period(label, now)
        closed.append(label)
    return sorted(closed)


def periods_to_close(now: datetime, grace: timedelta = timedelta(0)) -> Iterator[str]:
    """The periods close_due_periods() closes, one at a time, for a caller that closes each
    itself and commits between them (the refresh job: a close is one unit of work).

    Each label is looked for only once the caller has closed the one before (the open rows
    that close leaves decide the next), and is offered once.
    """
    before = today_in(_zone(), now - grace)
    offered: list[str] = []
    for label in _ended_but_never_closed(before):
        offered.append(label)
        yield label
    # One period at a time, the earliest first, each found through the index of open rows:
    # asking for every distinct label instead reads the whole table (planners serve the
    # DISTINCT from the period index).
    while label := db.session.scalar(
        select(CoverageResult.period)
        .where(
            CoverageResult.closed_at.is_(None),
            CoverageResult.period_end < before,
            CoverageResult.period.not_in([*offered, GAP_LABEL]),  # a gap rolls, never closes
        )
        .order_by(CoverageResult.period_end)
        .limit(1)
    ):
        offered.append(label)
        yield label


def _ended_but_never_closed(before: date) -> list[str]:
    """Periods named by the coverage state (the current ones, or those of a full pass under
    way) that ended before `before` and have no closed row.

    A full pass in slices that a period's end interrupts leaves the residents it had not
    reached without a row for that period; if it reached nobody under that period's kind of
    rule, no open row shows the period to the loop above, and without this its results would
    never be written.
    """
    state = db.session.get(CoverageState, 1)
    if state is None:
        return []
    named = sorted({*(state.periods or []), *(state.full_labels or [])})
    ended = [label for label in named if Period.parse(label).end < before]
    return [
        label
        for label in ended
        if not db.session.scalar(
            select(CoverageResult.resident_id)
            .where(CoverageResult.period == label, CoverageResult.closed_at.is_not(None))
            .limit(1)
        )
    ]
