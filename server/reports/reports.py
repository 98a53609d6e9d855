"""Supervisor reports: follow-ups, satisfaction against the target, worker activity, devices.

Plain functions over the models. Every report is scoped like the rest of the API: admins see
every unit, supervisors their own; a unit asked for outside one's scope is "not found".
Dates are visit dates (the check-in's local day, fixed at receipt); voided visits never count.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import Select, and_, case, exists, extract, func, select
from sqlalchemy.exc import IntegrityError

from server.coverage import iso_week_label
from server.models import Amendment, Device, FollowUpHandled, Unit, User, Visit, user_units, utcnow
from server.models.followups import FLAGGED_AS_RECORDED
from server.models.reporting import FlaggedAmendment, VisitDayCount
from server.people import audit
from server.people.access import can_manage_unit, get_unit, users_visible_to, visible_unit_ids
from server.platform.errors import ApiError, Conflict, Forbidden
from server.platform.extensions import db
from server.reports import day_counts as report_counts
from server.reports.day_counts import RATINGS
from server.visits.read import current_content, get_visit

# Institutions are judged on at least 80% satisfied or basically satisfied among those rated.
TARGET = Fraction(4, 5)
CONCERNS = ("living", "emotional", "physical")


def unit_scope(user: User, unit_ids: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
    """The units a report covers: those asked for (each must be visible), else all visible.

    None means every unit (an admin who asked for none).
    """
    if unit_ids:
        return [get_unit(user, unit_id).id for unit_id in dict.fromkeys(unit_ids)]
    scope = visible_unit_ids(user)
    return None if scope is None else sorted(scope)


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


def concerns_of(content: dict) -> list[str]:
    flags = [name for name in CONCERNS if content["observations"][name] == "concern"]
    return flags + (["follow_up"] if content["follow_up"] else [])


def visit_row(visit: Visit, handled: FollowUpHandled | None, units: dict) -> dict:
    """A visit as report tables list it: amendments applied, with its follow-up state."""
    content = current_content(visit)
    return {
        "visit_id": visit.id, "number": short_id(visit.id), "visit_date": visit.visit_date,
        "checked_in_at": visit.checked_in_at, "kind": visit.kind,
        "unit": {"id": visit.unit_id, "name": units.get(visit.unit_id, "")},
        "resident": {"id": visit.resident.id, "name": visit.resident.name,
                     "room": visit.resident.room},
        "worker": {"id": visit.worker.id, "display_name": visit.worker.display_name},
        **content,
        "concerns": concerns_of(content),
        "satisfaction": visit.satisfaction,
        "amended": bool(visit.amendments),
        "voided": visit.voided_at is not None,
        "handled": None if handled is None else {
            "at": handled.handled_at, "note": handled.note,
            "by": {"id": handled.handler.id, "display_name": handled.handler.display_name}},
    }


# --- follow-ups --------------------------------------------------------------------------


def _handled_filter(query: Select, status: str, visit_id=Visit.id) -> Select:
    handled = exists().where(FollowUpHandled.visit_id == visit_id)
    if status == "open":
        return query.where(~handled)
    if status == "handled":
        return query.where(handled)
    return query


def followup_parts(units, status: str, date_from: date | None = None,
                   date_to: date | None = None) -> tuple[Select, Select]:
    """Selects of (id, checked_in_at) of the follow-ups, in two disjoint parts.

    Visits never amended that were flagged as recorded: this large part reads the partial
    index of flagged visits. Amended visits flagged as they read now: a small part, kept in
    `flagged_amendments` (server/reports/day_counts.py).
    """
    amended = exists().where(Amendment.visit_id == Visit.id)
    recorded = select(Visit.id, Visit.checked_in_at).where(
        Visit.voided_at.is_(None), FLAGGED_AS_RECORDED, ~amended)
    recorded = _handled_filter(in_range(in_scope(recorded, units), date_from, date_to), status)
    listed = FlaggedAmendment
    flagged = in_scope(select(listed.visit_id.label("id"), listed.checked_in_at), units,
                       listed.unit_id)
    if date_from is not None:
        flagged = flagged.where(listed.visit_date >= date_from)
    if date_to is not None:
        flagged = flagged.where(listed.visit_date <= date_to)
    return recorded, _handled_filter(flagged, status, listed.visit_id)


def followups(units, status: str = "open", date_from: date | None = None,
              date_to: date | None = None, newest_first: bool = True, page: int = 1,
              per_page: int = 50) -> dict:
    recorded, amended = followup_parts(units, status, date_from, date_to)
    total = followup_count(units, status, date_from, date_to)
    # The large part gives its own first page*per_page rows in index order (not a sort of
    # every flagged visit); merged with the amended ones (a small part), they hold the page.
    order = (Visit.checked_in_at.desc(), Visit.id.desc()) if newest_first \
        else (Visit.checked_in_at, Visit.id)
    window = page * per_page
    first = db.session.execute(recorded.order_by(*order).limit(window)).all()
    if len(first) == window:
        # Amended visits beyond the last of these cannot reach the page.
        edge, at = first[-1].checked_in_at, FlaggedAmendment.checked_in_at
        amended = amended.where(at >= edge if newest_first else at <= edge)
    candidates = [*first, *db.session.execute(amended)]
    candidates.sort(key=lambda row: (row.checked_in_at, row.id), reverse=newest_first)
    ids = [row.id for row in candidates[window - per_page:window]]
    return {"items": _rows_of(ids), "page": page, "per_page": per_page, "total": total}


def followup_count(units, status: str, date_from: date | None = None,
                   date_to: date | None = None) -> int:
    """How many follow-ups the list holds, added up from the per-day counts.

    Counting the flagged visits themselves reads hundreds of thousands of index entries for
    an admin; the per-day counts (server/reports/day_counts.py) hold the same numbers.
    """
    counts = VisitDayCount
    number = {"all": counts.flagged, "handled": counts.flagged_handled,
              "open": counts.flagged - counts.flagged_handled}[status]
    query = _day_counts(select(func.coalesce(func.sum(number), 0)), units, date_from, date_to)
    return int(db.session.scalar(query))


def _day_counts(query: Select, units, date_from: date | None, date_to: date | None) -> Select:
    """A select over the per-day counts narrowed to the units and days asked for."""
    counts = VisitDayCount
    if units is not None:
        query = query.where(counts.unit_id.in_(units))
    if date_from is not None:
        query = query.where(counts.visit_date >= date_from)
    if date_to is not None:
        query = query.where(counts.visit_date <= date_to)
    return query


def _rows_of(ids: list[uuid.UUID]) -> list[dict]:
    """The visits of a page, in the order given, loaded by id (after the index found them)."""
    found = {visit.id: (visit, handled) for visit, handled in db.session.execute(
        select(Visit, FollowUpHandled).where(Visit.id.in_(ids))
        .outerjoin(FollowUpHandled, FollowUpHandled.visit_id == Visit.id)).unique()}
    units_of = unit_names(visit.unit_id for visit, _ in found.values())
    return [visit_row(*found[visit_id], units=units_of) for visit_id in ids]


def handle_followup(actor: audit.Actor, visit_id: uuid.UUID, note: str) -> dict:
    """Mark a flagged (or unsatisfied) visit's follow-up as handled, once."""
    user = actor.user
    visit = get_visit(user, visit_id)
    if not can_manage_unit(user, visit.unit_id):
        raise Forbidden("Only an admin or a supervisor of this unit may handle follow-ups.")
    if db.session.get(FollowUpHandled, visit.id) is not None:
        raise Conflict("This follow-up was handled already.")
    if visit.voided_at is not None:
        raise ApiError(422, "This visit is voided: there is nothing to follow up.")
    if not concerns_of(current_content(visit)) and visit.satisfaction != "unsatisfied":
        raise ApiError(422, "This visit flagged no concern, asked for no follow-up and was "
                            "not rated unsatisfied.")
    report_counts.handling(visit)
    handled = FollowUpHandled(visit_id=visit.id, handled_by=user.id, handled_at=utcnow(),
                              note=note)
    db.session.add(handled)
    audit.record(actor, "handle", "followup", visit.id, None, {"note": note})
    try:
        db.session.flush()
    except IntegrityError as error:  # handled at the same moment by someone else
        db.session.rollback()
        raise Conflict("This follow-up was handled already.") from error
    return visit_row(visit, handled, unit_names([visit.unit_id]))


# --- satisfaction ------------------------------------------------------------------------


def score(counts: dict) -> dict:
    """Counts, the share satisfied + basically satisfied among rated, and the target check."""
    good = counts.get("satisfied", 0) + counts.get("basically_satisfied", 0)
    rated = good + counts.get("unsatisfied", 0)
    return {
        "satisfied": counts.get("satisfied", 0),
        "basically_satisfied": counts.get("basically_satisfied", 0),
        "unsatisfied": counts.get("unsatisfied", 0),
        "rated": rated,
        "share": None if rated == 0 else good / rated,
        # Compared on the exact fraction: 4 of 5 meets the target, whatever floats say.
        "meets_target": None if rated == 0 else Fraction(good, rated) >= TARGET,
    }


def months_between(date_from: date, date_to: date) -> list[str]:
    months, day = [], date_from.replace(day=1)
    while day <= date_to:
        months.append(f"{day.year}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def satisfaction(units, date_from: date, date_to: date, sort: str = "name") -> dict:
    # Added up from the per-day counts (a few rows a worker and day), grouped per unit,
    # worker and month; units, workers and months add up here.
    counts = VisitDayCount
    year, month = extract("year", counts.visit_date), extract("month", counts.visit_date)
    keys = (counts.unit_id, counts.worker_id, year, month)
    grouped = _day_counts(select(*keys, *[func.sum(getattr(counts, rating))
                                          for rating in RATINGS]),
                          units, date_from, date_to).group_by(*keys)
    by_unit: dict = defaultdict(lambda: defaultdict(int))
    by_worker: dict = defaultdict(lambda: defaultdict(int))
    by_month: dict = defaultdict(lambda: defaultdict(int))
    total: dict = defaultdict(int)
    for unit_id, worker_id, y, m, *numbers in db.session.execute(grouped):
        for rating, number in zip(RATINGS, numbers, strict=True):
            number = int(number or 0)
            if not number:  # units and workers are listed only with something rated
                continue
            by_unit[unit_id][rating] += number
            by_worker[worker_id][rating] += number
            by_month[f"{int(y)}-{int(m):02d}"][rating] += number
            total[rating] += number
    names = unit_names(by_unit)
    workers = dict(db.session.execute(select(User.id, User.display_name)
                                      .where(User.id.in_(list(by_worker)))).all())
    unit_rows = [{"unit": {"id": unit_id, "name": names.get(unit_id, "")}, **score(counts)}
                 for unit_id, counts in by_unit.items()]
    worker_rows = [{"worker": {"id": worker_id, "display_name": workers.get(worker_id, "")},
                    **score(counts)} for worker_id, counts in by_worker.items()]
    return {
        "from": date_from, "to": date_to, "target": float(TARGET),
        "total": score(total),
        "units": sort_rows(unit_rows, sort, "unit", "name"),
        "workers": sort_rows(worker_rows, sort, "worker", "display_name"),
        "months": [{"month": month, **score(by_month.get(month, {}))}
                   for month in months_between(date_from, date_to)],
    }


def sort_rows(rows: list[dict], sort: str, who: str, label: str) -> list[dict]:
    """Sort by name (default) or a numeric field; '-field' for descending. None sorts last."""
    field, descending = sort.lstrip("-"), sort.startswith("-")
    if field == "name":
        return sorted(rows, key=lambda row: (row[who][label], str(row[who]["id"])),
                      reverse=descending)
    present = [row for row in rows if row[field] is not None]
    absent = [row for row in rows if row[field] is None]
    present.sort(key=lambda row: (row[field], row[who][label]), reverse=descending)
    return present + sorted(absent, key=lambda row: row[who][label])


def unsatisfied(units, date_from: date, date_to: date, page: int = 1,
                per_page: int = 50) -> dict:
    """Unsatisfied visits with their comments, newest first: the ones to follow up."""
    # Count and page read the partial indexes of unsatisfied visits alone (index-only); only
    # the page's visits are then loaded.
    where = in_range(in_scope(select(Visit.id).where(Visit.voided_at.is_(None),
                                                     Visit.satisfaction == "unsatisfied"),
                              units), date_from, date_to)
    total = db.session.scalar(select(func.count()).select_from(where.subquery()))
    ids = list(db.session.scalars(where.order_by(Visit.checked_in_at.desc(), Visit.id.desc())
                                  .limit(per_page).offset((page - 1) * per_page)))
    return {"items": _rows_of(ids), "page": page, "per_page": per_page, "total": total}


# --- worker activity ---------------------------------------------------------------------


def days_between(date_from: date, date_to: date) -> list[date]:
    return [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def _workers_of(user: User, units) -> Select:
    """Active workers one may see, of the units asked for (all one sees when none)."""
    query = users_visible_to(user).where(User.role == "worker", User.active.is_(True))
    if units is not None:
        query = query.where(User.id.in_(select(user_units.c.user_id)
                                        .where(user_units.c.unit_id.in_(units))))
    return query


@dataclass
class _Tally:
    visits: int = 0
    qr: int = 0
    burst: int = 0


def activity(user: User, units, date_from: date, date_to: date, sort: str = "name",
             page: int = 1, per_page: int = 50) -> dict:
    """Visits per worker per day and per ISO week, QR share, burst flags; paged by worker."""
    days = days_between(date_from, date_to)
    weeks = list(dict.fromkeys(iso_week_label(day) for day in days))
    # Added up from the per-day counts: a row per worker, unit and day.
    counts = VisitDayCount
    keys = (counts.worker_id, counts.visit_date)
    query = _day_counts(select(*keys, func.sum(counts.visits), func.sum(counts.qr),
                               func.sum(counts.burst)), units, date_from, date_to) \
        .group_by(*keys).having(func.sum(counts.visits) > 0)
    per_day: dict = defaultdict(dict)
    for worker_id, day, visits, qr, burst in db.session.execute(query):
        per_day[worker_id][day] = _Tally(int(visits), int(qr or 0), int(burst or 0))
    people = {u.id: u for u in db.session.scalars(_workers_of(user, units))}
    missing = set(per_day) - set(people)
    if missing:  # visited in one's units without belonging to them (moved, or a stand-in)
        people.update({u.id: u for u in db.session.scalars(select(User)
                                                            .where(User.id.in_(missing)))})
    rows = []
    for worker_id, person in people.items():
        tallies = per_day.get(worker_id, {})
        visits = sum(t.visits for t in tallies.values())
        qr = sum(t.qr for t in tallies.values())
        by_week: dict = defaultdict(int)
        for day, tally in tallies.items():
            by_week[iso_week_label(day)] += tally.visits
        rows.append({
            "worker": {"id": person.id, "display_name": person.display_name,
                       "username": person.username},
            "visits": visits, "qr": qr, "manual": visits - qr,
            "share_qr": None if visits == 0 else qr / visits,
            "burst": sum(t.burst for t in tallies.values()),
            "days_active": sum(1 for t in tallies.values() if t.visits),
            "per_day": [tallies[day].visits if day in tallies else 0 for day in days],
            "per_week": [by_week.get(week, 0) for week in weeks],
        })
    rows = sort_rows(rows, sort, "worker", "display_name")
    start = (page - 1) * per_page
    return {"from": date_from, "to": date_to, "days": days, "weeks": weeks,
            "items": rows[start:start + per_page], "page": page, "per_page": per_page,
            "total": len(rows)}


def devices(user: User, units, stale_days: int, now: datetime | None = None,
            only_stale: bool = False, page: int = 1, per_page: int = 50) -> dict:
    """Workers' devices with their last sync, stalest first; stale: active and silent too long.

    A device that never synced counts from when it was issued. Revoked or expired devices are
    listed (to see what was revoked) but are never stale.
    """
    now = now or utcnow()
    limit = now - timedelta(days=stale_days)
    people = select(_workers_of(user, units).subquery().c.id)
    last = func.coalesce(Device.last_sync_at, Device.issued_at)
    active = and_(Device.revoked_at.is_(None), Device.expires_at > now)
    stale = and_(active, last < limit)
    query = select(Device).where(Device.user_id.in_(people))
    stale_count = db.session.scalar(select(func.count()).select_from(
        query.where(stale).subquery()))
    if only_stale:
        query = query.where(stale)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.order_by(case((active, 0), else_=1), last, Device.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    items = []
    for device in found:
        since = device.last_sync_at or device.issued_at
        is_active = device.revoked_at is None and device.expires_at > now
        items.append({
            "id": device.id, "name": device.name, "app_version": device.app_version,
            "worker": {"id": device.user.id, "display_name": device.user.display_name,
                       "username": device.user.username},
            "issued_at": device.issued_at, "last_seen_at": device.last_seen_at,
            "last_sync_at": device.last_sync_at, "expires_at": device.expires_at,
            "revoked_at": device.revoked_at, "clock_skew_seconds": device.clock_skew_seconds,
            "days_since_sync": None if device.last_sync_at is None
            else (now - device.last_sync_at).days,
            "active": is_active, "stale": is_active and since < limit,
        })
    return {"stale_days": stale_days, "now": now, "stale": stale_count, "items": items,
            "page": page, "per_page": per_page, "total": total}

