"""What a worker does with the app, as Playwright steps found by role and accessible name."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from .conftest import DEMO_PASSWORD


def watch_console(page: Page) -> list[str]:
    """Collect errors, so a test can say that no Content-Security-Policy rule was broken."""
    seen: list[str] = []
    page.on("console", lambda m: m.type == "error" and seen.append(m.text))
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m]


def log_in(page: Page, url: str, username: str = "worker1") -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Scan QR code")).to_be_visible()
    wait_synced(page)


def wait_synced(page: Page, timeout: float = 20_000) -> None:
    """Until the status strip says a sync succeeded and nothing waits."""
    strip = page.locator(".strip-line")
    expect(strip).to_contain_text("Last sync", timeout=timeout)
    expect(strip).to_contain_text("Nothing waiting", timeout=timeout)
    expect(strip).not_to_contain_text("Syncing", timeout=timeout)


def wait_for_service_worker(page: Page, timeout: float = 20.0) -> None:
    """Until the service worker controls the page (polled: the app's CSP forbids the eval that
    wait_for_function may use)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate("() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never took control of the page")


def resident_button(page: Page, resident: dict):
    """A resident's row in the roster; its accessible name starts "name, room or address,"."""
    place = resident.get("room") or resident.get("address") or ""
    label = f"{resident['name']}, {place}," if place else f"{resident['name']},"
    return page.get_by_role("button", name=re.compile("^" + re.escape(label)))


def draw_signature(page: Page) -> None:
    canvas = page.get_by_role("img", name=re.compile("Sign here|请用手指在此签名"))
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box, "the signature pad is not on screen"
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    for stroke in range(2):
        page.mouse.move(x + w * 0.1, y + h * (0.3 + 0.3 * stroke))
        page.mouse.down()
        for i in range(1, 16):
            page.mouse.move(x + w * (0.1 + 0.05 * i), y + h * (0.3 + 0.3 * stroke + 0.1 * (i % 3)))
        page.mouse.up()


def record_visit(
    page: Page,
    resident: dict,
    *,
    service: str = "Helped with lunch",
    rating: str = "Satisfied",
    open_from_roster: bool = True,
) -> None:
    """From the roster (or an open form) to "Saved", with a drawn signature."""
    if open_from_roster:
        resident_button(page, resident).click()
    expect(page.get_by_role("heading", name=resident["name"])).to_be_visible()
    page.get_by_label("Service given").fill(service)
    page.get_by_role("button", name="Hand the phone to the resident").click()
    page.get_by_role("button", name=rating, exact=True).click()
    draw_signature(page)
    page.get_by_role("button", name="Done — give the phone back").click()
    expect(page.get_by_role("heading", name="Check and save")).to_be_visible()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Saved: visit to {resident['name']}")).to_be_visible()


def outbox_rows(page: Page) -> list[dict]:
    """The records waiting on the phone, read straight from IndexedDB."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('rounds');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const req = db.transaction('outbox').objectStore('outbox').getAll();
              req.onsuccess = () => { db.close(); resolve(req.result); };
              req.onerror = () => reject(req.error);
            };
          })"""
    )


def put_outbox_row(page: Page, row: dict) -> None:
    """Put a record in the outbox as an older app version might have left it."""
    page.evaluate(
        """(row) => new Promise((resolve, reject) => {
            const open = indexedDB.open('rounds');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction('outbox', 'readwrite');
              tx.objectStore('outbox').put(row);
              tx.oncomplete = () => { db.close(); resolve(); };
              tx.onerror = () => reject(tx.error);
            };
          })""",
        row,
    )


def log_in_chinese(page: Page, url: str, username: str = "worker1") -> None:
    """log_in() on a phone set to Chinese: the same steps under their Chinese names."""
    page.goto(url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("link", name="扫描二维码")).to_be_visible()
    strip = page.locator(".strip-line")
    expect(strip).to_contain_text("上次同步", timeout=20_000)
    expect(strip).to_contain_text("没有待同步的记录", timeout=20_000)


def meta_value(page: Page, key: str):
    """One value of IndexedDB's meta store (the draft is meta.draft)."""
    return page.evaluate(
        """(key) => new Promise((resolve, reject) => {
            const open = indexedDB.open('rounds');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const req = db.transaction('meta').objectStore('meta').get(key);
              req.onsuccess = () => { db.close(); resolve(req.result); };
              req.onerror = () => reject(req.error);
            };
          })""",
        key,
    )
