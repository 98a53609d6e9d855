"""The phone's own protection: an optional PIN that locks the app and seals what IndexedDB
holds, and a phone revoked by the office that forgets its roster but keeps unsent visits.
Screenshots of both screens at 390x844, in English and Chinese, go to /tmp/shots-lock/."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .worker import (
    log_in,
    outbox_rows,
    record_visit,
    resident_button,
    wait_for_service_worker,
    wait_synced,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-lock")
PHONE = {"width": 390, "height": 844}

RAW = """(table) => new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction(table).objectStore(table).getAll();
      req.onsuccess = () => {
        open.result.close();
        const text = new TextDecoder();
        resolve(JSON.stringify(req.result, (k, v) =>
          v instanceof Uint8Array ? text.decode(v) : v));
      };
    };
  })"""

COUNT = """(table) => new Promise((resolve) => {
    const open = indexedDB.open('rounds');
    open.onsuccess = () => {
      const req = open.result.transaction(table).objectStore(table).count();
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
    };
  })"""

META = """(key) => new Promise((resolve) => {
    const open = indexedDB.open('rounds');
    open.onsuccess = () => {
      const req = open.result.transaction('meta').objectStore('meta').get(key);
      req.onsuccess = () => { open.result.close(); resolve(req.result && req.result.value); };
    };
  })"""


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def set_language(page, lang: str) -> None:
    """Through Settings (a hash change: the page is not reloaded, so it stays unlocked)."""
    page.evaluate("() => { location.hash = '#/settings'; }")
    page.locator("select").first.select_option(lang)
    # The page switches language only once the choice is stored: a reload before would not see it.
    expect(page.locator("html")).to_have_attribute("lang", lang)


def a_resident(live_server, username: str) -> dict:
    mine = [r for r in live_server.residents(username) if r["status"] == "active"]
    names = [r["name"] for r in mine]
    return next(r for r in mine if names.count(r["name"]) == 1 and r.get("room"))


def test_a_pin_locks_the_app_and_seals_the_roster(browser, live_server):
    resident = a_resident(live_server, "worker1")
    context = browser.new_context(locale="en-US", viewport=PHONE, timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url, "worker1")
    assert resident["name"] in page.evaluate(RAW, "residents")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("New PIN").fill("246810")
    page.get_by_label("The same PIN again").fill("246811")
    page.get_by_role("button", name="Turn on the PIN").click()
    expect(page.get_by_text("The two PINs are not the same.")).to_be_visible()
    page.get_by_label("The same PIN again").fill("246810")
    page.get_by_label("Lock after").select_option("1")
    page.get_by_role("button", name="Turn on the PIN").click()
    expect(page.get_by_text("The PIN is on.")).to_be_visible()
    page.get_by_role("link", name="Residents").click()
    # Nothing of the residents, the session's token or the draft is readable in IndexedDB.
    for table in ("residents", "units", "meta"):
        assert resident["name"] not in page.evaluate(RAW, table)
    assert page.evaluate(COUNT, "residents") > 0

    page.reload()
    expect(page.get_by_role("heading", name="Locked")).to_be_visible()
    expect(resident_button(page, resident)).to_have_count(0)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    page.get_by_label("PIN").fill("135790")
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("Wrong PIN.")).to_be_visible()
    shot(page, "lock-en-wrong")
    page.get_by_label("PIN").fill("246810")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_label("Search").fill(resident["room"])
    expect(resident_button(page, resident)).to_be_visible()
    wait_synced(page)  # the page syncs once unlocked

    set_language(page, "zh-CN")
    page.reload()
    expect(page.get_by_role("heading", name="已锁定")).to_be_visible()
    shot(page, "lock-zh")
    page.get_by_label("PIN 码").fill("246810")
    page.get_by_role("button", name="解锁").click()
    expect(page.get_by_role("heading", name="设置")).to_be_visible()
    shot(page, "settings-pin-on-zh")
    set_language(page, "en")
    page.reload()
    expect(page.get_by_role("heading", name="Locked")).to_be_visible()
    shot(page, "lock-en")
    context.close()


def test_a_revoked_phone_forgets_the_roster_and_keeps_the_unsent_visit(browser, live_server):
    resident = a_resident(live_server, "worker2")
    context = browser.new_context(locale="en-US", viewport=PHONE, timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url, "worker2")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.get_by_label("Search").fill(resident["room"])
    record_visit(page, resident, service="Kept on a revoked phone")

    device_id = page.evaluate(META, "device_id")
    requests.post(
        f"{live_server.url}/api/v1/devices/{device_id}/revoke",
        headers={"Authorization": f"Bearer {live_server.token('admin')}"},
        timeout=10,
    ).raise_for_status()

    context.set_offline(False)
    banner = page.get_by_role("alert").filter(has_text="signed out by your office")
    expect(banner).to_be_visible(timeout=20_000)
    expect(banner).to_contain_text("the list of residents was removed from it")
    expect(banner).to_contain_text("1 visit waits to be sent: log in to send it.")
    assert page.evaluate(COUNT, "residents") == 0
    assert page.evaluate(COUNT, "units") == 0
    rows = outbox_rows(page)
    assert [r["payload"]["service_given"] for r in rows] == ["Kept on a revoked phone"]
    expect(resident_button(page, resident)).to_have_count(0)
    shot(page, "revoked-en")
    set_language(page, "zh-CN")
    page.goto(live_server.url + "/#/")
    expect(page.get_by_role("alert").filter(has_text="本机已被单位退出登录")).to_be_visible()
    shot(page, "revoked-zh")
    set_language(page, "en")

    page.get_by_role("link", name="Log in again").click()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    wait_synced(page)
    expect(page.get_by_text("signed out by your office")).to_have_count(0)
    assert page.evaluate(COUNT, "residents") > 0
    found = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = found["items"] if isinstance(found, dict) else found
    assert "Kept on a revoked phone" in [v["service_given"] for v in items]
    context.close()
