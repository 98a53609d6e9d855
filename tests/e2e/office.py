"""Signing in at the office in a browser of its own, in the user's language."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, ROOT, LiveServer
from .worker import watch_console

DESK = {"width": 1280, "height": 900}


def words(lang: str) -> dict[str, str]:
    """The app's own words in that language."""
    return json.loads((ROOT / "pwa" / "src" / "lib" / "i18n" / f"{lang}.json").read_text())


def log_in(browser, server: LiveServer, lang: str, username: str, viewport: dict = DESK):
    """A desk browser in the office's time zone, signed in: (context, page, console errors)."""
    w = words(lang)
    context = browser.new_context(
        locale=lang if lang == "zh-CN" else "en-US",
        viewport=viewport,
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    errors = watch_console(page)
    page.goto(server.url)
    page.get_by_label(w["login.username"]).fill(username)
    page.get_by_label(w["login.password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=w["login.submit"]).click()
    expect(page.locator("section.view.office")).to_be_visible()
    return context, page, errors
