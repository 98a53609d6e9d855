"""Who may see and change what. Out-of-scope records answer 404 so their existence never leaks.

A person's reach is one `Scope` value, built once per request from who is signed in (the
endpoint decorator puts it in `g.scope`) and handed to every query that a unit limits. Admins
and inspectors reach every unit of the offices below their organisation (docs/organisations.md);
an admin or inspector of the city, the top of the tree, reaches everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, select

from server.models import OFFICE, Organisation, Unit, User, user_units
from server.models.core import ADMIN, INSPECTOR, MANAGERS, SUPERVISOR, WORKER
from server.organisations.tree import is_root, load_tree, units_of_offices
from server.platform.errors import Forbidden, NotFound
from server.platform.extensions import db


@dataclass(frozen=True)
class Scope:
    """The units a person may see (`unit_ids`; None: every unit) and whether they manage them,
    with the organisations (`organisation_ids`) and offices (`office_ids`) they reach (None:
    all of them).

    Admins see and manage every unit of the offices below them; supervisors see and manage
    their own; workers see theirs; inspectors see what an admin of their bureau would and
    manage nothing.
    """

    unit_ids: frozenset[uuid.UUID] | None
    manager: bool = False
    organisation_ids: frozenset[uuid.UUID] | None = None
    office_ids: frozenset[uuid.UUID] | None = None
    admin: bool = False
    inspector: bool = False

    @classmethod
    def of(cls, user: User) -> Scope:
        if user.role in (ADMIN, INSPECTOR):
            return cls._below(user)
        own = frozenset({user.organisation_id})
        return cls(
            frozenset(user.unit_ids),
            manager=user.role in MANAGERS,
            organisation_ids=own,
            office_ids=own,
        )

    @classmethod
    def _below(cls, user: User) -> Scope:
        admin, inspector = user.role == ADMIN, user.role == INSPECTOR
        if is_root(user.organisation_id):
            return cls(None, manager=admin, admin=admin, inspector=inspector)
        tree = load_tree()
        offices = tree.offices_below(user.organisation_id)
        return cls(
            units_of_offices(offices),
            manager=admin,
            organisation_ids=tree.below(user.organisation_id),
            office_ids=offices,
            admin=admin,
            inspector=inspector,
        )

    @property
    def whole_city(self) -> bool:
        """An admin of the city: who sets what every office shares (targets, rules, types)."""
        return self.admin and self.unit_ids is None

    def includes_office(self, office_id: uuid.UUID) -> bool:
        return self.office_ids is None or office_id in self.office_ids

    def includes_organisation(self, organisation_id: uuid.UUID) -> bool:
        return self.organisation_ids is None or organisation_id in self.organisation_ids

    def filter_offices(self, query: Select, office_column) -> Select:
        """The query limited to rows whose `office_column` is one of the offices reached."""
        if self.office_ids is None:
            return query
        return query.where(office_column.in_(sorted(self.office_ids)))

    def within_office(self, office_id: uuid.UUID) -> Scope:
        """The same reach narrowed to one office's units: a list or report filtered by office
        (`office_id`). An office one does not reach, or no office at all, is not found."""
        office = db.session.get(Organisation, office_id)
        if office is None or office.kind != OFFICE or not self.includes_office(office_id):
            raise NotFound("office")
        units = units_of_offices(frozenset({office_id}))
        if self.unit_ids is not None:
            units = units & self.unit_ids
        return Scope(
            units,
            manager=self.manager,
            organisation_ids=frozenset({office_id}),
            office_ids=frozenset({office_id}),
            admin=self.admin,
            inspector=self.inspector,
        )

    def require_whole_city(self) -> None:
        if not self.whole_city:
            raise Forbidden("Only an admin of the city bureau may change what every office shares.")

    @property
    def everything(self) -> bool:
        return self.unit_ids is None

    def includes(self, unit_id: uuid.UUID) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids

    def manages(self, unit_id: uuid.UUID) -> bool:
        return self.manager and self.includes(unit_id)

    def filter(self, query: Select, unit_column) -> Select:
        """The query limited to rows whose `unit_column` is one of these units."""
        if self.unit_ids is None:
            return query
        return query.where(unit_column.in_(sorted(self.unit_ids)))

    def get(self, model, record_id, what: str | None = None):
        """The record by primary key, or 404 when there is none or it lies outside the scope.

        A unit is in scope by its own id; anything else by its `unit_id`.
        """
        record = db.session.get(model, record_id)
        if record is None or not self.includes(record.id if model is Unit else record.unit_id):
            raise NotFound(what or model.__name__.lower())
        return record

    def require_manager_of(self, unit_id: uuid.UUID) -> None:
        """403 for a unit one sees but may not change, 404 for one one may not see."""
        if not self.manages(unit_id):
            if self.includes(unit_id):
                raise Forbidden("Only an admin or a supervisor of this unit may change it.")
            raise NotFound("unit")


def users_visible_to(scope: Scope) -> Select:
    """Admins and inspectors see everyone of the organisations below them; supervisors see the
    workers who share one of their units."""
    query = select(User).order_by(User.username)
    if scope.everything:
        return query
    if scope.admin or scope.inspector:
        return query.where(User.organisation_id.in_(sorted(scope.organisation_ids)))
    shared = select(user_units.c.user_id).where(user_units.c.unit_id.in_(sorted(scope.unit_ids)))
    return query.where(User.id.in_(shared), User.role == WORKER)


def staff_listed_for(scope: Scope) -> Select:
    """Whom one may list and read: admins everyone; supervisors the workers and the fellow
    supervisors who share one of their units (and themselves), so a task or a meeting can name
    a colleague. Managing (revoking devices, reports per worker) stays `users_visible_to`."""
    query = select(User).order_by(User.username)
    if scope.everything:
        return query
    if scope.admin or scope.inspector:
        return users_visible_to(scope)
    shared = select(user_units.c.user_id).where(user_units.c.unit_id.in_(sorted(scope.unit_ids)))
    return query.where(User.id.in_(shared), User.role.in_((WORKER, SUPERVISOR)))


class UserInScope:
    """A person as someone with `scope` sees them: only the units inside that scope.

    Staff shared between units would otherwise show a supervisor the names and ids of units
    outside theirs."""

    def __init__(self, user: User, scope: Scope) -> None:
        self._user = user
        self.units = [unit for unit in user.units if scope.includes(unit.id)]

    @property
    def unit_ids(self) -> list[uuid.UUID]:
        return [unit.id for unit in self.units]

    def __getattr__(self, name: str):
        return getattr(self._user, name)


def seen_within(user: User, scope: Scope) -> User | UserInScope:
    return user if scope.everything else UserInScope(user, scope)
