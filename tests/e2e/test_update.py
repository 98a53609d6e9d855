"""A new version of the app is offered ("Update available — reload"), never forced, and never
offered in the middle of a visit; the unfinished visit survives the reload."""

from __future__ import annotations

import shutil
import time

import pytest
from playwright.sync_api import expect

from .conftest import DIST, free_port, start_server
from .worker import log_in, resident_button, wait_for_service_worker

pytestmark = pytest.mark.e2e

WAITING = "async () => !!(await navigator.serviceWorker.getRegistration())?.waiting"


@pytest.fixture
def own_server(live_server, tmp_path):
    """The same database, served from a copy of the built app that the test may change."""
    dist = tmp_path / "dist"
    shutil.copytree(DIST, dist)
    port = free_port()
    process, _ = start_server(tmp_path, port, {**live_server.env, "ROUNDS_PWA_DIST": str(dist)})
    yield f"http://127.0.0.1:{port}", dist
    process.terminate()
    process.wait(timeout=10)


def wait_for_waiting_worker(page, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(
            "async () => !!(await navigator.serviceWorker.getRegistration())?.waiting"
        ):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the new service worker never reached 'waiting'")


def test_an_update_waits_for_the_worker(page, own_server, live_server):
    url, dist = own_server
    resident = next(r for r in live_server.residents("worker1") if r["status"] == "active")
    log_in(page, url)
    wait_for_service_worker(page)
    first = page.evaluate("navigator.serviceWorker.controller.scriptURL")

    # The worker is in the middle of a visit when a new version is published.
    page.get_by_label("Search").fill(resident["room"] or resident["name"])
    resident_button(page, resident).click()
    page.get_by_label("Service given").fill("Half-way through")
    sw = dist / "sw.js"
    sw.write_text(sw.read_text() + "\n// the next version\n")
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    wait_for_waiting_worker(page)
    expect(page.get_by_role("button", name="Reload")).to_be_hidden()
    expect(page.get_by_label("Service given")).to_have_value("Half-way through")

    # Back on the roster the offer appears; nothing reloads until the worker says so.
    page.get_by_role("link", name="Residents").click()
    expect(page.get_by_text("Update available")).to_be_visible()
    page.wait_for_timeout(1000)
    expect(page.get_by_text(f"Unfinished visit: {resident['name']}")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Reload").click()
    wait_for_service_worker(page)
    assert (
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).waiting")
        is None
    )
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == first
    # The visit in progress was kept across the reload.
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Service given")).to_have_value("Half-way through")
