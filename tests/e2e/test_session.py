"""Sessions: a revoked token costs no record, logging out clears the phone, and the iPhone
hint explains why installing keeps records safe."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .worker import log_in, record_visit, wait_for_service_worker, wait_synced

pytestmark = pytest.mark.e2e

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

META = """(key) => new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('meta').objectStore('meta').get(key);
      req.onsuccess = () => { open.result.close(); resolve(req.result && req.result.value); };
    };
  })"""

COUNT = """(table) => new Promise((resolve) => {
    const open = indexedDB.open('rounds');
    open.onsuccess = () => {
      const req = open.result.transaction(table).objectStore(table).count();
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
    };
  })"""


def worker2_resident(live_server) -> dict:
    mine = [r for r in live_server.residents("worker2") if r["status"] == "active"]
    names = [r["name"] for r in mine]
    return next(r for r in reversed(mine) if names.count(r["name"]) == 1)


def test_a_revoked_token_keeps_the_records_until_the_worker_logs_in_again(
    page, context, live_server
):
    resident = worker2_resident(live_server)
    log_in(page, live_server.url, "worker2")
    wait_for_service_worker(page)  # as a phone that finished installing before losing signal
    context.set_offline(True)
    page.get_by_label("Search").fill(resident["room"] or resident["name"])
    record_visit(page, resident, service="Recorded before the phone was revoked")

    # A supervisor revokes the phone's token (say it was reported lost, then found).
    device_id = page.evaluate(META, "device_id")
    requests.post(
        f"{live_server.url}/api/v1/devices/{device_id}/revoke",
        headers={"Authorization": f"Bearer {live_server.token('admin')}"},
        timeout=10,
    ).raise_for_status()

    context.set_offline(False)
    strip = page.locator(".strip-line")
    expect(strip).to_contain_text("Log in again to send your records", timeout=20_000)
    expect(strip).to_contain_text("1 waiting to sync")
    page.get_by_role("link", name="Log in again").click()
    expect(page.get_by_role("heading", name="Log in again")).to_be_visible()
    expect(page.get_by_text("Your 1 unsent records are kept")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("worker2")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    wait_synced(page)
    found = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = found["items"] if isinstance(found, dict) else found
    assert "Recorded before the phone was revoked" in [v["service_given"] for v in items]


def test_logging_out_clears_the_phone(page, live_server):
    log_in(page, live_server.url, "worker3")
    assert page.evaluate(COUNT, "residents") > 0
    page.get_by_role("link", name="Settings").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert page.evaluate(COUNT, "residents") == 0
    assert page.evaluate(META, "session") is None
    assert page.evaluate(META, "device_id")  # the phone keeps its own id


def test_iphone_users_are_told_to_install(browser, live_server):
    context = browser.new_context(
        timezone_id="Asia/Shanghai", user_agent=IPHONE, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, live_server.url, "worker4")
    hint = page.get_by_text("Add to Home Screen")
    expect(hint).to_be_visible()
    page.get_by_role("button", name="OK, got it").last.click()
    expect(hint).to_be_hidden()
    for _ in range(50):  # the choice is written to IndexedDB in the background
        if "storage.iosHint" in (page.evaluate(META, "dismissed") or []):
            break
        page.wait_for_timeout(100)
    page.reload()
    expect(page.get_by_role("link", name="Scan QR code")).to_be_visible()
    expect(hint).to_be_hidden()
    context.close()
