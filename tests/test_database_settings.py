"""How the app's own database sessions are set up."""

from sqlalchemy import text

from server.platform.extensions import db
from tests.conftest import TestConfig


def test_postgresql_sessions_run_without_jit(app):
    """JIT costs the reports' short queries more than it saves (server/platform/config.py)."""
    if db.engine.dialect.name == "postgresql":
        assert db.session.scalar(text("SHOW jit")) == "off"
    else:
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {}
    on_postgresql = TestConfig("postgresql://rounds@db.example/rounds")
    assert on_postgresql.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] == {"options": "-c jit=off"}
