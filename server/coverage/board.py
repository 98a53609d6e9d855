"""The supervisor's board: stored results of a period by unit, and the share met by week."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import CoverageResult, Resident, Unit
from .periods import Period


def _units_in_scope(unit_scope: set[uuid.UUID] | None,
                    unit_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
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
