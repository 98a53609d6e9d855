"""The recent pass: the residents a sync just touched, judged within seconds.

The refresh (passes.py) runs every quarter hour and does what the clock makes due as well as
what visits changed. A supervisor looking at the board after a worker synced should not wait
that long: every few seconds the scheduler runs this pass, which reads only the visits
received or voided since it last looked and judges those residents exactly, as the refresh
would, with their alerts and their units' counts. Everything else (rows turning at risk at
midnight, records and rules that changed, a new period) is still the refresh's.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, or_, select

from server.coverage.counts import chunks
from server.coverage.evaluate import evaluate
from server.coverage.gaps import judge_gaps, on_gap_rules
from server.coverage.passes import periods_of_the_rule, reevaluate_rows
from server.coverage.periods import GAP_LABEL, current_periods
from server.coverage.plan import new_visits_since
from server.coverage.summary import keep_counts, recount
from server.models import CoverageResult, CoverageState, Visit, utcnow
from server.platform.clock import today_in
from server.platform.extensions import db

# A visit stamped received_at=T commits a little after T (a sync's transaction lasts well
# under a second); reading this much before the last look never misses one. The refresh
# reads again with its own, wider overlap.
RECENT_OVERLAP = timedelta(seconds=30)


def _since(state: CoverageState) -> datetime:
    last = max(state.refreshed_at, state.recent_at or state.refreshed_at)
    return last - RECENT_OVERLAP


def recent_work(now: datetime | None = None) -> bool:
    """Whether a visit arrived or was voided since the last look: the scheduler asks before
    it records a run, so an idle minute leaves no trace."""
    state = db.session.get(CoverageState, 1)
    if state is None or state.refreshed_at is None:
        return False
    since = _since(state)
    return bool(
        db.session.scalar(
            select(exists().where(or_(Visit.received_at > since, Visit.voided_at > since)))
        )
    )


def refresh_recent(now: datetime | None = None) -> dict:
    """Judge the current periods of the residents with visits received or voided since the
    last look, and the other periods' rows those visits change. Flushes; the caller commits.

    Waits for the refresh when there is none yet or the periods are changing (a new week,
    a full pass under way): that refresh judges every resident anyway.
    """
    now = now or utcnow()
    started = utcnow()
    state = db.session.get(CoverageState, 1)
    if state is None or state.refreshed_at is None:
        return {"at": now.isoformat(), "skipped": "no refresh yet"}
    today = today_in(current_app.config["TIMEZONE"], now)
    periods = current_periods(today)
    labels = [period.label for period in periods.values()]
    if state.periods != labels or state.full_labels is not None:
        return {"at": now.isoformat(), "skipped": "the refresh is judging new periods"}

    touched, late_rows = new_visits_since(_since(state), labels, today)
    counted = [*labels, GAP_LABEL]
    units_before = _units_of(touched, counted)
    judged = evaluate(touched, periods_of_the_rule(periods.__getitem__), today, now)
    gaps = judge_gaps(on_gap_rules(touched), today, now)
    late = reevaluate_rows(late_rows, today, now)
    from server.alerts import raised

    changes = judged.changes + gaps.changes + late.changes
    raised.apply_coverage_changes(changes, now)
    keep_counts(
        counted,
        judged.written | gaps.written,
        now,
        units=units_before | _units_of(touched, counted),
    )
    recount(late.written - set(labels), now)
    state.recent_at = started
    db.session.flush()
    return {
        "at": now.isoformat(),
        "evaluated": judged.count + gaps.count,
        "late": late.count,
        "status_changes": len(changes),
    }


def _units_of(resident_ids: frozenset[uuid.UUID], labels: list[str]) -> set[uuid.UUID]:
    """The units of these residents' stored rows of the periods: a resident moved to another
    unit leaves a count behind in the old one."""
    units: set[uuid.UUID] = set()
    for batch in chunks(list(resident_ids)):
        units.update(
            db.session.scalars(
                select(CoverageResult.unit_id)
                .where(
                    CoverageResult.resident_id.in_(batch),
                    CoverageResult.period.in_(labels),
                )
                .distinct()
            )
        )
    return units
