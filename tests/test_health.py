"""GET /healthz: 200 only when the database answers, its schema is current and coverage fresh."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from server import create_app
from server.models import utcnow
from server.platform.extensions import db
from tests.conftest import TestConfig as AppConfig


def test_a_new_install_is_healthy_and_says_why(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["migrations"]["status"] == "current"
    assert body["migrations"]["database"] == body["migrations"]["code"]
    assert body["coverage"]["status"] == "never"
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_database_behind_the_code_is_503(app, client):
    (current,) = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001_foundation'"))
    db.session.commit()
    try:
        answer = client.get("/healthz")
        assert answer.status_code == 503
        assert answer.json["status"] == "fail"
        assert answer.json["migrations"] == {
            "status": "behind",
            "database": ["0001_foundation"],
            "code": [current],
        }
    finally:  # the PostgreSQL pass shares one database between tests
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.session.commit()


def test_an_unreachable_database_is_503(tmp_path):
    app = create_app(AppConfig(f"sqlite:///{tmp_path}/no/such/dir/rounds.db"))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.json == {"status": "fail", "database": "unreachable"}


def test_coverage_refreshed_long_ago_is_503(app, client):
    scheduler = pytest.importorskip("server.jobs.runs")
    scheduler.run_job("refresh", lambda: {"residents": 0})
    fresh = client.get("/healthz")
    assert fresh.status_code == 200
    assert fresh.json["coverage"]["status"] == "ok"
    assert 0 <= fresh.json["coverage"]["age_seconds"] < 60

    long_ago = utcnow() - timedelta(hours=3)
    db.session.execute(text("UPDATE job_runs SET finished_at = :t"), {"t": long_ago})
    db.session.commit()
    stale = client.get("/healthz")
    assert stale.status_code == 503
    assert stale.json["coverage"]["status"] == "stale"
    assert stale.json["coverage"]["age_seconds"] >= 3 * 3600 - 60

    app.config["HEALTH_REFRESH_MAX_AGE_SECONDS"] = 0  # an operator who does not judge it
    assert client.get("/healthz").status_code == 200


def test_hsts_only_when_switched_on(app, client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    app.config["HSTS"] = True
    assert "max-age=31536000" in client.get("/healthz").headers["Strict-Transport-Security"]


def test_behind_a_proxy_the_client_address_and_scheme_come_from_it(database_url):
    config = AppConfig(database_url)
    config.TRUSTED_PROXIES = 1
    app = create_app(config)

    @app.get("/_test/whoami")
    def whoami():
        from flask import request

        return {"address": request.remote_addr, "scheme": request.scheme}

    answer = app.test_client().get(
        "/_test/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )
    assert answer.json == {"address": "203.0.113.9", "scheme": "https"}
