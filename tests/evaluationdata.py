"""A small city for the evaluation tests, made through the API: two districts, an office in
each, their people, a ward of residents; visits and activities through the real sync,
reception days, documents and the staff list through their APIs (docs/evaluation.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from types import SimpleNamespace

from tests import factsdata, orgdata
from tests.activitydata import activity_payload, activity_sync
from tests.conftest import Api, Person
from tests.officedata import day_body
from tests.taskdata import results_by_id
from tests.visitdata import sync_body, visit_payload

# Far enough back for last year's records to sync as if a phone had been offline with them.
HORIZON_DAYS = 800


@dataclass
class Town:
    city: str
    north: str
    south: str
    east: str  # the office evaluated, in the north district
    west: str  # an office of the south district
    ward: dict
    west_ward: dict
    office_admin: Person
    supervisor: Person
    worker: Person
    west_worker: Person
    north_inspector: Person
    south_inspector: Person
    city_inspector: Person
    residents: list[dict] = field(default_factory=list)


def resident(api: Api, admin: Person, ward: dict, name: str, admitted_on: date) -> dict:
    body = {"name": name, "unit_id": ward["id"], "admitted_on": admitted_on.isoformat()}
    answer = api.post("/residents", as_=admin, json=body)
    assert answer.status_code == 201, answer.json
    return answer.json


def town(api: Api, admin: Person, app) -> Town:
    """The city, with syncing open to last year's records."""
    app.config["CHECK_IN_HORIZON_DAYS"] = HORIZON_DAYS
    city = orgdata.city_of(api, admin)["city"]
    north = orgdata.district(api, admin, "North district 北区")
    south = orgdata.district(api, admin, "South district 南区")
    east = orgdata.office(api, admin, north, "East office 东工作室")
    west = orgdata.office(api, admin, south, "West office 西工作室")
    ward = orgdata.unit(api, admin, east, "East ward 东病区")
    west_ward = orgdata.unit(api, admin, west, "West ward 西病区")
    made = Town(
        city=city,
        north=north,
        south=south,
        east=east,
        west=west,
        ward=ward,
        west_ward=west_ward,
        office_admin=orgdata.person(api, admin, "east.admin", "admin", east),
        supervisor=orgdata.person(api, admin, "east.sup", "supervisor", east, (ward["id"],)),
        worker=orgdata.person(api, admin, "east.worker", "worker", east, (ward["id"],)),
        west_worker=orgdata.person(api, admin, "west.worker", "worker", west, (west_ward["id"],)),
        north_inspector=orgdata.person(api, admin, "north.inspector", "inspector", north),
        south_inspector=orgdata.person(api, admin, "south.inspector", "inspector", south),
        city_inspector=orgdata.person(api, admin, "city.inspector", "inspector", city),
    )
    return made


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def sync_visits(api: Api, worker: Person, visits: list[dict]) -> None:
    for start in range(0, len(visits), 50):
        body = sync_body(visits[start : start + 50])
        results = results_by_id(api.post("/sync", as_=worker, json=body))
        assert {result["status"] for result in results.values()} == {"created"}, results


def visit_on(resident_: dict, day: date, **overrides) -> dict:
    return visit_payload(resident_, when=at(day), **overrides)


def sync_activities(api: Api, worker: Person, ward: dict, days: list[date]) -> None:
    unit = SimpleNamespace(id=ward["id"])
    activities = [
        activity_payload(unit, started_at=at(day).isoformat(), volunteers=[]) for day in days
    ]
    results = results_by_id(api.post("/sync", as_=worker, json=activity_sync(activities)))
    assert {result["status"] for result in results.values()} == {"created"}, results


def reception_day(api: Api, person: Person, held_on: date, office_id: str) -> dict:
    body = day_body(held_on, office_id=office_id)
    answer = api.post("/reception-days", json=body, as_=person)
    assert answer.status_code == 201, answer.json
    return answer.json


def office_document(
    api: Api, office_id: str, kind: str, uploader: Person, year: int | None = None
) -> str:
    """A document the office keeps, uploaded through its API (a distinct PDF each time)."""
    colour = "#%06x" % (uuid.uuid4().int % 0xFFFFFF)
    answer = factsdata.upload(
        api, uploader, office_id, factsdata.pdf_bytes(colour), kind=kind, year=year, title=kind
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def staff_member(
    api: Api, admin: Person, office_id: str, position: str, started_on: date, **fields
) -> dict:
    """A person on the office's staff list, added through its API."""
    body = {
        "name": f"{position} {uuid.uuid4().hex[:4]}",
        "position": position,
        "started_on": started_on.isoformat(),
        **{
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in fields.items()
        },
    }
    answer = api.post(f"/offices/{office_id}/staff", as_=admin, json=body)
    assert answer.status_code == 201, answer.json
    return answer.json
