"""Preparing the next week's (or month's) results on the last day of the current one.

The first refresh of a period would otherwise judge and write a result for every resident at
once: 100,000 new rows, seconds of work at midnight. Instead, on the last local day of a
period each refresh judges the next period for a slice of residents (PREPARE_SLICE, in id
order) as it will stand on its first day, and keeps the results already prepared up to date
with the residents it re-judges anyway (new or voided visits, changed records). The first
refresh of the new period finds every row written and stays incremental. Nothing is alerted
before a period starts: that refresh raises the alerts of the prepared results that start at
risk. A full pass (a policy change that moved many) starts the preparation over, and if it
has not finished when the period starts (the scheduler was down), the first refresh judges
everyone as before.

The board, the history and the exports show a period only once it has started.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, delete, null, select

from server.alerts import raised
from server.coverage.bulk import judge_in_bulk
from server.coverage.evaluate import DROP, evaluate
from server.coverage.periods import Period, current_periods
from server.models import CoverageResult, CoverageState, Resident
from server.platform.extensions import db

# Residents judged for the next periods by one refresh: a few tenths of a second on
# PostgreSQL, on top of the refresh; 100,000 residents take forty refreshes (ten hours at the
# default interval) of the last day's 96.
PREPARE_SLICE = 2_500
# A refresh that wrote this many results of its own (the statuses that turn at midnight)
# leaves its slice to the next one.
BUSY = 5_000


def upcoming(today: date) -> list[Period]:
    """The periods that start tomorrow: the ones to prepare today (none on most days)."""
    tomorrow = today + timedelta(days=1)
    return [period for period in current_periods(tomorrow).values() if period.start == tomorrow]


def takes_over(state: CoverageState, labels: list[str]) -> bool:
    """Whether the periods that are new in `labels` were prepared in full, and kept up to date
    by every refresh since: then the first refresh of a period can stay incremental."""
    new = sorted(set(labels) - set(state.periods or []))
    return (
        state.refreshed_at is not None
        and bool(state.periods)
        and bool(new)
        and state.prepared_complete
        and sorted(state.prepared_periods or []) == new
    )


def starting(state: CoverageState, labels: list[str]) -> list[str]:
    """The prepared periods among `labels`: they start with this refresh."""
    return [label for label in state.prepared_periods or [] if label in labels]


def raise_prepared_alerts(labels: list[str], now: datetime) -> None:
    """The alerts of prepared results that start at risk (or missed), raised as their period
    starts; until then nobody is behind."""
    results = CoverageResult.__table__.c
    raised.apply_coverage_changes_sql(
        select(
            results.resident_id,
            results.unit_id,
            results.period,
            cast(null(), String(10)).label("before"),
            results.status.label("after"),
        )
        .where(results.period.in_(labels), results.status.in_(raised.COVERAGE_KINDS))
        .subquery("changes"),
        now,
    )


def advance(
    state: CoverageState, today: date, now: datetime, touched: set[uuid.UUID] | None, judged: int
) -> int:
    """Keep the next periods' prepared results up to date and prepare one more slice; return
    how many residents were judged for them. Called before the state takes this refresh's
    change number, so the residents whose record changed since the last one are still known.

    `touched`: the residents with new or voided visits; None after a full pass, which
    tracked no changes, so the preparation starts over. `judged`: how many results the
    refresh wrote of its own.
    """
    periods = upcoming(today)
    labels = [period.label for period in periods]
    if touched is None or (state.prepared_periods or []) != labels:
        _start_over(state, labels, today)
        if touched is None:
            return 0
    if not periods:
        return 0
    changed = db.session.scalars(select(Resident.id).where(Resident.change_seq > state.change_seq))
    count = evaluate(touched | set(changed), _for(periods), periods[0].start, now).count
    if not state.prepared_complete and judged < BUSY:
        count += _prepare_slice(state, periods, now)
    return count


def _for(periods: list[Period]):
    """evaluate()'s periods_for: each prepared period the rule's kind names; a row of the other
    kind is dropped (the rule changed kind)."""

    def periods_for(row, rule):
        for period in periods:
            yield period, rule.required if rule.period == period.kind else DROP

    return periods_for


def _start_over(state: CoverageState, labels: list[str], today: date) -> None:
    """Forget what was prepared: its rows, unless their period has started (then they are the
    period's own results)."""
    if state.prepared_periods:
        db.session.execute(
            delete(CoverageResult).where(
                CoverageResult.period.in_(state.prepared_periods),
                CoverageResult.period_start > today,
            )
        )
    state.prepared_periods, state.prepared_after, state.prepared_complete = labels, None, False


def _prepare_slice(state: CoverageState, periods: list[Period], now: datetime) -> int:
    """Judge the next PREPARE_SLICE residents in id order for the periods, as of their first
    day, without alerts."""
    start = periods[0].start
    # Only residents in care: a prepared row of anyone else was removed by the refresh that
    # saw them leave (every refresh keeps the prepared rows up to date).
    wanted = select(Resident.id).where(Resident.in_care_since(start))
    if state.prepared_after is not None:
        wanted = wanted.where(Resident.id > state.prepared_after)
    ids = db.session.scalars(wanted.order_by(Resident.id).limit(PREPARE_SLICE)).all()
    if ids:
        bulk = judge_in_bulk(
            wanted.where(Resident.id <= ids[-1]), periods, start, now, raise_alerts=False
        )
        evaluate(bulk.leftovers, _for(periods), start, now, exact=False)
        state.prepared_after = ids[-1]
    state.prepared_complete = len(ids) < PREPARE_SLICE
    return len(ids)
