"""Who may see and change what. Out-of-scope records answer 404 so their existence never leaks."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select

from server.models import Resident, Unit, User, user_units
from server.platform.errors import Forbidden, NotFound
from server.platform.extensions import db


def is_admin(user: User) -> bool:
    return user.role == "admin"


def visible_unit_ids(user: User) -> set[uuid.UUID] | None:
    """The units a person may see; None means every unit (admins)."""
    if is_admin(user):
        return None
    return set(user.unit_ids)


def can_see_unit(user: User, unit_id: uuid.UUID) -> bool:
    scope = visible_unit_ids(user)
    return scope is None or unit_id in scope


def can_manage_unit(user: User, unit_id: uuid.UUID) -> bool:
    """Admins manage everything; supervisors manage the residents of their own units."""
    return is_admin(user) or (user.role == "supervisor" and unit_id in set(user.unit_ids))


def restrict_to_units(query: Select, user: User, unit_column) -> Select:
    scope = visible_unit_ids(user)
    if scope is None:
        return query
    return query.where(unit_column.in_(scope))


def get_unit(user: User, unit_id: uuid.UUID) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or not can_see_unit(user, unit.id):
        raise NotFound("unit")
    return unit


def get_resident(user: User, resident_id: uuid.UUID) -> Resident:
    resident = db.session.get(Resident, resident_id)
    if resident is None or not can_see_unit(user, resident.unit_id):
        raise NotFound("resident")
    return resident


def require_manager_of(user: User, unit_id: uuid.UUID) -> None:
    if not can_manage_unit(user, unit_id):
        if can_see_unit(user, unit_id):
            raise Forbidden("Only an admin or a supervisor of this unit may change it.")
        raise NotFound("unit")


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise Forbidden()


def users_visible_to(user: User) -> Select:
    """Admins see everyone; supervisors see the workers who share one of their units."""
    query = select(User).order_by(User.username)
    if is_admin(user):
        return query
    shared = select(user_units.c.user_id).where(user_units.c.unit_id.in_(user.unit_ids))
    return query.where(User.id.in_(shared), User.role == "worker")
