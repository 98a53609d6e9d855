"""End-to-end fixtures: a live Rounds server with the demo institution, and Debian's Chromium.

The server runs as a subprocess on a free loopback port with its own SQLite file and serves
the built app from pwa/dist (build it with `make pwa`). Under CI=true nothing here skips: a
missing browser or build fails the run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests import demo_server

ROOT = demo_server.ROOT
DIST = demo_server.DIST
ROUNDS = demo_server.ROUNDS
CHROMIUM = demo_server.CHROMIUM
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DEMO_PASSWORD = "rounds-demo"
CHROMIUM_FLAGS = demo_server.CHROMIUM_FLAGS


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (end-to-end tests never skip under CI=true)")
    pytest.skip(what)


def free_port() -> int:
    return demo_server.free_port()


@dataclass
class LiveServer:
    """The running server and a small API client for checking what it holds."""

    url: str
    port: int
    env: dict
    process: subprocess.Popen
    log: Path
    tokens: dict = field(default_factory=dict)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            r = requests.post(
                f"{self.url}/api/v1/auth/login",
                json={
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "device": {"id": _device_id(username), "name": "e2e checker"},
                },
                timeout=10,
            )
            r.raise_for_status()
            self.tokens[username] = r.json()["token"]
        return self.tokens[username]

    def get(self, path: str, as_user: str = "admin", **params):
        r = requests.get(
            f"{self.url}{path}",
            headers={"Authorization": f"Bearer {self.token(as_user)}"},
            params=params,
            timeout=10,
        )
        r.raise_for_status()
        return r

    def residents(self, as_user: str = "admin") -> list[dict]:
        out, page = [], 1
        while True:
            body = self.get("/api/v1/residents", as_user, page=page, per_page=100).json()
            items = body["items"] if isinstance(body, dict) else body
            out += items
            if not isinstance(body, dict) or len(items) < 100:
                return out
            page += 1


def _device_id(username: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"rounds-e2e-checker/{username}"))


def start_server(workdir: Path, port: int, env: dict) -> tuple[subprocess.Popen, Path]:
    try:
        return demo_server.start(workdir, port, env)
    except demo_server.ServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    if not (DIST / "index.html").exists() or not (DIST / "sw.js").exists():
        _missing("the PWA is not built: run `make pwa` (or `cd pwa && npm ci && npm run build`)")
    if not ROUNDS.exists():
        _missing(f"{ROUNDS} is missing: run `make install`")
    workdir = tmp_path_factory.mktemp("e2e")
    env = demo_server.demo_env(workdir, dict(os.environ))
    try:
        demo_server.prepare_demo_database(env)
    except demo_server.ServerError as error:
        pytest.fail(str(error))
    port = free_port()
    process, log = start_server(workdir, port, env)
    server = LiveServer(f"http://127.0.0.1:{port}", port, env, process, log)
    yield server
    # server.process: a test may have stopped the server and started it again.
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (`playwright install` cannot download a browser here)."""
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone-sized window; English unless a test asks for Chinese.
    return {
        **browser_context_args,
        "viewport": {"width": 412, "height": 915},
        "locale": "en-US",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def profile_dir(tmp_path):
    """A browser profile that survives closing the browser (IndexedDB, service worker)."""
    path = tmp_path / "profile"
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def city_server(live_server, tmp_path_factory):
    """A copy of the demo database served apart, for a module that adds districts or offices:
    the shared server stays one office, as the tests that make units and staff expect."""
    workdir = tmp_path_factory.mktemp("e2e-city")
    source = live_server.env["ROUNDS_DATABASE_URL"].removeprefix("sqlite:///")
    target = workdir / "rounds.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    env = {
        **live_server.env,
        "ROUNDS_DATABASE_URL": f"sqlite:///{target}",
        "ROUNDS_INSTANCE_DIR": str(workdir / "instance"),
    }
    port = free_port()
    process, log = start_server(workdir, port, env)
    yield LiveServer(f"http://127.0.0.1:{port}", port, env, process, log)
    process.terminate()
    process.wait(timeout=10)
