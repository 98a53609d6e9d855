"""Settings, read once from the environment (every ROUNDS_* variable is in docs/settings.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import orjson
from tzlocal import get_localzone_name

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _orjson_text(value) -> str:
    # A schema's errors name a list's items by position (an int): kept as text, as the
    # API's answers write them.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def child_environment() -> dict[str, str]:
    """The environment a tool Rounds starts (pg_dump, psql) runs with: Rounds' own, as is."""
    return dict(os.environ)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def _instance_dir() -> Path:
    path = Path(os.environ.get("ROUNDS_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(instance_dir: Path) -> str:
    """Use ROUNDS_SECRET_KEY, or a key generated once and kept in instance/ so restarts agree."""
    configured = os.environ.get("ROUNDS_SECRET_KEY")
    if configured:
        return configured
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _normalise_database_url(url: str) -> str:
    """Let operators write postgresql:// and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _connect_args(url: str) -> dict:
    """JIT off for the app's own PostgreSQL sessions.

    The app's queries are short: JIT never pays back, and a query costed above
    jit_above_cost pays for compiling it on every call (the follow-ups' amended part, when it
    read the amendments' JSON, spent 47 ms of its 187 ms on it with 2 million visits). Other
    clients of the database keep the server's setting.
    """
    return {"options": "-c jit=off"} if url.startswith("postgresql") else {}


def _public_url(raw: str) -> str:
    """The address phones use, printed into QR codes: absolute, or empty (development)."""
    url = raw.strip().rstrip("/")
    if url and not (url.startswith(("https://", "http://")) and len(url.split("/")) == 3):
        raise RuntimeError(
            f"ROUNDS_PUBLIC_URL must be an absolute address such as "
            f"https://rounds.example.org (scheme and host, no path): {raw!r}"
        )
    return url


def require_public_url(public_url: str, development: bool) -> None:
    """Outside development, absolute addresses never come from the request's Host header."""
    if not public_url and not development:
        raise RuntimeError(
            "ROUNDS_PUBLIC_URL is not set. QR codes hold an absolute address, and without the "
            "setting it would be taken from each request's Host header, which any client "
            "chooses. Set it to the address phones use (https://rounds.example.org); only "
            "development (FLASK_DEBUG=1, tests, the `rounds` commands) runs without it."
        )


class Config:
    """Production-ready defaults; every value can be overridden from the environment.

    `database_url`, when given, is used instead of ROUNDS_DATABASE_URL (tests, benchmarks).
    """

    def __init__(self, database_url: str | None = None) -> None:
        instance_dir = _instance_dir()
        self.INSTANCE_DIR = str(instance_dir)
        self.SECRET_KEY = _secret_key(instance_dir)
        self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(
            database_url
            or os.environ.get("ROUNDS_DATABASE_URL", f"sqlite:///{instance_dir / 'rounds.db'}")
        )
        self.TIMEZONE = os.environ.get("ROUNDS_TIMEZONE") or get_localzone_name() or "UTC"
        self.PUBLIC_URL = _public_url(os.environ.get("ROUNDS_PUBLIC_URL", ""))
        self.TOKEN_DAYS = _env_int("ROUNDS_TOKEN_DAYS", 90)
        self.LOGIN_MAX_FAILURES_PER_USER = _env_int("ROUNDS_LOGIN_MAX_FAILURES_PER_USER", 5)
        self.LOGIN_MAX_FAILURES_PER_ADDRESS = _env_int("ROUNDS_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
        self.LOGIN_FAILURE_WINDOW_SECONDS = _env_int("ROUNDS_LOGIN_FAILURE_WINDOW_SECONDS", 900)
        self.MAX_CONTENT_LENGTH = _env_int("ROUNDS_MAX_BODY_BYTES", 2 * 1024 * 1024)
        self.SYNC_MAX_VISITS = _env_int("ROUNDS_SYNC_MAX_VISITS", 200)
        self.SYNC_PAGE_SIZE = _env_int("ROUNDS_SYNC_PAGE_SIZE", 500)
        # Check-ins are bounded by the server's clock as well as the phone's: at most this far
        # ahead of the server (a check-out too), and at most this many days back.
        self.CHECK_IN_MAX_AHEAD_SECONDS = _env_int("ROUNDS_CHECK_IN_MAX_AHEAD_SECONDS", 600)
        self.CHECK_IN_HORIZON_DAYS = _env_int("ROUNDS_CHECK_IN_HORIZON_DAYS", 90)
        # Case work (docs/cases.md): an open case without a contact for this many days needs
        # attention; an archived case may be purged this many days after its sign-off.
        self.CASE_NO_CONTACT_DAYS = _env_int("ROUNDS_CASE_NO_CONTACT_DAYS", 14)
        self.CASE_RETENTION_DAYS = _env_int("ROUNDS_CASE_RETENTION_DAYS", 3650)
        # Files kept beside the database (activities' photos), and the largest photo accepted.
        self.MEDIA_DIR = os.environ.get("ROUNDS_MEDIA_DIR", str(instance_dir / "media"))
        self.PHOTO_MAX_BYTES = _env_int("ROUNDS_PHOTO_MAX_BYTES", 600_000)
        # The largest document an office uploads (annual plan, evidence: server/offices/).
        self.DOCUMENT_MAX_BYTES = _env_int("ROUNDS_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
        self.PWA_DIST = os.environ.get("ROUNDS_PWA_DIST", str(PROJECT_ROOT / "pwa" / "dist"))
        self.LOG_FORMAT = os.environ.get("ROUNDS_LOG_FORMAT", "text")
        # Behind TLS only: browsers then refuse plain HTTP to this host for a year.
        self.HSTS = _env_bool("ROUNDS_HSTS", False)
        self.SESSION_COOKIE_SECURE = self.HSTS
        # Proxies in front (nginx: 1): client address and scheme come from X-Forwarded-*.
        self.TRUSTED_PROXIES = _env_int("ROUNDS_TRUSTED_PROXIES", 0)
        # /healthz fails when the last coverage refresh is older than this (0: never judged).
        self.HEALTH_REFRESH_MAX_AGE_SECONDS = _env_int(
            "ROUNDS_HEALTH_REFRESH_MAX_AGE_SECONDS", 3600
        )
        # The scheduler (server/jobs/): how often coverage is refreshed, and how long the
        # SQLite lease lasts before another scheduler may take over.
        self.COVERAGE_REFRESH_SECONDS = _env_int("ROUNDS_COVERAGE_REFRESH_SECONDS", 900)
        # How often the recent pass judges the residents just synced (0: only the refresh).
        self.COVERAGE_RECENT_SECONDS = _env_int("ROUNDS_COVERAGE_RECENT_SECONDS", 15)
        self.SCHEDULER_LEASE_SECONDS = _env_int("ROUNDS_SCHEDULER_LEASE_SECONDS", 60)
        # How often the scheduler looks for new urgent tasks to alert and push (server/tasks/).
        self.URGENT_CHECK_SECONDS = _env_int("ROUNDS_URGENT_CHECK_SECONDS", 60)
        # Days without a sync before a worker's phones raise an alert (server/alerts/).
        self.UNSYNCED_DAYS = _env_int("ROUNDS_UNSYNCED_DAYS", 3)
        # The daily digest's mail server; no host, no e-mail (server/alerts/digest.py).
        self.SMTP_HOST = os.environ.get("ROUNDS_SMTP_HOST") or None
        self.SMTP_PORT = _env_int("ROUNDS_SMTP_PORT", 587)
        self.SMTP_USER = os.environ.get("ROUNDS_SMTP_USER")
        self.SMTP_PASSWORD = os.environ.get("ROUNDS_SMTP_PASSWORD")
        self.SMTP_SECURITY = os.environ.get("ROUNDS_SMTP_SECURITY", "starttls")
        self.SMTP_FROM = os.environ.get("ROUNDS_SMTP_FROM", "rounds@localhost")
        # Web Push of urgent tasks to supervisors' browsers (server/tasks/push.py): no private
        # key or no subject, no push. The public key is derived from the private one if unset.
        self.VAPID_PRIVATE_KEY = os.environ.get("ROUNDS_VAPID_PRIVATE_KEY") or None
        self.VAPID_PUBLIC_KEY = os.environ.get("ROUNDS_VAPID_PUBLIC_KEY") or None
        self.VAPID_SUBJECT = os.environ.get("ROUNDS_VAPID_SUBJECT") or None
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "pool_pre_ping": True,
            # JSON columns hold signature strokes: orjson writes them several times faster.
            "json_serializer": _orjson_text,
            "json_deserializer": orjson.loads,
            # Production logs carry no SQL parameters: they would hold names, notes, signatures.
            "hide_parameters": self.LOG_FORMAT == "json",
        }
        self.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = _connect_args(self.SQLALCHEMY_DATABASE_URI)
        self.JSON_SORT_KEYS = False
        # gzip answers for clients that accept it (phones on 2G): JSON, SVG, CSV.
        self.COMPRESS_ALGORITHM = ["gzip"]
        self.COMPRESS_MIN_SIZE = 500
        self.COMPRESS_MIMETYPES = [
            "application/json",
            "application/problem+json",
            "image/svg+xml",
            "text/html",
            "text/css",
            "text/csv",
            "application/javascript",
            "text/javascript",
            "application/manifest+json",
        ]
