"""Case work on the worker's phone against the real server. Offline, a worker opens a case from
a concern the last round found, records the intake and an assessment, writes a plan with two
goals that the resident signs, counts a visit for the case, records a phone contact, a review
and a closure with its evaluation and signature; back online one sync sends it all, and the
server holds every record in order with the case closing; the unit's supervisor signs it off,
the case file holds every step, and the archived case leaves the phone and refuses any new
record. Screenshots of My cases, a case, the
plan form and the closure at 390x844, in English and Chinese, go to /tmp/shots-cases/."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from .test_office_tasks import office_as, own_supervisor
from .test_tasks_phone import finish_visit, save_visit
from .worker import (
    draw_signature,
    log_in,
    outbox_rows,
    resident_button,
    wait_for_service_worker,
    wait_synced,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-cases")
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def cases_of(live_server, resident_id: str) -> list[dict]:
    return live_server.get("/api/v1/cases", "admin", resident_id=resident_id).json()["items"]


def free_residents(live_server) -> list[dict]:
    """Residents of worker1's units with a name of their own and no case yet."""
    residents = [r for r in live_server.residents("worker1") if r["status"] == "active"]
    names = [r["name"] for r in residents]
    unique = [r for r in reversed(residents) if names.count(r["name"]) == 1]
    return [r for r in unique[:12] if not cases_of(live_server, r["id"])]


@pytest.fixture
def resident(live_server):
    free = free_residents(live_server)
    assert free, "the demo data should give worker1 a resident with no case"
    return free[0]


def save_step(page, what: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved: {what}")).to_be_visible()


def step(page, name: str) -> None:
    page.get_by_role("link", name=re.compile(re.escape(name))).click()


@pytest.fixture
def supervisor(live_server, resident):
    return own_supervisor(live_server, {"id": resident["unit_id"]})


@pytest.fixture
def supervisor_desk(browser):
    """A browser of the supervisor's own, at a desk."""
    context = browser.new_context(
        timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800}
    )
    yield context
    context.close()


def test_a_case_worked_offline_from_intake_to_closure_syncs_once_in_order(
    page, live_server, resident, supervisor, supervisor_desk
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    wait_for_service_worker(page)
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker

    # A round finds an emotional concern.
    resident_button(page, resident).click()
    page.get_by_role("group", name="Emotional").get_by_role(
        "radio", name=re.compile("Concern")
    ).check()
    finish_visit(page, resident)
    save_visit(page, resident)
    [concern] = outbox_rows(page)

    # The next visit offers a case from that concern; the visit itself is given up.
    resident_button(page, resident).click()
    box = page.locator(".my-case-visit")
    box.get_by_role("button", name="Open a case").click()
    expect(box.get_by_role("radio", name="A concern found on a round")).to_be_checked()
    box.get_by_role("button", name="Open the case").click()
    expect(box).to_contain_text("1/5 Intake")
    expect(box).to_contain_text("Record the intake first")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel visit").click()
    [opened] = [r for r in outbox_rows(page) if r["type"] == "case"]

    page.get_by_role("link", name="Cases", exact=True).click()
    row = page.locator(f'a[href="#/my-case/{opened["id"]}"]')
    expect(row).to_contain_text(resident["name"])
    expect(row).to_contain_text("Intake")
    row.click()
    expect(page.get_by_role("heading", name=resident["name"])).to_be_visible()

    # Intake: the register form and consent (refused without it).
    step(page, "Record the intake")
    page.get_by_label("The problems and needs presented").fill("Low mood since her friend died")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("needs consent")
    page.get_by_label("Consent to the case work was given").check()
    save_step(page, "Intake")
    expect(page.locator(".my-case-steps [aria-current=step]")).to_have_text("Assessment")

    # Assessment: needs, the client's priority, a risk, a summary.
    step(page, "Assess the needs")
    emotional = page.locator('[data-domain="emotional"]')
    emotional.get_by_role("radio", name="Moderate").check()
    emotional.get_by_label("The client's priority").select_option("1")
    page.get_by_label("Isolation").check()
    page.get_by_label("Summary of the assessment").fill("Grieving; rarely leaves her room")
    save_step(page, "Assessment")

    # The plan: two goals, a step, a service, signed by the resident.
    step(page, "Write the plan")
    page.locator('[data-goal="1"]').get_by_label("What the goal is").fill(
        "Joins lunch twice a week"
    )
    page.get_by_role("button", name="Add a goal").click()
    page.locator('[data-goal="2"]').get_by_label("What the goal is").fill("Talks to her son weekly")
    page.get_by_role("button", name="Add a step").click()
    page.locator(".my-case-step").get_by_label("What is to be done").fill("Call the son")
    page.get_by_label("Emotional support").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Please sign")
    draw_signature(page)
    shot(page, "plan-en")
    save_step(page, "Service plan")
    expect(page.locator(".my-case-steps [aria-current=step]")).to_have_text("Intervention")
    expect(page.locator(".my-case-plan")).to_contain_text("Talks to her son weekly")

    # A visit counted for the case.
    page.get_by_role("link", name="Residents").click()
    resident_button(page, resident).click()
    page.locator(".my-case-visit").get_by_label("Count this visit for the case").check()
    page.locator(".my-case-visit").get_by_label("1. Joins lunch twice a week").check()
    finish_visit(page, resident)
    expect(page.locator(".my-case-counted")).to_be_visible()
    save_visit(page, resident)
    [counted] = [r for r in outbox_rows(page) if r["type"] == "visit" and r["id"] != concern["id"]]

    # A phone call, a review, then the closure.
    page.get_by_role("link", name="Cases", exact=True).click()
    page.locator(f'a[href="#/my-case/{opened["id"]}"]').click()
    step(page, "Record a contact")
    expect(page.get_by_role("radio", name="Phone call")).to_be_checked()
    page.get_by_label("What was done and said").fill("Rang her son; he will visit on Sunday")
    page.get_by_label("Minutes (optional)").fill("10")
    save_step(page, "Contact")
    step(page, "Review progress")
    page.get_by_role("group", name="1. Joins lunch twice a week").get_by_role(
        "radio", name="Achieved"
    ).check()
    page.get_by_label("Summary of the review").fill("Eats with others; mood better")
    save_step(page, "Review")
    step(page, "Close the case")
    page.get_by_role("group", name="2. Talks to her son weekly").get_by_role(
        "radio", name="Achieved"
    ).check()
    page.get_by_label("Summary of the case work").fill("Both goals met")
    page.get_by_role("group", name="The client's satisfaction").get_by_role(
        "radio", name="Satisfied", exact=True
    ).check()
    draw_signature(page)
    shot(page, "closure-en")
    save_step(page, "Closure")
    expect(page.locator(".my-case-steps [aria-current=step]")).to_have_text("Closing")
    history = page.locator(".my-case-history > li")
    expect(history).to_have_count(7)
    expect(history.first).to_contain_text("waiting to be sent")
    shot(page, "case-en")
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.locator(".view.my-cases")).to_contain_text(resident["name"])
    shot(page, "my-cases-en")

    # Online: one sync sends it all, a case before its records, and the server agrees.
    page.context.set_offline(False)
    wait_synced(page, timeout=30_000)
    assert outbox_rows(page) == []
    held = live_server.get(f"/api/v1/cases/{opened['id']}", "admin").json()
    assert held["stage"] == "closing"
    assert held["source"] == "round_finding"
    assert held["visit_id"].replace("-", "") == concern["id"].replace("-", "")
    kinds = [r["kind"] for r in held["records"]]
    assert kinds == ["intake", "assessment", "plan", "contact", "contact", "review", "closure"]
    plan = held["records"][2]
    assert [g["text"] for g in plan["body"]["goals"]] == [
        "Joins lunch twice a week",
        "Talks to her son weekly",
    ]
    assert plan["signed"]["signer"] == "resident"
    visit_contact, phone = held["records"][3], held["records"][4]
    assert visit_contact["body"]["mode"] == "visit"
    assert visit_contact["body"]["visit_id"].replace("-", "") == counted["id"].replace("-", "")
    assert visit_contact["body"]["goal_ids"] == [plan["body"]["goals"][0]["id"]]
    assert phone["body"]["mode"] == "phone" and phone["body"]["minutes"] == 10
    closure = held["records"][6]
    assert closure["body"]["satisfaction"] == "satisfied"
    assert [e["status"] for e in closure["body"]["evaluation"]] == ["achieved", "achieved"]
    assert closure["signed"]["signer"] == "resident"
    # The phone's copy is the server's now, still reading closing.
    page.locator(f'a[href="#/my-case/{opened["id"]}"]').click()
    expect(page.locator(".my-case-steps [aria-current=step]")).to_have_text("Closing")
    expect(page.locator(".my-case-history")).not_to_contain_text("waiting to be sent")

    # The unit's supervisor signs it off at a desk; the case file holds every step.
    desk = supervisor_desk.new_page()
    office_as(desk, live_server, supervisor["username"])
    desk.goto(f"{live_server.url}/#/cases/{opened['id']}")
    desk.get_by_label("Supervisor's note").fill("Complete and signed 记录完整")
    desk.get_by_role("button", name="Sign off and archive", exact=True).click()
    expect(desk.get_by_role("status").filter(has_text="this case is read-only")).to_be_visible()
    expect(desk.locator(".office-body form")).to_have_count(0)
    case_file = live_server.get(f"/api/v1/cases/{opened['id']}/file", "admin").text
    for written in (
        "Low mood since her friend died",
        "Grieving; rarely leaves her room",
        "Joins lunch twice a week",
        "Talks to her son weekly",
        "Call the son",
        "Rang her son; he will visit on Sunday",
        "Eats with others; mood better",
        "Both goals met",
        "Complete and signed 记录完整",
    ):
        assert written in case_file, written
    archived = live_server.get(f"/api/v1/cases/{opened['id']}", "admin").json()
    assert archived["stage"] == "archived"

    # The archived case leaves the phone at its next sync and can no longer be changed.
    page.get_by_role("button", name="Sync now").click()
    wait_synced(page, timeout=30_000)
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.locator(f'a[href="#/my-case/{opened["id"]}"]')).to_have_count(0)
    refused = requests.post(
        f"{live_server.url}/api/v1/cases/{opened['id']}/records",
        headers={"Authorization": f"Bearer {live_server.token('admin')}"},
        timeout=10,
        json={
            "id": str(uuid.uuid4()),
            "kind": "contact",
            "at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "body": {"mode": "phone", "visit_id": None, "goal_ids": [], "summary": "late"},
            "signature": None,
        },
    )
    assert refused.status_code == 409, refused.text


def test_my_cases_a_case_and_its_forms_in_chinese(page, live_server):
    """Opened from My cases at the family's request; the screens read right in Chinese."""
    free = free_residents(live_server)
    assert len(free) >= 2, "the demo data should give worker1 two residents with no case"
    resident = free[1]
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    page.evaluate("() => { location.hash = '#/settings'; }")
    page.locator("select").first.select_option("zh-CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("link", name="个案").click()
    expect(page.get_by_role("heading", name="我的个案")).to_be_visible()
    page.get_by_role("link", name="开案").click()
    page.get_by_label("查找服务对象\uff08姓名或房间\uff09").fill(resident["name"])
    page.get_by_role("button", name=re.compile("^" + re.escape(resident["name"]))).click()
    page.get_by_role("radio", name="家属求助").check()
    page.get_by_role("button", name="确认开案").click()
    expect(page.get_by_text(f"已为{resident['name']}开案")).to_be_visible()

    page.get_by_role("link", name=re.compile("接案登记")).click()
    page.get_by_label("主要问题及需求").fill("女儿反映老人近来不愿出门\uff0c情绪低落。")
    page.get_by_label("已同意接受个案服务").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已保存\uff1a接案登记")).to_be_visible()
    page.get_by_role("link", name=re.compile("需求预估")).click()
    page.locator('[data-domain="emotional"]').get_by_role("radio", name="中度").check()
    page.get_by_label("预估小结").fill("丧偶后孤独\uff0c需要精神慰藉。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".my-case-steps [aria-current=step]")).to_have_text("预估")
    shot(page, "case-zh")

    page.get_by_role("link", name=re.compile("制订介入计划")).click()
    page.get_by_label("目标内容").fill("每周参加两次集体活动")
    page.get_by_label("衡量方式").fill("活动签到")
    page.get_by_role("button", name="添加步骤").click()
    page.get_by_label("具体工作").fill("邀请参加书法小组")
    page.get_by_label("精神慰藉").check()
    page.get_by_label("小组工作").check()
    draw_signature(page)
    shot(page, "plan-zh")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已保存\uff1a介入计划")).to_be_visible()

    page.get_by_role("link", name=re.compile("^结案")).click()
    expect(page.get_by_role("group", name="结案原因")).to_be_visible()
    page.get_by_label("结案小结").fill("老人已融入集体活动。")
    page.get_by_role("radio", name="基本满意").check()
    shot(page, "closure-zh")
    page.get_by_role("link", name="取消").click()

    page.get_by_role("link", name="个案", exact=True).click()
    expect(page.locator(".my-case-list")).to_contain_text(resident["name"])
    expect(page.locator(".summary")).to_contain_text("进行中")
    shot(page, "my-cases-zh")
    wait_synced_zh(page)


def wait_synced_zh(page) -> None:
    strip = page.locator(".strip-line")
    expect(strip).to_contain_text("没有待同步的记录", timeout=30_000)
