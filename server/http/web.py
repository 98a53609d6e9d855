"""The built PWA, the QR landing address, the OpenAPI document and the health check."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify, send_from_directory
from marshmallow import Schema, fields
from werkzeug.exceptions import NotFound as HTTPNotFound
from werkzeug.routing import PathConverter

from server.http.endpoint import endpoint
from server.http.health import check as health_check
from server.platform.config import require_public_url
from server.platform.errors import problem

bp = Blueprint("web", __name__)
COMPRESSIBLE = (".js", ".mjs", ".css", ".html", ".json", ".webmanifest", ".svg")

# Our own origin only: no third-party script, style, font or connection; no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class MigrationsHealth(Schema):
    status = fields.String(metadata={"enum": ["current", "behind", "unknown"]})
    database = fields.List(fields.String())
    code = fields.List(fields.String())


class CoverageHealth(Schema):
    status = fields.String(metadata={"enum": ["ok", "stale", "never", "unknown"]})
    last_refresh = fields.String(allow_none=True, metadata={"format": "date-time"})
    age_seconds = fields.Integer(allow_none=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok", "fail"]})
    database = fields.String(required=True, metadata={"enum": ["ok", "unreachable"]})
    migrations = fields.Nested(MigrationsHealth)
    coverage = fields.Nested(CoverageHealth)


APP_NOT_BUILT = {503: "The web app is not built (`make pwa`)"}


class AssetPath(PathConverter):
    """A file of the web app: any path but the API's, so that an API address that matches no
    route (a malformed id, a method it does not take) is a 404 there, never a 405 from here."""

    regex = r"(?!api/)[^/].*?"


def _dist() -> Path:
    return Path(current_app.config["PWA_DIST"])


def _app_page():
    index = _dist() / "index.html"
    if not index.exists():
        return problem(503, "The web app is not built: run `make pwa` (or `make run`).")
    response = send_from_directory(_dist(), "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
@endpoint(
    "The worker and supervisor web app",
    public=True,
    produces="text/html",
    extra_responses=APP_NOT_BUILT,
)
def index():
    return _app_page()


@bp.get("/r/<token>")
@endpoint(
    "A resident's QR address: the app's page, the same for any token",
    public=True,
    produces="text/html",
    extra_responses=APP_NOT_BUILT,
)
def resident_code(token: str):
    # The page never depends on the token, so nothing about the resident leaks to a stranger.
    return _app_page()


@bp.get("/<asset:filename>")
@endpoint(
    "Files of the built web app (client routes get the app's page)",
    public=True,
    produces="*/*",
    extra_responses=APP_NOT_BUILT,
)
def asset(filename: str):
    if filename.startswith("api/"):
        raise HTTPNotFound()
    try:
        response = send_from_directory(_dist(), filename)
    except HTTPNotFound:
        if "." in filename.rsplit("/", 1)[-1]:
            raise
        return _app_page()
    if filename.startswith("assets/"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    if filename.endswith(COMPRESSIBLE):
        # Files are streamed untouched by default; text ones are small, so read them in and
        # let Flask-Compress gzip them for phones served by `make run` (nginx in production).
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response


@bp.get("/api/openapi.json")
@endpoint("This OpenAPI document", public=True)
def openapi_document():
    from server.http.openapi import build_spec

    return jsonify(build_spec(current_app))


@bp.get("/healthz")
@endpoint(
    "Health: database reachable, migrations current, coverage refreshed lately",
    public=True,
    response=HealthSchema,
    extra_responses={503: ("Something is wrong: the body says what", HealthSchema)},
)
def healthz():
    healthy, report = health_check()
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _development(app: Flask) -> bool:
    """Tests, FLASK_DEBUG, or a `rounds` command (`rounds serve` is the development server;
    gunicorn, which serves production, runs no click command)."""
    import click

    return app.testing or app.debug or click.get_current_context(silent=True) is not None


def register_web(app: Flask) -> None:
    require_public_url(app.config.get("PUBLIC_URL", ""), _development(app))
    app.url_map.converters["asset"] = AssetPath
    app.register_blueprint(bp)
    app.after_request(add_security_headers)
