"""Every-N-days rules: one rolling result per resident, the gap since their last visit.

Judged in Python for the few residents a refresh names (new visits, changed records, rows due
to turn, a full pass's slice): the gap needs each resident's last visited day, one grouped
read a batch at a time. The rule itself is rule.judge_gap().
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import and_, delete, func, select

from server.coverage.counts import chunks
from server.coverage.evaluate import RESIDENT_COLUMNS, Change, Evaluated
from server.coverage.periods import GAP_LABEL, Period
from server.coverage.policies import load_policies
from server.coverage.rule import active_window, judge_gap
from server.coverage.store import JUDGED, insert_results, rewriting_changed
from server.models import CoverageResult, Resident, Visit
from server.platform.extensions import db

_stored = CoverageResult.__table__.c


def on_gap_rules(resident_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these residents, those with a days row or on an every-N-days rule: the others have
    nothing for judge_gaps() to do."""
    policies = load_policies()
    wanted = set(resident_ids)
    if not wanted:
        return set()
    found: set[uuid.UUID] = set()
    for batch in chunks(sorted(wanted)):
        found.update(
            db.session.scalars(
                select(_stored.resident_id).where(
                    _stored.resident_id.in_(batch), _stored.period == GAP_LABEL
                )
            )
        )
        if _any_gap_rule(policies):
            for row in db.session.execute(
                select(Resident.id, Resident.care_level).where(Resident.id.in_(batch))
            ):
                if policies.rule_for(row.id, row.care_level).period == "days":
                    found.add(row.id)
    return found


def _any_gap_rule(policies) -> bool:
    rules = [policies.default, *policies.care_levels.values(), *policies.residents.values()]
    return any(rule.period == "days" for rule in rules)


def due_gaps(today: date) -> set[uuid.UUID]:
    """Residents whose days row turns by today (met to at risk, at risk to missed)."""
    return set(
        db.session.scalars(
            select(_stored.resident_id).where(_stored.period == GAP_LABEL, _stored.due_on <= today)
        )
    )


def judge_gaps(resident_ids: Iterable[uuid.UUID], today: date, now: datetime) -> Evaluated:
    """Judge and store the days row of these residents: of those on an every-N-days rule and
    in care today; anyone else's row is removed."""
    policies = load_policies()
    done = Evaluated(0, [], set())
    today_only = Period("days", today, today)
    for batch in chunks(sorted(set(resident_ids))):
        residents = db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(batch)))
        stored = {
            row.resident_id: row
            for row in db.session.execute(
                select(_stored.resident_id, *[_stored[name] for name in JUDGED]).where(
                    _stored.resident_id.in_(batch), _stored.period == GAP_LABEL
                )
            )
        }
        judged, gone = [], []
        for row in residents:
            rule = policies.rule_for(row.id, row.care_level)
            in_care = active_window(today_only, row.admitted_on, row.status, row.status_since)
            if rule.period == "days" and rule.every_days and in_care:
                judged.append((row, rule.every_days))
            elif row.id in stored:
                gone.append(row)
        last = _last_visits([row.id for row, _ in judged], today)
        rows = []
        for row, every_days in judged:
            visited_on, visited_at = last.get(row.id, (None, None))
            starts_on = max(visited_on, row.admitted_on) if visited_on else row.admitted_on
            gap = judge_gap(every_days, starts_on, today)
            new = {
                "resident_id": row.id,
                "period": GAP_LABEL,
                "period_start": gap.starts_on,
                "period_end": gap.ends_on,
                "unit_id": row.unit_id,
                "required": every_days,
                "active_days": every_days,
                "days_visited": 1 if visited_on is not None and visited_on >= starts_on else 0,
                "last_visit_at": visited_at,
                "status": gap.status,
                "due_on": gap.due_on,
                "evaluated_at": now,
                "closed_at": None,
            }
            old = stored.get(row.id)
            done.count += 1
            if old is None or any(getattr(old, name) != new[name] for name in JUDGED):
                rows.append(new)
            done.changes += _gap_changes(row, old, gap)
        if rows:
            db.session.connection().execute(rewriting_changed(insert_results()), rows)
            done.written.add(GAP_LABEL)
        for row in gone:
            db.session.execute(
                delete(CoverageResult).where(
                    and_(CoverageResult.resident_id == row.id, CoverageResult.period == GAP_LABEL)
                )
            )
            done.changes.append(_left(row, stored[row.id]))
            done.written.add(GAP_LABEL)
    return done


def alert_period(ends_on: date) -> str:
    """A gap's alerts are named by its last day ("2026-10-11"): each missed gap is an alert of
    its own, kept in the inbox after the next visit resolves it."""
    return ends_on.isoformat()


def _gap_changes(row, old, gap) -> list[Change]:
    """The status changes to alert on: within one gap, its status moving; a new gap (a visit,
    a new rule), the old gap's alert resolved and the new gap's raised."""
    period = alert_period(gap.ends_on)
    if old is None:
        return [Change(row.id, row.unit_id, period, None, gap.status, False)]
    if old.period_end == gap.ends_on:
        if old.status == gap.status:
            return []
        return [Change(row.id, row.unit_id, period, old.status, gap.status, False)]
    return [_left(row, old), Change(row.id, row.unit_id, period, None, gap.status, False)]


def _left(row, old) -> Change:
    """The stored gap is over: its alert resolves."""
    return Change(row.id, row.unit_id, alert_period(old.period_end), old.status, None, False)


def _last_visits(
    resident_ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, tuple[date, datetime]]:
    """The last visited day up to today and the latest check-in of that day, per resident."""
    if not resident_ids:
        return {}
    return {
        resident_id: (day, at)
        for resident_id, day, at in db.session.execute(
            select(Visit.resident_id, func.max(Visit.visit_date), func.max(Visit.checked_in_at))
            .where(
                Visit.resident_id.in_(resident_ids),
                Visit.voided_at.is_(None),
                Visit.visit_date <= today,
            )
            .group_by(Visit.resident_id)
        )
    }
