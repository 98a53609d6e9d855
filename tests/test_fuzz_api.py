"""Schema fuzzing: every documented operation, fed what its OpenAPI document allows and what it
does not, never answers 5xx and never answers anything the document does not describe.

The app runs on a fresh database holding the demo institution and its weeks of rounds, as the
demo admin and as a demo worker (bearer tokens from the login). Bounded in time: a fixed number
of examples per operation, derandomized so a failure reproduces.
"""

from __future__ import annotations

import shutil
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from server import create_app
from server.platform.extensions import db
from tests.conftest import TestConfig

pytestmark = pytest.mark.sqlite_only  # the PostgreSQL pass runs the bound tests, not this

EXAMPLES = 25
DEMO_PASSWORD = "rounds-demo"
# Operations that would end the fuzzer's own session: logging out revokes the very token
# every later request carries.
EXCLUDED = {("POST", "/api/v1/auth/logout")}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture(scope="module")
def demo_app(migrated_database, tmp_path_factory):
    from server.demo.history import follow_through
    from server.demo.institution import load_demo_data
    from server.demo.visits import WEEKS, record_demo_visits

    copy = tmp_path_factory.mktemp("fuzz") / "rounds.db"
    shutil.copy(migrated_database, copy)
    dist = tmp_path_factory.mktemp("dist")  # a built app's page, so / answers it
    (dist / "index.html").write_text("<!doctype html><title>Rounds</title>")
    app = create_app(TestConfig(f"sqlite:///{copy}"))
    app.config["PWA_DIST"] = str(dist)
    app.config["MEDIA_DIR"] = str(tmp_path_factory.mktemp("media"))  # the demo's photos
    # The real error handler: a 5xx is what a client would get, not a test traceback.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with app.app_context():
        zone = app.config["TIMEZONE"]
        load_demo_data(zone)
        rounds = record_demo_visits(zone)
        follow_through(rounds.visits, zone, WEEKS)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def tokens(demo_app) -> dict[str, str]:
    client = demo_app.test_client()
    found = {}
    for username in ("admin", "worker1"):
        answer = client.post(
            "/api/v1/auth/login",
            json={
                "username": username,
                "password": DEMO_PASSWORD,
                "device": {"id": str(uuid.uuid4()), "name": "fuzzer"},
            },
        )
        assert answer.status_code == 200, answer.get_json()
        found[username] = answer.get_json()["token"]
    return found


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in EXCLUDED:
            yield operation


def _failures(operation, token: str, app) -> list[str]:
    """Fuzz one operation; the failures found (empty: none)."""
    # identity: the checks read the body as sent, not gzipped by Flask-Compress
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    def fuzz(case):
        with app.app_context():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                db.session.remove()

    try:
        fuzz()
    except Unsatisfiable:  # no negative case exists, and the positive ones ran
        return []
    except (Exception, BaseExceptionGroup) as error:  # on to the next
        # operation: the run reports every one that failed, not only the first
        return [f"{operation.label}: {error}"]
    return []


@pytest.mark.parametrize("who", ["admin", "worker1"])
def test_no_input_makes_the_api_fail_or_stray_from_its_document(who, tokens, demo_app):
    failures = [
        f
        for operation in _operations(demo_app)
        for f in _failures(operation, tokens[who], demo_app)
    ]
    assert not failures, "\n\n".join(failures)
