"""The supervisor's board: stored results of a period by unit, and the share met by week."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select

from ..extensions import db
from ..models import COVERAGE_STATUSES, CoverageResult, Resident, Unit, User, Visit
from .periods import Period

# Who needs a round first: the order of the board by default (status rank).
PRIORITY = ("missed", "at_risk", "on_track", "met")
BOARD_SORTS = ("priority", "name", "-name", "last_visit", "-last_visit", "days_visited",
               "-days_visited")
MAX_PER_PAGE = 200


def _units_in_scope(unit_scope: set[uuid.UUID] | None,
                    unit_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    query = select(Unit.id, Unit.name).order_by(Unit.name)
    if unit_scope is not None:
        query = query.where(Unit.id.in_(unit_scope))
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    return [(row.id, row.name) for row in db.session.execute(query)]


def _order(sort: str) -> list[ColumnElement]:
    """ORDER BY for a board sort; every order ends on name and id, so pages never overlap."""
    result, name = CoverageResult, Resident.name
    never_visited = case((result.last_visit_at.is_(None), 0), else_=1)
    tail = [name, Resident.id]
    orders = {
        # Missed, at risk, on track, met; within a status, the most days short first.
        "priority": [case({status: rank for rank, status in enumerate(PRIORITY)},
                          value=result.status, else_=len(PRIORITY)),
                     (result.required - result.days_visited).desc(), *tail],
        "name": tail,
        "-name": [name.desc(), Resident.id],
        # Longest since a visit first: never visited before any date.
        "last_visit": [never_visited, result.last_visit_at, *tail],
        "-last_visit": [never_visited.desc(), result.last_visit_at.desc(), *tail],
        "days_visited": [result.days_visited, *tail],
        "-days_visited": [result.days_visited.desc(), *tail],
    }
    return orders[sort]


def _shortfall() -> ColumnElement:
    return CoverageResult.required - CoverageResult.days_visited


def _priority_page(chosen: ColumnElement, groups: dict[tuple[str, int], int], offset: int,
                   per_page: int) -> tuple[ColumnElement, int]:
    """Narrow a priority page to the (status, shortfall) groups it spans, and the offset
    within them: the page then sorts a few groups by name, not a whole institution."""
    ordered = sorted(groups.items(), key=lambda item: (PRIORITY.index(item[0][0]), -item[0][1]))
    spanned, start, skip = [], 0, None
    for (status, short), count in ordered:
        if start + count > offset and start < offset + per_page:
            skip = offset - start if skip is None else skip
            spanned.append(and_(CoverageResult.status == status, _shortfall() == short))
        start += count
    if not spanned:  # a page past the end
        return false(), 0
    return and_(chosen, or_(*spanned)), skip


def last_visitors(
        last_visits: Sequence[tuple[uuid.UUID, datetime | None]]) -> dict[uuid.UUID, dict]:
    """Who made the visit each stored `last_visit_at` names (resident, check-in), so the board's
    "last visit" and "by" always speak of the same visit. One query for a page of residents;
    a visit voided since the last refresh names nobody."""
    wanted = {(resident_id, at) for resident_id, at in last_visits if at is not None}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Visit.resident_id, Visit.checked_in_at, User.id, User.display_name, User.username)
        .join(User, User.id == Visit.worker_id)
        .where(Visit.resident_id.in_({resident_id for resident_id, _ in wanted}),
               Visit.checked_in_at.in_({at for _, at in wanted}), Visit.voided_at.is_(None))
        .order_by(Visit.id))  # two visits in the same second: the first id, every time
    found: dict[uuid.UUID, dict] = {}
    for resident_id, at, user_id, display_name, username in rows:
        if (resident_id, at) in wanted:
            found.setdefault(resident_id, {"id": user_id, "display_name": display_name,
                                           "username": username})
    return found


def board(period: Period, unit_scope: set[uuid.UUID] | None,
          unit_id: uuid.UUID | None = None, *, statuses: Sequence[str] = (),
          sort: str = "priority", page: int = 1, per_page: int = 50) -> dict:
    """One page of the period's stored results in the units one may see, sorted and filtered
    by status on the server; the unit counts always cover the whole period and scope."""
    if sort not in BOARD_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    if set(statuses) - set(COVERAGE_STATUSES):
        raise ValueError(f"unknown status in {statuses!r}")
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    units = _units_in_scope(unit_scope, unit_id)
    unit_ids = [unit for unit, _ in units]
    in_board = and_(CoverageResult.period == period.label, CoverageResult.unit_id.in_(unit_ids))

    wanted = set(statuses) or set(COVERAGE_STATUSES)
    counts = {unit: dict.fromkeys(("residents", *COVERAGE_STATUSES), 0) for unit in unit_ids}
    groups: dict[tuple[str, int], int] = defaultdict(int)  # (status, shortfall): residents
    evaluated = None
    for unit, status, short, count, latest in db.session.execute(
            select(CoverageResult.unit_id, CoverageResult.status, _shortfall(), func.count(),
                   func.max(CoverageResult.evaluated_at))
            .where(in_board)
            .group_by(CoverageResult.unit_id, CoverageResult.status, _shortfall())):
        counts[unit]["residents"] += count
        counts[unit][status] += count
        if status in wanted:
            groups[status, short] += count
        evaluated = latest if evaluated is None else max(evaluated, latest)

    # The counts above already hold the total: no second pass over the period.
    total = sum(groups.values())
    chosen = and_(in_board, CoverageResult.status.in_(wanted))
    offset = (page - 1) * per_page
    if sort == "priority":
        chosen, offset = _priority_page(chosen, groups, offset, per_page)
    rows = db.session.execute(
        select(CoverageResult, Resident.name)
        .join(Resident, Resident.id == CoverageResult.resident_id)
        .where(chosen).order_by(*_order(sort))
        .limit(per_page).offset(offset)
    ).all()
    visitors = last_visitors([(result.resident_id, result.last_visit_at) for result, _ in rows])
    residents = [{"resident_id": result.resident_id, "name": name, "unit_id": result.unit_id,
                  "required": result.required, "days_visited": result.days_visited,
                  "last_visit_at": result.last_visit_at, "status": result.status,
                  "last_visit_by": visitors.get(result.resident_id)}
                 for result, name in rows]
    return {"period": period.label, "evaluated_at": evaluated,
            "units": [{"unit_id": unit, **counts[unit]} for unit in unit_ids],
            "residents": residents, "total": total, "page": page, "per_page": per_page}


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
