"""Random samples in the office app, clicked through in a real browser and checked against the
API, in Chinese and English: a district's inspector draws a sample of an office's visits
(synced from a worker's phone through the API first),
sees that a redraw from the seed gives the same records, checks two items with an outcome and
a note each, and after a reload both are still checked. Screenshots go to /tmp/shots-samples/."""

# ruff: noqa: RUF001 (the Chinese interface writes its own full-width punctuation)

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .office import log_in
from .test_office_actions import own_resident, own_worker
from .test_supervisor import admin_call, signed_visit

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-samples")
WORDS = {
    "zh-CN": {
        "user": "用户名",
        "password": "密码",
        "login": "登录",
        "nav": "随机抽查",
        "title": "随机抽查",
        "office": "工作室",
        "size": "抽取数量",
        "draw": "抽取样本",
        "one": "抽查清单",
        "verified": "由种子重新抽取：相同的 4 条记录",
        "progress": "已核查 {n} / 4",
        "confirmed": "属实",
        "discrepancy": "不符",
        "saved": "已保存",
    },
    "en": {
        "user": "Username",
        "password": "Password",
        "login": "Log in",
        "nav": "Samples",
        "title": "Random samples",
        "office": "Office",
        "size": "How many",
        "draw": "Draw the sample",
        "one": "Sample checklist",
        "verified": "Redrawn from the seed: the same 4 records",
        "progress": "{n} of 4 checked",
        "confirmed": "Confirmed",
        "discrepancy": "Discrepancy",
        "saved": "Saved",
    },
}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def inspector_of_a_district(live_server) -> tuple[dict, dict]:
    """An inspector made at the district above the first office; that office."""
    organisations = admin_call(live_server, "GET", "/api/v1/organisations")
    office = next(org for org in organisations if org["kind"] == "office")
    name = f"e2e_i_{uuid.uuid4().hex[:6]}"
    admin_call(
        live_server,
        "POST",
        "/api/v1/users",
        json={
            "username": name,
            "display_name": f"E2E 督查 {name[-6:]}",
            "password": DEMO_PASSWORD,
            "role": "inspector",
            "organisation_id": office["parent_id"],
        },
    )
    return {"username": name}, office


def visits_of_the_office(live_server, office: dict, count: int) -> None:
    """A ward of the office with a worker and residents, and `count` visits synced today."""
    ward = admin_call(
        live_server,
        "POST",
        "/api/v1/units",
        json={
            "name": f"E2E 抽查病区 {uuid.uuid4().hex[:6]}",
            "kind": "ward",
            "office_id": office["id"],
        },
    )
    worker = own_worker(live_server, ward)
    residents = [own_resident(live_server, ward) for _ in range(2)]
    for n in range(count):
        signed_visit(live_server, worker["username"], residents[n % 2], f"测血压 check {n}")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_inspector_draws_a_sample_and_checks_two_items(browser, live_server, lang):
    words = WORDS[lang]
    inspector, office = inspector_of_a_district(live_server)
    visits_of_the_office(live_server, office, 5)
    first_note = "台账有记录 In the ledger"
    second_note = "长者说没有来过 Resident says nobody came"

    context, page, errors = log_in(browser, live_server, lang, inspector["username"])

    page.get_by_role("link", name=words["nav"], exact=True).click()
    expect(page.get_by_role("heading", name=words["title"], exact=True)).to_be_visible()
    form = page.locator("form.samples-draw")
    form.get_by_label(words["office"]).select_option(office["id"])
    form.get_by_label(words["size"]).fill("4")
    shot(page, f"draw-{lang}")
    form.get_by_role("button", name=words["draw"]).click()

    expect(page).to_have_url(re.compile(r"#/sample/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name=words["one"])).to_be_visible()
    expect(page.locator(".samples-verify")).to_have_text(words["verified"])
    expect(page.locator(".samples-progress")).to_have_text(words["progress"].format(n=0))
    sample_id = page.url.rsplit("/", 1)[1]

    items = page.locator(".samples-item")
    expect(items).to_have_count(4)
    for position, outcome, note in ((1, "confirmed", first_note), (3, "discrepancy", second_note)):
        item = page.locator(f".samples-item[data-position='{position}']")
        item.get_by_role("button", name=words[outcome], exact=True).click()
        expect(item.get_by_role("button", name=words[outcome], exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        item.locator("textarea").fill(note)
        expect(item.locator(".samples-saved")).to_have_text(words["saved"])
    expect(page.locator(".samples-progress")).to_have_text(words["progress"].format(n=2))
    shot(page, f"checklist-{lang}")

    page.reload()
    expect(page.locator(".samples-progress")).to_have_text(words["progress"].format(n=2))
    first = page.locator(".samples-item[data-position='1']")
    third = page.locator(".samples-item[data-position='3']")
    expect(first.get_by_role("button", name=words["confirmed"], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(third.get_by_role("button", name=words["discrepancy"], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(first.locator("textarea")).to_have_value(first_note)
    expect(third.locator("textarea")).to_have_value(second_note)

    held = live_server.get(f"/api/v1/samples/{sample_id}", inspector["username"]).json()
    outcomes = {item["position"]: (item["outcome"], item["note"]) for item in held["items"]}
    assert outcomes[1] == ("confirmed", first_note)
    assert outcomes[3] == ("discrepancy", second_note)
    assert outcomes[2] == (None, "") and outcomes[4] == (None, "")
    assert held["items"][0]["checked_by"]["display_name"].startswith("E2E 督查")
    assert held["office_id"] == office["id"] and held["drawn"] == 4
    assert not errors, errors
    context.close()
