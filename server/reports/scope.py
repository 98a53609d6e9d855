"""What a report covers, and the pieces every report shares: the units (scoped like the rest
of the API: admins see every unit, supervisors their own, and a unit asked for outside one's
scope is "not found"), the days, the workers one may see, names, numbers and sorting.

Dates are visit dates (the check-in's local day, fixed at receipt); voided visits never count.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import Select, select

from server.models import Unit, User, Visit, VisitDayCount, user_units
from server.models.core import WORKER
from server.people.access import Scope, users_visible_to
from server.platform.extensions import db


def unit_scope(scope: Scope, unit_ids: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
    """The units a report covers: those asked for (each must be in the scope, else 404),
    else every unit of the scope.

    None means every unit (an admin who asked for none).
    """
    if unit_ids:
        return [scope.get(Unit, unit_id).id for unit_id in dict.fromkeys(unit_ids)]
    return None if scope.unit_ids is None else sorted(scope.unit_ids)


def in_scope(query: Select, units: list[uuid.UUID] | None, column=Visit.unit_id) -> Select:
    return query if units is None else query.where(column.in_(units))


def in_range(query: Select, date_from: date | None, date_to: date | None) -> Select:
    if date_from is not None:
        query = query.where(Visit.visit_date >= date_from)
    if date_to is not None:
        query = query.where(Visit.visit_date <= date_to)
    return query


def unit_names(ids) -> dict[uuid.UUID, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def short_id(visit_id: uuid.UUID) -> str:
    """The register's number: the first 8 hex digits of the visit id, upper case."""
    return visit_id.hex[:8].upper()


def in_day_counts(query: Select, units, date_from: date | None, date_to: date | None) -> Select:
    """A select over the per-day counts narrowed to the units and days asked for."""
    counts = VisitDayCount
    if units is not None:
        query = query.where(counts.unit_id.in_(units))
    if date_from is not None:
        query = query.where(counts.visit_date >= date_from)
    if date_to is not None:
        query = query.where(counts.visit_date <= date_to)
    return query


def workers_of(scope: Scope, units) -> Select:
    """Active workers one may see, of the units asked for (all one sees when none)."""
    query = users_visible_to(scope).where(User.role == WORKER, User.active.is_(True))
    if units is not None:
        query = query.where(
            User.id.in_(select(user_units.c.user_id).where(user_units.c.unit_id.in_(units)))
        )
    return query


def months_between(date_from: date, date_to: date) -> list[str]:
    months, day = [], date_from.replace(day=1)
    while day <= date_to:
        months.append(f"{day.year}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def days_between(date_from: date, date_to: date) -> list[date]:
    return [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def sort_rows(rows: list[dict], sort: str, who: str, label: str) -> list[dict]:
    """Sort by name (default) or a numeric field; '-field' for descending. None sorts last."""
    field, descending = sort.lstrip("-"), sort.startswith("-")
    if field == "name":
        return sorted(
            rows, key=lambda row: (row[who][label], str(row[who]["id"])), reverse=descending
        )
    present = [row for row in rows if row[field] is not None]
    absent = [row for row in rows if row[field] is None]
    present.sort(key=lambda row: (row[field], row[who][label]), reverse=descending)
    return present + sorted(absent, key=lambda row: row[who][label])
