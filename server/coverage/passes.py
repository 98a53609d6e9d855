"""Keeping the stored results fresh: the incremental refresh and the close of a period.

refresh() looks only at what changed since its last run and at rows whose status is due to
change; a new period, or a policy change that moved many residents' rules, makes it judge
every resident once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, or_, select, true

from server.coverage import prepare
from server.coverage.bulk import BulkResult, due_rows, judge_in_bulk, turn_in_bulk
from server.coverage.counts import chunks
from server.coverage.evaluate import DROP, Evaluated, evaluate
from server.coverage.periods import Period, current_periods
from server.coverage.summary import keep_counts, recount
from server.models import CoverageResult, CoverageState, Resident, Visit, utcnow
from server.platform.clock import today_in
from server.platform.extensions import db
from server.roster.changes import current_change_number

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
    """
    from server.alerts import raised as alerts

    now = now or utcnow()
    started = utcnow()
    today = today_in(_zone(), now)
    closed = close_due_periods(now, grace=CLOSE_JOB_GRACE)
    state = _state()
    seq = current_change_number()
    current = current_periods(today)
    labels = [current["week"].label, current["month"].label]
    full = state.refreshed_at is None or state.periods != labels
    if full and prepare.takes_over(state, labels):
        full = False  # the new periods were prepared yesterday: only what changed since
    starting = prepare.starting(state, labels)
    rows_may_be_due = state.turned_on != today  # see CoverageState.turned_on
    if starting:
        prepare.raise_prepared_alerts(starting, now)

    dirty = _since_last_run(state, labels, today)
    turned = None
    due_now = None
    full_slice = _next_full_slice(state, labels, current, starting) if full else None
    if not full and rows_may_be_due:
        due_now = _due_this_refresh(labels, today)
        turned = _turn_unchanged(state, labels, due_now, dirty, today, now)
    chosen = (full_slice.chosen(state) if full_slice
              else _changed_or_due(state, labels, today, due_now))
    others = select(Resident.id).where(chosen, dirty.untouched(Resident.id))
    judged, in_sql = _judge_current(dirty.touched, others, current, today, now)
    late = _reevaluate_rows(dirty.past_rows, today, now)
    if turned is not None:
        judged.count += turned.judged
        in_sql += turned.status_changes
        judged.written |= turned.written

    alerts.apply_coverage_changes(judged.changes + late.changes, now)
    keep_counts(labels, judged.written | late.written, now)
    prepared = prepare.advance(state, today, now, None if full else dirty.touched,
                               judged=judged.count + late.count)
    state.refreshed_at, state.change_seq = started, seq
    if full_slice is None:
        state.periods = labels
        if due_now is None or due_now.last is None:
            state.turned_on = today
    else:
        full_slice.end(state, labels, today)
    db.session.commit()
    return {"at": now.isoformat(), "full": full, "evaluated": judged.count, "late": late.count,
            "status_changes": len(judged.changes) + in_sql + len(late.changes),
            "closed": closed, "prepared": prepared,
            # A full pass or a turn is under way: the next refresh goes on with it.
            "more": state.full_labels is not None or state.turned_on != today}


@dataclass
class _Dirty:
    """What came in since the last run."""

    touched: set[uuid.UUID] = field(default_factory=set)  # new or voided visits: exact counts
    visited: Select | None = None  # the same residents, for SQL
    past_rows: list[CoverageResult] = field(default_factory=list)  # other periods they change

    def untouched(self, resident_id: ColumnElement) -> ColumnElement[bool]:
        """Everyone else."""
        return true() if self.visited is None else resident_id.not_in(self.visited)


def _since_last_run(state: CoverageState, labels: list[str], today: date) -> _Dirty:
    """Residents with visits received or voided since the last run, and the stored rows of
    other periods those visits change. Even a full pass reads them: a visit synced late for a
    closed period changes that period, which no pass of the current ones judges."""
    if state.refreshed_at is None:
        return _Dirty()
    since = state.refreshed_at - WATERMARK_OVERLAP
    dirty_visits = or_(Visit.received_at > since, Visit.voided_at > since)
    dirty = db.session.execute(
        select(Visit.resident_id, Visit.visit_date).where(dirty_visits)).all()
    late = defaultdict(set)
    for resident_id, day in dirty:
        late[resident_id].add(day)
    return _Dirty(touched=set(late), visited=select(Visit.resident_id).where(dirty_visits),
                  past_rows=_rows_holding(late, labels, today))


def _in_care_this_period(current: dict[str, Period],
                         starting: list[str]) -> ColumnElement[bool]:
    """Everyone a full pass judges: in care during the current periods, and anyone holding
    a row prepared for them (maybe discharged since)."""
    in_care = Resident.in_care_since(min(p.start for p in current.values()))
    if not starting:
        return in_care
    return or_(in_care, Resident.id.in_(select(CoverageResult.resident_id).where(
        CoverageResult.period.in_(starting))))


def _slice_end(ids: Select, size: int) -> uuid.UUID | None:
    """The id that ends a slice of the first `size` of `ids` (ordered), or None when no more
    than `size` are left (the slice is the rest): the slice's end and whether anything lies
    beyond it, in one query."""
    ends = db.session.scalars(ids.offset(size - 1).limit(2)).all()
    return ends[0] if len(ends) == 2 else None


def _between(resident_id: ColumnElement, after: uuid.UUID | None,
             last: uuid.UUID | None) -> ColumnElement[bool]:
    """Residents after `after` (None: from the first) up to `last` (None: to the end)."""
    return and_(true() if after is None else resident_id > after,
                true() if last is None else resident_id <= last)


@dataclass
class _DueNow:
    """The residents whose due rows this refresh takes: all, or those up to `last`."""

    last: uuid.UUID | None

    def taken(self, resident_id: ColumnElement) -> ColumnElement[bool]:
        return _between(resident_id, None, self.last)


def _due_this_refresh(labels: list[str], today: date) -> _DueNow:
    """The residents of the first DUE_ROWS_PER_REFRESH due rows in id order (a turned row is
    due no more, so the next refresh takes the next residents)."""
    resident = CoverageResult.__table__.c.resident_id
    return _DueNow(_slice_end(select(resident).where(due_rows(labels, today))
                              .order_by(resident), DUE_ROWS_PER_REFRESH))


@dataclass
class _FullSlice:
    """The residents a full pass judges in this refresh: the next FULL_PASS_SLICE in id order
    after those its earlier refreshes judged."""

    everyone: ColumnElement[bool]  # whom the pass judges
    after: uuid.UUID | None  # the last resident judged by the earlier refreshes
    last: uuid.UUID | None  # this slice's last resident; None: all that are left

    def chosen(self, state: CoverageState) -> ColumnElement[bool]:
        """The slice, and the residents judged earlier in the pass whose record changed since
        (the others are judged in their slice, whatever changed)."""
        in_slice = and_(self.everyone, _between(Resident.id, self.after, self.last))
        if self.after is None:
            return in_slice
        return or_(in_slice, and_(Resident.id <= self.after, _record_changed(state)))

    def end(self, state: CoverageState, labels: list[str], today: date) -> None:
        """Note how far the pass came; after its last slice, the periods are judged in full.
        Rows judged on an earlier day of the pass may be due: unless it was all done today,
        the next refresh looks for due rows."""
        if self.last is not None:
            state.full_after = self.last
            return
        if self.after is None:
            state.turned_on = today
        state.periods, state.full_labels, state.full_after = labels, None, None


def _next_full_slice(state: CoverageState, labels: list[str], current: dict[str, Period],
                     starting: list[str]) -> _FullSlice:
    """Start a full pass, or go on with the one under way for these periods."""
    if state.full_labels != labels:
        state.full_labels, state.full_after = labels, None
    everyone = _in_care_this_period(current, starting)
    left = select(Resident.id).where(everyone, _between(Resident.id, state.full_after, None))
    return _FullSlice(everyone, state.full_after,
                      _slice_end(left.order_by(Resident.id), FULL_PASS_SLICE))


def _turn_unchanged(state: CoverageState, labels: list[str], due_now: _DueNow,
                    dirty: _Dirty, today: date, now: datetime) -> BulkResult:
    """Turn the rows due now that the stored row alone decides, of residents with no new
    visit and no changed record (they are judged anyway). First, so that the rows still due
    after it are the ones to judge, without asking again which turn alone."""
    resident = CoverageResult.__table__.c.resident_id
    changed = select(Resident.id).where(_record_changed(state))
    return turn_in_bulk(labels, today, now, among=and_(
        due_now.taken(resident), dirty.untouched(resident), resident.not_in(changed)))


def _record_changed(state: CoverageState) -> ColumnElement[bool]:
    """Residents whose record or rule changed since the last run: judged again, never turned
    from their stored row."""
    return Resident.change_seq > state.change_seq


def _changed_or_due(state: CoverageState, labels: list[str], today: date,
                    due_now: _DueNow | None) -> ColumnElement[bool]:
    """Residents whose record or rule changed since the last run, and those whose row is
    due now and still due after the turn (_turn_unchanged): it cannot turn from the row
    alone. No due rows to look at after the first refresh of a day has turned them all."""
    judged_again = _record_changed(state)
    if due_now is None:
        return judged_again
    resident = CoverageResult.__table__.c.resident_id
    still_due = select(resident).where(due_rows(labels, today), due_now.taken(resident))
    return or_(judged_again, Resident.id.in_(still_due))


def _judge_current(touched: set[uuid.UUID], others: Select, current: dict[str, Period],
                   today: date, now: datetime) -> tuple[Evaluated, int]:
    """Judge the current periods: the touched residents in Python with exact counts, the
    others in SQL, and what SQL leaves over in Python. Answers what was judged and written,
    with the status changes still to alert on, and the status changes the database applied
    itself."""

    def current_period(row, rule):
        yield current[rule.period], rule.required
        # A rule that switched between week and month leaves no stale open row behind.
        yield current["month" if rule.period == "week" else "week"], DROP

    exact = evaluate(touched, current_period, today, now)
    bulk = judge_in_bulk(others, list(current.values()), today, now)
    left = evaluate(bulk.leftovers, current_period, today, now, exact=False)
    return Evaluated(exact.count + bulk.judged + left.count, exact.changes + left.changes,
                     exact.written | bulk.written | left.written), bulk.status_changes


def _rows_holding(days_by_resident: dict[uuid.UUID, set[date]],
                  skip_labels: list[str], today: date) -> list[CoverageResult]:
    """Stored results of other periods that a late or voided visit changes: the period that
    holds its day, and the later ones, whose last visit it may be (not the periods being
    prepared: prepare.py keeps those)."""
    found = []
    for batch in chunks(list(days_by_resident)):
        first = min(min(days_by_resident[r]) for r in batch)
        rows = db.session.scalars(select(CoverageResult).where(
            CoverageResult.resident_id.in_(batch), CoverageResult.period.not_in(skip_labels),
            CoverageResult.period_end >= first, CoverageResult.period_start <= today))
        found += [row for row in rows
                  if row.period_end >= min(days_by_resident[row.resident_id])]
    return found


def _reevaluate_rows(rows: list[CoverageResult], today: date, now: datetime) -> Evaluated:
    """A late or voided visit in a past period: recount it, keeping its requirement."""
    by_resident: dict[uuid.UUID, list[Period]] = defaultdict(list)
    for row in rows:
        by_resident[row.resident_id].append(Period.parse(row.period))
    return evaluate(list(by_resident), lambda row, rule: ((p, None) for p in by_resident[row.id]),
                    today, now)


def close_period(label: str, now: datetime | None = None) -> dict:
    """Judge a finished week or month for good: met or missed, and alerts for the missed."""
    from server.alerts import raised as alerts

    now = now or utcnow()
    period = Period.parse(label)
    today = today_in(_zone(), now)
    if today <= period.end:
        raise ValueError(f"{label} has not ended yet (today is {today.isoformat()})")
    holding = select(CoverageResult.resident_id).where(CoverageResult.period == label)
    candidates = select(Resident.id).where(
        or_(Resident.in_care_since(period.start), Resident.id.in_(holding)))
    bulk = judge_in_bulk(candidates, [period], today, now, close=True)
    stored = {resident_id for batch in chunks(list(bulk.leftovers)) for resident_id in
              db.session.scalars(holding.where(CoverageResult.resident_id.in_(batch)))}

    def periods_for(row, rule):
        if rule.period == period.kind:
            yield period, rule.required
        elif row.id in stored:
            yield period, None

    left = evaluate(bulk.leftovers, periods_for, today, now, close=True, exact=False)
    alerts.apply_coverage_changes(left.changes, now)
    recount([label], now)
    db.session.commit()
    return {"period": label, "evaluated": bulk.judged + left.count,
            "status_changes": bulk.status_changes + len(left.changes)}


def close_due_periods(now: datetime, grace: timedelta = timedelta(0)) -> list[str]:
    """Close every period that ended at least `grace` ago and still has open rows (the
    scheduler may have been down when its close job was due)."""
    before = today_in(_zone(), now - grace)
    closed: list[str] = []
    # One period at a time, the earliest first, each found through the index of open rows:
    # asking for every distinct label instead reads the whole table (planners serve the
    # DISTINCT from the period index). Each label is tried once per call.
    while label := db.session.scalar(
            select(CoverageResult.period)
            .where(CoverageResult.closed_at.is_(None), CoverageResult.period_end < before,
                   CoverageResult.period.not_in(closed))
            .order_by(CoverageResult.period_end).limit(1)):
        close_period(label, now)
        closed.append(label)
    return sorted(closed)
