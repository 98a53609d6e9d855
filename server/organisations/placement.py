"""Where a person works and which units they may hold: the rules every account obeys.

Workers and supervisors work in an office and hold only its units; an inspector works at a
bureau (the city's or a district's); an admin works at any level and reaches the offices
below it. Whoever creates or moves an account may place it only within their own reach.
"""

from __future__ import annotations

import uuid

from server.models import CITY, DISTRICT, OFFICE, Organisation, Unit, User
from server.models.core import ADMIN, INSPECTOR
from server.organisations.tree import is_root, load_tree, only_office
from server.people.access import Scope
from server.platform.errors import ApiError, NotFound
from server.platform.extensions import db
from server.platform.field_codes import coded

# The kinds of organisation each role may work at.
PLACES = {INSPECTOR: (CITY, DISTRICT), ADMIN: (CITY, DISTRICT, OFFICE)}


def _invalid(field: str, message: str, code: str) -> ApiError:
    return ApiError(422, "Some fields are not valid.", errors={field: [coded(message, code)]})


def default_organisation(role: str, units: list[Unit], creator: User | None) -> uuid.UUID:
    """Where an account goes when none is named: its units' office; else its creator's own
    organisation, below the city; else the city for an admin or inspector, and the
    deployment's only office for its staff."""
    offices = {unit.office_id for unit in units}
    if len(offices) > 1:
        raise _invalid("unit_ids", "These units belong to different offices.", "mixed_offices")
    if offices:
        return offices.pop()
    if creator is not None and not is_root(creator.organisation_id):
        return creator.organisation_id
    root = load_tree().root_id
    if role in PLACES and root is not None:
        return root
    office = only_office()
    if office is None:
        raise _invalid("organisation_id", "Name the office this person works at.", "required")
    return office


def check_placement(
    role: str, organisation_id: uuid.UUID, units: list[Unit], scope: Scope | None
) -> None:
    """422 for a place the role cannot work at or units outside it; 404 for an organisation
    outside the creator's reach (as for any record one may not see)."""
    organisation = db.session.get(Organisation, organisation_id)
    reachable = scope is None or scope.includes_organisation(organisation_id)
    if organisation is None or not reachable:
        raise NotFound("organisation")
    allowed = PLACES.get(role, (OFFICE,))
    if organisation.kind not in allowed:
        raise _invalid(
            "organisation_id",
            f"A {role} works at a {' or '.join(allowed)}, not a {organisation.kind}.",
            "wrong_kind",
        )
    if not units:
        return
    offices = load_tree().offices_below(organisation_id)
    outside = [unit for unit in units if unit.office_id not in offices]
    if outside:
        messages = [
            coded(f"Unit {unit.name} belongs to another office.", "other_office", value=unit.id)
            for unit in outside
        ]
        raise ApiError(422, "Some fields are not valid.", errors={"unit_ids": messages})


def office_of_record(
    scope: Scope | None, office_id: uuid.UUID | None, unit: Unit | None = None
) -> uuid.UUID:
    """The office a record for the whole office (a reception day, a meeting) is held by: its
    unit's; else the office named, which must be one in reach; else the only office one
    reaches (or the deployment has)."""
    if unit is not None:
        return unit.office_id
    if office_id is not None:
        office = db.session.get(Organisation, office_id)
        if office is None or (scope is not None and not scope.includes_office(office_id)):
            raise _invalid("office_id", "No such office in your reach.", "not_found")
        if office.kind != OFFICE:
            raise _invalid("office_id", "Name an office, not a bureau.", "wrong_kind")
        return office_id
    if scope is not None and scope.office_ids is not None and len(scope.office_ids) == 1:
        return next(iter(scope.office_ids))
    office = only_office()
    if office is None:
        raise _invalid("office_id", "Name the office.", "required")
    return office
