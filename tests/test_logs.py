"""Structured logs: one JSON object per request, with who, what and how long — and no one's data."""

import io
import json
import logging

import pytest

from server import create_app
from server.people.audit import SYSTEM
from server.platform import config as settings
from server.platform.extensions import db
from server.roster.units import create_unit
from tests.conftest import Api, TestConfig, add_resident, make_person, statements_run
from tests.visitdata import sync_body, visit_payload


@pytest.fixture
def json_app(database_url):
    """The app as production runs it, its log lines captured."""
    config = TestConfig(database_url)
    config.LOG_FORMAT = "json"
    app = create_app(config)
    stream = io.StringIO()
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if getattr(handler, "rounds_json", False)]
    assert len(ours) == 1
    ours[0].setStream(stream)
    app.log_stream = stream
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    for handler in ours:
        root.removeHandler(handler)


def lines(app) -> list[dict]:
    return [json.loads(line) for line in app.log_stream.getvalue().splitlines()]


def request_lines(app) -> list[dict]:
    return [line for line in lines(app) if line["logger"] == "rounds.request"]


def test_each_request_is_one_json_line_with_who_what_and_how_long(json_app):
    from tests.conftest import Api, add_resident

    api = Api(json_app.test_client())
    from server.people.audit import SYSTEM
    from server.roster.units import create_unit

    ward = create_unit(SYSTEM, "Ward C 丙病区", "ward")
    db.session.commit()
    admin = make_person(api, "admin", "admin")
    worker = make_person(api, "worker.c", "worker", [ward])
    resident = add_resident(api, admin, ward, name="张秀兰", room="303-1")
    visit = visit_payload(
        resident,
        observations={
            "living": "ok",
            "emotional": "concern",
            "physical": "ok",
            "notes": "想念女儿 misses her",
        },
    )
    json_app.log_stream.truncate(0)
    json_app.log_stream.seek(0)

    answer = api.post(
        "/sync", json=sync_body([visit]), as_=worker, headers={"X-Request-Id": "proxy-42.abc"}
    )

    assert answer.headers["X-Request-Id"] == "proxy-42.abc"
    (line,) = request_lines(json_app)
    assert line["request_id"] == "proxy-42.abc"
    assert line["user_id"] == str(worker.user.id)
    assert line["method"] == "POST" and line["path"] == "/api/v1/sync"
    assert line["status"] == 200 and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    written = json_app.log_stream.getvalue()
    for private in (
        "张秀兰",
        "想念女儿",
        "misses her",
        "测血压",
        "谢谢",
        resident["qr_token"],
        worker.token,
        str(visit["signature"]["strokes"][0][:6])[1:-1],
    ):
        assert private not in written


def test_the_log_line_reads_no_user_back_after_the_commit(json_app):
    """The commit of a sync expires the user; naming them in the log line must not load
    them again (a query per request, paid by every phone)."""
    api = Api(json_app.test_client())
    ward = create_unit(SYSTEM, "Ward D 丁病区", "ward")
    db.session.commit()
    admin = make_person(api, "admin", "admin")
    worker = make_person(api, "worker.d", "worker", [ward])
    resident = add_resident(api, admin, ward)
    with statements_run() as statements:
        api.post("/sync", json=sync_body([visit_payload(resident)]), as_=worker)

    assert request_lines(json_app)[-1]["user_id"] == str(worker.user.id)
    assert not [s for s in statements if "FROM users" in s and "WHERE users.id" in s]


def test_request_id_is_made_when_missing_or_unsafe(json_app):
    client = json_app.test_client()
    made = client.get("/healthz")
    assert len(made.headers["X-Request-Id"]) == 32
    unsafe = client.get("/healthz", headers={"X-Request-Id": 'x" injected {json}'})
    assert unsafe.headers["X-Request-Id"] != 'x" injected {json}'
    ids = [line["request_id"] for line in request_lines(json_app)]
    assert ids == [made.headers["X-Request-Id"], unsafe.headers["X-Request-Id"]]
    assert all(line["user_id"] is None for line in request_lines(json_app))


def test_a_residents_qr_address_is_logged_without_its_token(json_app):
    json_app.test_client().get("/r/secret-token-123")
    (line,) = request_lines(json_app)
    assert line["path"] == "/r/<token>"
    assert "secret-token-123" not in json_app.log_stream.getvalue()


def test_lines_logged_during_a_request_carry_its_id(json_app):
    @json_app.get("/_test/warn")
    def warn():
        logging.getLogger("server.something").warning("odd, but carried on")
        return "ok"

    json_app.test_client().get("/_test/warn", headers={"X-Request-Id": "req-7"})
    warning = next(line for line in lines(json_app) if line["level"] == "WARNING")
    assert warning["message"] == "odd, but carried on" and warning["request_id"] == "req-7"


def test_errors_are_one_line_with_their_traceback(json_app):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("server.test").exception("it failed")
    (line,) = lines(json_app)
    assert line["message"] == "it failed" and "ValueError: broken" in line["error"]


def test_production_logs_hide_sql_parameters(monkeypatch):
    monkeypatch.setenv("ROUNDS_LOG_FORMAT", "json")
    assert settings.Config().SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True
    monkeypatch.setenv("ROUNDS_LOG_FORMAT", "text")
    assert settings.Config().SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is False


def test_text_mode_still_answers_with_a_request_id(client):
    assert len(client.get("/healthz").headers["X-Request-Id"]) == 32
