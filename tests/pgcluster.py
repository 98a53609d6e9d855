"""A throwaway PostgreSQL cluster in a temp dir, for tests and benchmarks (initdb + pg_ctl)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def find_pg_bin() -> Path | None:
    """The directory holding initdb: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; use the postgres account when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def postgres_cluster(database: str = "rounds", *, durable: bool = False) -> Iterator[str]:
    """Start a private cluster on a free loopback port; yield a SQLAlchemy URL; remove it after.

    Tests skip fsync for speed; benchmarks ask for a durable cluster like production's.
    """
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb found)")
    workdir = Path(tempfile.mkdtemp(prefix="rounds-pg-"))
    data = workdir / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")

    def run(*args):
        return subprocess.run(
            _as_cluster_owner([str(pg_bin / args[0]), *args[1:]]),
            check=True,
            capture_output=True,
            text=True,
        )

    try:
        run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} "
            f"-c unix_socket_directories={workdir} -c max_connections=300"
        )
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(workdir / "log"), "-w", "start")
        run("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            run("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(workdir, ignore_errors=True)
