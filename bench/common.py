"""Shared set-up for benchmarks: a migrated database (SQLite file or PostgreSQL) and an app."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from flask_migrate import upgrade

from server import create_app
from server.platform.config import Config
from server.platform.extensions import db


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.node() and 'Linux'} {platform.machine()}, {os.cpu_count()} cores, {cpu}; "
        f"reference loop {reference_loop():.2f} s"
    )


TICK = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(root: int) -> float:
    """CPU seconds used so far by a process, its live children and the children it has
    reaped (from /proc): a gunicorn master and its workers, a postmaster and its backends."""
    total = 0
    for pid in _pids():
        fields = _stat(pid)
        if fields is None:
            continue
        if pid == root:
            total += sum(fields[11:15])  # utime, stime, cutime, cstime
        elif fields[1] == root:
            total += fields[11] + fields[12]
    return total / TICK


def postgres_root(url: str) -> int | None:
    """The postmaster of a local cluster, found by the port in its command line."""
    from sqlalchemy.engine import make_url

    port = make_url(url).port
    return next((pid for pid in _pids() if f"port={port}" in _cmdline(pid)), None)


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _stat(pid: int) -> list[int] | None:
    """ppid at [1], then the numeric fields of /proc/PID/stat from the fifth on (utime at
    [11], stime, cutime, cstime after it)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2 :].split()
    return [
        0,
        int(rest[1]),
        *(int(value) if value.lstrip("-").isdigit() else 0 for value in rest[2:]),
    ]


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): a shared virtual machine's speed
    varies from day to day, and this says how fast it was when the figures were taken."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(5_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, migrated database: 'sqlite' (a file, WAL) or 'postgresql' (durable cluster)."""
    os.environ.setdefault("ROUNDS_INSTANCE_DIR", tempfile.mkdtemp(prefix="rounds-bench-"))
    if kind == "postgresql":
        from tests.pgcluster import postgres_cluster

        with postgres_cluster("rounds_bench", durable=True) as url:
            _migrate(url)
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="rounds-bench-") as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        _migrate(url)
        yield url


def _migrate(url: str) -> None:
    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


# The address a benchmark's QR codes and print views name: the app refuses to serve without one.
BENCH_PUBLIC_URL = "http://127.0.0.1:5000"


def make_app(url: str):
    config = Config(url)
    config.PUBLIC_URL = BENCH_PUBLIC_URL
    app = create_app(config)
    # The benchmarks build many users and time no password hashing (server/people/auth.py).
    app.config["PASSWORD_HASH_FAST"] = True
    return app


def postgres_available() -> bool:
    from tests.pgcluster import find_pg_bin

    return find_pg_bin() is not None


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def login_headers(client, username: str, password: str) -> dict:
    """The bearer header of a fresh device's login through the app's own API."""
    answer = client.post(
        "/api/v1/auth/login",
        json={
            "username": username,
            "password": password,
            "device": {"id": str(uuid.uuid4()), "name": "bench"},
        },
    )
    assert answer.status_code == 200, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


def timed(call, repeat: int) -> dict:
    """p50 and p95 in milliseconds of `repeat` calls, after three warm-up calls."""
    for _ in range(3):
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}
