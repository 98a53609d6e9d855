"""Office actions clicked through in a real browser, each checked against the API: a follow-up
marked handled (after a unit filter), an unsatisfied visit marked handled from the satisfaction
screen, a visit voided, a QR code replaced, a phone revoked, a staff account created, given
units, its password reset and then deactivated, a resident edited and discharged, coverage
rules saved, a unit added (then in the unit filters, and on a label sheet) and one renamed; a
supervisor neither sees nor may use the admin-only actions.

Every test makes its own unit, residents and worker through the API, so the residents and
workers the other end-to-end tests rely on are left alone."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_supervisor import admin_call, log_in_office, signed_visit
from .worker import watch_console

pytestmark = pytest.mark.e2e


def tag() -> str:
    return uuid.uuid4().hex[:6]


def own_unit(live_server) -> dict:
    return admin_call(
        live_server, "POST", "/api/v1/units", json={"name": f"E2E 病区 {tag()}", "kind": "ward"}
    )


def own_worker(live_server, unit: dict) -> dict:
    return admin_call(
        live_server,
        "POST",
        "/api/v1/users",
        json={
            "username": f"e2e_w_{tag()}",
            "display_name": f"E2E 护工 {tag()}",
            "password": DEMO_PASSWORD,
            "role": "worker",
            "unit_ids": [unit["id"]],
            "active": True,
        },
    )


def own_resident(live_server, unit: dict, **extra) -> dict:
    return admin_call(
        live_server,
        "POST",
        "/api/v1/residents",
        json={"name": f"E2E 住户 {tag()}", "unit_id": unit["id"], "room": "E2E-9", **extra},
    )


def staff(live_server, username: str) -> dict:
    users = admin_call(live_server, "GET", "/api/v1/users")
    return next(u for u in users if u["username"] == username)


def choose_unit(page, unit_id: str) -> None:
    """Filter an office screen by a unit and wait for the unit's list: until it is drawn, the
    rows on screen are the previous list's, and a note typed into them would be lost."""
    page.get_by_label("Unit", exact=True).select_option(unit_id)
    expect(page.locator(".office-body[aria-busy='true']")).to_have_count(0)


def accept_dialogs(page, answer: str | None = None) -> None:
    def handle(dialog):
        if dialog.type == "prompt" and answer is not None:
            dialog.accept(answer)
        else:
            dialog.accept()

    page.on("dialog", handle)


def office(page, live_server, username: str = "admin") -> None:
    log_in_office(page, live_server.url, username)
    expect(page.get_by_role("heading", name="Coverage this week")).to_be_visible()


def test_supervisor_marks_a_follow_up_handled(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    resident = own_resident(live_server, unit)
    visit_id = signed_visit(live_server, worker["username"], resident, "E2E follow-up visit")

    office(page, live_server)
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()
    # The unit is chosen as soon as its filter shows, while the first, unfiltered list may
    # still be loading: a late unfiltered answer must not replace the unit's list.
    choose_unit(page, unit["id"])
    expect(page.get_by_label(re.compile("^What was done for "))).to_have_count(1)
    page.get_by_label(f"What was done for {resident['name']}").fill("Called the family 已联系")
    page.get_by_role("button", name=f"Mark handled: {resident['name']}").click()
    expect(page.get_by_label(f"What was done for {resident['name']}")).to_have_count(0)

    handled = live_server.get("/api/v1/followups", status="handled", unit_id=unit["id"]).json()
    ours = next(v for v in handled["items"] if v["visit_id"] == visit_id)
    assert ours["handled"]["note"] == "Called the family 已联系"
    assert not errors, errors


def test_the_previous_list_is_out_of_reach_while_a_filter_loads(page, live_server):
    """Until the unit's follow-ups arrive, the rows on screen are the previous list's: a note
    typed into them would be lost when they are replaced, so they take no input meanwhile."""
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    resident = own_resident(live_server, unit)
    signed_visit(live_server, worker["username"], resident, "E2E held list visit")

    office(page, live_server)
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.locator(".office-body[aria-busy='false']")).to_have_count(1)
    held = []
    unit_list = re.compile(r"/api/v1/followups\?.*unit_id=")
    page.route(unit_list, lambda route: held.append(route))
    page.get_by_label("Unit", exact=True).select_option(unit["id"])
    expect(page.locator(".office-body[aria-busy='true']")).to_have_count(1)
    assert page.evaluate("document.querySelector('.office-body').inert") is True

    for route in held:
        route.continue_()
    page.unroute(unit_list)
    expect(page.locator(".office-body[aria-busy='false']")).to_have_count(1)
    assert page.evaluate("document.querySelector('.office-body').inert") is False
    page.get_by_label(f"What was done for {resident['name']}").fill("Typed once the list came")


def test_unsatisfied_visit_marked_handled_from_the_satisfaction_screen(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    resident = own_resident(live_server, unit)
    visit_id = signed_visit(
        live_server,
        worker["username"],
        resident,
        "E2E unsatisfied visit",
        satisfaction="unsatisfied",
        feedback="太吵 too noisy at night",
        follow_up=False,
        observations={"living": "ok", "emotional": "ok", "physical": "ok", "notes": ""},
    )

    office(page, live_server)
    page.get_by_role("link", name="Satisfaction").click()
    expect(page.get_by_role("heading", name="Satisfaction", exact=True)).to_be_visible()
    choose_unit(page, unit["id"])
    expect(page.get_by_role("heading", name="Unsatisfied visits (1)")).to_be_visible()
    card = page.get_by_role("listitem").filter(has_text=resident["name"])
    expect(card).to_contain_text("太吵 too noisy at night")
    note = "Moved to a quieter room 已换房"
    card.get_by_label(f"What was done for {resident['name']}").fill(note)
    card.get_by_role("button", name=f"Mark handled: {resident['name']}").click()
    expect(card).to_contain_text(re.compile(f"Handled .*: {note}"))
    expect(page.get_by_label(f"What was done for {resident['name']}")).to_have_count(0)

    listed = live_server.get("/api/v1/reports/satisfaction/unsatisfied", unit_id=unit["id"]).json()[
        "items"
    ]
    assert [v["visit_id"] for v in listed] == [visit_id]
    assert listed[0]["handled"]["note"] == note
    assert not errors, errors


def test_admin_voids_a_visit_with_a_reason(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    resident = own_resident(live_server, unit)
    visit_id = signed_visit(live_server, worker["username"], resident, "E2E visit to void")

    office(page, live_server)
    accept_dialogs(page)
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_role("heading", name=resident["name"])).to_be_visible()
    page.get_by_text("Void this visit").click()
    page.get_by_label(re.compile("^Reason to void the visit")).fill("Recorded twice by mistake")
    page.get_by_role("button", name="Void the visit").click()
    expect(page.get_by_text(re.compile("Voided .*: Recorded twice by mistake"))).to_be_visible()

    visits = live_server.get("/api/v1/visits", resident_id=resident["id"]).json()["items"]
    ours = next(v for v in visits if v["id"] == visit_id)
    assert ours["voided"]["reason"] == "Recorded twice by mistake"
    assert not errors, errors


def test_admin_replaces_a_residents_qr_code(page, live_server):
    errors = watch_console(page)
    resident = own_resident(live_server, own_unit(live_server))
    before = live_server.get(f"/api/v1/residents/{resident['id']}").json()["qr_token"]

    office(page, live_server)
    accept_dialogs(page)
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_role("heading", name=resident["name"])).to_be_visible()
    page.get_by_role("button", name="Replace the QR code").click()
    expect(page.get_by_text("New QR code made")).to_be_visible()

    after = live_server.get(f"/api/v1/residents/{resident['id']}").json()["qr_token"]
    assert after and after != before
    assert not errors, errors


def test_supervisor_revokes_a_phone(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    device = f"E2E phone {tag()}"
    login = requests.post(
        f"{live_server.url}/api/v1/auth/login",
        json={
            "username": worker["username"],
            "password": DEMO_PASSWORD,
            "device": {"id": str(uuid.uuid4()), "name": device},
        },
        timeout=10,
    )
    login.raise_for_status()
    phone_token = login.json()["token"]

    office(page, live_server)
    accept_dialogs(page)
    page.get_by_role("link", name="Workers").click()
    expect(page.get_by_role("heading", name="Worker activity")).to_be_visible()
    choose_unit(page, unit["id"])
    expect(page.get_by_role("button", name=re.compile("^Revoke the phone of "))).to_have_count(1)
    page.get_by_role(
        "button", name=f"Revoke the phone of {worker['display_name']} {device}"
    ).click()
    expect(page.get_by_text(re.compile("^Revoked "))).to_be_visible()

    devices = live_server.get("/api/v1/reports/devices", unit_id=unit["id"]).json()["items"]
    ours = next(d for d in devices if d["name"] == device)
    assert ours["revoked_at"] and not ours["active"]
    refused = requests.get(
        f"{live_server.url}/api/v1/residents",
        headers={"Authorization": f"Bearer {phone_token}"},
        timeout=10,
    )
    assert refused.status_code == 401
    assert not errors, errors


def test_admin_creates_staff_resets_a_password_and_deactivates(page, live_server):
    errors = watch_console(page)
    first, second = own_unit(live_server), own_unit(live_server)
    username = f"e2e_staff_{tag()}"

    office(page, live_server)
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add staff").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Name", exact=True).fill("E2E 新员工")
    page.get_by_label("Phone").fill("13800000000")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_role("checkbox", name=first["name"]).check()
    page.get_by_role("checkbox", name=second["name"]).check()
    page.get_by_label("Password", exact=True).fill("first-pass-123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name=f"Edit {username}")).to_be_visible()

    user = staff(live_server, username)
    assert user["role"] == "supervisor" and user["active"]
    assert user["display_name"] == "E2E 新员工"
    assert set(user["unit_ids"]) == {first["id"], second["id"]}

    def logs_in(password: str) -> int:
        return requests.post(
            f"{live_server.url}/api/v1/auth/login",
            json={
                "username": username,
                "password": password,
                "device": {"id": str(uuid.uuid4()), "name": "e2e"},
            },
            timeout=10,
        ).status_code

    assert logs_in("first-pass-123") == 200

    # A new password: the old one stops working; one unit taken away.
    page.get_by_role("link", name=f"Edit {username}").click()
    page.get_by_role("checkbox", name=second["name"]).uncheck()
    page.get_by_label("New password").fill("second-pass-456")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name=f"Edit {username}")).to_be_visible()
    assert logs_in("second-pass-456") == 200
    assert logs_in("first-pass-123") != 200
    user = staff(live_server, username)
    assert user["unit_ids"] == [first["id"]]

    # Deactivated: may no longer log in.
    page.get_by_role("link", name=f"Edit {username}").click()
    page.get_by_label("Active (may log in)").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name=f"Edit {username}")).to_be_visible()
    user = staff(live_server, username)
    assert not user["active"]
    assert logs_in("second-pass-456") != 200
    assert not errors, errors


def test_admin_edits_and_discharges_a_resident_opening_a_follow_up(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    resident = own_resident(live_server, unit)
    supervisor = admin_call(
        live_server,
        "POST",
        "/api/v1/users",
        json={
            "username": f"e2e_s_{tag()}",
            "display_name": f"E2E 主管 {tag()}",
            "password": DEMO_PASSWORD,
            "role": "supervisor",
            "unit_ids": [unit["id"]],
            "active": True,
        },
    )

    office(page, live_server)
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_role("heading", name=resident["name"])).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name=f"Edit {resident['name']}")).to_be_visible()
    page.get_by_label("Room / bed").fill("E2E-10")
    page.get_by_label("Care level", exact=True).select_option("full_care")
    follow_up = page.get_by_role("group", name="Follow-up after discharge")
    expect(follow_up).to_be_hidden()
    page.get_by_label("Status").select_option("discharged")
    expect(follow_up).to_be_visible()
    expect(follow_up.get_by_role("checkbox")).to_be_checked()
    follow_up.get_by_label("Due in (days)").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=resident["name"], exact=True)).to_be_visible()
    expect(page.locator("dd").filter(has_text=re.compile("^Discharged"))).to_be_visible()

    saved = live_server.get(f"/api/v1/residents/{resident['id']}").json()
    assert saved["status"] == "discharged"
    assert saved["room"] == "E2E-10" and saved["care_level"] == "full_care"
    [task] = live_server.get("/api/v1/tasks", resident_id=resident["id"]).json()["items"]
    assert task["source"] == "discharge" and task["title"] == "Follow-up call after discharge"
    assert task["assignee"]["id"] == supervisor["id"]
    local_today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert task["due_on"] == (local_today + timedelta(days=5)).isoformat()
    assert not errors, errors


def test_admin_saves_coverage_rules(page, live_server):
    errors = watch_console(page)
    policies = admin_call(live_server, "GET", "/api/v1/coverage/policies")
    level = f"e2e_level_{tag()}"
    try:
        office(page, live_server)
        page.get_by_role("link", name="Administration").click()
        page.get_by_role("link", name="Coverage rules").click()
        page.get_by_role("button", name="Add a care level rule").click()
        page.get_by_label("Care level", exact=True).last.fill(level)
        page.get_by_label("Days required", exact=True).last.fill("4")
        page.get_by_label("Per", exact=True).last.select_option("month")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Coverage rules saved")).to_be_visible()

        saved = admin_call(live_server, "GET", "/api/v1/coverage/policies")
        ours = [c for c in saved["care_levels"] if c["care_level"] == level]
        assert len(ours) == 1 and ours[0]["required"] == 4 and ours[0]["period"] == "month"
        assert saved["default"] == policies["default"]
        assert len(saved["residents"]) == len(policies["residents"])
        assert not errors, errors
    finally:
        admin_call(live_server, "PUT", "/api/v1/coverage/policies", json=policies)


def test_admin_renames_a_unit(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    new_name = f"E2E 改名 {tag()}"

    office(page, live_server)
    accept_dialogs(page, new_name)
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Units").click()
    page.get_by_role("button", name=f"Rename {unit['name']}").click()
    expect(page.get_by_role("button", name=f"Rename {new_name}")).to_be_visible()

    units = admin_call(live_server, "GET", "/api/v1/units")
    assert next(u for u in units if u["id"] == unit["id"])["name"] == new_name
    assert not errors, errors


def test_history_satisfaction_and_activity_follow_the_unit_filter(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    resident = own_resident(live_server, unit)
    signed_visit(live_server, worker["username"], resident, "E2E report visit")
    demo_unit = next(
        u for u in admin_call(live_server, "GET", "/api/v1/units") if "E2E" not in u["name"]
    )

    office(page, live_server)
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="Coverage history")).to_be_visible()
    history = live_server.get(
        "/api/v1/coverage/history", "admin", weeks=12, unit_id=demo_unit["id"]
    ).json()
    page.get_by_label("Unit", exact=True).select_option(demo_unit["id"])
    rows = page.get_by_role("region", name="Coverage history").locator("tbody tr")
    expect(rows).to_have_count(len(history["units"]))
    if history["units"]:
        expect(rows.first).to_contain_text(demo_unit["name"])

    page.get_by_role("link", name="Satisfaction").click()
    expect(page.get_by_role("heading", name="Satisfaction")).to_be_visible()
    page.get_by_label("Unit", exact=True).select_option(unit["id"])
    by_unit = page.get_by_role("region", name="By unit").locator("tbody tr")
    expect(by_unit).to_have_count(1)
    expect(by_unit.first).to_contain_text(unit["name"])
    expect(page.get_by_text(re.compile("satisfied \\(1 rated"))).to_be_visible()
    report = live_server.get("/api/v1/reports/satisfaction", "admin", unit_id=unit["id"]).json()
    assert report["total"]["rated"] == 1 and report["total"]["satisfied"] == 1

    page.get_by_role("link", name="Workers").click()
    expect(page.get_by_role("heading", name="Worker activity")).to_be_visible()
    page.get_by_label("Unit", exact=True).select_option(unit["id"])
    workers = page.get_by_role("region", name="Visits per worker").locator("tbody tr")
    expect(workers).to_have_count(1)
    expect(workers.first).to_contain_text(worker["display_name"])
    expect(workers.first.locator("td").first).to_have_text("1")
    assert not errors, errors


def test_admin_adds_a_unit_then_filters_by_it_and_prints_its_labels(page, context, live_server):
    errors = watch_console(page)
    name = f"E2E 青山村 {tag()}"
    person = f"E2E 村民 {tag()}"

    office(page, live_server)
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Units").click()
    expect(page.get_by_role("heading", name="Add a unit")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Kind").select_option("area")
    page.get_by_role("button", name="Add a unit").click()
    expect(page.get_by_role("button", name=f"Rename {name}")).to_be_visible()
    ours = [u for u in admin_call(live_server, "GET", "/api/v1/units") if u["name"] == name]
    assert len(ours) == 1 and ours[0]["kind"] == "area"
    unit = ours[0]

    # The new unit is in the unit filters of the office screens.
    for link, heading in (("Coverage", "Coverage this week"), ("Follow-ups", "Follow-ups")):
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        unit_filter = page.get_by_label("Unit", exact=True)
        expect(unit_filter.locator("option", has_text=name)).to_have_count(1)
    page.get_by_label("Unit", exact=True).select_option(unit["id"])
    expect(page.get_by_text("Nothing to follow up.")).to_be_visible()

    # A resident added to it is printed on the unit's label sheet.
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Add a resident").click()
    expect(page.get_by_label("Room / bed")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(person)
    page.get_by_label("Unit", exact=True).select_option(unit["id"])
    page.get_by_label("Address").fill("青山村 3 号 No. 3 Qingshan")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=person)).to_be_visible()
    found = [r for r in live_server.residents() if r["name"] == person]
    assert len(found) == 1 and found[0]["unit_id"] == unit["id"]

    page.get_by_role("link", name="Administration").click()
    page.get_by_label("Unit to print").select_option(unit["id"])
    page.get_by_label("Layout").select_option("large")
    with context.expect_page() as opened:
        page.get_by_role("button", name="Open label sheet to print").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    expect(sheet.get_by_text(person)).to_be_visible()
    assert sheet.locator("svg").count() == 1  # the unit's one resident
    assert not errors, errors


def test_a_supervisor_neither_sees_nor_may_use_admin_only_actions(page, live_server):
    errors = watch_console(page)
    login = requests.post(
        f"{live_server.url}/api/v1/auth/login",
        json={
            "username": "supervisor1",
            "password": DEMO_PASSWORD,
            "device": {"id": str(uuid.uuid4()), "name": "e2e"},
        },
        timeout=10,
    )
    login.raise_for_status()
    token = login.json()["token"]
    their_unit = login.json()["user"]["units"][0]
    a_worker = own_worker(live_server, own_unit(live_server))
    units_before = admin_call(live_server, "GET", "/api/v1/units")
    staff_before = admin_call(live_server, "GET", "/api/v1/users")
    policies_before = admin_call(live_server, "GET", "/api/v1/coverage/policies")

    office(page, live_server, "supervisor1")
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Units").click()
    expect(page.get_by_text("Only an admin can add or rename units.")).to_be_visible()
    expect(page.get_by_role("rowheader", name=their_unit["name"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Rename "))).to_have_count(0)
    expect(page.get_by_role("button", name="Add a unit")).to_have_count(0)

    staff_note = page.get_by_text("Only an admin can add staff or change their accounts.")
    page.get_by_role("link", name="Staff").click()
    expect(staff_note).to_be_visible()
    expect(page.get_by_role("link", name="Add staff")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Edit "))).to_have_count(0)
    page.goto(f"{live_server.url}/#/admin/staff/{a_worker['id']}")
    expect(staff_note).to_be_visible()
    expect(page.get_by_label("New password")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)

    page.get_by_role("link", name="Coverage rules").click()
    expect(page.get_by_text("Only an admin can change the rules.")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_label("Days required").first).to_be_disabled()
    expect(page.get_by_role("button", name="Add a care level rule")).to_be_disabled()

    # The API refuses the same actions, whatever the screen shows.
    refused = {
        "add a unit": ("POST", "/api/v1/units", {"name": "E2E 不应出现", "kind": "ward"}),
        "rename their unit": (
            "PATCH",
            f"/api/v1/units/{their_unit['id']}",
            {"name": "E2E 不应改名", "kind": "ward"},
        ),
        "add staff": (
            "POST",
            "/api/v1/users",
            {
                "username": f"e2e_refused_{tag()}",
                "display_name": "E2E refused",
                "password": DEMO_PASSWORD,
                "role": "worker",
                "unit_ids": [their_unit["id"]],
                "active": True,
            },
        ),
        "deactivate a worker": ("PATCH", f"/api/v1/users/{a_worker['id']}", {"active": False}),
        "change the rules": (
            "PUT",
            "/api/v1/coverage/policies",
            {**policies_before, "default": {"required": 7, "period": "week"}},
        ),
    }
    for what, (method, path, body) in refused.items():
        answer = requests.request(
            method,
            f"{live_server.url}{path}",
            headers={"Authorization": f"Bearer {token}"},
            json=body,
            timeout=10,
        )
        assert answer.status_code == 403, (what, answer.status_code, answer.text)
        assert answer.headers["Content-Type"].startswith("application/problem+json"), what
    assert admin_call(live_server, "GET", "/api/v1/units") == units_before
    assert admin_call(live_server, "GET", "/api/v1/users") == staff_before
    assert admin_call(live_server, "GET", "/api/v1/coverage/policies") == policies_before
    assert not errors, errors
