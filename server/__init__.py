"""Rounds: the sync server and API behind the offline-first field-visit app."""

from __future__ import annotations

import gc

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from server.platform import logs
from server.platform.config import PROJECT_ROOT, Config
from server.platform.errors import register_error_handlers
from server.platform.extensions import compress, db, migrate
from server.platform.jsonio import OrjsonProvider


def create_app(config: Config | None = None) -> Flask:
    app = Flask(__name__, static_folder=None, instance_path=None)
    app.config.from_object(config or Config())
    app.json = OrjsonProvider(app)  # Chinese text as UTF-8, not \u escapes; fast
    logs.init_app(app)
    if app.config.get("TRUSTED_PROXIES"):
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    compress.init_app(app)
    register_error_handlers(app)

    from server.cli import register_commands
    from server.http.api import register_api
    from server.http.web import register_web

    register_api(app)
    register_web(app)
    register_commands(app)
    if not app.testing:
        # What is loaded by now lives as long as the process: frozen, a full collection no
        # longer walks its ~130,000 objects (150-300 ms on a shared 2-core machine, a p95
        # spike for whichever request triggers one). Under gunicorn's preload this runs in
        # the master, before the fork, as Python's gc documentation advises.
        gc.freeze()
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL so readers never wait on the writer; foreign keys enforced as on PostgreSQL."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
