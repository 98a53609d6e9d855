"""Nothing leaks sideways: every list, report and export answers each role and level only what
it reaches (docs/security.md, "Scoping by level").

One city (tests/leveldata.py) is built once for the module and only read: two districts, two
offices each, every office with residents, visits, tasks, a case, an activity, a reception day,
a meeting and alerts. Every GET route of the app is asked by a worker, a supervisor and an admin
of one office, an admin and an inspector of its district, and an inspector and an admin of the
city; the answer must name nothing of an office outside the person's reach. The routes come from
the app's own url_map, so a new one is checked (or must be listed in NOT_CHECKED) the day it
is added.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest

from server import create_app
from server.alerts import digest
from server.models import User
from server.models.core import INSPECTOR
from server.platform.extensions import db
from tests.conftest import ON_POSTGRES, Api, TestConfig, _empty_postgres, make_person
from tests.leveldata import OFFICES, City, build_city
from tests.visitdata import sync_body

# GET routes whose answer is not a list, report or export of records (static text, binary
# renderings of one record already scoped by its id: those answer 404 outside the reach, below).
NOT_CHECKED = {
    "/api/v1/print-styles/<name>.css",
    "/api/v1/staff-introduction.css",
    "/api/v1/case-file.css",
    "/api/v1/labels.css",
    "/api/v1/register.css",
    "/api/v1/push/key",
    "/api/v1/activities/<uuid:activity_id>/photos/<uuid:photo_id>",
    "/api/v1/cases/<uuid:case_id>/records/<uuid:record_id>/signature.svg",
}

# Who asks, and the offices they reach.
VIEWERS = {
    "worker": ("o11.worker", {"o11"}),
    "supervisor": ("o11.supervisor", {"o11"}),
    "office_admin": ("o11.admin", {"o11"}),
    "district_admin": ("d1.admin", {"o11", "o12"}),
    "district_inspector": ("d1.inspector", {"o11", "o12"}),
    "city_inspector": ("city.inspector", set(OFFICES)),
    "city_admin": ("admin", set(OFFICES)),
}
BELOW_THE_CITY = [name for name, (_, reached) in VIEWERS.items() if reached != set(OFFICES)]


@pytest.fixture(scope="module")
def city(migrated_database, tmp_path_factory):
    """The city, built once: every test of this module only reads it."""
    if ON_POSTGRES:
        _empty_postgres(migrated_database)
        url = migrated_database
    else:
        copy = tmp_path_factory.mktemp("levels") / "rounds.db"
        shutil.copy(migrated_database, copy)
        url = f"sqlite:///{copy}"
    app = create_app(TestConfig(url))
    app.config["MEDIA_DIR"] = str(tmp_path_factory.mktemp("media"))
    with app.app_context():
        api = Api(app.test_client())
        admin = make_person(api, "admin", "admin")
        yield api, build_city(api, admin)
        db.session.remove()
        db.engine.dispose()


def _app_routes(methods: set[str]) -> list:
    app = create_app(TestConfig("sqlite://"))
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/v1/") and rule.methods & methods
        ),
        key=lambda rule: rule.rule,
    )


def _doc(rule):
    return create_app(TestConfig("sqlite://")).view_functions[rule.endpoint].api_doc


def _roles(rule) -> tuple[str, ...]:
    return _doc(rule).roles


def _takes(rule, name: str) -> bool:
    query = _doc(rule).query
    return query is not None and name in query().fields


GET_ROUTES = [rule.rule for rule in _app_routes({"GET"}) if rule.rule not in NOT_CHECKED]
BY_UNIT = [rule.rule for rule in _app_routes({"GET"}) if _takes(rule, "unit_id")]
BY_OFFICE = [rule.rule for rule in _app_routes({"GET"}) if _takes(rule, "office_id")]

# One's own session: anyone may log in, and log out of their own device.
OWN_SESSION = {"/api/v1/auth/login", "/api/v1/auth/logout"}
CHANGING = [
    (method, rule.rule, _roles(rule))
    for rule in _app_routes({"POST", "PUT", "PATCH", "DELETE"})
    if rule.rule not in OWN_SESSION
    for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})
]


def _person(city: City, username: str):
    if username == "admin":
        return city.admin
    if username in city.bureau_people:
        return city.bureau_people[username]
    key, role = username.split(".")
    return city.offices[key].people[role]


def _path(route: str, city: City, office_key: str) -> str:
    """The route with each of its parameters one of `office_key`'s records."""
    office = city.offices[office_key]
    values = {
        "resident_id": office.residents[0]["id"],
        "unit_id": office.unit["id"],
        "user_id": str(office.people["worker"].user.id),
        "organisation_id": office.id,
        "case_id": office.ids["case"],
        "activity_id": office.ids["activity"],
        "task_id": office.ids["task"],
        "visit_id": office.ids["visit"],
        "meeting_id": office.ids["meeting"],
        "day_id": office.ids["day"],
        "device_id": str(office.people["worker"].device_id),
        "alert_id": "1",
        "conflict_id": "1",
        "code": "birthday",
        "finding": "emotional",
        "office_id": office.id,
        "staff_id": office.ids["staff"],
        "document_id": office.ids["document"],
        "evaluation_id": office.ids["evaluation"],
        "sample_id": office.ids["sample"],
        "year": office.ids["year"],
        "item": "visits",
        "column": "self",
        "position": "1",
    }

    def value(match: re.Match) -> str:
        return values[match[1]]

    return re.sub(r"<(?:\w+:)?(\w+)>", value, route).removeprefix("/api/v1")


def _days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _query(route: str, city: City, office_key: str) -> dict:
    """What a route needs asked, naming `office_key`'s records; a filter by unit where it takes
    one."""
    office = city.offices[office_key]
    first = office.residents[0]
    needed = {
        "/api/v1/labels": {"unit_id": office.unit["id"]},
        "/api/v1/qr/lookup": {"token": first["qr_token"]},
        "/api/v1/receptions": {"resident_id": first["id"]},
        "/api/v1/register": {"from": _days_ago(30), "to": _days_ago(-1)},
        "/api/v1/reviews": {"record_kind": "visit", "record_id": office.ids["visit"]},
    }
    return needed.get(route, {})


def _ask(api: Api, route: str, city: City, office_key: str, person, **more):
    query = {**_query(route, city, office_key), **more}
    answer = api.get(_path(route, city, office_key), as_=person, query_string=query)
    answer.get_data()  # a streamed export read to its end, its request context closed
    answer.close()
    return answer


def _leaks(answer, words: set[str]) -> list[str]:
    """The words found in an answer (an image or an uploaded file is searched as its bytes
    decode, which is where a name would show)."""
    lowered = answer.get_data().decode("utf-8", errors="replace").lower()
    return sorted(word for word in words if word.lower() in lowered)


@pytest.mark.parametrize("route", GET_ROUTES)
@pytest.mark.parametrize("viewer", BELOW_THE_CITY)
def test_no_answer_names_an_office_outside_ones_reach(city, viewer, route):
    api, built = city
    username, reached = VIEWERS[viewer]
    home = sorted(reached)[0]
    answer = _ask(api, route, built, home, _person(built, username))
    assert answer.status_code < 500
    if answer.status_code == 200:
        assert _leaks(answer, built.outside(reached)) == []


@pytest.mark.parametrize("route", [route for route in GET_ROUTES if "<" in route])
@pytest.mark.parametrize("viewer", BELOW_THE_CITY)
def test_a_record_of_an_office_outside_ones_reach_is_not_found(city, viewer, route):
    api, built = city
    username, _ = VIEWERS[viewer]
    answer = _ask(api, route, built, "o21", _person(built, username))
    assert answer.status_code in (403, 404), answer.get_data(as_text=True)[:300]


@pytest.mark.parametrize("route", GET_ROUTES)
@pytest.mark.parametrize("viewer", ["city_inspector", "city_admin"])
def test_the_city_reads_every_list_of_every_office(city, viewer, route):
    api, built = city
    username, _ = VIEWERS[viewer]
    answer = _ask(api, route, built, "o21", _person(built, username))
    assert answer.status_code in (200, 403), answer.get_data(as_text=True)[:300]


@pytest.mark.parametrize(("method", "route", "roles"), CHANGING)
@pytest.mark.parametrize("viewer", ["district_inspector", "city_inspector"])
def test_an_inspector_changes_nothing_that_does_not_name_inspectors(
    city, viewer, method, route, roles
):
    api, built = city
    username, _ = VIEWERS[viewer]
    answer = api._call(method, _path(route, built, "o11"), as_=_person(built, username), json={})
    if INSPECTOR in roles:  # a domain rule may still refuse (the wrong column), never the role
        assert answer.status_code != 403 or "inspector reads" not in answer.json["detail"]
    else:
        assert answer.status_code == 403, (answer.status_code, answer.get_data(as_text=True))


def test_every_list_filtered_by_unit_is_filtered_by_office_too():
    assert sorted(set(BY_UNIT) - set(BY_OFFICE)) == []
    assert {"/api/v1/units", "/api/v1/devices", "/api/v1/coverage/policies"} <= set(BY_OFFICE)


@pytest.mark.parametrize("route", BY_OFFICE)
def test_a_list_filtered_by_office_names_only_that_office(city, route):
    api, built = city
    answer = _ask(
        api, route, built, "o12", built.bureau_people["d1.admin"], office_id=built.offices["o12"].id
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert _leaks(answer, built.outside({"o12"})) == []


@pytest.mark.parametrize("route", BY_OFFICE)
@pytest.mark.parametrize("viewer", ["worker", "office_admin", "district_inspector"])
def test_a_filter_by_an_office_out_of_reach_is_not_found(city, viewer, route):
    api, built = city
    username, _ = VIEWERS[viewer]
    person = _person(built, username)
    answer = _ask(api, route, built, "o11", person, office_id=built.offices["o21"].id)
    assert answer.status_code in (403, 404)
    if answer.status_code == 404:
        assert (
            answer.json["detail"].lower().startswith("no such office")
            or "office" in answer.json["detail"]
        )


@pytest.mark.parametrize("organisation", ["d1", "city"])
def test_a_filter_by_a_bureau_is_not_found(city, organisation):
    api, built = city
    ids = {**built.districts, "city": None}
    bureau = ids[organisation] or api.get("/organisations", as_=built.admin).json[0]["id"]
    answer = api.get("/residents", as_=built.admin, query_string={"office_id": bureau})
    assert answer.status_code == 404


@pytest.mark.parametrize("viewer", ["worker", "supervisor"])
def test_a_phone_pull_names_nothing_of_another_office(city, viewer):
    api, built = city
    username, reached = VIEWERS[viewer]
    answer = api.post("/sync", as_=_person(built, username), json=sync_body())
    assert answer.status_code == 200
    assert built.offices["o11"].residents[0]["id"] in answer.get_data(as_text=True)
    assert _leaks(answer, built.outside(reached)) == []


def test_a_supervisors_digest_names_nothing_of_another_office(city):
    _, built = city
    supervisor = db.session.get(User, built.offices["o11"].people["supervisor"].user.id)
    body, count = digest.compose(supervisor, datetime.now(UTC) + timedelta(days=30))
    assert count > 0 and "Ward o11" in body
    lowered = body.lower()
    assert sorted(word for word in built.outside({"o11"}) if word.lower() in lowered) == []


def test_the_login_names_where_one_works(city):
    api, built = city
    boss = built.offices["o21"].people["admin"]
    me = api.get("/me", as_=boss)
    assert me.status_code == 200 and me.json["organisation_id"] == built.offices["o21"].id
