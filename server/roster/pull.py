"""The roster part of a sync: what changed in the phone's scope since its cursor.

Every unit and resident carries the change number of its last change (server/roster/changes.py).
A cursor remembers the last number seen, the scope it was seen for and the coverage week;
a changed scope, a new week or a cursor we cannot read means a full resend (`reset`).
"""

from __future__ import annotations

import base64
import functools
import json
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, Select, and_, bindparam, or_, select

from server.activities.read import changed_activities
from server.activities.types import active_types
from server.cases.read import changed_cases
from server.coverage import iso_week_label, roster_coverage
from server.models import Resident, RosterRemoval, Unit, User, user_units
from server.models.core import SUPERVISOR
from server.platform.extensions import db
from server.reviews.read import changed_reviews
from server.roster.changes import current_change_number
from server.roster.residents import token_fingerprint
from server.tasks.read import changed_tasks

ALL_UNITS = "*"
# What a cursor can hold: change numbers are BIGINTs, and what encode() writes is short.
MAX_SEQ = 2**63 - 1
MAX_CURSOR_CHARS = 4000


@dataclass(frozen=True)
class Cursor:
    seq: int
    last_id: str | None
    scope: str
    week: str

    def encode(self) -> str:
        raw = json.dumps(
            {"v": 1, "s": self.seq, "r": self.last_id, "u": self.scope, "w": self.week},
            separators=(",", ":"),
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """None for a missing cursor or one that is not exactly what encode() writes (bad
        base64 or JSON, other types, a number out of range, a page id that is no UUID): the
        phone then gets everything again. Nothing a phone sends here raises."""
        if not text or len(text) > MAX_CURSOR_CHARS:
            return None
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, TypeError, RecursionError):  # binascii and Unicode errors too
            return None
        if type(raw) is not dict or raw.get("v") != 1:
            return None
        seq, last_id, scope, week = raw.get("s"), raw.get("r"), raw.get("u"), raw.get("w")
        if type(seq) is not int or not 0 <= seq <= MAX_SEQ:
            return None
        if type(scope) is not str or type(week) is not str or not _readable_scope(scope):
            return None
        if last_id is not None:
            if type(last_id) is not str:
                return None
            try:
                last_id = str(uuid.UUID(last_id))
            except ValueError:
                return None
        return cls(seq, last_id, scope, week)


def _readable_scope(key: str) -> bool:
    """What scope_key() writes: every unit, or unit ids (removed.units names them)."""
    if key == ALL_UNITS:
        return True
    try:
        return all(str(uuid.UUID(part)) == part for part in filter(None, key.split(",")))
    except ValueError:
        return False


def scope_key(unit_ids: set[uuid.UUID] | None) -> str:
    if unit_ids is None:
        return ALL_UNITS
    return ",".join(sorted(str(unit_id) for unit_id in unit_ids))


def _scope_ids(key: str) -> set[str] | None:
    return None if key == ALL_UNITS else set(filter(None, key.split(",")))


# Every sync runs the queries below: each shape is built once, on the tables, with its values
# bound at execution (docs/sync.md, "CPU per sync").
_residents, _removals, _units = Resident.__table__, RosterRemoval.__table__, Unit.__table__


def _in_scope(column, everyone: bool):
    """The scope's condition; the units are bound as `units` (a list) when not everyone."""
    return True if everyone else column.in_(bindparam("units", expanding=True))


def _scope_params(unit_ids: set[uuid.UUID] | None) -> dict:
    return {} if unit_ids is None else {"units": sorted(unit_ids)}


# A pull reads residents as plain rows of these columns: as ORM objects each would also join
# its unit and enter the session's identity map, which cost more than the query itself.
ROSTER_COLUMNS = tuple(
    _residents.c[name]
    for name in (
        "id",
        "unit_id",
        "name",
        "sex",
        "birth_year",
        "room",
        "address",
        "phone",
        "care_level",
        "qr_token",
        "home_lat",
        "home_lon",
        "status",
        "change_seq",
        # What the coverage count needs besides (coverage/phone.py): not read again.
        "admitted_on",
        "status_since",
    )
)


@functools.cache
def _changed_residents(everyone: bool, reset: bool, resuming: bool) -> Select:
    """Residents changed after the cursor (`seq`, and within it after `last_id` when resuming
    a page), in change order; `limit` rows."""
    after = _residents.c.change_seq > bindparam("seq")
    if resuming:
        after = or_(
            after,
            and_(
                _residents.c.change_seq == bindparam("seq"), _residents.c.id > bindparam("last_id")
            ),
        )
    query = (
        select(*ROSTER_COLUMNS)
        .where(_in_scope(_residents.c.unit_id, everyone), after)
        .order_by(_residents.c.change_seq, _residents.c.id)
        .limit(bindparam("limit"))
    )
    return query.where(_residents.c.status == "active") if reset else query


@functools.cache
def _changed_units(everyone: bool, reset: bool) -> Select:
    query = (
        select(_units.c.id, _units.c.name, _units.c.kind)
        .where(_in_scope(_units.c.id, everyone))
        .order_by(_units.c.name)
    )
    return query if reset else query.where(_units.c.change_seq > bindparam("seq"))


@functools.cache
def _removals_since(everyone: bool, bounded: bool) -> Select:
    """Residents taken out of these units after `seq` (up to `up_to` when bounded)."""
    query = select(_removals.c.resident_id).where(
        _removals.c.change_seq > bindparam("seq"), _in_scope(_removals.c.unit_id, everyone)
    )
    return query.where(_removals.c.change_seq <= bindparam("up_to")) if bounded else query


@functools.cache
def _still_in_scope(everyone: bool) -> Select:
    return select(_residents.c.id).where(
        _residents.c.id.in_(bindparam("ids", expanding=True)),
        _in_scope(_residents.c.unit_id, everyone),
        _residents.c.status == "active",
    )


def resident_entry(resident: Row | Resident, coverage: dict) -> dict:
    """The phone's copy of a resident; empty fields are left out to keep pulls small."""
    entry = {"id": str(resident.id), "unit_id": str(resident.unit_id), "name": resident.name}
    for name in ("sex", "birth_year", "room", "address", "phone", "care_level"):
        value = getattr(resident, name)
        if value not in (None, ""):
            entry[name] = value
    entry["qr_hash"] = token_fingerprint(resident.qr_token)
    if resident.home_lat is not None and resident.home_lon is not None:
        entry["home_location"] = {"lat": resident.home_lat, "lon": resident.home_lon}
    last = coverage["last_visit_at"]
    entry["coverage"] = {
        "week": coverage["week"],
        "required": coverage["required"],
        "days_visited": coverage["days_visited"],
        "last_visit_at": last.isoformat() if last else None,
    }
    if coverage.get("every_days") is not None:  # an every-N-days rule (docs/coverage.md)
        entry["coverage"].update(every_days=coverage["every_days"], due_by=coverage["due_by"])
    return entry


def pull(
    unit_ids: set[uuid.UUID] | None,
    cursor_text: str | None,
    today: date,
    page_size: int,
    user_id: uuid.UUID | None = None,
) -> dict:
    """One page of roster changes for a scope, and the cursor for the next call.

    `unit_ids` is the person's scope (`Scope.unit_ids`, None for every unit). The
    sync endpoint reads it before it commits the pushed visits: the commit expires the user,
    and reading the scope afterwards would cost two more queries per sync.
    """
    scope = scope_key(unit_ids)
    week = iso_week_label(today)
    cursor = Cursor.decode(cursor_text)
    high_water = current_change_number()
    # A number the server never handed out would skip every change below it: resend all.
    reset = (
        cursor is None or cursor.scope != scope or cursor.week != week or cursor.seq > high_water
    )
    start_seq, start_id = (0, None) if reset else (cursor.seq, cursor.last_id)

    everyone, scope_params = unit_ids is None, _scope_params(unit_ids)
    rows = db.session.execute(
        _changed_residents(everyone, reset, start_id is not None),
        {
            **scope_params,
            "seq": start_seq,
            "limit": page_size + 1,
            **({"last_id": uuid.UUID(start_id)} if start_id is not None else {}),
        },
    ).all()
    more = len(rows) > page_size
    rows = rows[:page_size]

    active = [r for r in rows if r.status == "active"]
    # Most pulls between pushes carry no resident: then not even the rules are read.
    coverage = roster_coverage(active, today) if active else {}
    removed_residents = [str(r.id) for r in rows if r.status != "active"]
    if not reset:
        removed_residents += _moved_away(
            everyone, scope_params, start_seq, rows[-1].change_seq if more else None
        )
    units = [
        {"id": str(u.id), "name": u.name, "kind": u.kind}
        for u in db.session.execute(
            _changed_units(everyone, reset), {**scope_params, "seq": start_seq}
        )
    ]
    _add_supervisors(units)
    removed_units = _units_taken_away(cursor, unit_ids)
    # Tasks take numbers from the same counter; a page of residents bounds them too. Nothing
    # changed since the cursor: not even the tasks are read.
    up_to = rows[-1].change_seq if more else None
    anything_changed = reset or start_seq < high_water
    tasks, removed_tasks = (
        changed_tasks(unit_ids, user_id, start_seq, up_to, reset) if anything_changed else ([], [])
    )
    # Cases too (docs/cases.md): the same cursor, and no query when nothing changed.
    cases, removed_cases = (
        changed_cases(unit_ids, user_id, start_seq, up_to, reset) if anything_changed else ([], [])
    )
    # The person's own returned records (docs/reviews.md): the same cursor, no query when
    # nothing changed.
    reviews, removed_reviews = (
        changed_reviews(user_id, start_seq, up_to, reset) if anything_changed else ([], [])
    )

    # Activities (docs/activities.md): the types with any change, the units' last 31 days.
    activities = changed_activities(unit_ids, start_seq, up_to, today) if anything_changed else []
    activity_types = active_types() if anything_changed else []

    if more:
        next_cursor = Cursor(rows[-1].change_seq, str(rows[-1].id), scope, week)
    else:
        last_seen = max([high_water, start_seq, *(r.change_seq for r in rows)])
        next_cursor = Cursor(last_seen, None, scope, week)
    return {
        "units": units,
        "residents": [resident_entry(r, coverage[r.id]) for r in active],
        "tasks": tasks,
        "cases": cases,
        "reviews": reviews,
        "activity_types": activity_types,
        "activities": activities,
        "removed": {
            "residents": removed_residents,
            "units": removed_units,
            "tasks": removed_tasks,
            "cases": removed_cases,
            "reviews": removed_reviews,
            "activities": [],
        },
        "reset": reset,
        "cursor": next_cursor.encode(),
        "more": more,
    }


# The active supervisors of some units, by name: whom a worker may hand a task to. A change
# of a supervisor's units, name or standing marks their units changed (people/users.py).
_SUPERVISORS = (
    select(user_units.c.unit_id, User.id, User.display_name)
    .join(User, User.id == user_units.c.user_id)
    .where(
        user_units.c.unit_id.in_(bindparam("units", expanding=True)),
        User.role == SUPERVISOR,
        User.active.is_(True),
    )
    .order_by(User.display_name, User.id)
)


def _add_supervisors(units: list[dict]) -> None:
    """Each unit entry carries its supervisors (most pulls carry no unit: no query)."""
    if not units:
        return
    found: dict[str, list[dict]] = {unit["id"]: [] for unit in units}
    for unit_id, user_id, name in db.session.execute(
        _SUPERVISORS, {"units": [uuid.UUID(unit["id"]) for unit in units]}
    ):
        found[str(unit_id)].append({"id": str(user_id), "display_name": name})
    for unit in units:
        unit["supervisors"] = found[unit["id"]]


def _moved_away(everyone: bool, scope_params: dict, start_seq: int, up_to: int | None) -> list[str]:
    """Residents who left one of these units since the cursor and are not in scope now."""
    moved = set(
        db.session.scalars(
            _removals_since(everyone, up_to is not None),
            {**scope_params, "seq": start_seq, **({"up_to": up_to} if up_to is not None else {})},
        )
    )
    if not moved:
        return []
    still_here = set(
        db.session.scalars(_still_in_scope(everyone), {**scope_params, "ids": sorted(moved)})
    )
    return sorted(str(resident_id) for resident_id in moved - still_here)


def _units_taken_away(cursor: Cursor | None, unit_ids) -> list[str]:
    if cursor is None:
        return []
    before, now = _scope_ids(cursor.scope), _scope_ids(scope_key(unit_ids))
    if before is None or now is None:
        return []
    return sorted(before - now)
