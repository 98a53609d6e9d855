"""Fixtures: a fresh database per test (SQLite or PostgreSQL) and named people.

ROUNDS_TEST_DB=postgresql runs the suite on a throwaway PostgreSQL cluster; the default is
SQLite. Both start from the real migrations.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, event, text

from server import create_app
from server.people.audit import SYSTEM
from server.platform.config import Config
from server.platform.extensions import db
from tests.pgcluster import find_pg_bin, postgres_cluster

ON_POSTGRES = os.environ.get("ROUNDS_TEST_DB", "sqlite") == "postgresql"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "correct horse battery"


class TestConfig(Config):
    """The app as tests run it: Flask's testing mode, on the database given."""

    __test__ = False  # a settings class, not tests: pytest collects none from it
    TESTING = True
    # Fast password hashing: tests build many users (server/people/auth.py hash_password).
    PASSWORD_HASH_FAST = True

    def __init__(self, database_url: str) -> None:
        super().__init__(database_url)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@contextlib.contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block, in order."""
    statements: list[str] = []

    def record(conn, cursor, statement, *rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass leaves out what only SQLite does (deselected, never skipped)."""
    if not ON_POSTGRES:
        return
    kept = [item for item in items if "sqlite_only" not in item.keywords]
    dropped = [item for item in items if "sqlite_only" in item.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database at the newest migration: a SQLite template file, or a PostgreSQL URL."""
    os.environ.setdefault("ROUNDS_INSTANCE_DIR", str(tmp_path_factory.mktemp("instance")))
    if ON_POSTGRES:
        if find_pg_bin() is None:
            if IN_CI:
                pytest.fail("PostgreSQL (initdb) is required under CI=true")
            pytest.skip("PostgreSQL is not installed: the PostgreSQL pass is skipped")
        with postgres_cluster("rounds_test") as url:
            _migrate(url)
            _seeded_rows(url)
            yield url
        return
    template = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{template}")
    yield template


# Tables the migrations fill with their starting rows: a fresh database holds them again.
SEEDED_TABLES = ("organisations", "task_rules", "activity_types")
_seeded: dict[str, dict[str, list[dict]]] = {}


def _seeded_rows(url: str) -> dict[str, list[dict]]:
    """The rows the migrations left in SEEDED_TABLES, read once, before any test ran."""
    if url not in _seeded:
        engine = create_engine(url)
        with engine.connect() as connection:
            _seeded[url] = {
                name: [
                    dict(row)
                    for row in connection.execute(text(f"SELECT * FROM {name}")).mappings()
                ]
                for name in SEEDED_TABLES
            }
        engine.dispose()
    return _seeded[url]


def _empty_postgres(url: str) -> None:
    seeded = _seeded_rows(url)
    engine = create_engine(url)
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(text("INSERT INTO change_counter (id, value) VALUES (1, 0)"))
        for name, rows in seeded.items():
            if rows:
                connection.execute(db.metadata.tables[name].insert(), rows)
    engine.dispose()


@pytest.fixture
def database_url(migrated_database, tmp_path) -> str:
    if ON_POSTGRES:
        _empty_postgres(migrated_database)
        return migrated_database
    copy = tmp_path / "rounds.db"
    shutil.copy(migrated_database, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(TestConfig(database_url))
    app.config["MEDIA_DIR"] = str(tmp_path / "media")  # activities' photos, per test
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Person:
    """A named test user with a live device token."""

    user: object
    token: str
    device_id: uuid.UUID

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """Calls the API as a person: api.get("/residents", as_=worker_a)."""

    def __init__(self, client) -> None:
        self.client = client

    def _call(self, method: str, path: str, as_: Person | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if as_ is not None:
            headers.update(as_.headers)
        url = (
            path if path.startswith("/api/openapi") or path.startswith("/r/") else f"/api/v1{path}"
        )
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, path, **kw):
        return self._call("GET", path, **kw)

    def post(self, path, **kw):
        return self._call("POST", path, **kw)

    def patch(self, path, **kw):
        return self._call("PATCH", path, **kw)

    def put(self, path, **kw):
        return self._call("PUT", path, **kw)


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def make_person(api: Api, username: str, role: str, units=()) -> Person:
    from server.people.users import create_user

    user = create_user(
        SYSTEM,
        {
            "username": username,
            "role": role,
            "password": PASSWORD,
            "display_name": username.title(),
            "unit_ids": [unit.id for unit in units],
        },
    )
    db.session.commit()
    device_id = uuid.uuid4()
    answer = api.post(
        "/auth/login",
        json={
            "username": username,
            "password": PASSWORD,
            "device": {"id": str(device_id), "name": "test"},
        },
    )
    assert answer.status_code == 200, answer.json
    return Person(user=user, token=answer.json["token"], device_id=device_id)


@pytest.fixture
def ward_a(app):
    from server.roster.units import create_unit

    unit = create_unit(SYSTEM, "Ward A 甲病区", "ward")
    db.session.commit()
    return unit


@pytest.fixture
def ward_b(app):
    from server.roster.units import create_unit

    unit = create_unit(SYSTEM, "Ward B 乙病区", "ward")
    db.session.commit()
    return unit


@pytest.fixture
def admin(api) -> Person:
    return make_person(api, "admin", "admin")


@pytest.fixture
def supervisor_a(api, ward_a) -> Person:
    return make_person(api, "supervisor.a", "supervisor", [ward_a])


@pytest.fixture
def worker_a(api, ward_a) -> Person:
    return make_person(api, "worker.a", "worker", [ward_a])


@pytest.fixture
def worker_b(api, ward_b) -> Person:
    """The outsider: a worker of another ward."""
    return make_person(api, "worker.b", "worker", [ward_b])


def add_resident(api: Api, as_: Person, unit, **fields) -> dict:
    body = {"name": "李秀英", "unit_id": str(unit.id), "room": "101-1", **fields}
    answer = api.post("/residents", json=body, as_=as_)
    assert answer.status_code == 201, answer.json
    return answer.json


@pytest.fixture
def resident_a(api, admin, ward_a) -> dict:
    return add_resident(api, admin, ward_a, name="王桂英", room="102-2")


@pytest.fixture
def resident_b(api, admin, ward_b) -> dict:
    return add_resident(api, admin, ward_b, name="Arthur Lee", room="201-1")
