"""Case work in the office, clicked through in a real browser and checked against the API: a case
taken to closing through the API is on the unit's case board under "closing", its page reads
every step (the register form, the needs and risks, the plan with its services, signature and
the tasks its steps became, a contact, a review, the closure), the printable case file holds
the intake, the plan and the closure, and the supervisor signs it off: the page then says it is
archived and offers no form, and the API refuses a new record. A supervisor records a case
conference and a review from the office, and opens a case for a worker from a resident's page.
The board and a case's page are photographed at a desk and on a phone, in English and Chinese."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_office_actions import admin_call, choose_unit, own_resident, own_unit, own_worker
from .test_office_tasks import office_as, own_supervisor
from .worker import watch_console

pytestmark = pytest.mark.e2e
ZONE = ZoneInfo("Asia/Shanghai")
SHOTS = Path("/tmp/shots-cases-office")
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIGNATURE = {
    "signer": "resident",
    "signer_name": None,
    "reason": None,
    "width": 600,
    "height": 200,
    "encoding": "absolute",
    "strokes": [[40, 150, 120, 60, 200, 140, 300, 50, 420, 150]],
}
PROBLEMS = "Lives alone since spring, eats little 独居，食欲差"  # noqa: RUF001
GOAL = "Eats with others three times a week 每周与他人共餐三次"
STEP = "Join the canteen's lunch group 参加食堂午餐小组"
CLOSURE = "Eats in the canteen most days 多数日子在食堂用餐"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def at(minutes: int) -> str:
    """A moment `minutes` after a fixed start today, so the records read in order."""
    start = datetime.now(ZONE).replace(microsecond=0) - timedelta(hours=3)
    return (start + timedelta(minutes=minutes)).isoformat()


def send(live_server, path: str, body: dict) -> dict:
    """POST as the admin; a refusal fails with the server's words."""
    r = requests.post(
        f"{live_server.url}{path}",
        headers={"Authorization": f"Bearer {live_server.token('admin')}"},
        json=body,
        timeout=20,
    )
    assert r.status_code == 201, r.text
    return r.json()


def record(live_server, case_id: str, kind: str, body: dict, minutes: int, signature=None):
    return send(
        live_server,
        f"/api/v1/cases/{case_id}/records",
        {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "at": at(minutes),
            "body": body,
            "signature": signature,
        },
    )


def case_to_closing(live_server, resident: dict, worker: dict, *, close: bool = True) -> dict:
    """A case as the worker's phone takes it through, intake to closure, made through the API.
    Returns {"case": the case as the server holds it, "plan": the plan record's id}."""
    case_id = str(uuid.uuid4())
    send(
        live_server,
        "/api/v1/cases",
        {
            "id": case_id,
            "resident_id": resident["id"],
            "source": "referral",
            "source_note": "Community office 社区居委会",
            "visit_id": None,
            "opened_at": at(0),
            "worker_id": worker["id"],
        },
    )
    register = {
        "office": "E2E office 服务中心",
        "worker_phone": "13800000001",
        "client_phone": "13900000002",
        "address": "E2E Road 1 幸福路 1 号",
        "problems": PROBLEMS,
    }
    consent = {"given": True, "by": "family", "name": "Her son 儿子"}
    record(live_server, case_id, "intake", {"register": register, "consent": consent}, 1)
    needs = [
        {"domain": "social", "severity": "severe", "priority": 1, "notes": "No visitors 无人探望"},
        {"domain": "physical", "severity": "mild", "priority": 3, "notes": "Knees ache 膝痛"},
    ]
    record(
        live_server,
        case_id,
        "assessment",
        {"needs": needs, "risks": ["fall"], "summary": "Isolated 社交孤立"},
        2,
    )
    plan_id = str(uuid.uuid4())
    send(
        live_server,
        f"/api/v1/cases/{case_id}/records",
        {
            "id": plan_id,
            "kind": "plan",
            "at": at(3),
            "body": {
                "goals": [{"id": "g1", "text": GOAL, "measure": "Canteen log", "target_on": None}],
                "steps": [
                    {
                        "id": "s1",
                        "title": STEP,
                        "goal_id": "g1",
                        "assignee_id": worker["id"],
                        "due_on": (date.today() + timedelta(days=7)).isoformat(),
                    }
                ],
                "services": ["support_network", "community_participation"],
                "review_every_weeks": 4,
                "agreed": {"signer": "resident", "signer_name": resident["name"]},
            },
            "signature": SIGNATURE,
        },
    )
    record(
        live_server,
        case_id,
        "contact",
        {
            "mode": "phone",
            "visit_id": None,
            "goal_ids": ["g1"],
            "summary": "Called her son 致电儿子",
            "minutes": 15,
        },
        4,
    )
    record(
        live_server,
        case_id,
        "review",
        {
            "progress": [{"goal_id": "g1", "status": "in_progress", "note": "Twice a week"}],
            "summary": "Coming along 有进展",
        },
        5,
    )
    if close:
        record(
            live_server,
            case_id,
            "closure",
            {
                "reason": "goals_met",
                "evaluation": [{"goal_id": "g1", "status": "achieved", "note": "Most days"}],
                "summary": CLOSURE,
                "satisfaction": "satisfied",
                "referral": None,
                "follow_up": None,
            },
            6,
            SIGNATURE,
        )
    return {"case": admin_call(live_server, "GET", f"/api/v1/cases/{case_id}"), "plan": plan_id}


def post_record(live_server, username: str, case_id: str, kind: str, body: dict):
    return requests.post(
        f"{live_server.url}/api/v1/cases/{case_id}/records",
        headers={"Authorization": f"Bearer {live_server.token(username)}"},
        json={"id": str(uuid.uuid4()), "kind": kind, "at": at(9), "body": body, "signature": None},
        timeout=10,
    )


def test_supervisor_reads_a_closing_case_and_signs_it_off(page, context, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)
    made = case_to_closing(live_server, resident, worker)
    case_id = made["case"]["id"]
    assert made["case"]["stage"] == "closing"

    page.set_viewport_size(DESK)
    office_as(page, live_server, supervisor["username"])
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    choose_unit(page, unit["id"])
    closing = page.get_by_role("button", name="Closing, awaiting sign-off: 1. Show them")
    expect(closing).to_be_visible()
    shot(page, "board-desk-en")
    closing.click()
    expect(page.locator(".office-body[aria-busy='true']")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=resident["name"])
    expect(row).to_contain_text("Closing, awaiting sign-off")
    expect(row).to_contain_text(worker["display_name"])
    row.get_by_role("link", name=resident["name"]).click()

    # Every step, in order, for reading.
    expect(page.get_by_role("heading", name=f"Case of {resident['name']}")).to_be_visible()
    heads = page.locator(".case-record-head")
    expect(heads).to_have_text(
        [
            "Intake",
            "Assessment, version 1",
            "Service plan, version 1",
            "Contact",
            "Review",
            "Closure",
        ]
    )
    intake = page.locator(".case-record-intake")
    expect(intake).to_contain_text(PROBLEMS)
    expect(intake).to_contain_text("Given by the family: Her son 儿子")
    assessment = page.locator(".case-record-assessment")
    expect(assessment).to_contain_text("Risks: falls")
    expect(assessment.locator(".case-need-pressing")).to_contain_text("No visitors 无人探望")
    plan = page.locator(".case-record-plan")
    expect(plan).to_contain_text(GOAL)
    expect(plan).to_contain_text("Building a support network, Community participation")
    expect(plan).to_contain_text("every 4 weeks")
    expect(plan.get_by_role("img", name="Signature of the Service plan")).to_be_visible()
    step = plan.get_by_role("link", name=STEP)
    task_id = step.get_attribute("href").removeprefix("#/tasks/")
    task = admin_call(live_server, "GET", f"/api/v1/tasks/{task_id}")
    assert task["title"] == STEP
    expect(page.locator(".case-record-contact")).to_contain_text("Called her son 致电儿子")
    expect(page.locator(".case-record-review")).to_contain_text("In progress")
    closure = page.locator(".case-record-closure")
    expect(closure).to_contain_text("Goals met")
    expect(closure).to_contain_text("Achieved")
    expect(closure).to_contain_text(CLOSURE)
    expect(closure.get_by_role("img", name="Signature of the Closure")).to_be_visible()
    # Closing: no contact or review any more, only the sign-off.
    expect(page.get_by_text("Record a contact (e.g. a case conference)")).to_have_count(0)
    shot(page, "case-closing-desk-en")

    # The printable case file, opened with the token.
    with context.expect_page() as opened:
        page.get_by_role("button", name="Print the case file").click()
    case_file = opened.value
    case_file.wait_for_load_state()
    expect(case_file.get_by_text(PROBLEMS)).to_be_visible()
    expect(case_file.get_by_text(GOAL).first).to_be_visible()
    expect(case_file.get_by_text(CLOSURE)).to_be_visible()
    case_file.close()

    sign = page.get_by_role("button", name="Sign off and archive", exact=True)
    sign.click()
    expect(
        page.get_by_role("alert").filter(has_text="Write the supervisor's note first.")
    ).to_be_visible()
    page.get_by_label("Supervisor's note").fill("Well documented 记录完整")
    sign.click()
    expect(page.get_by_role("status").filter(has_text="this case is read-only")).to_be_visible()
    expect(page.locator(".case-record-head").last).to_have_text("Supervisor's sign-off")
    expect(page.locator(".office-body form")).to_have_count(0)
    shot(page, "case-archived-desk-en")

    held = admin_call(live_server, "GET", f"/api/v1/cases/{case_id}")
    assert held["stage"] == "archived"
    assert held["archived_at"]
    refused = post_record(
        live_server,
        supervisor["username"],
        case_id,
        "contact",
        {"mode": "phone", "visit_id": None, "goal_ids": [], "summary": "late", "minutes": None},
    )
    assert refused.status_code == 409, refused.text
    assert not errors, errors


def test_supervisor_records_a_case_conference_and_a_review(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)
    case_id = case_to_closing(live_server, resident, worker, close=False)["case"]["id"]

    page.set_viewport_size(DESK)
    office_as(page, live_server, supervisor["username"])
    page.goto(f"{live_server.url}/#/cases/{case_id}")
    expect(page.get_by_role("heading", name=f"Case of {resident['name']}")).to_be_visible()
    page.get_by_text("Record a contact (e.g. a case conference)").click()
    contact = page.locator(".case-contact-form")
    contact.get_by_label("How").select_option("case_conference")
    contact.get_by_label(GOAL).check()
    contact.get_by_label("Summary").fill("Team agreed a lunch buddy 团队商定午餐伙伴")
    contact.get_by_role("button", name="Save the contact").click()
    expect(page.get_by_role("heading", name="Records (6)")).to_be_visible()
    expect(page.locator(".case-record-contact").last).to_contain_text("Case conference")

    page.get_by_text("Record a review").click()
    review = page.locator(".case-review-form")
    review.get_by_label(f"Progress of: {GOAL}").select_option("achieved")
    review.get_by_label("Summary").fill("Eats with others now 已能与人共餐")
    review.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("heading", name="Records (7)")).to_be_visible()
    expect(page.locator(".case-record-review").last).to_contain_text("Achieved")

    held = admin_call(live_server, "GET", f"/api/v1/cases/{case_id}")
    kinds = [r["kind"] for r in held["records"]]
    assert kinds.count("contact") == 2 and kinds.count("review") == 2
    conference = next(
        r
        for r in held["records"]
        if r["kind"] == "contact" and r["author"]["id"] == supervisor["id"]
    )
    assert conference["body"]["mode"] == "case_conference"
    assert conference["body"]["goal_ids"] == ["g1"]
    assert not errors, errors


def test_supervisor_opens_a_case_from_a_residents_page(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)

    page.set_viewport_size(DESK)
    office_as(page, live_server, supervisor["username"])
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_role("heading", name="Cases (0)")).to_be_visible()
    page.get_by_text("Open a case", exact=True).click()
    page.get_by_label("Source").select_option("family_request")
    page.get_by_label("Note").fill("Her daughter asked 女儿求助")
    worker_box = page.locator(".case-open-form").get_by_label("Worker")
    expect(worker_box).to_have_value(supervisor["id"])  # a supervisor opens it for themselves
    worker_box.select_option(worker["id"])
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", name=f"Case of {resident['name']}")).to_be_visible()
    expect(page.locator(".case-summary")).to_contain_text("The family asked")

    cases = admin_call(live_server, "GET", "/api/v1/cases", params={"resident_id": resident["id"]})
    assert [c["source"] for c in cases["items"]] == ["family_request"]
    assert cases["items"][0]["stage"] == "intake"
    assert cases["items"][0]["worker_id"] == worker["id"]
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_role("heading", name="Cases (1)")).to_be_visible()
    expect(page.locator(".resident-cases")).to_contain_text("Intake")
    assert not errors, errors


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_case_screens_read_right_at_a_desk_and_on_a_phone(browser, live_server, lang):
    """The board and a case's page, closing then archived, photographed at both widths."""
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)
    case_id = case_to_closing(live_server, resident, worker)["case"]["id"]
    words = {
        "zh-CN": {"user": "用户名", "password": "密码", "login": "登录"},
        "en": {"user": "Username", "password": "Password", "login": "Log in"},
    }[lang]
    pages = {}
    for width, viewport in (("desk", DESK), ("phone", PHONE)):
        context = browser.new_context(
            locale="zh-CN" if lang == "zh-CN" else "en-US",
            viewport=viewport,
            timezone_id="Asia/Shanghai",
        )
        page = context.new_page()
        pages[width] = (page, watch_console(page))
        page.goto(live_server.url)
        page.get_by_label(words["user"]).fill(supervisor["username"])
        page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=words["login"]).click()
        expect(page.locator("section.view.office")).to_be_visible()
        page.goto(f"{live_server.url}/#/cases")
        expect(page.locator(".cases-stages")).to_be_visible()
        page.locator(".filters select").first.select_option(unit["id"])
        expect(page.locator(".office-body[aria-busy='true']")).to_have_count(0)
        expect(page.get_by_role("link", name=resident["name"])).to_be_visible()
        shot(page, f"board-{width}-{lang}")
        page.goto(f"{live_server.url}/#/cases/{case_id}")
        expect(page.locator(".case-record-closure")).to_be_visible()
        expect(page.locator(".case-signoff form")).to_be_visible()
        shot(page, f"case-closing-{width}-{lang}")

    signed = post_record(
        live_server, supervisor["username"], case_id, "signoff", {"note": "记录完整"}
    )
    assert signed.status_code == 201, signed.text
    for width, (page, errors) in pages.items():
        page.reload()
        expect(page.locator(".case-archived")).to_be_visible()
        expect(page.locator(".office-body form")).to_have_count(0)
        shot(page, f"case-archived-{width}-{lang}")
        assert not errors, errors
        page.context.close()
