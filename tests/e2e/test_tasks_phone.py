"""Follow-up tasks on the worker's phone against the real server: a concern recorded offline
raises a task once synced, the task is in My tasks, and on the next visit, offline again, it is
closed as done during that visit; the server then holds it done with that visit's id.
Screenshots of My tasks and the task screen at 390x844, in English and Chinese, go to
/tmp/shots-tasks/."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_office_tasks import ZONE, office_as, own_supervisor
from .worker import (
    draw_signature,
    log_in,
    outbox_rows,
    resident_button,
    wait_for_service_worker,
    wait_synced,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-tasks")
PHONE = {"width": 390, "height": 844}

TASKS = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('tasks').objectStore('tasks').getAll();
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
    };
  })"""


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def stored_task(live_server, task_id: str) -> dict:
    """The task as the server holds it, with its events (the office API)."""
    return live_server.get(f"/api/v1/tasks/{task_id}", "admin").json()


def closed_visit_id(live_server, task_id: str) -> str | None:
    """The visit the server recorded the task closed in (a column the API does not show)."""
    path = live_server.env["ROUNDS_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT closed_visit_id FROM tasks WHERE replace(id, '-', '') = ?",
            (task_id.replace("-", ""),),
        ).fetchone()
    return row[0] if row else None


def finish_visit(page, resident: dict) -> None:
    """From the open visit form to "Saved", with a drawn signature."""
    page.get_by_label("Service given").fill("Checked on the cough")
    page.get_by_role("button", name="Hand the phone to the resident").click()
    page.get_by_role("button", name="Satisfied", exact=True).click()
    draw_signature(page)
    page.get_by_role("button", name="Done — give the phone back").click()
    expect(page.get_by_role("heading", name="Check and save")).to_be_visible()


def save_visit(page, resident: dict) -> None:
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Saved: visit to {resident['name']}")).to_be_visible()


def open_tasks_of(live_server, resident_id: str) -> list[dict]:
    return live_server.get(
        "/api/v1/tasks", "admin", resident_id=resident_id, status=["open", "in_progress"]
    ).json()["items"]


@pytest.fixture
def resident(live_server):
    """A resident of worker1's units with a name of their own, and no open task yet."""
    residents = [r for r in live_server.residents("worker1") if r["status"] == "active"]
    names = [r["name"] for r in residents]
    unique = [r for r in reversed(residents) if names.count(r["name"]) == 1]
    free = next((r for r in unique if not open_tasks_of(live_server, r["id"])), None)
    assert free, "the demo data should give worker1 a resident with no open task"
    return free


def closed_in_report(live_server, unit_id: str) -> int:
    """How many tasks of the unit the time-to-close report counts closed today."""
    today = datetime.now(ZONE).date().isoformat()  # the server's local day
    report = live_server.get(
        "/api/v1/reports/tasks", "admin", unit_id=unit_id, **{"from": today, "to": today}
    ).json()
    return report["total"]["closed"]


@pytest.fixture
def supervisor_page(browser, live_server, resident):
    """A supervisor of the resident's unit at a desk, in a browser of their own."""
    supervisor = own_supervisor(live_server, {"id": resident["unit_id"]})
    context = browser.new_context(
        timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800}
    )
    desk = context.new_page()
    office_as(desk, live_server, supervisor["username"])
    yield desk
    context.close()


def on_the_board(desk, live_server, task_id: str) -> None:
    desk.goto(f"{live_server.url}/#/tasks/{task_id}")


def test_a_concern_found_offline_is_closed_on_the_next_visit(
    page, live_server, resident, supervisor_page
):
    closed_before = closed_in_report(live_server, resident["unit_id"])
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    wait_for_service_worker(page)

    # Offline: a visit that finds a physical concern.
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    resident_button(page, resident).click()
    expect(page.get_by_role("heading", name="Last visit")).to_be_visible()
    page.get_by_role("group", name="Physical").get_by_role(
        "radio", name=re.compile("Concern")
    ).check()
    finish_visit(page, resident)
    save_visit(page, resident)
    [first] = outbox_rows(page)

    # Online: the sync raises the task on the server and brings it back to the phone.
    page.context.set_offline(False)
    wait_synced(page, timeout=30_000)
    raised = [t for t in page.evaluate(TASKS) if t["visit_id"] == first["id"]]
    assert len(raised) == 1, raised
    task = raised[0]
    assert task["resident_id"] == resident["id"] and task["source"] == "finding"

    page.get_by_role("link", name=re.compile(r"^Tasks\b")).click()
    row = page.locator(f'a[href="#/my-task/{task["id"]}"]')
    expect(row).to_contain_text(resident["name"])
    expect(row).to_contain_text("Physical condition")
    expect(row).to_contain_text("Soon")
    shot(page, "my-tasks-en")
    row.click()
    expect(page.get_by_role("heading", name=task["title"])).to_be_visible()
    expect(
        page.get_by_text(re.compile("Raised from the visit of .*physical condition"))
    ).to_be_visible()
    shot(page, "task-en")

    # The supervisor's board lists it, open, with the worker holding it.
    supervisor_page.get_by_role("link", name="Tasks", exact=True).click()
    expect(supervisor_page.get_by_role("link", name=task["title"]).first).to_be_visible()
    on_the_board(supervisor_page, live_server, task["id"])
    expect(supervisor_page.get_by_role("heading", name=task["title"])).to_be_visible()
    expect(supervisor_page.locator(".summary-list")).to_contain_text("Open")

    # Offline again, the next visit closes it as done during that visit.
    page.context.set_offline(True)
    page.get_by_role("link", name="Residents").click()
    resident_button(page, resident).click()
    card = page.locator(f'li[data-task="{task["id"]}"]')
    card.get_by_role("button", name=re.compile("^Done during this visit")).click()
    card.get_by_role("button", name="Close the task").click()
    expect(card.get_by_role("alert")).to_contain_text("the outcome is required")
    card.get_by_label("Outcome").fill("Saw the doctor; the cough is better")
    card.get_by_role("button", name="Close the task").click()
    expect(card).to_contain_text("Done during this visit: Saw the doctor; the cough is better")
    shot(page, "visit-close-en")
    finish_visit(page, resident)
    expect(page.locator(".visit-tasks-summary")).to_contain_text("Saw the doctor")
    save_visit(page, resident)
    second = next(r for r in outbox_rows(page) if r["type"] == "visit")
    assert {r["type"] for r in outbox_rows(page)} == {"visit", "task_event"}

    # My tasks no longer lists it, before the server has heard of the close.
    page.get_by_role("link", name=re.compile(r"^Tasks\b")).click()
    expect(page.locator(".summary")).to_be_visible()
    expect(page.locator(f'a[href="#/my-task/{task["id"]}"]')).to_have_count(0)

    page.context.set_offline(False)
    wait_synced(page, timeout=30_000)
    assert outbox_rows(page) == []
    held = stored_task(live_server, task["id"])
    assert held["status"] == "done"
    assert held["outcome"] == "Saw the doctor; the cough is better"
    [close] = [e for e in held["events"] if e["kind"] == "closed"]
    assert close["visit_id"] == second["id"]
    assert close["changes"]["outcome"] == "Saw the doctor; the cough is better"
    assert closed_visit_id(live_server, task["id"]).replace("-", "") == second["id"].replace(
        "-", ""
    )
    assert task["id"] not in {t["id"] for t in page.evaluate(TASKS)}

    # The board shows it done with its outcome, and the time to close counts it.
    on_the_board(supervisor_page, live_server, task["id"])
    supervisor_page.reload()
    expect(supervisor_page.locator(".summary-list")).to_contain_text("Done")
    expect(supervisor_page.locator(".task-history")).to_contain_text(
        "Saw the doctor; the cough is better"
    )
    assert closed_in_report(live_server, resident["unit_id"]) == closed_before + 1


def test_my_tasks_and_a_task_in_chinese(page, live_server, resident):
    """The list, the task screen and the visit form read right in Chinese (screenshots)."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    resident_button(page, resident).click()
    page.get_by_role("group", name="Emotional").get_by_role(
        "radio", name=re.compile("Concern")
    ).check()
    finish_visit(page, resident)
    save_visit(page, resident)
    wait_synced(page)

    page.evaluate("() => { location.hash = '#/settings'; }")
    page.locator("select").first.select_option("zh-CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("link", name="我的任务").click()
    expect(page.get_by_role("heading", name="我的跟进任务")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text(re.compile(r"未办结 [1-9]\d* 项"))
    row = page.locator("a.task-row", has_text=resident["name"])
    expect(row).to_contain_text("尽快")
    shot(page, "my-tasks-zh")
    row.click()
    expect(page.get_by_role("heading", name="本机记录的经过")).to_be_visible()
    expect(page.get_by_text(re.compile("由.*的巡视发现\\uff1a情绪状况有问题"))).to_be_visible()
    expect(page.get_by_role("button", name="办结任务")).to_be_visible()
    shot(page, "task-zh")

    page.get_by_role("link", name="服务对象").click()
    resident_button(page, resident).click()
    expect(page.get_by_role("heading", name="上次巡视")).to_be_visible()
    page.get_by_role("button", name="新建跟进任务").click()
    page.get_by_role("button", name="需要联系家属").click()
    expect(page.get_by_label("需要做什么")).to_have_value("需要联系家属")
    page.get_by_role("radio", name="紧急").check()
    shot(page, "raise-form-zh")
    page.get_by_role("button", name="添加任务").click()
    expect(page.get_by_role("heading", name="本次巡视新建的任务")).to_be_visible()
    shot(page, "visit-tasks-zh")
