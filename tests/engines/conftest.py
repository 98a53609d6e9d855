"""The worker flows in WebKit (WebKitGTK through Selenium) and Firefox (puppeteer over WebDriver
BiDi, tests/engines/firefox_flows.mjs), each against the demo server of tests/e2e.

`bash tests/ensure-engines.sh` installs both (Debian packages and tests/engines/node_modules).
Outside CI a missing engine skips its test with the reason; under CI=true it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import demo_server
from tests.e2e.conftest import _missing, live_server  # this folder's own server

__all__ = ["live_server"]

HERE = Path(__file__).resolve().parent
XVFB = "/usr/bin/Xvfb"
FIREFOX = os.environ.get("ROUNDS_FIREFOX", "/usr/bin/firefox-esr")
INSTALL = "run `bash tests/ensure-engines.sh` (as root)"


def stop_server(server) -> None:
    """The server goes away; the phone keeps its network (navigator.onLine stays true)."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def start_server_again(server) -> None:
    """On the same port: the app's IndexedDB and service worker belong to the origin."""
    if server.process.poll() is None:
        return
    try:
        server.process, _ = demo_server.start(server.log.parent, server.port, server.env)
    except demo_server.ServerError as error:
        pytest.fail(str(error))


@pytest.fixture
def restore_server(live_server):
    """Whatever a test does to the server, the next one finds it running."""
    yield live_server
    start_server_again(live_server)


@pytest.fixture(scope="session")
def worker1_residents(live_server):
    """worker1's active residents with unique names, so the roster finds each by name."""
    residents = [r for r in live_server.residents("worker1") if r["status"] == "active"]
    names = [r["name"] for r in residents]
    unique = [r for r in residents if names.count(r["name"]) == 1]
    assert len(unique) >= 8, "the demo data should give worker1 enough residents"
    return unique


@pytest.fixture(scope="session")
def display():
    """A virtual X display for WebKitGTK, which has no headless mode."""
    if not Path(XVFB).exists():
        _missing(f"{XVFB} is missing: {INSTALL}")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1024x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as answer:
        number = answer.readline().strip()
    if not number:
        xvfb.kill()
        pytest.fail("Xvfb did not start")
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(timeout=10)


@pytest.fixture
def webkit(display, tmp_path):
    from tests.engines import webkit as wk

    if not Path(wk.WEBKIT_DRIVER).exists():
        _missing(f"{wk.WEBKIT_DRIVER} is missing: {INSTALL}")
    try:
        from selenium import webdriver
    except ImportError:
        _missing("selenium is not installed: run `make install`")
    env = {
        **os.environ,
        "DISPLAY": display,
        "LANGUAGE": "en_US",
        "LANG": "C.UTF-8",
        "TZ": "Asia/Shanghai",
    }
    service = webdriver.WebKitGTKService(
        executable_path=wk.WEBKIT_DRIVER, env=env, log_output=str(tmp_path / "webkitdriver.log")
    )
    driver = webdriver.WebKitGTK(service=service)
    driver.set_window_size(412, 915)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def firefox_flows():
    """The Node script with puppeteer-core installed beside it, and Firefox."""
    if not Path(FIREFOX).exists():
        _missing(f"{FIREFOX} is missing: {INSTALL}")
    node = shutil.which("node")
    if not node:
        _missing("node is missing (Node 20+)")
    if not (HERE / "node_modules" / "puppeteer-core").exists():
        _missing(f"puppeteer-core is not installed in {HERE}: {INSTALL}")
    return [node, str(HERE / "firefox_flows.mjs")]
