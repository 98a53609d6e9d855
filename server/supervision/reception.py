"""Reception days (每月老年社会服务接待日): the day the office receives elders, families and the
public, and each person received, recorded at the desk (docs/office-rules.md).

A day held by a unit is seen and changed by that unit's supervisors; a day without a unit is
the whole office's, seen and changed by every supervisor. Admins see and change them all.
Workers do not record reception days.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, func, or_, select

from server.models import (
    RECEPTION_OUTCOMES,
    VISITOR_KINDS,
    Reception,
    ReceptionDay,
    Resident,
    Unit,
    User,
    utcnow,
)
from server.organisations.placement import office_of_record
from server.people import audit
from server.people.access import Scope
from server.people.audit import Actor
from server.platform.errors import ApiError, Forbidden, NotFound
from server.platform.extensions import db
from server.platform.field_codes import coded

DAY_FIELDS = ("held_on", "office_id", "unit_id", "place", "staff", "notes")
RECEPTION_FIELDS = (
    "visitor_kind",
    "resident_id",
    "visitor_name",
    "relation",
    "contact",
    "request",
    "action",
    "outcome",
    "referred_to",
)


class ReceptionProblem(ApiError):
    """A day or a person received that the rules refuse, with the fields to fix."""

    def __init__(self, errors: dict) -> None:
        super().__init__(422, "Some fields are not valid.", errors=errors)


@dataclass(frozen=True)
class DayFields:
    held_on: date
    unit_id: uuid.UUID | None = None
    place: str = ""
    staff: list[uuid.UUID] = field(default_factory=list)
    notes: str = ""
    # A day of the whole office names its office when one reaches several.
    office_id: uuid.UUID | None = None


@dataclass(frozen=True)
class NewReception:
    visitor_kind: str
    request: str
    outcome: str
    resident_id: uuid.UUID | None = None
    visitor_name: str = ""
    relation: str = ""
    contact: str = ""
    action: str = ""
    referred_to: str = ""


# --- who sees what ------------------------------------------------------------------------


def days_in_sight(scope: Scope, unit_id: uuid.UUID | None = None) -> Select:
    """The reception days a person sees: their units' and the whole office's; one unit's
    (and the whole office's, which serve every unit) when `unit_id` is given."""
    query = select(ReceptionDay)
    whole_office = ReceptionDay.unit_id.is_(None)
    if unit_id is not None:
        office_id = db.session.get(Unit, unit_id).office_id
        return query.where(
            or_(
                ReceptionDay.unit_id == unit_id,
                and_(whole_office, ReceptionDay.office_id == office_id),
            )
        )
    if scope.everything:
        return query
    offices = sorted(scope.office_ids or ())
    return query.where(
        or_(
            ReceptionDay.unit_id.in_(sorted(scope.unit_ids)),
            and_(whole_office, ReceptionDay.office_id.in_(offices)),
        )
    )


def sees(scope: Scope, day: ReceptionDay) -> bool:
    if day.unit_id is None:
        return scope.includes_office(day.office_id)
    return scope.includes(day.unit_id)


def day_in_sight(scope: Scope, day_id: uuid.UUID) -> ReceptionDay:
    """The day, or 404 when there is none or it is another unit's."""
    day = db.session.get(ReceptionDay, day_id)
    if day is None or not sees(scope, day):
        raise NotFound("reception day")
    return day


def _require_recorder(actor: Actor) -> None:
    if actor.scope is not None and not actor.scope.manager:
        raise Forbidden("Only supervisors and admins record reception days.")


# --- recording ----------------------------------------------------------------------------


def _checked_day(actor: Actor, fields: DayFields, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if fields.held_on > today:
        errors["held_on"] = [
            coded("A reception day is recorded once held: not after today.", "range", max=today)
        ]
    if fields.unit_id is not None:
        unit = db.session.get(Unit, fields.unit_id)
        if unit is None or (actor.scope is not None and not actor.scope.includes(unit.id)):
            errors["unit_id"] = [coded("No such unit in your units.", "not_found")]
    staff = list(dict.fromkeys(fields.staff))
    known = set(db.session.scalars(select(User.id).where(User.id.in_(staff)))) if staff else set()
    if len(known) != len(staff):
        errors["staff"] = [coded("Each member of staff must be a user.", "not_found")]
    if errors:
        raise ReceptionProblem(errors)


def _apply(actor: Actor, day: ReceptionDay, fields: DayFields) -> None:
    unit = db.session.get(Unit, fields.unit_id) if fields.unit_id is not None else None
    day.office_id = office_of_record(actor.scope, fields.office_id, unit)
    day.held_on = fields.held_on
    day.unit_id = fields.unit_id
    day.place = fields.place
    day.staff = [str(user_id) for user_id in dict.fromkeys(fields.staff)]
    day.notes = fields.notes
    day.updated_at = utcnow()


def record_day(actor: Actor, fields: DayFields, today: date) -> ReceptionDay:
    """A reception day held on `fields.held_on` (today or before); flush."""
    _require_recorder(actor)
    _checked_day(actor, fields, today)
    day = ReceptionDay(id=uuid.uuid4(), created_by=actor.user_id)
    _apply(actor, day, fields)
    db.session.add(day)
    db.session.flush()
    audit.record(actor, "create", "reception_day", day.id, after=audit.snapshot(day, DAY_FIELDS))
    return day


def edit_day(actor: Actor, day: ReceptionDay, fields: DayFields, today: date) -> ReceptionDay:
    """Replace the day's own fields (not its people received); flush."""
    _require_recorder(actor)
    _checked_day(actor, fields, today)
    before = audit.snapshot(day, DAY_FIELDS)
    _apply(actor, day, fields)
    db.session.flush()
    audit.record(actor, "update", "reception_day", day.id, before, audit.snapshot(day, DAY_FIELDS))
    return day


def _reception_errors(actor: Actor, new: NewReception) -> dict[str, list[str]]:
    """What the kind of visitor asks for: a resident is named, a family member has a name and a
    relation, a member of the public a name and a contact; a referral says where to."""
    errors: dict[str, list[str]] = {}
    if new.visitor_kind not in VISITOR_KINDS:
        errors["visitor_kind"] = [coded("Not a kind of visitor.", "one_of", choices=VISITOR_KINDS)]
    if new.outcome not in RECEPTION_OUTCOMES:
        errors["outcome"] = [coded("Not an outcome.", "one_of", choices=RECEPTION_OUTCOMES)]
    if new.visitor_kind == "resident" and new.resident_id is None:
        errors["resident_id"] = [coded("Name the resident received.", "required")]
    if new.resident_id is not None:
        resident = db.session.get(Resident, new.resident_id)
        if resident is None or (
            actor.scope is not None and not actor.scope.includes(resident.unit_id)
        ):
            errors["resident_id"] = [coded("No such resident in your units.", "not_found")]
    if new.visitor_kind in ("family", "public") and not new.visitor_name.strip():
        errors["visitor_name"] = [coded("Give the visitor's name.", "required")]
    if new.visitor_kind == "family" and not new.relation.strip():
        errors["relation"] = [
            coded("Give the family member's relation to the resident.", "required")
        ]
    if new.visitor_kind == "public" and not new.contact.strip():
        errors["contact"] = [coded("Give a contact for a member of the public.", "required")]
    if not new.request.strip():
        errors["request"] = [coded("Say what the visitor asked.", "required")]
    if new.outcome == "referred" and not new.referred_to.strip():
        errors["referred_to"] = [coded("Say where the visitor was referred.", "required")]
    return errors


def add_reception(actor: Actor, day: ReceptionDay, new: NewReception) -> Reception:
    """A person received on the day, checked by their kind; flush."""
    _require_recorder(actor)
    errors = _reception_errors(actor, new)
    if errors:
        raise ReceptionProblem(errors)
    values = {name: getattr(new, name) for name in RECEPTION_FIELDS}
    if new.outcome != "referred":
        values["referred_to"] = ""
    reception = Reception(id=uuid.uuid4(), day=day, created_by=actor.user_id, **values)
    db.session.add(reception)
    day.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "create",
        "reception",
        reception.id,
        after=audit.snapshot(reception, RECEPTION_FIELDS),
    )
    return reception


# --- reading ------------------------------------------------------------------------------

COUNT_KEYS = (*VISITOR_KINDS, *RECEPTION_OUTCOMES)


def _empty_counts() -> dict[str, int]:
    return {"total": 0, **dict.fromkeys(COUNT_KEYS, 0)}


def counts_by_day(day_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Each day's people received, by kind of visitor and by outcome."""
    counts = {day_id: _empty_counts() for day_id in day_ids}
    if not day_ids:
        return counts
    rows = db.session.execute(
        select(Reception.day_id, Reception.visitor_kind, Reception.outcome, func.count())
        .where(Reception.day_id.in_(day_ids))
        .group_by(Reception.day_id, Reception.visitor_kind, Reception.outcome)
    )
    for day_id, kind, outcome, number in rows:
        day = counts[day_id]
        day["total"] += number
        day[kind] += number
        day[outcome] += number
    return counts


@dataclass(frozen=True)
class DayFilter:
    date_from: date | None = None
    date_to: date | None = None
    unit_id: uuid.UUID | None = None


def _filtered(query: Select, wanted: DayFilter) -> Select:
    if wanted.date_from is not None:
        query = query.where(ReceptionDay.held_on >= wanted.date_from)
    if wanted.date_to is not None:
        query = query.where(ReceptionDay.held_on <= wanted.date_to)
    return query


def list_days(scope: Scope, wanted: DayFilter, page: int, per_page: int) -> dict:
    """One page of the days in sight, newest first, each with its counts, and the counts of
    every day the filter holds."""
    if wanted.unit_id is not None:
        scope.get(Unit, wanted.unit_id)  # 404 for a unit one may not see
    seen = _filtered(days_in_sight(scope, wanted.unit_id), wanted)
    ids = seen.with_only_columns(ReceptionDay.id).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    days = list(
        db.session.scalars(
            seen.order_by(ReceptionDay.held_on.desc(), ReceptionDay.created_at.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    counts = counts_by_day([day.id for day in days])
    return {
        "items": [day_entry(day, counts[day.id]) for day in days],
        "page": page,
        "per_page": per_page,
        "total": total or 0,
        "counts": total_counts(ids),
    }


def total_counts(day_ids: Select) -> dict[str, int]:
    counts = _empty_counts()
    rows = db.session.execute(
        select(Reception.visitor_kind, Reception.outcome, func.count())
        .where(Reception.day_id.in_(day_ids))
        .group_by(Reception.visitor_kind, Reception.outcome)
    )
    for kind, outcome, number in rows:
        counts["total"] += number
        counts[kind] += number
        counts[outcome] += number
    return counts


def _people(ids: list) -> list[dict]:
    wanted = [uuid.UUID(str(user_id)) for user_id in ids]
    found = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    return [
        {"id": user_id, "display_name": found[user_id].display_name}
        for user_id in wanted
        if user_id in found
    ]


def _unit_ref(unit_id: uuid.UUID | None) -> dict | None:
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    return None if unit is None else {"id": unit.id, "name": unit.name}


def day_entry(day: ReceptionDay, counts: dict[str, int]) -> dict:
    return {
        "id": day.id,
        "held_on": day.held_on,
        "unit_id": day.unit_id,
        "office_id": day.office_id,
        "unit": _unit_ref(day.unit_id),
        "place": day.place,
        "staff": [uuid.UUID(str(user_id)) for user_id in day.staff],
        "staff_people": _people(day.staff),
        "notes": day.notes,
        "counts": counts,
        "updated_at": day.updated_at,
    }


def reception_entry(reception: Reception, scope: Scope) -> dict:
    resident = reception.resident
    # A family member may have come about a resident the reader does not see: not named.
    shown = resident is not None and scope.includes(resident.unit_id)
    return {
        "id": reception.id,
        "day_id": reception.day_id,
        **{name: getattr(reception, name) for name in RECEPTION_FIELDS},
        "resident_id": reception.resident_id if shown else None,
        "resident": {"id": resident.id, "name": resident.name} if shown else None,
        "created_by": {"id": reception.author.id, "display_name": reception.author.display_name},
        "created_at": reception.created_at,
    }


def day_detail(day: ReceptionDay, scope: Scope) -> dict:
    counts = counts_by_day([day.id])[day.id]
    return {
        **day_entry(day, counts),
        "receptions": [reception_entry(reception, scope) for reception in day.receptions],
    }


def resident_receptions(scope: Scope, resident_id: uuid.UUID, page: int, per_page: int) -> dict:
    """The times a resident was received, or a family member came about them, newest first,
    on the days the reader sees."""
    scope.get(Resident, resident_id, "resident")
    visible = days_in_sight(scope).with_only_columns(ReceptionDay.id).order_by(None)
    query = (
        select(Reception, ReceptionDay.held_on)
        .join(ReceptionDay, Reception.day_id == ReceptionDay.id)
        .where(Reception.resident_id == resident_id, Reception.day_id.in_(visible))
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(ReceptionDay.held_on.desc(), Reception.created_at.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return {
        "items": [
            {**reception_entry(reception, scope), "held_on": held_on} for reception, held_on in rows
        ],
        "page": page,
        "per_page": per_page,
        "total": total or 0,
    }


def held_days(scope: Scope, unit_id: uuid.UUID | None, start: date, end: date) -> list[date]:
    """The distinct days with a reception day in sight from `start` to `end`: the office rule
    counts days, not reception days recorded."""
    seen = days_in_sight(scope, unit_id).where(
        ReceptionDay.held_on >= start, ReceptionDay.held_on <= end
    )
    query = seen.with_only_columns(ReceptionDay.held_on).distinct().order_by(None)
    return sorted(db.session.scalars(query))
