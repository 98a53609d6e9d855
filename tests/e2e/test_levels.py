"""The organisation levels in a real browser, in English and in Chinese: the city's admin adds an
office to a district on the organisations screen and places its admin with the staff form; that
admin sees only their office; the district's inspector sees both offices of the district, and
no button that would change an office's records.

The server runs on a copy of the live server's demo database, so the offices made here are
never seen by the other browser tests."""

from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, LiveServer
from .office import log_in, words
from .test_supervisor import admin_call

pytestmark = pytest.mark.e2e


def go(page, route: str) -> None:
    page.evaluate(f"() => {{ location.hash = '#/{route}'; }}")


def _seen(server: LiveServer) -> list[dict]:
    return admin_call(server, "GET", "/api/v1/organisations")


def _unit_with_resident(server: LiveServer, office_id: str, tag: str) -> tuple[dict, dict]:
    unit = admin_call(
        server,
        "POST",
        "/api/v1/units",
        json={"name": f"E2E 新区 {tag}", "kind": "ward", "office_id": office_id},
    )
    resident = admin_call(
        server,
        "POST",
        "/api/v1/residents",
        json={"name": f"E2E 住户 {tag}", "unit_id": unit["id"], "room": "E2E-1"},
    )
    return unit, resident


def _inspector(server: LiveServer, district_id: str, tag: str) -> str:
    username = f"e2e_insp_{tag}"
    admin_call(
        server,
        "POST",
        "/api/v1/users",
        json={
            "username": username,
            "display_name": f"督查 {tag}",
            "password": DEMO_PASSWORD,
            "role": "inspector",
            "organisation_id": district_id,
        },
    )
    return username


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_an_office_is_added_its_admin_sees_it_alone_and_the_district_inspector_reads_both(
    browser, city_server, lang
):
    w, tag = words(lang), uuid.uuid4().hex[:6]
    district = next(org for org in _seen(city_server) if org["kind"] == "district")
    first_office = next(
        org
        for org in _seen(city_server)
        if org["kind"] == "office" and org["parent_id"] == district["id"]
    )
    office_name = f"E2E 工作室 {tag}"

    # The city's admin adds the office on the organisations screen.
    context, page, errors = log_in(browser, city_server, lang, "admin")
    page.get_by_role("link", name=w["levels.nav"]).click()
    expect(page.get_by_role("heading", name=w["levels.title"])).to_be_visible()
    page.get_by_label(w["levels.kindLabel"]).select_option("office")
    page.get_by_label(w["levels.district"]).select_option(district["id"])
    page.get_by_label(w["levels.name"], exact=True).fill(office_name)
    page.get_by_role("button", name=w["levels.create"], exact=True).click()
    expect(page.locator(".levels-tree").first).to_contain_text(office_name)
    office = next(org for org in _seen(city_server) if org["name"] == office_name)
    assert office["parent_id"] == district["id"]

    # ... and places its admin with the staff form.
    boss = f"e2e_boss_{tag}"
    go(page, "admin/staff/new")
    page.get_by_label(w["login.username"], exact=True).fill(boss)
    page.get_by_label(w["admin.displayName"], exact=True).fill(f"主任 {tag}")
    page.get_by_label(w["admin.role"], exact=True).select_option("admin")
    page.get_by_label(w["levels.organisation"]).select_option(office["id"])
    page.get_by_label(w["login.password"], exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=w["admin.save"], exact=True).click()
    expect(page.get_by_role("link", name=w["admin.addStaff"])).to_be_visible()
    assert not errors, errors
    context.close()
    unit, _ = _unit_with_resident(city_server, office["id"], tag)
    first_units = admin_call(city_server, "GET", f"/api/v1/units?office_id={first_office['id']}")

    # That admin sees their office and nothing of the other.
    context, page, errors = log_in(browser, city_server, lang, boss)
    expect(page.locator("header.strip")).to_contain_text(office_name)
    units = page.get_by_label(w["office.unit"], exact=True).locator("option")
    expect(units).to_have_count(2)  # all, and their own
    expect(units.nth(1)).to_have_text(unit["name"])
    for other in first_units:
        expect(page.locator("section.view.office")).not_to_contain_text(other["name"])
    assert not errors, errors
    context.close()

    # The district's inspector reads both offices, and is offered no change.
    inspector = _inspector(city_server, district["id"], tag)
    context, page, errors = log_in(browser, city_server, lang, inspector)
    expect(page.locator("header.strip")).to_contain_text(district["name"])
    go(page, "board")  # an inspector's home is the roll-up; the board carries the picker
    offices = [org for org in _seen(city_server) if org["parent_id"] == district["id"]]
    seen_units = requests.get(
        f"{city_server.url}/api/v1/units",
        headers={"Authorization": f"Bearer {city_server.token(inspector)}"},
        timeout=20,
    ).json()
    assert {u["id"] for u in first_units} | {unit["id"]} <= {u["id"] for u in seen_units}
    picker = page.get_by_label(w["levels.office"], exact=True)
    expect(picker.locator("option")).to_have_count(1 + len(offices))  # all, and each office
    units = page.get_by_label(w["office.unit"], exact=True).locator("option")
    expect(units).to_have_count(1 + len(seen_units))
    picker.select_option(office["id"])
    expect(units).to_have_count(2)
    expect(units.nth(1)).to_have_text(unit["name"])
    # A roll-up's link to one office's satisfaction report.
    go(page, f"satisfaction?office_id={office['id']}")
    expect(page.get_by_label(w["levels.office"], exact=True)).to_have_value(office["id"])
    units = page.get_by_label(w["office.unit"], exact=True).locator("option")
    expect(units).to_have_count(2)
    nav = page.locator("nav.strip-nav")
    expect(nav.get_by_role("link", name=w["nav.admin"], exact=True)).to_have_count(0)
    expect(nav.get_by_role("link", name=w["levels.nav"], exact=True)).to_have_count(0)
    resident = requests.get(
        f"{city_server.url}/api/v1/residents",
        headers={"Authorization": f"Bearer {city_server.token(inspector)}"},
        params={"unit_id": first_units[0]["id"]},
        timeout=20,
    ).json()["items"][0]
    go(page, f"resident/{resident['id']}")
    expect(page.locator("section.view.office h1")).to_contain_text(resident["name"])
    for label in ("resident.rotate", "admin.edit", "resident.void", "coverageRules.setOwn"):
        expect(page.get_by_text(w[label], exact=True)).to_have_count(0)
    assert not errors, errors
    context.close()
