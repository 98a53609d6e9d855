"""The worker's screens as they look and keep what was entered: the resident's screen across
a reload, the unfinished-visit banner, the correction screen, the status strip and the roster on
a phone."""

# ruff: noqa: RUF001 (the Chinese interface writes its own full-width punctuation)

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .worker import (
    draw_signature,
    log_in,
    log_in_chinese,
    meta_value,
    outbox_rows,
    record_visit,
    resident_button,
    wait_for_service_worker,
    wait_synced,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def residents(live_server):
    """worker1's residents with unique names, from the end of the list (other modules' tests
    visit those at its start)."""
    active = [r for r in live_server.residents("worker1") if r["status"] == "active"]
    counts: dict[str, int] = {}
    for r in active:
        counts[r["name"]] = counts.get(r["name"], 0) + 1
    return [r for r in active if counts[r["name"]] == 1][::-1]


def test_a_reload_on_the_residents_screen_keeps_the_signer_the_name_and_the_strokes(
    browser, live_server, residents
):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai")
    page = context.new_page()
    resident = residents[0]
    log_in_chinese(page, live_server.url)
    wait_for_service_worker(page)
    context.set_offline(True)
    resident_button(page, resident).click()
    page.get_by_label("服务完成情况").fill("陪同散步")
    page.get_by_role("button", name="把手机交给服务对象").click()
    page.get_by_role("button", name="基本满意", exact=True).click()
    page.get_by_role("radio", name="家属代签").check()
    page.get_by_label("家属姓名").fill(" 李明（儿子） ")
    draw_signature(page)
    page.wait_for_timeout(400)  # the draft is written as it changes (typing: after 0.3 s)
    page.reload()
    expect(page.get_by_role("button", name=re.compile("^基本满意"))).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("radio", name="家属代签")).to_be_checked()
    expect(page.get_by_label("家属姓名")).to_have_value("李明（儿子）")
    kept = meta_value(page, "draft")["value"]["signature"]
    assert kept["signer"] == "proxy" and kept["strokes"], kept
    # The pad holds the strokes again: "Done" goes on without asking for a signature.
    page.get_by_role("button", name="完成，把手机交还").click()
    page.get_by_role("button", name="保存探访").click()
    expect(page.get_by_text(f"已保存：{resident['name']}")).to_be_visible()
    [row] = [r for r in outbox_rows(page) if r["payload"].get("resident_id") == resident["id"]]
    signature = row["payload"]["signature"]
    assert signature["signer"] == "proxy"
    assert signature["signer_name"] == "李明（儿子）"  # trimmed, as "Done" made it
    assert signature["reason"] is None
    assert len(signature["strokes"]) == 2
    context.close()


def test_a_name_typed_for_a_family_member_does_not_stay_when_the_resident_signs(
    page, live_server, residents
):
    resident = residents[1]
    log_in(page, live_server.url)
    resident_button(page, resident).click()
    page.get_by_label("Service given").fill("Read the letter aloud")
    page.get_by_role("button", name="Hand the phone to the resident").click()
    page.get_by_role("button", name="Satisfied", exact=True).click()
    page.get_by_role("radio", name="Family member").check()
    page.get_by_label("Family member's name").fill("Li Ming")
    page.get_by_role("radio", name="The resident").check()
    draw_signature(page)
    page.get_by_role("button", name="Done — give the phone back").click()
    expect(page.get_by_role("heading", name="Check and save")).to_be_visible()
    signature = meta_value(page, "draft")["value"]["signature"]
    assert signature["signer"] == "resident"
    assert signature["signer_name"] is None and signature["reason"] is None


def test_the_correction_screen_prints_no_null(page, live_server, residents):
    resident = residents[2]
    log_in(page, live_server.url)
    record_visit(page, resident, service="Changed the bed linen")
    wait_synced(page)
    page.get_by_role("link", name=re.compile("Records")).click()
    page.get_by_role("link", name=re.compile(f"Correct: {re.escape(resident['name'])}")).click()
    expect(page.get_by_role("heading", name="Correct a visit")).to_be_visible()
    expect(page.get_by_label("Service given")).to_be_visible()
    assert "null" not in page.locator("main").inner_text()


def test_discarding_an_unfinished_visit_from_the_roster_asks_first(page, live_server, residents):
    resident = residents[3]
    log_in(page, live_server.url)
    resident_button(page, resident).click()
    page.get_by_label("Service given").fill("Helped with the shower")
    page.get_by_role("link", name="Residents").click()
    banner = page.get_by_text(f"Unfinished visit: {resident['name']}")
    expect(banner).to_be_visible()

    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Discard").click()
    expect(banner).to_be_visible()
    assert asked and "Cancel this visit" in asked[0]
    assert meta_value(page, "draft")["value"]["service_given"] == "Helped with the shower"

    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Discard").click()
    expect(banner).to_be_hidden()
    assert meta_value(page, "draft") is None


def test_no_focus_ring_frames_the_screen_but_controls_keep_theirs(page, live_server):
    log_in(page, live_server.url)
    # Open Records with the keyboard: the app then moves focus to <main> for screen readers.
    page.get_by_role("link", name=re.compile("Records")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Records", exact=True)).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "BUTTON")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


def test_the_status_strip_says_what_is_true_now(page, context, live_server):
    log_in(page, live_server.url)
    strip = page.locator(".strip-line")
    expect(strip).to_contain_text("Online")
    context.set_offline(True)
    expect(strip).to_contain_text("Offline")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".toast")).to_contain_text(
        "No network: the visits wait on the phone and go when there is a signal"
    )
    context.set_offline(False)
    # Back on the network: no stale "no connection" while the next sync waits its turn, and
    # "Online" only once the server has answered.
    expect(strip).not_to_contain_text("Offline")
    expect(strip).not_to_contain_text("Sync failed")
    page.get_by_role("button", name="Sync now").click()
    expect(strip).to_contain_text("Online")
    expect(strip).not_to_contain_text("Sync failed")


def test_the_roster_on_a_phone_shows_many_residents_and_keeps_its_order(browser, live_server):
    context = browser.new_context(locale="en-US", viewport=PHONE, timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url)
    rows = page.locator("button.resident")
    in_view = """els => els.filter(e => { const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }).length"""
    assert rows.evaluate_all(in_view) >= 6
    # The third resident lacks one visit this week (as the server counted it): the next one
    # completes the week, which sorted afresh would move the row below those still needing one.
    place = 2
    name = rows.nth(place).get_attribute("aria-label").split(",")[0]
    page.evaluate(
        """(name) => new Promise((resolve, reject) => {
            const open = indexedDB.open('rounds');
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction('residents', 'readwrite');
              const store = tx.objectStore('residents');
              store.getAll().onsuccess = (e) => {
                const r = e.target.result.find((x) => x.name === name);
                r.coverage = { ...r.coverage, days_visited: r.coverage.required - 1 };
                store.put(r);
              };
              tx.oncomplete = () => { db.close(); resolve(); };
              tx.onerror = () => reject(tx.error);
            };
          })""",
        name,
    )
    page.reload()
    expect(rows.nth(place)).to_have_attribute("aria-label", re.compile(r"This week \d+ / \d+"))
    done, required = map(
        int,
        re.search(r"This week (\d+) / (\d+)", rows.nth(place).get_attribute("aria-label")).groups(),
    )
    assert done == required - 1
    rows.nth(place).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_label("Service given").fill("Tidied the room")
    page.get_by_role("button", name="Hand the phone to the resident").click()
    page.get_by_role("button", name="Satisfied", exact=True).click()
    draw_signature(page)
    page.get_by_role("button", name="Done — give the phone back").click()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Saved: visit to {name}")).to_be_visible()
    row = rows.nth(place)
    expect(row).to_have_attribute("aria-label", re.compile(f"^{re.escape(name)},"))
    context.close()
