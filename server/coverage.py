"""Coverage: how many distinct days each resident was visited in a period, against the rule.

The rules, in the words supervisors use, are in docs/coverage.md. In short: a policy says how
many distinct local days with a valid visit a resident needs per week or month; residents who
were active only part of the period need a pro-rated share; the status is met, on_track,
at_risk or missed. Results are stored per resident and period and kept fresh by refresh(),
which looks only at what changed since its last run and at rows whose status is due to change.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from .changes import current_change_number
from .clock import today_in
from .extensions import db
from .models import CoveragePolicy, CoverageResult, CoverageState, Resident, Visit, utcnow

DEFAULT_RULE_REQUIRED = 2
DEFAULT_RULE_PERIOD = "week"
# Rows a refresh reads and writes at a time: memory stays flat however many residents there are.
BATCH = 5000
# A visit stamped received_at=T may commit a little after T; re-reading this much before the
# last run's start costs a few extra rows and never misses one.
WATERMARK_OVERLAP = timedelta(minutes=5)


# -- periods -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    kind: str  # "week" | "month"
    start: date
    end: date

    @cached_property  # asked for once per resident and period by every refresh
    def label(self) -> str:
        if self.kind == "week":
            return iso_week_label(self.start)
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls("week", monday, monday + timedelta(days=6))
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls("month", first, following - timedelta(days=1))

    @classmethod
    def parse(cls, label: str) -> Period:
        """"2026-W47" or "2026-11"; ValueError for anything else."""
        if "-W" in label:
            year, week = label.split("-W")
            return cls.of("week", date.fromisocalendar(int(year), int(week), 1))
        year, month = label.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(label)
        return cls.of("month", date(int(year), int(month), 1))

    def previous(self) -> Period:
        return Period.of(self.kind, self.start - timedelta(days=1))


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding `day`."""
    week = Period.of("week", day)
    return week.start, week.end


# -- policies ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    required: int
    period: str


@dataclass
class Policies:
    default: Rule
    care_levels: dict[str, Rule]
    residents: dict[uuid.UUID, Rule]

    def rule_for(self, resident_id: uuid.UUID, care_level: str | None) -> Rule:
        """The resident's own override, else their care level's, else the default."""
        if resident_id in self.residents:
            return self.residents[resident_id]
        if care_level is not None and care_level in self.care_levels:
            return self.care_levels[care_level]
        return self.default


def load_policies() -> Policies:
    policies = Policies(Rule(DEFAULT_RULE_REQUIRED, DEFAULT_RULE_PERIOD), {}, {})
    for row in db.session.scalars(select(CoveragePolicy)):
        rule = Rule(row.required, row.period)
        if row.key == "default":
            policies.default = rule
        elif row.resident_id is not None:
            policies.residents[row.resident_id] = rule
        elif row.care_level is not None:
            policies.care_levels[row.care_level] = rule
    return policies


def replace_policies(user_id: uuid.UUID | None, document: dict) -> None:
    """Replace every policy with the document's; the next refresh recomputes open periods."""
    now = utcnow()
    db.session.execute(delete(CoveragePolicy))
    rows = [CoveragePolicy(key="default", required=document["default"]["required"],
                           period=document["default"]["period"])]
    rows += [CoveragePolicy(key=f"care_level:{item['care_level']}", care_level=item["care_level"],
                            required=item["required"], period=item["period"])
             for item in document.get("care_levels", [])]
    rows += [CoveragePolicy(key=f"resident:{item['resident_id']}",
                            resident_id=item["resident_id"], required=item["required"],
                            period=item["period"])
             for item in document.get("residents", [])]
    for row in rows:
        row.updated_at, row.updated_by = now, user_id
    db.session.add_all(rows)
    # Forget which periods were fully evaluated: the next refresh re-reads every resident.
    db.session.execute(update(CoverageState).values(periods=[]))


# -- the rule itself: a pure function, tested table by table -------------------------------

@dataclass(frozen=True)
class Assessment:
    required: int
    active_days: int
    days_visited: int
    status: str
    due_on: date | None


def active_window(period: Period, admitted_on: date, status: str,
                  status_since: date) -> tuple[date, date] | None:
    """The days of the period the resident was in care: admission and discharge days count."""
    start = max(period.start, admitted_on)
    end = period.end if status == "active" else min(period.end, status_since)
    return (start, end) if start <= end else None


def prorated(required: int, active_days: int, period_days: int) -> int:
    return math.ceil(required * active_days / period_days)


def assess(period: Period, required: int, window: tuple[date, date], visit_days: Iterable[date],
           today: date, *, closed: bool = False) -> Assessment:
    """Judge one resident for one period from the days they were visited, as seen on `today`."""
    visited = {day for day in visit_days if period.start <= day <= period.end}
    return judge(period, required, window, len(visited), {d for d in visited if d >= today},
                 today, closed=closed)


def judge(period: Period, required: int, window: tuple[date, date], days_visited: int,
          upcoming: set[date], today: date, *, closed: bool = False) -> Assessment:
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
        status = "missed" if free_left < needed else "at_risk" if free_left == needed \
            else "on_track"
        due_on = {"on_track": end + timedelta(days=1 - needed),
                  "at_risk": first_open + timedelta(days=1)}.get(status)
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


# -- reading visits ------------------------------------------------------------------------

def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for offset in range(0, len(items), size):
        yield items[offset:offset + size]


def _visit_days(resident_ids: list[uuid.UUID], first: date,
                last: date) -> dict[uuid.UUID, set[date]]:
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    rows = db.session.execute(
        select(Visit.resident_id, Visit.visit_date).distinct()
        .where(Visit.resident_id.in_(resident_ids), Visit.voided_at.is_(None),
               Visit.visit_date.between(first, last))
    )
    for resident_id, day in rows:
        days[resident_id].add(day)
    return days


def _period_counts(resident_ids: list[uuid.UUID],
                   period: Period) -> dict[uuid.UUID, tuple[int, datetime]]:
    """Distinct visited days and the latest check-in in the period, counted by the database."""
    return {row[0]: (row[1], row[2]) for row in db.session.execute(
        select(Visit.resident_id, func.count(func.distinct(Visit.visit_date)),
               func.max(Visit.checked_in_at))
        .where(Visit.resident_id.in_(resident_ids), Visit.voided_at.is_(None),
               Visit.visit_date.between(period.start, period.end))
        .group_by(Visit.resident_id))}


def _last_visits(resident_ids: list[uuid.UUID], until: date) -> dict[uuid.UUID, datetime]:
    return dict(db.session.execute(
        select(Visit.resident_id, func.max(Visit.checked_in_at))
        .where(Visit.resident_id.in_(resident_ids), Visit.voided_at.is_(None),
               Visit.visit_date <= until)
        .group_by(Visit.resident_id)
    ).all())


# How far back a result's last visit is carried from the resident's earlier results.
CARRY_BACK = timedelta(days=62)


def _earlier_last_visits(resident_ids: list[uuid.UUID], period: Period,
                         exact: bool) -> dict[uuid.UUID, datetime]:
    """The last visit before the period: carried from the previous stored results (cheap), or
    read from the visits when `exact` or when there is nothing to carry."""
    found: dict[uuid.UUID, datetime] = {}
    if not exact:
        found = {key: value for key, value in db.session.execute(
            select(CoverageResult.resident_id, func.max(CoverageResult.last_visit_at))
            .where(CoverageResult.resident_id.in_(resident_ids),
                   CoverageResult.period_end < period.start,
                   CoverageResult.period_end >= period.start - CARRY_BACK)
            .group_by(CoverageResult.resident_id)) if value is not None}
    missing = [resident_id for resident_id in resident_ids if resident_id not in found]
    if missing:
        found.update(_last_visits(missing, period.start - timedelta(days=1)))
    return found


# -- evaluating and storing ----------------------------------------------------------------

DROP = -1  # as a requirement for evaluate(): remove this resident's row for the period

RESIDENT_COLUMNS = (Resident.id, Resident.unit_id, Resident.care_level, Resident.admitted_on,
                    Resident.status, Resident.status_since)


@dataclass
class Change:
    """A stored result whose status moved: what alerts.py needs to raise or resolve."""

    resident_id: uuid.UUID
    unit_id: uuid.UUID
    period: str
    before: str | None
    after: str | None  # None: the row went away (the resident was not in care that period)
    closed: bool


def _store(rows: list[dict], removed: list[tuple[uuid.UUID, str]]) -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    if rows:
        dialect = db.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(CoverageResult.__table__)
        columns = [key for key in rows[0] if key not in ("resident_id", "period")]
        statement = statement.on_conflict_do_update(
            index_elements=["resident_id", "period"],
            set_={name: statement.excluded[name] for name in columns},
        )
        # Core, not the ORM's bulk path: one executemany, however many rows.
        db.session.connection().execute(statement, rows)
    for resident_id, label in removed:
        db.session.execute(delete(CoverageResult).where(CoverageResult.resident_id == resident_id,
                                                        CoverageResult.period == label))


def evaluate(resident_ids: Iterable[uuid.UUID], periods_for, today: date, now: datetime,
             *, close: bool = False, exact: bool = True) -> tuple[int, list[Change]]:
    """Recompute and store the results of these residents for the periods periods_for() names.

    periods_for(resident_row, rule) yields (Period, required): a number of days before
    pro-rating; None keeps the stored requirement (a closed period is judged by the rule of
    its time); DROP removes the row. Counting happens in the database, a batch of residents
    and a period at a time, so memory follows the batch, never the number of visits.
    `exact=False` lets a result without a visit in its period carry the last visit from the
    resident's previous result instead of searching all their visits (the full passes).
    """
    policies = load_policies()
    changes: list[Change] = []
    count = 0
    for batch in _chunks(sorted(set(resident_ids))):
        residents = db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(batch)))
        wanted = []
        for row in residents:
            rule = policies.rule_for(row.id, row.care_level)
            wanted += [(row, period, required) for period, required in periods_for(row, rule)]
        if not wanted:
            continue
        labels = {period.label for _, period, _ in wanted}
        stored = {(r.resident_id, r.period): r for r in db.session.execute(
            select(CoverageResult.resident_id, CoverageResult.period, CoverageResult.status,
                   CoverageResult.required, CoverageResult.active_days, CoverageResult.closed_at)
            .where(CoverageResult.resident_id.in_(batch), CoverageResult.period.in_(labels))
        )}
        by_period: dict[Period, list] = defaultdict(list)
        for row, period, required in wanted:
            if required != DROP:
                by_period[period].append(row.id)
        counts, last_before = {}, {}
        for period, ids in by_period.items():
            counts.update({(key, period.label): value
                           for key, value in _period_counts(ids, period).items()})
            unseen = [key for key in ids if (key, period.label) not in counts]
            last_before.update({(key, period.label): value for key, value in
                                _earlier_last_visits(unseen, period, exact).items()})
        open_periods = [period for period in by_period if period.end >= today]
        upcoming = _visit_days(batch, today, max(p.end for p in open_periods)) \
            if open_periods else {}
        rows, removed = [], []
        for row, period, required in wanted:
            old = stored.get((row.id, period.label))
            if required is None and old is not None and old.closed_at is not None:
                # A closed period keeps the requirement and the days in care it was judged
                # by; a late or voided visit is all that can change it.
                window = (period.start, period.start + timedelta(days=old.active_days - 1))
            else:
                window = active_window(period, row.admitted_on, row.status, row.status_since)
            if window is None or required == DROP:
                if old is not None:
                    removed.append((row.id, period.label))
                    changes.append(Change(row.id, row.unit_id, period.label, old.status, None,
                                          old.closed_at is not None))
                continue
            active_days = (window[1] - window[0]).days + 1
            if required is None:
                required = old.required if old is not None else 0
            else:
                required = prorated(required, active_days, period.days)
            closed = close or (old is not None and old.closed_at is not None)
            days_visited, last_visit = counts.get((row.id, period.label), (0, None))
            ahead = {day for day in upcoming.get(row.id, ()) if day <= period.end}
            result = judge(period, required, window, days_visited, ahead, today, closed=closed)
            rows.append({
                "resident_id": row.id, "period": period.label, "period_start": period.start,
                "period_end": period.end, "unit_id": row.unit_id, "required": result.required,
                "active_days": result.active_days, "days_visited": result.days_visited,
                "last_visit_at": last_visit or last_before.get((row.id, period.label)),
                "status": result.status, "due_on": result.due_on, "evaluated_at": now,
                "closed_at": (old.closed_at if old is not None and old.closed_at else
                              now if close else None),
            })
            if old is None or old.status != result.status:
                changes.append(Change(row.id, row.unit_id, period.label,
                                      old.status if old else None, result.status, closed))
        _store(rows, removed)
        count += len(rows)
    return count, changes


def _current_periods(today: date) -> dict[str, Period]:
    return {"week": Period.of("week", today), "month": Period.of("month", today)}


def _eligible_residents(first: date) -> list[uuid.UUID]:
    """Residents in care on some day since `first`: everyone a new period must judge."""
    return list(db.session.scalars(select(Resident.id).where(
        or_(Resident.status == "active", Resident.status_since >= first))))


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
    record changed (admission, discharge, care level, unit), and rows whose status is due to
    turn; a new period, or a changed policy, makes it read every resident once.
    """
    from . import alerts

    now = now or utcnow()
    started = utcnow()
    today = today_in(_zone(), now)
    closed = close_due_periods(now)
    state = _state()
    seq = current_change_number()
    current = _current_periods(today)
    labels = [current["week"].label, current["month"].label]
    full = state.refreshed_at is None or state.periods != labels

    def current_period(row, rule):
        yield current[rule.period], rule.required
        # A rule that switched between week and month leaves no stale open row behind.
        yield current["month" if rule.period == "week" else "week"], DROP

    past_rows: list[CoverageResult] = []
    touched: set[uuid.UUID] = set()  # residents with new or voided visits: exact last visit
    if full:
        others = set(_eligible_residents(min(p.start for p in current.values())))
    else:
        since = state.refreshed_at - WATERMARK_OVERLAP
        dirty = db.session.execute(
            select(Visit.resident_id, Visit.visit_date)
            .where(or_(Visit.received_at > since, Visit.voided_at > since))
        ).all()
        touched = {resident_id for resident_id, _ in dirty}
        others = set(db.session.scalars(select(Resident.id).where(
            Resident.change_seq > state.change_seq)))
        others |= set(db.session.scalars(select(CoverageResult.resident_id).where(
            CoverageResult.period.in_(labels), CoverageResult.closed_at.is_(None),
            CoverageResult.due_on <= today)))
        late = defaultdict(set)
        for resident_id, day in dirty:
            late[resident_id].add(day)
        past_rows = _rows_holding(late, labels)
    count, changes = evaluate(touched, current_period, today, now)
    count_others, other_changes = evaluate(others - touched, current_period, today, now,
                                           exact=False)
    count, changes = count + count_others, changes + other_changes
    count_late, late_changes = _reevaluate_rows(past_rows, today, now)
    alerts.apply_coverage_changes(changes + late_changes, now)
    state.refreshed_at, state.change_seq, state.periods = started, seq, labels
    db.session.commit()
    return {"at": now.isoformat(), "full": full, "evaluated": count, "late": count_late,
            "status_changes": len(changes) + len(late_changes), "closed": closed}


def _rows_holding(days_by_resident: dict[uuid.UUID, set[date]],
                  skip_labels: list[str]) -> list[CoverageResult]:
    """Stored results of other periods that a late or voided visit changes: the period that
    holds its day, and the later ones, whose last visit it may be."""
    found = []
    for batch in _chunks(list(days_by_resident)):
        first = min(min(days_by_resident[r]) for r in batch)
        rows = db.session.scalars(select(CoverageResult).where(
            CoverageResult.resident_id.in_(batch), CoverageResult.period.not_in(skip_labels),
            CoverageResult.period_end >= first))
        found += [row for row in rows
                  if row.period_end >= min(days_by_resident[row.resident_id])]
    return found


def _reevaluate_rows(rows: list[CoverageResult], today: date,
                     now: datetime) -> tuple[int, list[Change]]:
    """A late or voided visit in a past period: recount it, keeping its requirement."""
    by_resident: dict[uuid.UUID, list[Period]] = defaultdict(list)
    for row in rows:
        by_resident[row.resident_id].append(Period.parse(row.period))
    return evaluate(list(by_resident), lambda row, rule: ((p, None) for p in by_resident[row.id]),
                    today, now)


def close_period(label: str, now: datetime | None = None) -> dict:
    """Judge a finished week or month for good: met or missed, and alerts for the missed."""
    from . import alerts

    now = now or utcnow()
    period = Period.parse(label)
    today = today_in(_zone(), now)
    if today <= period.end:
        raise ValueError(f"{label} has not ended yet (today is {today.isoformat()})")
    stored = set(db.session.scalars(select(CoverageResult.resident_id)
                                    .where(CoverageResult.period == label)))
    ids = set(_eligible_residents(period.start)) | stored

    def periods_for(row, rule):
        if rule.period == period.kind:
            yield period, rule.required
        elif row.id in stored:
            yield period, None

    count, changes = evaluate(ids, periods_for, today, now, close=True, exact=False)
    alerts.apply_coverage_changes(changes, now)
    db.session.commit()
    return {"period": label, "evaluated": count, "status_changes": len(changes)}


def close_due_periods(now: datetime) -> list[str]:
    """Close every ended period that still has open rows (the scheduler may have been down)."""
    today = today_in(_zone(), now)
    labels = list(db.session.scalars(
        select(CoverageResult.period).distinct()
        .where(CoverageResult.closed_at.is_(None), CoverageResult.period_end < today)))
    for label in sorted(labels):
        close_period(label, now)
    return sorted(labels)


# -- what the phone shows ------------------------------------------------------------------

def roster_coverage(resident_ids: list[uuid.UUID], today: date) -> dict[uuid.UUID, dict]:
    """This period's count for each resident, as the phone shows it ("1 / 2").

    `week` names the period of the resident's rule: "2026-W48", or "2026-11" for a monthly one.
    """
    policies = load_policies()
    current = _current_periods(today)
    answer: dict[uuid.UUID, dict] = {}
    for batch in _chunks(list(resident_ids)):
        days = _visit_days(batch, current["month"].start if current["month"].start <
                           current["week"].start else current["week"].start,
                           max(current["week"].end, current["month"].end))
        last = _last_visits(batch, date.max)
        for row in db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(batch))):
            rule = policies.rule_for(row.id, row.care_level)
            period = current[rule.period]
            window = active_window(period, row.admitted_on, row.status, row.status_since)
            active_days = (window[1] - window[0]).days + 1 if window else period.days
            answer[row.id] = {
                "week": period.label,
                "required": prorated(rule.required, active_days, period.days),
                "days_visited": sum(1 for day in days.get(row.id, ())
                                    if period.start <= day <= period.end),
                "last_visit_at": last.get(row.id),
            }
    return answer


# -- the supervisor's board ----------------------------------------------------------------

def _units_in_scope(unit_scope: set[uuid.UUID] | None,
                    unit_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    from .models import Unit

    query = select(Unit.id, Unit.name).order_by(Unit.name)
    if unit_scope is not None:
        query = query.where(Unit.id.in_(unit_scope))
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    return [(row.id, row.name) for row in db.session.execute(query)]


def board(period: Period, unit_scope: set[uuid.UUID] | None,
          unit_id: uuid.UUID | None = None) -> dict:
    """Every stored result of the period in the units one may see, and counts per unit."""
    units = _units_in_scope(unit_scope, unit_id)
    unit_ids = [unit for unit, _ in units]
    rows = db.session.execute(
        select(CoverageResult, Resident.name).join(Resident,
                                                   Resident.id == CoverageResult.resident_id)
        .where(CoverageResult.period == period.label, CoverageResult.unit_id.in_(unit_ids))
        .order_by(Resident.name, Resident.id)
    ).all()
    counts = {unit: dict.fromkeys(("residents", "met", "on_track", "at_risk", "missed"), 0)
              for unit in unit_ids}
    residents = []
    for result, name in rows:
        counts[result.unit_id]["residents"] += 1
        counts[result.unit_id][result.status] += 1
        residents.append({"resident_id": result.resident_id, "name": name,
                          "unit_id": result.unit_id, "required": result.required,
                          "days_visited": result.days_visited,
                          "last_visit_at": result.last_visit_at, "status": result.status})
    evaluated = max((result.evaluated_at for result, _ in rows), default=None)
    return {"period": period.label, "evaluated_at": evaluated,
            "units": [{"unit_id": unit, **counts[unit]} for unit in unit_ids],
            "residents": residents}


def history(today: date, weeks: int, unit_scope: set[uuid.UUID] | None,
            unit_id: uuid.UUID | None = None) -> dict:
    """The share of residents who met the rule, per unit and week, oldest week first."""
    current = Period.of("week", today)
    periods = [current]
    while len(periods) < weeks:
        periods.insert(0, periods[0].previous())
    labels = [period.label for period in periods]
    units = _units_in_scope(unit_scope, unit_id)
    tally: dict = defaultdict(lambda: [0, 0])
    rows = db.session.execute(
        select(CoverageResult.unit_id, CoverageResult.period, CoverageResult.status,
               func.count())
        .where(CoverageResult.period.in_(labels),
               CoverageResult.unit_id.in_([unit for unit, _ in units]))
        .group_by(CoverageResult.unit_id, CoverageResult.period, CoverageResult.status))
    for unit, label, status, count in rows:
        tally[unit, label][0] += count
        if status == "met":
            tally[unit, label][1] += count
    return {"weeks": labels, "units": [
        {"unit_id": unit, "name": name, "weeks": [
            {"period": label, "residents": tally[unit, label][0], "met": tally[unit, label][1],
             "share_met": (round(tally[unit, label][1] / tally[unit, label][0], 4)
                           if tally[unit, label][0] else None)}
            for label in labels]}
        for unit, name in units]}
