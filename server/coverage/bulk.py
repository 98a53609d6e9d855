"""Judging many residents at once in SQL: the full passes, the close of a period, the turns.

A new week, a policy change, the close of a period, or the morning many at-risk statuses
turn make a refresh judge tens of thousands of residents. Done in Python that costs about a
tenth of a millisecond each; here the database counts, applies the rule, writes the results
and raises and resolves the alerts in a few statements, and no resident passes through Python.

The rule is the one in rule.py (judge()), written again as SQL expressions. It covers the
usual cases; a resident whose case it does not cover is handed back for evaluate.py:
- their stored row of the period is closed (judged by the rule of its time);
- their rule is of the other kind of period than a stored row (the row is dropped or kept);
- they were not in care on any day of the period (a stored row is removed);
- visits dated from today on that do not form one run starting at the first open day (a
  phone's clock ahead: judge() looks at the free days one by one);
- their rule is a year's or every N days (judged against a pace, or a rolling gap: Python
  only, evaluate.py and gaps.py); a year's period is never judged here.
tests/test_coverage_bulk.py holds both paths to the same answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Uuid,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)

from server.alerts import raised
from server.coverage.counts import carried_from
from server.coverage.periods import BULK_KINDS, Period
from server.coverage.policies import load_policies
from server.coverage.store import RESULT_COLUMNS, insert_results, rewriting_changed
from server.models import CoveragePolicy, CoverageResult, Resident, Visit
from server.models.types import UTCDateTime
from server.platform.extensions import db
from server.platform.sqlparts import days_between, earlier_of, later_of, plus_days

# The residents of one pass with their rules, read once for every period the pass judges.
_candidates = Table(
    "coverage_candidates",
    MetaData(),
    Column("resident_id", Uuid, primary_key=True),
    Column("unit_id", Uuid),
    Column("rule_required", Integer),
    Column("rule_kind", String(10)),
    Column("admitted_on", Date),
    Column("status", String(12)),
    Column("status_since", Date),
    prefixes=["TEMPORARY"],
)
# The candidates' visits in one period, counted.
_counted = Table(
    "coverage_counted",
    MetaData(),
    Column("resident_id", Uuid, primary_key=True),
    Column("days_visited", Integer),
    Column("last_in", UTCDateTime),
    Column("n_ahead", Integer),
    Column("first_ahead", Date),
    Column("last_ahead", Date),
    prefixes=["TEMPORARY"],
)
# One pass's judgements before they are compared with the stored rows and written.
_judged = Table(
    "coverage_judged",
    MetaData(),
    Column("resident_id", Uuid, primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("unit_id", Uuid),
    Column("required", Integer),
    Column("active_days", Integer),
    Column("days_visited", Integer),
    Column("last_visit_at", UTCDateTime),
    Column("status", String(10)),
    Column("due_on", Date),
    Column("evaluated_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("old_status", String(10)),
    prefixes=["TEMPORARY"],
)
TEMPORARY = (_candidates, _counted, _judged)


def _fill_candidates(connection, candidates: Select) -> None:
    """Each candidate's rule: their own policy, else their care level's, else the default."""
    default = load_policies().default
    own = CoveragePolicy.__table__.alias("own_policy")
    level = CoveragePolicy.__table__.alias("level_policy")
    joined = Resident.__table__.outerjoin(own, own.c.resident_id == Resident.id).outerjoin(
        level, and_(level.c.care_level == Resident.care_level, level.c.resident_id.is_(None))
    )
    connection.execute(
        _candidates.insert().from_select(
            [column.name for column in _candidates.columns],
            select(
                Resident.id,
                Resident.unit_id,
                func.coalesce(own.c.required, level.c.required, literal(default.required)),
                func.coalesce(own.c.period, level.c.period, literal(default.period)),
                Resident.admitted_on,
                Resident.status,
                Resident.status_since,
            )
            # In resident order, so the judgement's lookups by resident follow their indexes.
            .select_from(joined)
            .where(Resident.id.in_(candidates))
            .order_by(Resident.id),
        )
    )


def _count_visits(connection, period: Period, today: date) -> None:
    """Each candidate's visited days in the period, those from today on apart, into _counted.

    A table the planner has row counts for, rather than a subquery: PostgreSQL guesses 200
    groups for an aggregate and would loop over all of them for every candidate.
    """
    them = _candidates.c
    start, end = literal(period.start, Date), literal(period.end, Date)
    # Visited days first (in the order of ix_visits_counted), then per resident: no DISTINCT.
    visited_days = (
        select(
            Visit.resident_id,
            Visit.visit_date,
            func.max(Visit.checked_in_at).label("last_in"),
        )
        .where(
            Visit.voided_at.is_(None),
            Visit.visit_date.between(start, end),
            Visit.resident_id.in_(select(them.resident_id).where(them.rule_kind == period.kind)),
        )
        .group_by(Visit.resident_id, Visit.visit_date)
        .subquery("visited_days")
    )
    ahead_day = case((visited_days.c.visit_date >= literal(today, Date), visited_days.c.visit_date))
    connection.execute(_counted.delete())
    connection.execute(
        _counted.insert().from_select(
            [column.name for column in _counted.columns],
            select(
                visited_days.c.resident_id,
                func.count(),
                func.max(visited_days.c.last_in),
                func.count(ahead_day),
                func.min(ahead_day),
                func.max(ahead_day),
            ).group_by(visited_days.c.resident_id),
        )
    )
    _analyze(connection, _counted)


def _judgements(period: Period, today: date, now: datetime, close: bool) -> Select:
    """One row per candidate this SQL can judge for `period`, from _candidates and _counted."""
    start, end = literal(period.start, Date), literal(period.end, Date)
    today_ = literal(today, Date)
    them = _candidates.c
    window = (
        select(
            them.resident_id,
            them.unit_id,
            them.rule_required,
            later_of(start, them.admitted_on).label("ws"),
            case((them.status == "active", end), else_=earlier_of(end, them.status_since)).label(
                "we"
            ),
        )
        .where(them.rule_kind == period.kind)
        .subquery("window")
    )

    counted = _counted
    stored = CoverageResult.__table__.alias("stored")
    active_days = days_between(window.c.ws, window.c.we) + 1
    first_open = later_of(window.c.ws, today_)
    days_visited = func.coalesce(counted.c.days_visited, 0)
    n_ahead = func.coalesce(counted.c.n_ahead, 0)
    # Visits from today on must be one run of days from the first open day (or none).
    one_run = or_(
        n_ahead == 0,
        and_(
            counted.c.first_ahead == first_open,
            counted.c.last_ahead <= window.c.we,
            days_between(counted.c.first_ahead, counted.c.last_ahead) + 1 == n_ahead,
        ),
    )
    known = (
        select(
            window.c.resident_id,
            window.c.unit_id,
            window.c.we,
            active_days.label("active_days"),
            ((window.c.rule_required * active_days + period.days - 1) // period.days).label(
                "required"
            ),
            days_visited.label("days_visited"),
            n_ahead.label("n_ahead"),
            first_open.label("first_open"),
            counted.c.last_in,
            stored.c.status.label("old_status"),
        )
        .select_from(
            window.outerjoin(counted, counted.c.resident_id == window.c.resident_id).outerjoin(
                stored,
                and_(stored.c.resident_id == window.c.resident_id, stored.c.period == period.label),
            )
        )
        .where(window.c.ws <= window.c.we, stored.c.closed_at.is_(None), one_run)
        .subquery("known")
    )

    needed = known.c.required - known.c.days_visited
    free_left = days_between(known.c.first_open, known.c.we) + 1 - known.c.n_ahead
    if close or today > period.end:
        status = case((needed <= 0, "met"), else_="missed")
        due_on = null()
    else:
        status, due_on = _open_status(
            needed, free_left, known.c.first_open, known.c.n_ahead, known.c.we, end
        )
    return select(
        known.c.resident_id,
        literal(period.label, String).label("period"),
        start.label("period_start"),
        end.label("period_end"),
        known.c.unit_id,
        known.c.required,
        known.c.active_days,
        known.c.days_visited,
        func.coalesce(
            known.c.last_in,
            _carried_last_visit(known.c.resident_id, period),
            _last_visit_before(known.c.resident_id, period.start),
        ).label("last_visit_at"),
        status.label("status"),
        due_on.label("due_on"),
        literal(now, UTCDateTime).label("evaluated_at"),
        (literal(now, UTCDateTime) if close else null()).label("closed_at"),
        known.c.old_status,
    )


def _open_status(needed, free_left, first_open, n_ahead, window_end, period_end):
    """Status and due day in an open period, as judge() decides them: on track turns once
    fewer free days are left than needed; at risk, the day after the next free day, unless
    that is after the period."""
    status = case(
        (needed <= 0, "met"),
        (free_left < needed, "missed"),
        (free_left == needed, "at_risk"),
        else_="on_track",
    )
    due_on = case(
        (needed <= 0, null()),
        (free_left < needed, null()),
        (
            free_left == needed,
            case(
                (
                    days_between(first_open, period_end) > n_ahead,
                    plus_days(first_open, n_ahead + 1),
                ),
                else_=null(),
            ),
        ),
        else_=plus_days(window_end, 1 - needed),
    )
    return status, due_on


def _carried_last_visit(resident_id, period: Period):
    """The last visit the resident's earlier results hold (cheap), as evaluate() carries it."""
    earlier = CoverageResult.__table__.alias("earlier")
    # One read of the key per kind of period (weeks, months), each a short range.
    carried = union_all(
        *[
            select(earlier.c.last_visit_at)
            .where(earlier.c.resident_id == resident_id, within)
            .correlate_except(earlier)  # resident_id is the outer query's
            for within in carried_from(earlier.c, period)
        ]
    ).subquery("carried")
    return select(func.max(carried.c.last_visit_at)).scalar_subquery()


def _last_visit_before(resident_id, first: date):
    return (
        select(func.max(Visit.checked_in_at))
        .where(
            Visit.resident_id == resident_id,
            Visit.voided_at.is_(None),
            Visit.visit_date <= first - timedelta(days=1),
        )
        .scalar_subquery()
    )


def _holding_other_kind(periods: list[Period]):
    """Judged residents with a stored row in another of the periods: a rule that changed
    kind, whose old row evaluate() drops."""
    stored = CoverageResult.__table__
    return exists().where(
        stored.c.resident_id == _judged.c.resident_id,
        stored.c.period.in_([period.label for period in periods]),
        stored.c.period != _judged.c.period,
    )


def _not_judged(periods: list[Period]) -> Select:
    """Candidates left for evaluate(): not judged here, yet on a rule of a kind this pass
    judges or holding a row of one of its periods (the others have nothing to judge)."""
    them = _candidates.c
    holding = select(CoverageResult.resident_id).where(
        CoverageResult.period.in_([period.label for period in periods])
    )
    return select(them.resident_id).where(
        them.resident_id.not_in(select(_judged.c.resident_id)),
        or_(
            them.rule_kind.in_({period.kind for period in periods}),
            them.rule_kind.not_in(BULK_KINDS),
            them.resident_id.in_(holding),
        ),
    )


def _store_judged() -> int:
    """Store the judged rows; answer how many were inserted or rewritten (not the unchanged)."""
    statement = insert_results().from_select(
        RESULT_COLUMNS,
        # SQLite needs a WHERE to tell an upsert's ON CONFLICT from a join's ON. In key order,
        # the primary key's index is written page after page rather than all over.
        select(*[_judged.c[name] for name in RESULT_COLUMNS])
        .where(true())
        .order_by(_judged.c.resident_id, _judged.c.period),
    )
    # SQLAlchemy keeps an INSERT's row count only when asked (PostgreSQL answers -1 otherwise).
    return db.session.execute(
        rewriting_changed(statement).execution_options(preserve_rowcount=True)
    ).rowcount


def _analyze(connection, table: Table) -> None:
    """PostgreSQL: give the planner row counts for a temporary table (autovacuum never
    analyzes them), or it plans the joins on them for a few hundred rows."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {table.name}")


def _claim_write_lock(connection) -> None:
    """SQLite: take the write lock before reading into the temporary table.

    Otherwise the pass would read a snapshot first, and if another process (a second scheduler,
    a sync) wrote before the pass's own first write, SQLite would refuse that write at once: a
    WAL snapshot cannot be upgraded. An UPDATE that matches no row takes the lock and waits
    for it with the busy timeout, like any write.
    """
    if connection.dialect.name == "sqlite":
        connection.execute(
            update(CoverageResult.__table__)
            .where(false())
            .values(status=CoverageResult.__table__.c.status)
        )


@dataclass
class BulkResult:
    judged: int
    status_changes: int
    leftovers: set[uuid.UUID]  # for evaluate(): their rows in these periods are untouched
    rows_written: int  # inserted or rewritten: the judged rows that came out differently
    written: set[str]  # the periods of those rows, to recount (as evaluate() reports them)


@contextmanager
def _judging() -> Iterator[Connection]:
    """The temporary tables of one pass, made empty for it and dropped after it."""
    connection = db.session.connection()
    _claim_write_lock(connection)
    for table in TEMPORARY:
        table.drop(connection, checkfirst=True)
        table.create(connection)
    try:
        yield connection
    finally:
        for table in TEMPORARY:
            table.drop(connection)


def _apply_judged(connection, now: datetime, raise_alerts: bool) -> tuple[int, int, int]:
    """Raise and resolve the alerts of the judged statuses that changed, then store what
    differs; return how many were judged, how many changed status and how many rows were
    written."""
    # Without row counts, PostgreSQL may plan the alerts' lookups as a loop over every
    # judged row for each alert: minutes instead of a second.
    _analyze(connection, _judged)
    changed = _judged.c.old_status.is_(None) | (_judged.c.old_status != _judged.c.status)
    status_changes = connection.scalar(select(func.count()).where(changed))
    if raise_alerts:
        raised.apply_coverage_changes_sql(
            select(
                _judged.c.resident_id,
                _judged.c.unit_id,
                _judged.c.period,
                _judged.c.old_status.label("before"),
                _judged.c.status.label("after"),
            )
            .where(changed)
            .subquery("changes"),
            now,
        )
    count = connection.scalar(select(func.count()).select_from(_judged))
    return count, status_changes, _store_judged()


def judge_in_bulk(
    candidates: Select,
    periods: list[Period],
    today: date,
    now: datetime,
    *,
    close: bool = False,
    raise_alerts: bool = True,
) -> BulkResult:
    """Judge and store the candidates' results for the periods of their rules' kind, and
    raise and resolve the alerts of the statuses that changed (unless the periods are only
    being prepared: prepare.py)."""
    with _judging() as connection:
        _fill_candidates(connection, candidates)
        _analyze(connection, _candidates)
        for period in periods:
            if period.kind not in BULK_KINDS:
                continue  # its residents are handed back (_not_judged)
            _count_visits(connection, period, today)
            connection.execute(
                _judged.insert().from_select(
                    [column.name for column in _judged.columns],
                    _judgements(period, today, now, close),
                )
            )
        if len(periods) > 1:
            connection.execute(_judged.delete().where(_holding_other_kind(periods)))
        leftovers = set(connection.scalars(_not_judged(periods)))
        count, status_changes, written = _apply_judged(connection, now, raise_alerts)
    return BulkResult(
        count,
        status_changes,
        leftovers,
        written,
        {period.label for period in periods} if written else set(),
    )


# The turns: on most mornings the statuses that change are those of residents nobody visited
# since they were judged. Their count stands; only the days left moved. For a resident in care
# the whole period with no visit dated from today on, the rule then needs nothing but the
# stored row: judge() with days_visited and required as stored, the window the whole period.


def due_rows(labels: list[str], today: date) -> ColumnElement[bool]:
    """Open results of these periods whose status is due to turn by today."""
    stored = CoverageResult.__table__.c
    return and_(stored.period.in_(labels), stored.closed_at.is_(None), stored.due_on <= today)


def turns_alone(today: date) -> ColumnElement[bool]:
    """A due result turn_in_bulk() can judge from the row alone (see above)."""
    stored = CoverageResult.__table__.c
    whole_period = stored.active_days == days_between(stored.period_start, stored.period_end) + 1
    visited_ahead = exists().where(
        Visit.resident_id == stored.resident_id,
        Visit.voided_at.is_(None),
        Visit.visit_date >= literal(today, Date),
        Visit.visit_date <= stored.period_end,
    )
    return and_(whole_period, ~visited_ahead)


def _turned(today: date, now: datetime) -> Select:
    """The due rows judged again as of today, as _judgements() would judge them."""
    stored = CoverageResult.__table__.c
    today_ = literal(today, Date)
    # In care the whole period, nothing visited from today on: the window is the period,
    # the first open day is today and every day left is free.
    needed = stored.required - stored.days_visited
    free_left = days_between(today_, stored.period_end) + 1
    status, due_on = _open_status(
        needed, free_left, today_, 0, stored.period_end, stored.period_end
    )
    return select(
        stored.resident_id,
        stored.period,
        stored.period_start,
        stored.period_end,
        stored.unit_id,
        stored.required,
        stored.active_days,
        stored.days_visited,
        stored.last_visit_at,
        status.label("status"),
        due_on.label("due_on"),
        literal(now, UTCDateTime).label("evaluated_at"),
        null().label("closed_at"),
        stored.status.label("old_status"),
    )


def turn_in_bulk(
    labels: list[str], today: date, now: datetime, *, among: ColumnElement[bool] | None = None
) -> BulkResult:
    """Judge the rows of these periods due by today where the row alone is enough (and
    `among` holds, a condition on coverage_results).

    A refresh runs it first, for the residents with no new visit and no changed record: the
    others it judges anyway, and the rows still due after the turn are those the stored row
    alone cannot judge, for judge_in_bulk() (turns_alone()). Only weeks and months turn
    here: a year's rows follow its pace, judged in Python.
    """
    labels = [label for label in labels if Period.parse(label).kind in BULK_KINDS]
    turning = _turned(today, now).where(due_rows(labels, today), turns_alone(today))
    if among is not None:
        turning = turning.where(among)
    with _judging() as connection:
        connection.execute(
            _judged.insert().from_select([column.name for column in _judged.columns], turning)
        )
        count, status_changes, written = _apply_judged(connection, now, raise_alerts=True)
    return BulkResult(count, status_changes, set(), written, set(labels) if written else set())
