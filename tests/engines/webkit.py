"""What a worker does with the app in WebKitGTK, as Selenium steps found by role and accessible
name (tests/engines/find.js, the same query the Firefox flows use)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.remote.webelement import WebElement

from tests.e2e.conftest import DEMO_PASSWORD

FIND = (Path(__file__).with_name("find.js")).read_text()
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"

READ_STORE = """
const [store, done] = [arguments[0], arguments[arguments.length - 1]];
const open = indexedDB.open('rounds');
open.onerror = () => done({ error: String(open.error) });
open.onsuccess = () => {
  const db = open.result;
  const req = db.transaction(store).objectStore(store).getAll();
  req.onsuccess = () => { db.close(); done(req.result); };
  req.onerror = () => done({ error: String(req.error) });
};
"""


def wait_until(what: str, check: Callable[[], object], timeout: float = 20.0):
    """Poll until check() gives something true, and return it."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            found = check()
            if found:
                return found
        except Exception as error:  # a page between two screens: try again
            last_error = error
        time.sleep(0.1)
    why = f" ({last_error})" if last_error else ""
    raise AssertionError(f"timed out waiting for {what}{why}")


class Phone:
    """One WebKit window with the app, and the steps a worker takes in it."""

    def __init__(self, driver: webdriver.Remote, url: str):
        self.driver = driver
        self.url = url

    # ---- finding things ------------------------------------------------------------------

    def all(self, role: str, name: str | None = None, exact: bool = True) -> list[WebElement]:
        return self.driver.execute_script(
            f"return ({FIND})(arguments[0], arguments[1], arguments[2]);", role, name, exact
        )

    def get(
        self, role: str, name: str | None = None, exact: bool = True, timeout: float = 20.0
    ) -> WebElement:
        found = wait_until(f"{role} {name!r}", lambda: self.all(role, name, exact), timeout)
        return found[0]

    def click(self, role: str, name: str, exact: bool = True) -> None:
        element = self.get(role, name, exact)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    def fill(self, label: str, value: str) -> None:
        element = self.get("label", label)
        element.clear()
        element.send_keys(value)

    def text(self, selector: str) -> str:
        return self.driver.execute_script(
            "const el = document.querySelector(arguments[0]); return el ? el.textContent : '';",
            selector,
        )

    def wait_text(self, selector: str, pattern: str, timeout: float = 20.0) -> str:
        return wait_until(
            f"{selector} to say {pattern!r}",
            lambda: re.search(pattern, self.text(selector)) and self.text(selector),
            timeout,
        )

    def page_says(self, words: str, timeout: float = 20.0) -> None:
        wait_until(
            f"the page to say {words!r}",
            lambda: words in self.driver.execute_script("return document.body.innerText;"),
            timeout,
        )

    # ---- the app -------------------------------------------------------------------------

    def strip(self) -> str:
        return self.text(".strip-line")

    def wait_synced(self, timeout: float = 30.0) -> None:
        wait_until(
            "the status strip to say it synced and nothing waits",
            lambda: (
                "Last sync" in (s := self.strip()) and "Nothing waiting" in s and "Syncing" not in s
            ),
            timeout,
        )

    def service_worker_controls(self) -> bool:
        return self.driver.execute_script(
            "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);"
        )

    def read_store(self, store: str) -> list[dict]:
        """A store of the app's IndexedDB, read directly."""
        rows = self.driver.execute_async_script(READ_STORE, store)
        assert isinstance(rows, list), rows
        return rows

    def outbox(self) -> list[dict]:
        return [{"id": r["id"], "state": r["state"]} for r in self.read_store("outbox")]

    def last_attempt(self) -> dict | None:
        """The outcome of the app's last sync attempt, as it keeps it (meta "last_attempt")."""
        rows = {r["key"]: r.get("value") for r in self.read_store("meta")}
        return rows.get("last_attempt")

    def log_in(self, username: str = "worker1") -> None:
        self.driver.get(self.url)
        self.fill("Username", username)
        self.fill("Password", DEMO_PASSWORD)
        self.click("button", "Log in")
        self.get("link", "Scan QR code", timeout=30)
        self.wait_synced()

    def resident_row(self, resident: dict) -> str:
        place = resident.get("room") or resident.get("address") or ""
        return f"{resident['name']}, {place}," if place else f"{resident['name']},"

    def draw_signature(self) -> None:
        canvas = self.get("img", "Sign here", exact=False)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
        width = canvas.size["width"]
        height = canvas.size["height"]
        for stroke in range(2):
            actions = ActionChains(self.driver, duration=20)
            # Offsets from the canvas's centre: from its left part, across to the right.
            actions.move_to_element_with_offset(
                canvas, int(-width * 0.4), int(height * (-0.2 + 0.3 * stroke))
            )
            actions.click_and_hold()
            for i in range(1, 16):
                actions.move_by_offset(int(width * 0.05), int(height * 0.1) * (1 if i % 2 else -1))
            actions.release()
            actions.perform()

    def record_visit(self, resident: dict, service: str, rating: str = "Satisfied") -> None:
        """From the roster to "Saved", with a drawn signature."""
        self.click("button", self.resident_row(resident), exact=False)
        self.get("heading", resident["name"])
        self.fill("Service given", service)
        self.click("button", "Hand the phone to the resident")
        self.click("button", rating)
        self.draw_signature()
        self.click("button", "Done — give the phone back")
        self.get("heading", "Check and save")
        self.click("button", "Save visit")
        self.page_says(f"Saved: visit to {resident['name']}")
