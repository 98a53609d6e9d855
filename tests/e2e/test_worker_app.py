"""The worker app in real headless Chromium against a live server: online, offline, after a
restart, with a refused record, and in Chinese."""

from __future__ import annotations

import re
import time
import uuid

import pytest
import requests
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_FLAGS
from .worker import (
    csp_violations,
    draw_signature,
    log_in,
    outbox_rows,
    put_outbox_row,
    record_visit,
    resident_button,
    wait_for_service_worker,
    wait_synced,
    watch_console,
)

pytestmark = pytest.mark.e2e

NO_BACKGROUND_SYNC = """
Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined });
"""
PHONE = {
    "executable_path": CHROMIUM,
    "args": CHROMIUM_FLAGS,
    "headless": True,
    "viewport": {"width": 412, "height": 915},
    "locale": "en-US",
    "timezone_id": "Asia/Shanghai",
}


@pytest.fixture(scope="module")
def worker1_residents(live_server):
    """Residents of worker1's units, with unique names so the roster finds each one."""
    residents = [r for r in live_server.residents("worker1") if r["status"] == "active"]
    counts: dict[str, int] = {}
    for r in residents:
        counts[r["name"]] = counts.get(r["name"], 0) + 1
    unique = [r for r in residents if counts[r["name"]] == 1]
    assert len(unique) >= 10, "the demo data should give worker1 enough residents"
    return unique


def server_visit(live_server, visit_id: str) -> dict:
    return live_server.get(f"/api/v1/visits/{visit_id}", "admin").json()


def test_log_in_and_record_a_visit_online(page, live_server, worker1_residents):
    errors = watch_console(page)
    resident = worker1_residents[0]
    log_in(page, live_server.url)
    # The roster: grouped by unit, this week's count per resident.
    expect(page.get_by_role("heading", name=re.compile("Sunrise F1"))).to_be_visible()
    row = resident_button(page, resident)
    expect(row).to_contain_text("This week")

    record_visit(page, resident)
    wait_synced(page)
    # Back on the roster, the count went up at once.
    expect(resident_button(page, resident)).to_contain_text(re.compile(r"This week [1-9]"))

    visits = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = visits["items"] if isinstance(visits, dict) else visits
    assert len(items) == 1
    visit = server_visit(live_server, items[0]["id"])
    assert visit["service_given"] == "Helped with lunch"
    assert visit["satisfaction"] == "satisfied"
    assert visit["identified_by"] == "manual"
    assert visit["signature"]["signer"] == "resident"
    assert csp_violations(errors) == []


def test_offline_visits_survive_a_restart_and_sync_when_online(
    playwright, live_server, worker1_residents, profile_dir
):
    launch = PHONE
    chosen = worker1_residents[1:4]

    # As on a browser without Background Sync (Safari, Firefox): otherwise Chromium, which
    # thinks it is online, may send the records from the service worker as soon as it restarts
    # (test_background_sync covers that), and "still waiting" would be a race.
    context = playwright.chromium.launch_persistent_context(str(profile_dir), **launch)
    context.add_init_script(NO_BACKGROUND_SYNC)
    page = context.pages[0] if context.pages else context.new_page()
    log_in(page, live_server.url)
    wait_for_service_worker(page)

    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.locator(".strip-line")).to_contain_text("Offline")
    for resident in chosen:
        record_visit(page, resident, service=f"Offline visit to {resident['name']}")
    expect(page.locator(".strip-line")).to_contain_text("3 waiting to sync")
    waiting = outbox_rows(page)
    assert len(waiting) == 3
    ids = {row["id"] for row in waiting}
    context.close()

    # Open the browser again with the same profile, still without a signal (offline from the
    # start: online, the Background Sync registered at the save would send them at once).
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir), **launch, offline=True
    )
    context.add_init_script(NO_BACKGROUND_SYNC)
    page = context.pages[0] if context.pages else context.new_page()
    response = page.goto(live_server.url)
    assert response is not None and response.from_service_worker
    expect(page.locator(".strip-line")).to_contain_text("3 waiting to sync")
    assert {row["id"] for row in outbox_rows(page)} == ids

    # Logging out now is refused unless the loss of the three is confirmed.
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("alert")).to_contain_text("3 records have not reached the server")
    expect(page.get_by_role("button", name="Log out and lose 3 records")).to_be_disabled()
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("link", name="Residents").click()

    context.set_offline(False)
    wait_synced(page, timeout=30_000)
    assert outbox_rows(page) == []
    for visit_id in ids:
        visit = server_visit(live_server, visit_id)
        assert visit["service_given"].startswith("Offline visit to")
        assert visit["signature"]["signer"] == "resident"
        assert visit["signature"]["strokes"] == 2  # the two strokes drawn
        svg = live_server.get(f"/api/v1/visits/{visit_id}/signature.svg", "admin").text
        assert svg.count("<path") + svg.count("<polyline") >= 2
    context.close()


def test_a_refused_record_shows_the_reason_and_can_be_fixed(page, live_server, worker1_residents):
    resident = worker1_residents[4]
    log_in(page, live_server.url)
    # A family member signed but no name was written (as an older app version allowed).
    visit_id = str(uuid.uuid4())
    payload = {
        "id": visit_id,
        "resident_id": resident["id"],
        "kind": "round",
        "checked_in_at": page.evaluate("new Date(Date.now() - 600000).toISOString()"),
        "checked_out_at": page.evaluate("new Date().toISOString()"),
        "identified_by": "manual",
        "qr_token": None,
        "location": None,
        "observations": {"living": "ok", "emotional": "ok", "physical": "ok", "notes": ""},
        "service_given": "Changed the bed",
        "follow_up": False,
        "satisfaction": "basically_satisfied",
        "feedback": "",
        "signature": {
            "signer": "proxy",
            "signer_name": None,
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "delta",
            "strokes": [[100, 100, 10, 5, 10, 5, 10, -5]],
        },
    }
    put_outbox_row(
        page,
        {
            "id": visit_id,
            "type": "visit",
            "state": "pending",
            "payload": payload,
            "errors": None,
            "resident_id": resident["id"],
            "visit_id": None,
            "created_at": 0,
        },
    )
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".strip-line")).to_contain_text("1 need attention")

    page.get_by_role("link", name=re.compile("Records")).click()
    card = page.locator(".card.bad")
    expect(card).to_contain_text(resident["name"])
    expect(card).to_contain_text("The server refused this record")
    # The server's own words, under the field's name (its errors nest: signature.signer_name).
    expect(card.locator(".reasons")).to_contain_text("Signature: ")
    expect(card.locator(".reasons")).not_to_contain_text("[object")

    card.get_by_role("button", name=re.compile("Fix and send again")).click()
    expect(page.get_by_role("alert").first).to_contain_text("The server refused this record")
    page.get_by_role("button", name="Hand the phone to the resident").click()
    expect(page.get_by_role("radio", name="Family member")).to_be_checked()
    page.get_by_role("button", name="Done — give the phone back").click()
    expect(page.get_by_role("alert").last).to_contain_text("Write the family member's name")
    page.get_by_label("Family member's name").fill("李梅 (daughter)")
    page.get_by_role("button", name="Done — give the phone back").click()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Saved: visit to {resident['name']}")).to_be_visible()
    expect(page.locator(".strip-line")).not_to_contain_text("need attention")
    wait_synced(page)
    visit = server_visit(live_server, visit_id)
    assert visit["signature"]["signer"] == "proxy"
    assert visit["signature"]["signer_name"] == "李梅 (daughter)"


def test_the_chinese_interface(browser, live_server, worker1_residents):
    context = browser.new_context(
        timezone_id="Asia/Shanghai", locale="zh-CN", viewport={"width": 412, "height": 915}
    )
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.get_by_label("用户名").fill("worker1")
    page.get_by_label("密码").fill("rounds-demo")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("link", name="扫描二维码")).to_be_visible()
    expect(page.locator(".strip-line")).to_contain_text("上次同步", timeout=20_000)
    expect(page.get_by_text(re.compile("本周 .* 人中还有 .* 人需要巡视"))).to_be_visible()

    resident_button(page, worker1_residents[5]).click()
    expect(page.get_by_text("观察情况")).to_be_visible()
    page.get_by_role("button", name="把手机交给服务对象").click()
    for word in ("满意", "基本满意", "不满意"):
        expect(page.get_by_role("button", name=word, exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="家属代签")).to_be_visible()
    # The resident's screen switches language on its own.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Basically satisfied", exact=True)).to_be_visible()
    page.get_by_role("button", name="Back", exact=True).click()
    expect(page.get_by_role("button", name="把手机交给服务对象")).to_be_visible()

    # Settings switch the whole app to English and back to the phone's language.
    page.goto(f"{live_server.url}/#/settings")
    page.get_by_label("语言").select_option("en")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    page.get_by_label("Language").select_option("")
    expect(page.get_by_role("heading", name="设置")).to_be_visible()
    context.close()


def test_a_qr_link_opens_the_resident_offline(page, context, live_server, worker1_residents):
    resident = worker1_residents[6]
    log_in(page, live_server.url)
    wait_for_service_worker(page)
    context.set_offline(True)
    response = page.goto(f"{live_server.url}/r/{resident['qr_token']}")
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", name=resident["name"])).to_be_visible()
    expect(page.get_by_text("QR code")).to_be_visible()


def test_a_synced_visit_is_corrected_with_a_reason(page, live_server, worker1_residents):
    resident = worker1_residents[7]
    log_in(page, live_server.url)
    record_visit(page, resident, service="Brought the newspaper")
    wait_synced(page)

    page.get_by_role("link", name=re.compile("Records")).click()
    page.get_by_role("link", name=re.compile(f"Correct: {re.escape(resident['name'])}")).click()
    expect(page.get_by_role("heading", name="Correct a visit")).to_be_visible()
    page.get_by_label("Service given").fill("Brought the newspaper and read it aloud")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("alert").last).to_contain_text("Write the reason")
    page.get_by_label("Reason for the correction").fill("Left out what was done")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Correction saved")).to_be_visible()
    wait_synced(page)

    found = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = found["items"] if isinstance(found, dict) else found
    visit = server_visit(live_server, items[0]["id"])
    assert visit["service_given"] == "Brought the newspaper and read it aloud"
    assert visit["amendments"][0]["reason"] == "Left out what was done"
    assert visit["original"]["service_given"] == "Brought the newspaper"


def test_background_sync_sends_after_the_app_is_closed(
    playwright, live_server, worker1_residents, profile_dir
):
    resident = worker1_residents[8]
    context = playwright.chromium.launch_persistent_context(str(profile_dir), **PHONE)
    page = context.pages[0] if context.pages else context.new_page()
    log_in(page, live_server.url)
    wait_for_service_worker(page)
    context.set_offline(True)
    record_visit(page, resident, service="Sent by the service worker")
    (visit_id,) = [row["id"] for row in outbox_rows(page)]
    context.close()

    # The browser comes back with a signal; the app itself is not opened.
    context = playwright.chromium.launch_persistent_context(str(profile_dir), **PHONE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            visit = server_visit(live_server, visit_id)
            break
        except requests.HTTPError:
            time.sleep(0.5)
    else:
        pytest.fail("Background Sync did not send the visit within a minute")
    assert visit["service_given"] == "Sent by the service worker"
    assert all(p.url in ("about:blank", "") for p in context.pages)
    context.close()


def test_a_home_visit_records_where_it_happened(browser, live_server):
    villagers = [r for r in live_server.residents("worker5") if r["status"] == "active"]
    names = [r["name"] for r in villagers]
    resident = next(r for r in villagers if names.count(r["name"]) == 1)
    context = browser.new_context(
        timezone_id="Asia/Shanghai",
        viewport={"width": 412, "height": 915},
        locale="en-US",
        geolocation={"latitude": 30.2741, "longitude": 120.1551, "accuracy": 25},
        permissions=["geolocation"],
    )
    page = context.new_page()
    log_in(page, live_server.url, "worker5")
    page.get_by_label("Search").fill(resident["name"])
    resident_button(page, resident).click()
    # A village is an area: the visit is a home visit, and may say where it happened.
    expect(page.get_by_role("radio", name="Home visit")).to_be_checked()
    expect(page.get_by_text("No location added (optional).")).to_be_visible()
    page.get_by_role("button", name="Add my location").click()
    expect(page.get_by_text("Location added, accurate to about 25 m.")).to_be_visible()
    page.get_by_label("Follow-up needed").check()
    record_visit(page, resident, open_from_roster=False)
    wait_synced(page)
    found = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = found["items"] if isinstance(found, dict) else found
    visit = server_visit(live_server, items[0]["id"])
    assert visit["kind"] == "home_visit"
    assert visit["follow_up"] is True
    assert abs(visit["location"]["lat"] - 30.2741) < 1e-6
    assert visit["location"]["accuracy_m"] == 25
    context.close()


def test_a_screen_not_yet_on_the_phone_keeps_the_visit_and_says_why(
    browser, live_server, worker1_residents
):
    """Offline before the app finished installing, the next screen's code cannot be fetched:
    the worker stays on the resident's screen with everything entered, and is told why."""
    resident = worker1_residents[9]
    context = browser.new_context(
        timezone_id="Asia/Shanghai", service_workers="block", viewport={"width": 412, "height": 915}
    )
    page = context.new_page()
    log_in(page, live_server.url)
    page.route(re.compile(r"/assets/confirm-[^/]+\.js$"), lambda route: route.abort())

    resident_button(page, resident).click()
    page.get_by_label("Service given").fill("Kept while the screen was missing")
    page.get_by_role("button", name="Hand the phone to the resident").click()
    page.get_by_role("button", name="Basically satisfied", exact=True).click()
    draw_signature(page)
    page.get_by_role("button", name="Done — give the phone back").click()
    expect(page.get_by_text("This screen is not on the phone yet")).to_be_visible()
    expect(page.get_by_role("heading", name="How was this visit?")).to_be_visible()
    assert page.evaluate("location.hash") == "#/rate"

    page.unroute(re.compile(r"/assets/confirm-[^/]+\.js$"))
    page.get_by_role("button", name="Done — give the phone back").click()
    expect(page.get_by_role("heading", name="Check and save")).to_be_visible()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Saved: visit to {resident['name']}")).to_be_visible()
    wait_synced(page)
    visits = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = visits["items"] if isinstance(visits, dict) else visits
    (visit,) = [server_visit(live_server, v["id"]) for v in items]
    assert visit["service_given"] == "Kept while the screen was missing"
    assert visit["satisfaction"] == "basically_satisfied"
    assert visit["signature"]["strokes"]
    context.close()
