"""Shared set-up for benchmarks: a migrated database (SQLite file or PostgreSQL) and an app."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from flask_migrate import upgrade

from server import create_app
from server.config import TestConfig
from server.extensions import db


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (f"{platform.node() and 'Linux'} {platform.machine()}, {os.cpu_count()} cores, {cpu}; "
            f"reference loop {reference_loop():.2f} s")


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


def make_app(url: str):
    config = TestConfig(url)
    config.TESTING = False
    return create_app(config)


def postgres_available() -> bool:
    from tests.pgcluster import find_pg_bin

    return find_pg_bin() is not None


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
