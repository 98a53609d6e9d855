"""A city of districts and offices for the tests, made through the API as its admin would.

`city_of(api, admin)` answers the seeded tree's ids (the migration's city, district and office);
`district`, `office` and `unit` make more through the API; `person` makes an account placed in an
organisation through the API and logs it in.
"""

from __future__ import annotations

import uuid

from tests.conftest import PASSWORD, Api, Person


def city_of(api: Api, admin: Person) -> dict[str, str]:
    """The seeded tree: {"city": id, "district": id, "office": id}."""
    seen = api.get("/organisations", as_=admin).json
    return {
        kind: next(org["id"] for org in seen if org["kind"] == kind)
        for kind in ("city", "district", "office")
    }


def district(api: Api, admin: Person, name: str) -> str:
    city = city_of(api, admin)["city"]
    answer = api.post(
        "/organisations", as_=admin, json={"kind": "district", "name": name, "parent_id": city}
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def office(api: Api, admin: Person, district_id: str, name: str) -> str:
    answer = api.post(
        "/organisations",
        as_=admin,
        json={"kind": "office", "name": name, "parent_id": district_id},
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def unit(api: Api, admin: Person, office_id: str, name: str, kind: str = "ward") -> dict:
    answer = api.post(
        "/units", as_=admin, json={"name": name, "kind": kind, "office_id": office_id}
    )
    assert answer.status_code == 201, answer.json
    return answer.json


def person(
    api: Api,
    admin: Person,
    username: str,
    role: str,
    organisation_id: str | None = None,
    unit_ids: tuple[str, ...] = (),
) -> Person:
    """An account made through POST /users by `admin`, logged in on a device of its own."""
    body = {
        "username": username,
        "role": role,
        "password": PASSWORD,
        "display_name": username.title(),
        "unit_ids": list(unit_ids),
    }
    if organisation_id is not None:
        body["organisation_id"] = organisation_id
    made = api.post("/users", as_=admin, json=body)
    assert made.status_code == 201, made.json
    device_id = uuid.uuid4()
    login = api.post(
        "/auth/login",
        json={
            "username": username,
            "password": PASSWORD,
            "device": {"id": str(device_id), "name": "test"},
        },
    )
    assert login.status_code == 200, login.json
    from server.models import User
    from server.platform.extensions import db

    return Person(
        user=db.session.get(User, uuid.UUID(made.json["id"])),
        token=login.json["token"],
        device_id=device_id,
    )
