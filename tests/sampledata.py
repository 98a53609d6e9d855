"""Two districts with an office each, people at every level, and visits synced from the
phones, for the sampling tests (docs/sampling.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from server.platform.clock import today_in
from tests import orgdata
from tests.conftest import Api, Person, add_resident
from tests.visitdata import sync_body, visit_payload


@dataclass
class UnitRef:
    """What tests/conftest.py's add_resident needs of a unit."""

    id: str


@dataclass
class City:
    north: str
    east: str
    south: str
    south_office: str
    east_ward: UnitRef
    south_ward: UnitRef
    inspector: Person
    south_inspector: Person
    district_admin: Person
    office_admin: Person
    supervisor: Person
    worker: Person
    south_worker: Person
    residents: list[dict] = field(default_factory=list)


def today() -> date:
    return today_in(current_app.config["TIMEZONE"])


def city(api: Api, admin: Person) -> City:
    north = orgdata.district(api, admin, "North district 北区")
    east = orgdata.office(api, admin, north, "East office 东工作室")
    south = orgdata.district(api, admin, "South district 南区")
    south_office = orgdata.office(api, admin, south, "South office 南工作室")
    east_ward = UnitRef(orgdata.unit(api, admin, east, "East ward 东病区")["id"])
    south_ward = UnitRef(orgdata.unit(api, admin, south_office, "South ward 南病区")["id"])
    return City(
        north=north,
        east=east,
        south=south,
        south_office=south_office,
        east_ward=east_ward,
        south_ward=south_ward,
        inspector=orgdata.person(api, admin, "north.inspector", "inspector", north),
        south_inspector=orgdata.person(api, admin, "south.inspector", "inspector", south),
        district_admin=orgdata.person(api, admin, "north.admin", "admin", north),
        office_admin=orgdata.person(api, admin, "east.admin", "admin", east),
        supervisor=orgdata.person(
            api, admin, "east.supervisor", "supervisor", unit_ids=(east_ward.id,)
        ),
        worker=orgdata.person(api, admin, "east.worker", "worker", unit_ids=(east_ward.id,)),
        south_worker=orgdata.person(
            api, admin, "south.worker", "worker", unit_ids=(south_ward.id,)
        ),
    )


def residents(api: Api, admin: Person, unit: UnitRef, count: int, **fields) -> list[dict]:
    return [
        add_resident(api, admin, unit, name=f"长者 Resident {n}", room=f"{100 + n}", **fields)
        for n in range(count)
    ]


def visit_on(day: date, resident: dict, seed: int = 1) -> dict:
    """A visit at noon of a local day, as the phone sends it."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    when = datetime.combine(day, time(12), tzinfo=zone)
    return visit_payload(resident, when=when, seed=seed)


def sync_visits(api: Api, worker: Person, visits: list[dict]) -> list[str]:
    """The visits sent from the worker's phone through the real sync; their ids."""
    answer = api.post("/sync", json=sync_body(visits), as_=worker)
    assert answer.status_code == 200, answer.json
    statuses = {result["status"] for result in answer.json["results"]}
    assert statuses == {"created"}, answer.json
    return [visit["id"] for visit in visits]


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def draw(api: Api, person: Person, office: str, kind: str = "visits", **fields):
    body = {
        "office_id": office,
        "kind": kind,
        "period_start": fields.pop("period_start", days_ago(30)).isoformat(),
        "period_end": fields.pop("period_end", today()).isoformat(),
        "size": fields.pop("size", 5),
        **fields,
    }
    return api.post("/samples", as_=person, json=body)
