"""A live Rounds server with the demo institution, for browser tests and benchmarks.

It runs `rounds` as a subprocess on a loopback port with its own SQLite file and serves the
built web app from pwa/dist.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "pwa" / "dist"
ROUNDS = Path(sys.executable).with_name("rounds")
CHROMIUM = os.environ.get("ROUNDS_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying the closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class ServerError(RuntimeError):
    """The server could not be prepared or started; the message holds its output."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(workdir: Path, base: dict, dist: Path = DIST) -> dict:
    return {
        **base,
        "ROUNDS_DATABASE_URL": f"sqlite:///{workdir / 'rounds.db'}",
        "ROUNDS_SECRET_KEY": "test",
        "ROUNDS_TIMEZONE": "Asia/Shanghai",
        "ROUNDS_PWA_DIST": str(dist),
        "ROUNDS_INSTANCE_DIR": str(workdir / "instance"),
    }


def prepare_demo_database(env: dict) -> None:
    for command in (["db", "upgrade"], ["demo-data"]):
        done = subprocess.run(
            [str(ROUNDS), *command], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode:
            raise ServerError(f"rounds {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def start(workdir: Path, port: int, env: dict) -> tuple[subprocess.Popen, Path]:
    """Start the server and wait until /healthz answers."""
    log = workdir / f"server-{port}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(ROUNDS), "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the server exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return process, log
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    raise ServerError(f"the server did not start:\n{log.read_text()[-3000:]}")
