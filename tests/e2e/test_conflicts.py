"""Conflicts in a real browser: a worker's phone sends a visit, then a different copy of it;
the unit's supervisor sees both versions side by side on the Conflicts screen, takes the
phone's version, and the visit reads amended (the original kept beside the correction).

The test makes its own unit, worker, supervisor and resident through the API."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_office_actions import office, own_resident, own_unit, own_worker, tag
from .test_supervisor import ZONE, admin_call
from .worker import watch_console

pytestmark = pytest.mark.e2e


def sync(live_server, worker: str, visit: dict) -> str:
    r = requests.post(
        f"{live_server.url}/api/v1/sync",
        headers={"Authorization": f"Bearer {live_server.token(worker)}", "X-Rounds-App": "e2e"},
        json={
            "device_time": datetime.now(ZONE).isoformat(),
            "cursor": None,
            "visits": [visit],
            "amendments": [],
        },
        timeout=20,
    )
    r.raise_for_status()
    return r.json()["results"][0]["status"]


def a_visit(resident: dict) -> dict:
    now = datetime.now(ZONE).replace(microsecond=0)
    return {
        "id": str(uuid.uuid4()),
        "resident_id": resident["id"],
        "kind": "round",
        "checked_in_at": (now - timedelta(minutes=5)).isoformat(),
        "checked_out_at": now.isoformat(),
        "identified_by": "manual",
        "qr_token": None,
        "location": None,
        "observations": {"living": "ok", "emotional": "ok", "physical": "ok", "notes": ""},
        "service_given": "E2E blood pressure",
        "follow_up": False,
        "satisfaction": "satisfied",
        "feedback": "谢谢",
        "signature": {
            "signer": "resident",
            "signer_name": None,
            "reason": None,
            "width": 600,
            "height": 200,
            "encoding": "absolute",
            "strokes": [[40, 150, 120, 60, 200, 140, 300, 50, 420, 150]],
        },
    }


def test_supervisor_takes_the_phones_version_of_a_conflict(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
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
    resident = own_resident(live_server, unit)
    visit = a_visit(resident)
    assert sync(live_server, worker["username"], visit) == "created"
    second = {**visit, "feedback": "E2E the phone's later comment"}
    assert sync(live_server, worker["username"], second) == "conflict"

    office(page, live_server, supervisor["username"])
    page.get_by_role("link", name="Conflicts").click()
    expect(page.get_by_role("heading", name="Conflicts")).to_be_visible()
    card = page.locator(".card.conflict").filter(has_text=resident["name"])
    expect(card).to_have_count(1)
    versions = card.get_by_role("table", name=f"The two versions: {resident['name']}")
    row = versions.get_by_role("row").filter(has_text="Comments")
    expect(row).to_contain_text("≠ differs")
    expect(row).to_contain_text("E2E the phone's later comment")
    expect(row).to_contain_text("谢谢")
    expect(versions.get_by_role("row").filter(has_text="Service given")).not_to_contain_text(
        "differs"
    )
    card.get_by_label(f"Note on the conflict for {resident['name']}").fill("Asked the worker")
    card.get_by_role("button", name=f"Take the phone's version: {resident['name']}").click()
    expect(page.get_by_text(re.compile("Phone's version recorded as a correction"))).to_be_visible()
    expect(page.locator(".card.conflict").filter(has_text=resident["name"])).to_have_count(0)

    stored = live_server.get(f"/api/v1/visits/{visit['id']}").json()
    assert stored["feedback"] == "E2E the phone's later comment"
    assert stored["original"]["feedback"] == "谢谢"
    (amendment,) = stored["amendments"]
    assert amendment["changes"] == {"feedback": "E2E the phone's later comment"}
    assert amendment["reason"].startswith(
        f"Taken from a conflicting copy sent by {worker['display_name']} on "
    )
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_text("E2E the phone's later comment").first).to_be_visible()
    assert not errors, errors
