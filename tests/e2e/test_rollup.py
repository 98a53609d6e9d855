"""The roll-up in a real browser: a city inspector lands on the city's districts, opens a
district, then one of its offices, and finds that office's unit and its links to the coverage
board and the satisfaction report filtered to it; in Chinese and in English.

The district, office, unit, resident and inspector are made through the API for the test, so
the demo institution the other end-to-end tests rely on is left alone."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_supervisor import admin_call
from .worker import watch_console

pytestmark = pytest.mark.e2e

WORDS = {
    "zh-CN": {"user": "用户名", "password": "密码", "login": "登录", "title": "分级汇总"},
    "en": {
        "user": "Username",
        "password": "Password",
        "login": "Log in",
        "title": "Roll-up by level",
    },
}


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def city_with_a_new_district(city_server) -> dict:
    """A district, an office in it and a unit with a resident, and an inspector of the city."""
    organisations = admin_call(city_server, "GET", "/api/v1/organisations")
    city = next(org for org in organisations if org["kind"] == "city")
    tag = _tag()
    district = admin_call(
        city_server,
        "POST",
        "/api/v1/organisations",
        json={"kind": "district", "name": f"E2E 区 {tag}", "parent_id": city["id"]},
    )
    office = admin_call(
        city_server,
        "POST",
        "/api/v1/organisations",
        json={"kind": "office", "name": f"E2E 站 {tag}", "parent_id": district["id"]},
    )
    unit = admin_call(
        city_server,
        "POST",
        "/api/v1/units",
        json={"name": f"E2E 区域 {tag}", "kind": "area", "office_id": office["id"]},
    )
    admin_call(
        city_server,
        "POST",
        "/api/v1/residents",
        json={"name": f"E2E 长者 {tag}", "unit_id": unit["id"], "room": "1-1"},
    )
    inspector = admin_call(
        city_server,
        "POST",
        "/api/v1/users",
        json={
            "username": f"e2e_i_{tag}",
            "display_name": f"E2E 督查 {tag}",
            "password": DEMO_PASSWORD,
            "role": "inspector",
            "organisation_id": city["id"],
            "unit_ids": [],
        },
    )
    return {"district": district, "office": office, "unit": unit, "inspector": inspector}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_city_inspector_drills_city_district_office(browser, city_server, lang):
    made = city_with_a_new_district(city_server)
    words = WORDS[lang]
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-CN" else "en-US", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    errors = watch_console(page)
    page.goto(city_server.url)
    page.get_by_label(words["user"]).fill(made["inspector"]["username"])
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()

    # Home: the city's districts.
    expect(page.get_by_role("heading", name=words["title"])).to_be_visible()
    expect(page.locator(".office-body[aria-busy='true']")).to_have_count(0)
    district_link = page.locator(".rollup-row").get_by_role("link", name=made["district"]["name"])
    expect(district_link).to_be_visible()
    district_link.click()

    # The district's offices, with the city above it.
    expect(page.locator(".rollup-trail strong")).to_have_text(made["district"]["name"])
    office_row = page.locator(".rollup-row", has_text=made["office"]["name"])
    expect(office_row).to_have_count(1)
    expect(office_row.locator("td").first).to_have_text("1")  # its one resident
    board = office_row.locator(".rollup-links a").first
    expect(board).to_have_attribute("href", f"#/board?office_id={made['office']['id']}")
    office_row.get_by_role("link", name=made["office"]["name"]).click()

    # The office's units; the trail goes back up.
    expect(page.locator(".rollup-trail strong")).to_have_text(made["office"]["name"])
    expect(page.locator(".rollup-row", has_text=made["unit"]["name"])).to_have_count(1)
    expect(page.locator(".rollup-total")).to_have_count(1)
    page.locator(".rollup-trail").get_by_role("link", name=made["district"]["name"]).click()
    expect(page.locator(".rollup-trail strong")).to_have_text(made["district"]["name"])
    assert not errors, errors
    context.close()
