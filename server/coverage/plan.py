"""What one refresh will do, decided before it does anything: the plan and its planner.

plan_refresh() only reads (the state, the new visits, where a slice ends); passes.py carries
the plan out. The plan also builds the SQL conditions that say whom each step judges.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, or_, select, true

from server.coverage import prepare
from server.coverage.bulk import due_rows
from server.coverage.counts import chunks
from server.coverage.periods import GAP_LABEL, Period, current_periods
from server.models import CoverageResult, CoverageState, Resident, Visit
from server.platform.clock import today_in
from server.platform.extensions import db
from server.roster.changes import current_change_number

_stored = CoverageResult.__table__.c


@dataclass(frozen=True)
class Record:
    """The state a refresh leaves for the next one (CoverageState's fields of the same name)."""

    refreshed_at: datetime
    change_seq: int
    periods: tuple[str, ...]  # the periods judged in full
    turned_on: date | None  # the day by which every due row was judged
    full_labels: tuple[str, ...] | None  # a full pass under way: for which periods...
    full_after: uuid.UUID | None  # ...and the last resident it judged


@dataclass(frozen=True)
class RefreshPlan:
    now: datetime
    today: date
    periods: tuple[Period, ...]  # the current week and month
    full: bool  # a full pass: everyone in care is judged, a slice a refresh
    full_after: uuid.UUID | None  # the full pass's last resident judged by earlier refreshes
    full_last: uuid.UUID | None  # this slice's last resident; None: all that are left
    starting: tuple[str, ...]  # prepared periods that start now: their alerts are raised
    takes_over: bool  # the new periods were prepared in full: no full pass for them
    due: bool  # whether rows may be due to turn (the first refresh of a day, or its turn)
    due_last: uuid.UUID | None  # the due rows taken: those of residents up to it; None: all
    since_change: int  # residents with a higher change number changed since the last run
    since: datetime | None  # visits received or voided after it are new; None: a first run
    touched: frozenset[uuid.UUID]  # the residents with new or voided visits
    late_rows: tuple[tuple[uuid.UUID, str], ...]  # other periods' rows their visits change
    record: Record

    @property
    def labels(self) -> list[str]:
        return [period.label for period in self.periods]

    def period(self, kind: str) -> Period:
        return next(period for period in self.periods if period.kind == kind)

    @property
    def more(self) -> bool:
        """A full pass or a turn is still under way: the next refresh goes on with it."""
        return self.record.full_labels is not None or self.record.turned_on != self.today

    # -- whom each step judges, as SQL conditions --------------------------------------------

    def record_changed(self) -> ColumnElement[bool]:
        """Residents whose record or rule changed since the last run: judged again, never
        turned from their stored row."""
        return Resident.change_seq > self.since_change

    def untouched(self, resident_id: ColumnElement) -> ColumnElement[bool]:
        """Residents without new or voided visits (those are judged exactly, in Python)."""
        if self.since is None:
            return true()
        return resident_id.not_in(select(Visit.resident_id).where(_new_visits(self.since)))

    def due_taken(self, resident_id: ColumnElement) -> ColumnElement[bool]:
        """The residents whose due rows this refresh takes."""
        return _between(resident_id, None, self.due_last)

    def turnable(self) -> ColumnElement[bool]:
        """Among the due rows taken, those turn_in_bulk() may turn from the stored row: of
        residents with no new visit and no changed record (they are judged anyway)."""
        changed = select(Resident.id).where(self.record_changed())
        return and_(
            self.due_taken(_stored.resident_id),
            self.untouched(_stored.resident_id),
            _stored.resident_id.not_in(changed),
        )

    def judged_in_sql(self) -> Select:
        """The residents the SQL pass judges, other than the touched.

        A full pass: its slice, and the residents judged earlier in the pass whose record
        changed since (the others are judged in their slice, whatever changed). Otherwise:
        whose record or rule changed, and whose row is due and still due after the turn
        (it cannot turn from the row alone; evaluated after the turn)."""
        if self.full:
            chosen = and_(
                _in_full_pass(self.periods, self.starting),
                _between(Resident.id, self.full_after, self.full_last),
            )
            if self.full_after is not None:
                chosen = or_(chosen, and_(Resident.id <= self.full_after, self.record_changed()))
        elif self.due:
            still_due = select(_stored.resident_id).where(
                due_rows(self.labels, self.today), self.due_taken(_stored.resident_id)
            )
            chosen = or_(self.record_changed(), Resident.id.in_(still_due))
        else:
            chosen = self.record_changed()
        return select(Resident.id).where(chosen, self.untouched(Resident.id))


def plan_refresh(
    state: CoverageState,
    now: datetime,
    started: datetime,
    *,
    full_pass_slice: int,
    due_rows_per_refresh: int,
    overlap: timedelta,
) -> RefreshPlan:
    """Decide what the refresh at `now` (begun at `started`) does. Reads, writes nothing.

    `full_pass_slice`, `due_rows_per_refresh`: how many residents a full pass judges, and how
    many due rows are taken, per refresh; `overlap`: how far before the last run new visits
    are read again.
    """
    seq = current_change_number()
    today = today_in(current_app.config["TIMEZONE"], now)
    periods = tuple(current_periods(today).values())
    labels = [period.label for period in periods]
    starting = tuple(prepare.starting(state, labels))
    new_periods = state.refreshed_at is None or state.periods != labels
    takes_over = new_periods and prepare.takes_over(state, labels)
    full = new_periods and not takes_over  # a new period not prepared in full: judge everyone
    due = not full and state.turned_on != today  # see CoverageState.turned_on
    since = None if state.refreshed_at is None else state.refreshed_at - overlap
    touched, late_rows = new_visits_since(since, labels, today)

    record = Record(
        refreshed_at=started,
        change_seq=seq,
        periods=tuple(labels),
        turned_on=state.turned_on,
        full_labels=_tuple(state.full_labels),
        full_after=state.full_after,
    )
    full_after = full_last = due_last = None
    if full:
        # Start a full pass, or go on with the one under way for these periods.
        full_after = state.full_after if state.full_labels == labels else None
        full_last = _slice_end(
            select(Resident.id)
            .where(
                _in_full_pass(periods, starting),
                _between(Resident.id, full_after, None),
            )
            .order_by(Resident.id),
            full_pass_slice,
        )
        if full_last is not None:  # more slices to come: the periods are not judged in full
            record = replace(
                record,
                periods=_tuple(state.periods),
                full_labels=tuple(labels),
                full_after=full_last,
            )
        else:
            # Rows judged on an earlier day of the pass may be due: unless the whole pass was
            # done today, the next refresh looks for due rows.
            record = replace(
                record,
                full_labels=None,
                full_after=None,
                turned_on=today if full_after is None else state.turned_on,
            )
    elif due:
        # The residents of the first due rows in id order: a turned row is due no more, so
        # the next refresh takes the next residents. All taken, the day's turn is done.
        due_last = _slice_end(
            select(_stored.resident_id)
            .where(due_rows(labels, today))
            .order_by(_stored.resident_id),
            due_rows_per_refresh,
        )
        if due_last is None:
            record = replace(record, turned_on=today)
    return RefreshPlan(
        now=now,
        today=today,
        periods=periods,
        full=full,
        full_after=full_after,
        full_last=full_last,
        starting=starting,
        takes_over=takes_over,
        due=due,
        due_last=due_last,
        since_change=state.change_seq,
        since=since,
        touched=touched,
        late_rows=late_rows,
        record=record,
    )


def _in_full_pass(periods: tuple[Period, ...], starting: tuple[str, ...]) -> ColumnElement[bool]:
    """Everyone a full pass judges: in care during the current periods, and anyone holding
    a row prepared for them (maybe discharged since)."""
    in_care = Resident.in_care_since(min(period.start for period in periods))
    if not starting:
        return in_care
    return or_(
        in_care,
        Resident.id.in_(
            select(CoverageResult.resident_id).where(CoverageResult.period.in_(starting))
        ),
    )


def _tuple(labels: list[str] | None) -> tuple[str, ...] | None:
    return None if labels is None else tuple(labels)


def _new_visits(since: datetime) -> ColumnElement[bool]:
    return or_(Visit.received_at > since, Visit.voided_at > since)


def new_visits_since(
    since: datetime | None, labels: list[str], today: date
) -> tuple[frozenset[uuid.UUID], tuple[tuple[uuid.UUID, str], ...]]:
    """Residents with visits received or voided since `since`, and the stored rows of other
    periods those visits change. Even a full pass reads them: a visit synced late for a
    closed period changes that period, which no pass of the current ones judges."""
    if since is None:
        return frozenset(), ()
    days = defaultdict(set)
    for resident_id, day in db.session.execute(
        select(Visit.resident_id, Visit.visit_date).where(_new_visits(since))
    ):
        days[resident_id].add(day)
    return frozenset(days), tuple(_rows_holding(days, labels, today))


def _rows_holding(
    days_by_resident: dict[uuid.UUID, set[date]], skip_labels: list[str], today: date
) -> list[tuple[uuid.UUID, str]]:
    """Stored results of other periods that a late or voided visit changes: the period that
    holds its day, and the later ones, whose last visit it may be (not the periods being
    prepared: prepare.py keeps those)."""
    found = []
    for batch in chunks(list(days_by_resident)):
        first = min(min(days_by_resident[r]) for r in batch)
        rows = db.session.execute(
            select(
                CoverageResult.resident_id,
                CoverageResult.period,
                CoverageResult.period_end,
            ).where(
                CoverageResult.resident_id.in_(batch),
                CoverageResult.period.not_in([*skip_labels, GAP_LABEL]),
                CoverageResult.period_end >= first,
                CoverageResult.period_start <= today,
            )
        )
        found += [
            (resident_id, label)
            for resident_id, label, end in rows
            if end >= min(days_by_resident[resident_id])
        ]
    return found


def _slice_end(ids: Select, size: int) -> uuid.UUID | None:
    """The id that ends a slice of the first `size` of `ids` (ordered), or None when no more
    than `size` are left (the slice is the rest): the slice's end and whether anything lies
    beyond it, in one query."""
    ends = db.session.scalars(ids.offset(size - 1).limit(2)).all()
    return ends[0] if len(ends) == 2 else None


def _between(
    resident_id: ColumnElement, after: uuid.UUID | None, last: uuid.UUID | None
) -> ColumnElement[bool]:
    """Residents after `after` (None: from the first) up to `last` (None: to the end)."""
    return and_(
        true() if after is None else resident_id > after,
        true() if last is None else resident_id <= last,
    )
