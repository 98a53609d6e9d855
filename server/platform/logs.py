"""Logs: plain text at a terminal, one JSON object per line in production (ROUNDS_LOG_FORMAT=json).

Every answer carries a request id (the proxy's X-Request-Id, or one made here) so a phone's
complaint, the proxy's access log and the app's log line can be matched. A request's log line
holds who (user id), what (method, path), the outcome (status) and the time it took — never a
name, a note or a signature: those travel in bodies, and bodies are never logged.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import orjson
from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect

REQUEST_ID_HEADER = "X-Request-Id"
# What we accept from a proxy or client as a request id; anything else is replaced.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# A resident's QR address holds their token: the path is logged without it.
_QR_PATH = re.compile(r"^/r/[^/]+")
request_log = logging.getLogger("rounds.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request fields, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "request", None) or _request_fields())
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def _request_fields() -> dict:
    """The request id and user of the request being served, for any line logged during it."""
    if not has_request_context():
        return {}
    return {"request_id": g.get("request_id"), "user_id": _user_id(g.get("user"))}


def _user_id(user) -> str | None:
    """The user's key as the session knows it: once the request has committed, reading
    `user.id` would load the whole user again, a query per request for a log line."""
    identity = inspect(user).identity if user is not None else None
    return str(identity[0]) if identity else None


def _json_handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.rounds_json = True
    return handler


def configure_root(log_format: str) -> None:
    """Send every logger's lines through one handler: JSON in production, text otherwise."""
    # APScheduler logs every run of every job (the lease renews every few seconds); job runs
    # are recorded in the database instead, so only its warnings and errors are worth a line.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    root = logging.getLogger()
    if log_format != "json":
        logging.basicConfig(level=logging.INFO)
        return
    if not any(getattr(handler, "rounds_json", False) for handler in root.handlers):
        for handler in list(root.handlers):
            if type(handler) is logging.StreamHandler:  # a text handler would print twice
                root.removeHandler(handler)
        root.addHandler(_json_handler())
    root.setLevel(logging.INFO)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _finish_request(response):
    response.headers.setdefault(REQUEST_ID_HEADER, g.get("request_id") or "")
    return response


def _log_request(response):
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started else None
    fields = {
        **_request_fields(),
        "method": request.method,
        "path": _QR_PATH.sub("/r/<token>", request.path),
        "status": response.status_code,
        "duration_ms": round(duration, 1) if duration is not None else None,
    }
    request_log.info("request", extra={"request": fields})
    return response


def init_app(app: Flask) -> None:
    configure_root(app.config.get("LOG_FORMAT", "text"))
    app.before_request(_start_request)
    app.after_request(_finish_request)
    if app.config.get("LOG_FORMAT") == "json":
        # Alembic's fileConfig() disables loggers that exist when migrations run in-process.
        request_log.disabled = False
        # Text mode leaves request lines to the development server and gunicorn's access log.
        app.after_request(_log_request)
