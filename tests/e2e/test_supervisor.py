"""Supervisor and admin screens in a real browser against the live server: the coverage board
puts a resident the test made at risk on top and says who visited them last, the alert is
acknowledged, the visits CSV downloads and parses, the printable register shows the
signature; an admin adds a resident and prints a label sheet."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from .conftest import ROOT, ROUNDS
from .worker import csp_violations, watch_console

pytestmark = pytest.mark.e2e

ZONE = ZoneInfo("Asia/Shanghai")


def log_in_office(page, url, username):
    from .conftest import DEMO_PASSWORD

    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def unique_active(residents):
    names = [r["name"] for r in residents]
    return [r for r in residents if r["status"] == "active" and names.count(r["name"]) == 1]


def signed_visit(live_server, worker: str, resident: dict, service: str, **changes) -> str:
    """A visit with a drawn signature, sent through the sync API as the worker's phone would;
    `changes` replace fields of the visit (satisfaction, feedback, ...)."""
    now = datetime.now(ZONE).replace(microsecond=0)
    visit_id = str(uuid.uuid4())
    visit = {
        "id": visit_id,
        "resident_id": resident["id"],
        "kind": "round",
        "checked_in_at": (now - timedelta(minutes=5)).isoformat(),
        "checked_out_at": now.isoformat(),
        "identified_by": "manual",
        "qr_token": None,
        "location": None,
        "observations": {
            "living": "ok",
            "emotional": "concern",
            "physical": "ok",
            "notes": "seemed low",
        },
        "service_given": service,
        "follow_up": True,
        "satisfaction": "satisfied",
        "feedback": "谢谢 thanks",
        "signature": {
            "signer": "resident",
            "signer_name": None,
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "absolute",
            "strokes": [[40, 150, 120, 60, 200, 140, 300, 50, 420, 150]],
        },
        **changes,
    }
    r = requests.post(
        f"{live_server.url}/api/v1/sync",
        headers={"Authorization": f"Bearer {live_server.token(worker)}", "X-Rounds-App": "e2e"},
        json={"device_time": now.isoformat(), "cursor": None, "visits": [visit], "amendments": []},
        timeout=20,
    )
    r.raise_for_status()
    assert r.json()["results"][0]["status"] == "created", r.json()["results"]
    return visit_id


def admin_call(live_server, method, path, **kw):
    r = requests.request(
        method,
        f"{live_server.url}{path}",
        headers={"Authorization": f"Bearer {live_server.token('admin')}"},
        timeout=20,
        **kw,
    )
    r.raise_for_status()
    return r.json() if r.content else None


def test_supervisor_board_alert_csv_and_register(page, context, live_server):
    errors = watch_console(page)
    sup_units = [
        u["id"]
        for u in requests.post(
            f"{live_server.url}/api/v1/auth/login",
            json={
                "username": "supervisor1",
                "password": "rounds-demo",
                "device": {"id": str(uuid.uuid4()), "name": "x"},
            },
            timeout=10,
        ).json()["user"]["units"]
    ]
    mine = [
        r for r in unique_active(live_server.residents("supervisor1")) if r["unit_id"] in sup_units
    ]
    at_risk, signed = mine[0], mine[1]
    workers = admin_call(live_server, "GET", "/api/v1/users", params={"role": "worker"})
    worker = next(
        u["username"] for u in workers if signed["unit_id"] in u["unit_ids"] and u["active"]
    )
    visit_id = signed_visit(live_server, worker, signed, "E2E register visit 上门服务")
    # The at-risk resident was last seen on Saturday of last week (not a day of this week).
    saturday = (datetime.now(ZONE) - timedelta(days=datetime.now(ZONE).weekday() + 2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    visitor = next(u for u in workers if at_risk["unit_id"] in u["unit_ids"] and u["active"])
    signed_visit(
        live_server,
        visitor["username"],
        at_risk,
        "E2E visit last week",
        checked_in_at=saturday.isoformat(),
        checked_out_at=(saturday + timedelta(minutes=10)).isoformat(),
    )

    # At risk by the rules: seven days required this week, counted on Monday morning, every day
    # must have a visit from now on. Everyone else needs two of seven: on track or met.
    policies = admin_call(live_server, "GET", "/api/v1/coverage/policies")
    changed = {
        **policies,
        "residents": [
            *policies["residents"],
            {"resident_id": at_risk["id"], "required": 7, "period": "week"},
        ],
    }
    admin_call(live_server, "PUT", "/api/v1/coverage/policies", json=changed)
    try:
        now = datetime.now(ZONE)
        monday = (now - timedelta(days=now.weekday())).replace(
            hour=0, minute=0, second=1, microsecond=0
        )
        done = subprocess.run(
            [str(ROUNDS), "coverage", "refresh", "--at", monday.isoformat()],
            env=live_server.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr

        log_in_office(page, live_server.url, "supervisor1")
        expect(page.get_by_role("heading", name="Coverage this week")).to_be_visible()
        board = page.get_by_role("table", name=re.compile("^Residents"))
        first = board.locator("tbody tr").first
        expect(first).to_contain_text(at_risk["name"])
        expect(first).to_contain_text("At risk")
        expect(first).to_contain_text("0 of 7")
        # Who made the last visit the board counted: the newest visit the resident has (the
        # one made last Saturday, unless the demo rounds hold a later one).
        visits = live_server.get(
            "/api/v1/visits", "supervisor1", resident_id=at_risk["id"], per_page=1
        ).json()["items"]
        assert datetime.fromisoformat(visits[0]["checked_in_at"]) >= saturday
        headers = board.locator("thead th").all_inner_texts()
        by = first.locator("th, td").nth(headers.index("Last visited by"))
        expect(by).to_have_text(visits[0]["worker"]["display_name"])

        # The alert: acknowledged with a note.
        page.get_by_role("link", name="Alerts").click()
        page.get_by_label(f"Note for {at_risk['name']}").fill("Asked the night shift to visit")
        page.get_by_role("button", name=f"Acknowledge: At risk, {at_risk['name']}").click()
        card = page.get_by_role("listitem").filter(has_text=at_risk["name"])
        expect(card).to_contain_text("Acknowledged")
        expect(card).to_contain_text("Asked the night shift to visit")
        alerts = live_server.get(
            "/api/v1/alerts", "supervisor1", state="all", kind="at_risk"
        ).json()["items"]
        mine_alert = next(a for a in alerts if a["resident_id"] == at_risk["id"])
        assert mine_alert["acked_at"] and mine_alert["ack_note"] == "Asked the night shift to visit"

        # The visits CSV of the last 30 days: the signed visit is in it, and as many rows as the
        # API lists.
        page.get_by_role("link", name="Exports & print").click()
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download visits (CSV)").click()
        raw = Path(dl.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        ours = [r for r in rows if r["visit_id"] == visit_id]
        assert len(ours) == 1
        assert ours[0]["resident"] == signed["name"]
        assert ours[0]["service_given"] == "E2E register visit 上门服务"
        assert ours[0]["satisfaction"] == "satisfied"
        today = datetime.now(ZONE).date()
        total = live_server.get(
            "/api/v1/visits",
            "supervisor1",
            **{"from": str(today - timedelta(days=29)), "to": str(today), "per_page": 1},
        ).json()["total"]
        assert len(rows) == total

        # The printable register of the signed visit, opened from the resident's page.
        page.goto(f"{live_server.url}/#/resident/{signed['id']}")
        expect(page.get_by_role("heading", name=signed["name"])).to_be_visible()
        expect(page.get_by_role("img", name=re.compile("^Signature of the visit"))).to_be_visible()
        with context.expect_page() as opened:
            page.get_by_role("button", name=re.compile("^Print register page")).first.click()
        register = opened.value
        register.wait_for_load_state()
        expect(register.get_by_text("E2E register visit 上门服务")).to_be_visible()
        expect(register.locator(".signature-image svg")).to_have_count(1)
        assert register.locator(".signature-image svg path").count() >= 1
        assert not csp_violations(errors), errors
    finally:
        admin_call(live_server, "PUT", "/api/v1/coverage/policies", json=policies)


def test_admin_adds_a_resident_and_prints_a_label_sheet(page, context, live_server):
    errors = watch_console(page)
    unit = admin_call(live_server, "GET", "/api/v1/units")[0]
    name = f"E2E 新住户 {uuid.uuid4().hex[:6]}"
    log_in_office(page, live_server.url, "admin")
    expect(page.get_by_role("heading", name="Coverage this week")).to_be_visible()
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Add a resident").click()
    # The form replaces the administration page: wait for it, then name its fields exactly.
    expect(page.get_by_label("Room / bed")).to_be_visible()
    expect(page.get_by_label("Unit to print")).to_have_count(0)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Unit", exact=True).select_option(unit["id"])
    page.get_by_label("Room / bed").fill("E2E-1")
    page.get_by_label("Sex").select_option("female")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    found = [r for r in live_server.residents() if r["name"] == name]
    assert len(found) == 1 and found[0]["room"] == "E2E-1" and found[0]["unit_id"] == unit["id"]

    page.get_by_role("link", name="Administration").click()
    page.get_by_label("Unit to print").select_option(unit["id"])
    page.get_by_label("Layout").select_option("small")
    with context.expect_page() as opened:
        page.get_by_role("button", name="Open label sheet to print").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    expect(sheet.get_by_text(name)).to_be_visible()
    assert sheet.locator("svg").count() >= 1
    assert not csp_violations(errors), errors
