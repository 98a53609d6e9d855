"""A city of two districts with two offices each, every office with its records, made as
the offices would make them: organisations, units, people and residents through the API, visits,
tasks, cases and activities through the phones' sync, reception days and meetings through the
office's API, and the alerts the jobs raise.

`build_city(api, admin)` answers a `City`: per office its ids and the words (ids, names,
usernames) that must never appear in an answer to someone who does not reach it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from server import coverage
from server.alerts.unsynced import check_unsynced
from server.platform.extensions import db
from tests import evaluationdata, orgdata, sampledata
from tests.activitydata import activity_payload, activity_sync
from tests.casedata import case_payload, case_sync, record_payload
from tests.conftest import Api, Person
from tests.meetingdata import meeting_payload
from tests.officedata import day_body, resident_visit
from tests.taskdata import task_payload, task_sync
from tests.visitdata import sync_body, visit_payload

OFFICES = {"o11": "d1", "o12": "d1", "o21": "d2", "o22": "d2"}


@dataclass
class Office:
    """One office's records and the words that name them."""

    key: str
    id: str
    unit: dict
    residents: list[dict]
    people: dict[str, Person]
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> set[str]:
        """What names this office in an answer: its ids, names and its staff's usernames."""
        found = {self.id, self.unit["id"], self.unit["name"], f"Office {self.key} 工作室"}
        for resident in self.residents:
            found |= {resident["id"], resident["name"]}
        for person in self.people.values():
            found |= {person.user.username, str(person.user.id)}
        # Its records' ids (its visit, task, case, sample, evaluation, documents…) and its head.
        found |= {value for name, value in self.ids.items() if name != "year"}
        return found | {f"Head {self.key} 主任"}


@dataclass
class City:
    admin: Person
    districts: dict[str, str]
    offices: dict[str, Office]
    bureau_people: dict[str, Person]

    def outside(self, reached: set[str]) -> set[str]:
        """The words of every office not in `reached`, and of a district none of them is in."""
        words: set[str] = set()
        for key, office in self.offices.items():
            if key not in reached:
                words |= office.words
        for district, district_id in self.districts.items():
            if not any(OFFICES[key] == district for key in reached) and reached:
                words |= {district_id, f"District {district} 区"}
                for name, person in self.bureau_people.items():
                    if name.startswith(district):
                        words |= {person.user.username, str(person.user.id)}
        return words


def _unit_ref(unit: dict):
    return type("UnitRef", (), {"id": uuid.UUID(unit["id"])})()


def _sync(api: Api, person: Person, body: dict) -> dict:
    answer = api.post("/sync", as_=person, json=body)
    assert answer.status_code == 200, answer.json
    return answer.json


def _resident(api: Api, admin: Person, unit: dict, name: str, room: str) -> dict:
    body = {"name": name, "unit_id": unit["id"], "room": room}
    answer = api.post("/residents", as_=admin, json=body)
    assert answer.status_code == 201, answer.json
    return answer.json


def _office(api: Api, admin: Person, key: str, district_id: str) -> Office:
    office_id = orgdata.office(api, admin, district_id, f"Office {key} 工作室")
    unit = orgdata.unit(api, admin, office_id, f"Ward {key} 病区")
    residents = [
        _resident(api, admin, unit, f"Resident {key}{n} 居民{key}{n}", f"10{n}") for n in "ab"
    ]
    people = {
        role: orgdata.person(
            api,
            admin,
            f"{key}.{role}",
            role,
            office_id,
            unit_ids=(unit["id"],) if role != "admin" else (),
        )
        for role in ("worker", "supervisor", "admin")
    }
    office = Office(key, office_id, unit, residents, people)
    _records(api, office, admin)
    return office


def _records(api: Api, office: Office, admin: Person) -> None:
    """A week of visits, a conflict, a task, a case, an activity, a reception day, a meeting."""
    worker, supervisor = office.people["worker"], office.people["supervisor"]
    first, second = office.residents
    now = datetime.now(UTC)
    visits = [visit_payload(first, when=now - timedelta(days=d, hours=1)) for d in range(3)]
    visits.append(visit_payload(second, when=now - timedelta(hours=2), satisfaction="unsatisfied"))
    _sync(api, worker, sync_body(visits))
    changed = {**visits[0], "service_given": "换药 dressing changed"}
    _sync(api, worker, sync_body([changed]))  # a conflict for the supervisor
    stranger = visit_payload({"id": str(uuid.uuid4()), "qr_token": "gone"}, identified_by="manual")
    _sync(api, worker, sync_body([stranger]))  # a rejection: a resident the server lacks
    office.ids["visit"] = visits[0]["id"]
    task = task_payload(first)
    _sync(api, worker, task_sync(tasks=[task]))
    office.ids["task"] = task["id"]
    case = case_payload(first)
    _sync(api, worker, case_sync(cases=[case], records=[record_payload(case["id"], "intake")]))
    office.ids["case"] = case["id"]
    activity = activity_payload(_unit_ref(office.unit), [first, second])
    _sync(api, worker, activity_sync([activity]))
    office.ids["activity"] = activity["id"]
    day = api.post(
        "/reception-days", as_=supervisor, json=day_body(now.date(), _unit_ref(office.unit))
    )
    assert day.status_code == 201, day.json
    office.ids["day"] = day.json["id"]
    received = api.post(
        f"/reception-days/{day.json['id']}/receptions", as_=supervisor, json=resident_visit(first)
    )
    assert received.status_code == 201, received.json
    meeting = api.post(
        "/meetings",
        as_=supervisor,
        json=meeting_payload([worker], unit_id=office.unit["id"]),
    )
    assert meeting.status_code == 201, meeting.json
    office.ids["meeting"] = meeting.json["id"]
    address = api.put(
        "/alerts/digest-address", as_=supervisor, json={"email": f"{office.key}@example.org"}
    )
    assert address.status_code == 200, address.json
    _facts_and_inspection(api, office, admin)


def _facts_and_inspection(api: Api, office: Office, city_admin: Person) -> None:
    """The office's staff entry and document, this year's evaluation with a piece of evidence,
    and a sample the bureau drew."""
    admin, year = office.people["admin"], datetime.now(UTC).year
    staff = evaluationdata.staff_member(
        api, admin, office.id, "head", datetime.now(UTC).date(), name=f"Head {office.key} 主任"
    )
    office.ids["staff"] = staff["id"]
    office.ids["document"] = evaluationdata.office_document(api, office.id, "evidence", admin, year)
    opened = api.put(f"/offices/{office.id}/evaluations/{year}", as_=admin)
    assert opened.status_code in (200, 201), opened.json
    office.ids["evaluation"] = opened.json["id"]
    office.ids["year"] = str(year)
    evidence = f"/evaluations/{opened.json['id']}/evidence/premises/{office.ids['document']}"
    attached = api.post(evidence, as_=admin)
    assert attached.status_code in (200, 201), attached.json
    sample = sampledata.draw(api, city_admin, office.id, size=2)
    assert sample.status_code == 201, sample.json
    office.ids["sample"] = sample.json["id"]


def _rules_and_alerts(api: Api, admin: Person, city: City) -> None:
    """A rule of its own for one resident of each office, and the alerts the jobs raise."""
    rules = [
        {"resident_id": office.residents[0]["id"], "required": 3, "period": "week"}
        for office in city.offices.values()
    ]
    policies = api.get("/coverage/policies", as_=admin).json
    answer = api.put("/coverage/policies", as_=admin, json={**policies, "residents": rules})
    assert answer.status_code == 200, answer.json
    later = datetime.now(UTC) + timedelta(days=30)
    coverage.refresh(datetime.now(UTC))
    coverage.refresh(later)
    check_unsynced(later)
    db.session.commit()


def build_city(api: Api, admin: Person) -> City:
    """Two districts (d1, d2), each with two offices, each office with all its records."""
    districts = {key: orgdata.district(api, admin, f"District {key} 区") for key in ("d1", "d2")}
    offices = {key: _office(api, admin, key, districts[d]) for key, d in OFFICES.items()}
    bureau_people = {
        f"{key}.{role}": orgdata.person(api, admin, f"{key}.{role}", role, districts[key])
        for key in districts
        for role in ("admin", "inspector")
    }
    bureau_people["city.inspector"] = orgdata.person(api, admin, "city.inspector", "inspector")
    city = City(admin, districts, offices, bureau_people)
    _rules_and_alerts(api, admin, city)
    return city
