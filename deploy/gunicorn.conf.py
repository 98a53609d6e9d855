"""gunicorn settings for Rounds: `gunicorn -c deploy/gunicorn.conf.py "server:create_app()"`.

Read from the environment so one file serves the container and a plain host (docs/settings.md).
Threads let a worker wait on PostgreSQL for one phone while it answers another; several
workers use several cores. Every worker holds its own connection pool (at most
threads + 2 connections in use), so workers x threads x hosts must stay below PostgreSQL's
max_connections.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


bind = os.environ.get("ROUNDS_WEB_BIND", "127.0.0.1:8000").split(",")
workers = _int("ROUNDS_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("ROUNDS_WEB_THREADS", 4)
worker_class = "gthread"
# A sync of 200 visits with signatures takes well under a second; 60 s means something hung.
timeout = _int("ROUNDS_WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows; jitter keeps them from all going at once.
max_requests = _int("ROUNDS_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# The app is imported once in the master, then forked: less memory, faster restarts.
preload_app = True
# The proxy in front sets X-Forwarded-*; the app trusts it through ROUNDS_TRUSTED_PROXIES.
forwarded_allow_ips = "*"
# gunicorn's own files go to a tmpfs: /tmp may be a slow disk in a container.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "rounds-web"

if os.environ.get("ROUNDS_LOG_FORMAT") == "json":
    # The app writes one JSON line per request (server/platform/logs.py); gunicorn's own lines are
    # JSON too, so one log shipper reads them all.
    accesslog = None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "server.platform.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}
        },
    }
else:
    accesslog = "-"
    access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-request-id}o)s"'


def post_fork(server, worker):
    """Connections opened by the master before the fork must not be shared with workers."""
    from server.platform.extensions import db

    app = worker.app.callable  # loaded in the master (preload_app)
    if app is not None:
        with app.app_context():
            db.engine.dispose(close=False)
