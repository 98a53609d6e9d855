"""Recomputing and storing results for a set of residents, one batch at a time, in Python.

Used where few residents are judged or the rule needs the exact day-by-day path (late visits,
closed periods, residents with new visits); bulk.py judges the many in SQL.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from server.coverage.counts import chunks, earlier_last_visits, period_counts, visit_days
from server.coverage.periods import Period
from server.coverage.policies import load_policies
from server.coverage.rule import active_window, judge, prorated
from server.coverage.store import JUDGED, insert_results, rewriting_changed
from server.models import CoverageResult, Resident
from server.platform.extensions import db

DROP = -1  # as a requirement for evaluate(): remove this resident's row for the period

RESIDENT_COLUMNS = (
    Resident.id,
    Resident.unit_id,
    Resident.care_level,
    Resident.admitted_on,
    Resident.status,
    Resident.status_since,
)


@dataclass
class Change:
    """A stored result whose status moved: what server/alerts/raised.py raises or resolves."""

    resident_id: uuid.UUID
    unit_id: uuid.UUID
    period: str
    before: str | None
    after: str | None  # None: the row went away (the resident was not in care that period)
    closed: bool


@dataclass
class Evaluated:
    count: int  # results judged
    changes: list[Change]
    written: set[str]  # periods with a result inserted, rewritten or removed: to recount


def _store(rows: list[dict], removed: list[tuple[uuid.UUID, str]]) -> None:
    if rows:
        # Core, not the ORM's bulk path: one executemany, however many rows.
        db.session.connection().execute(rewriting_changed(insert_results()), rows)
    for resident_id, label in removed:
        db.session.execute(
            delete(CoverageResult).where(
                CoverageResult.resident_id == resident_id, CoverageResult.period == label
            )
        )


def evaluate(
    resident_ids: Iterable[uuid.UUID],
    periods_for,
    today: date,
    now: datetime,
    *,
    close: bool = False,
    exact: bool = True,
) -> Evaluated:
    """Recompute and store the results of these residents for the periods periods_for() names.

    periods_for(resident_row, rule) yields (Period, required): a number of days before
    pro-rating; None keeps the stored requirement (a closed period is judged by the rule of
    its time); DROP removes the row. Counting happens in the database, a batch of residents
    and a period at a time, so memory follows the batch, never the number of visits.
    `exact=False` lets a result without a visit in its period carry the last visit from the
    resident's previous result instead of searching all their visits (the full passes).
    A result that comes out as stored is not written again.
    """
    policies = load_policies()
    done = Evaluated(0, [], set())
    for batch in chunks(sorted(set(resident_ids))):
        residents = db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(batch)))
        wanted = []
        for row in residents:
            rule = policies.rule_for(row.id, row.care_level)
            wanted += [(row, period, required) for period, required in periods_for(row, rule)]
        if not wanted:
            continue
        labels = {period.label for _, period, _ in wanted}
        stored = {
            (r.resident_id, r.period): r
            for r in db.session.execute(
                select(
                    CoverageResult.resident_id,
                    CoverageResult.period,
                    *[CoverageResult.__table__.c[name] for name in JUDGED],
                ).where(CoverageResult.resident_id.in_(batch), CoverageResult.period.in_(labels))
            )
        }
        by_period: dict[Period, list] = defaultdict(list)
        for row, period, required in wanted:
            if required != DROP:
                by_period[period].append(row.id)
        counts, last_before = {}, {}
        for period, ids in by_period.items():
            counts.update(
                {(key, period.label): value for key, value in period_counts(ids, period).items()}
            )
            unseen = [key for key in ids if (key, period.label) not in counts]
            last_before.update(
                {
                    (key, period.label): value
                    for key, value in earlier_last_visits(unseen, period, exact).items()
                }
            )
        open_periods = [period for period in by_period if period.end >= today]
        upcoming = (
            visit_days(batch, today, max(p.end for p in open_periods)) if open_periods else {}
        )
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
                    done.changes.append(
                        Change(
                            row.id,
                            row.unit_id,
                            period.label,
                            old.status,
                            None,
                            old.closed_at is not None,
                        )
                    )
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
            new = {
                "resident_id": row.id,
                "period": period.label,
                "period_start": period.start,
                "period_end": period.end,
                "unit_id": row.unit_id,
                "required": result.required,
                "active_days": result.active_days,
                "days_visited": result.days_visited,
                "last_visit_at": last_visit or last_before.get((row.id, period.label)),
                "status": result.status,
                "due_on": result.due_on,
                "evaluated_at": now,
                "closed_at": (
                    old.closed_at if old is not None and old.closed_at else now if close else None
                ),
            }
            done.count += 1
            if old is None or any(getattr(old, name) != new[name] for name in JUDGED):
                rows.append(new)
            if old is None or old.status != result.status:
                done.changes.append(
                    Change(
                        row.id,
                        row.unit_id,
                        period.label,
                        old.status if old else None,
                        result.status,
                        closed,
                    )
                )
        _store(rows, removed)
        done.written.update(label for _, label in removed)
        done.written.update(stored_row["period"] for stored_row in rows)
    return done
