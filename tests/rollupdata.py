"""A small city for the roll-up tests: two districts, three offices, four units, their staff and
residents made through the API, and visits, tasks and cases synced through the real sync.

What was sent is kept (`City.visits`, with the unit and worker of each), so a test counts every
figure itself from the records and compares it with the roll-up's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests import orgdata
from tests.casedata import case_payload, case_sync
from tests.conftest import Api, Person
from tests.taskdata import event_payload, task_payload, task_sync
from tests.visitdata import sync_body, visit_payload

# In care since well before the periods the tests judge.
ADMITTED = date(2025, 1, 1)
RATINGS = ("satisfied", "basically_satisfied", "unsatisfied", None)


@dataclass
class City:
    ids: dict[str, str]  # name → organisation or unit id
    office_of: dict[str, str] = field(default_factory=dict)  # unit id → office id
    district_of: dict[str, str] = field(default_factory=dict)  # office id → district id
    people: dict[str, Person] = field(default_factory=dict)
    residents: dict[str, list[dict]] = field(default_factory=dict)  # unit id → residents
    visits: list[dict] = field(default_factory=list)  # {"unit", "worker", "day", "rating"}


def _resident(api: Api, admin: Person, unit_id: str, name: str) -> dict:
    body = {"name": name, "unit_id": unit_id, "room": "101", "admitted_on": ADMITTED.isoformat()}
    answer = api.post("/residents", as_=admin, json=body)
    assert answer.status_code == 201, answer.json
    return answer.json


def build_city(api: Api, admin: Person) -> City:
    """City → districts 东区 (the seeded one) and 西区 → offices → units, with a worker per unit,
    an admin of one office, an inspector of each district and one of the city."""
    seeded = orgdata.city_of(api, admin)
    east, office_1 = seeded["district"], seeded["office"]
    west = orgdata.district(api, admin, "西区民政局 West")
    office_2 = orgdata.office(api, admin, east, "东二站 East Two")
    office_3 = orgdata.office(api, admin, west, "西一站 West One")
    city = City(
        ids={
            "city": seeded["city"],
            "east": east,
            "west": west,
            "office_1": office_1,
            "office_2": office_2,
            "office_3": office_3,
        }
    )
    city.district_of = {office_1: east, office_2: east, office_3: west}
    for name, office in (
        ("unit_1a", office_1),
        ("unit_1b", office_1),
        ("unit_2", office_2),
        ("unit_3", office_3),
    ):
        unit_id = orgdata.unit(api, admin, office, f"{name} 病区")["id"]
        city.ids[name] = unit_id
        city.office_of[unit_id] = office
        city.people[f"worker_{name}"] = orgdata.person(
            api, admin, f"worker.{name}", "worker", office, (unit_id,)
        )
        city.residents[unit_id] = [
            _resident(api, admin, unit_id, f"{name} 居民 {number}") for number in range(3)
        ]
    city.people["office_admin"] = orgdata.person(api, admin, "admin.o1", "admin", office_1)
    city.people["east_inspector"] = orgdata.person(api, admin, "insp.east", "inspector", east)
    city.people["west_inspector"] = orgdata.person(api, admin, "insp.west", "inspector", west)
    city.people["city_inspector"] = orgdata.person(
        api, admin, "insp.city", "inspector", seeded["city"]
    )
    return city


def local_noon(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(12), ZoneInfo(zone)).astimezone(UTC)


def sync_visits(api: Api, city: City, today: date, zone: str) -> None:
    """Each unit's worker visits its residents on a few of the last ten days, rated in turn;
    unit_1b is visited less, and unit_3 twice on one day."""
    plan = {"unit_1a": (1, 2, 3, 8), "unit_1b": (2,), "unit_2": (1, 5, 9), "unit_3": (4, 4, 6)}
    for name, days_ago in plan.items():
        unit_id = city.ids[name]
        worker = city.people[f"worker_{name}"]
        visits = []
        for index, back in enumerate(days_ago):
            day = today - timedelta(days=back)
            resident = city.residents[unit_id][index % 3]
            rating = RATINGS[(index + len(name)) % len(RATINGS)]
            when = local_noon(day, zone) + timedelta(minutes=index)
            visits.append(visit_payload(resident, when=when, seed=index, satisfaction=rating))
            city.visits.append(
                {"unit": unit_id, "worker": str(worker.user.id), "day": day, "rating": rating}
            )
        answer = api.post("/sync", as_=worker, json=sync_body(visits))
        assert answer.status_code == 200, answer.json


def sync_tasks_and_cases(api: Api, city: City, today: date) -> None:
    """An overdue task in unit_1a, one due later and one done in unit_3; an open case in
    unit_2."""
    worker = city.people["worker_unit_1a"]
    late = task_payload(
        city.residents[city.ids["unit_1a"]][0], due_on=(today - timedelta(days=3)).isoformat()
    )
    answer = api.post("/sync", as_=worker, json=task_sync(tasks=[late]))
    assert answer.status_code == 200, answer.json
    worker = city.people["worker_unit_3"]
    later = task_payload(city.residents[city.ids["unit_3"]][1])
    done = task_payload(city.residents[city.ids["unit_3"]][2])
    closed = event_payload(done["id"], "closed", {"outcome": "Called 已联系"})
    answer = api.post("/sync", as_=worker, json=task_sync(tasks=[later, done], events=[closed]))
    assert answer.status_code == 200, answer.json
    worker = city.people["worker_unit_2"]
    opened = case_payload(city.residents[city.ids["unit_2"]][0])
    answer = api.post("/sync", as_=worker, json=case_sync(cases=[opened]))
    assert answer.status_code == 200, answer.json


def child_of(city: City, level: str, unit_id: str) -> str:
    """The row a unit rolls up to at a level: itself, its office, or its office's district."""
    if level == "unit":
        return unit_id
    office = city.office_of[unit_id]
    return office if level == "office" else city.district_of[office]


def new_id() -> str:
    return str(uuid.uuid4())


def local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()
