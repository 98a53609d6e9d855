"""Supervision meetings in the office, clicked through in a real browser and checked against
the API, in Chinese and English: a supervisor records a group meeting with two workers of the
unit, a resident discussed and a follow-up task; the month's rule shows each participant's
count; the task is on the task board with its source; the resident's page lists the meeting.
Screenshots of the form, the meeting and the rule go to /tmp/shots-meetings/."""

# ruff: noqa: RUF001 (the Chinese interface writes its own full-width punctuation)

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_office_actions import own_resident, own_unit, own_worker
from .test_office_tasks import own_supervisor
from .worker import watch_console

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-meetings")
WORDS = {
    "zh-CN": {
        "user": "用户名",
        "password": "密码",
        "login": "登录",
        "nav": "督导会议",
        "title": "督导会议",
        "new": "记录会议",
        "newTitle": "记录督导会议",
        "addDiscussed": "添加讨论的长者",
        "addTask": "添加跟进任务",
        "resident": "长者",
        "note": "讨论内容",
        "task": "任务",
        "assignee": "交给",
        "save": "保存会议",
        "one": "督导会议",
        "raised": "产生的任务（1）",
        "count": "{n} / {required}",
        "tasks": "跟进任务",
        "source": "督导会议",
        "residentSection": "讨论过这位长者的督导会议（1）",
        "group": "小组督导",
        "edit": "修改会议",
        "decisions": "决定事项",
        "saveEdit": "保存修改",
        "person": "人员",
        "held": "已召开的会议（1）",
    },
    "en": {
        "user": "Username",
        "password": "Password",
        "login": "Log in",
        "nav": "Meetings",
        "title": "Supervision meetings",
        "new": "Record a meeting",
        "newTitle": "Record a supervision meeting",
        "addDiscussed": "Add a resident discussed",
        "addTask": "Add a follow-up task",
        "resident": "Resident",
        "note": "What was said",
        "task": "Task",
        "assignee": "Assign to",
        "save": "Save the meeting",
        "one": "Supervision meeting",
        "raised": "Tasks raised (1)",
        "count": "{n} of {required}",
        "tasks": "Tasks",
        "source": "Supervision meeting",
        "residentSection": "Supervision meetings that discussed them (1)",
        "group": "Group",
        "edit": "Edit the meeting",
        "decisions": "Decisions",
        "saveEdit": "Save changes",
        "person": "Person",
        "held": "Meetings held (1)",
    },
}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def settled(page) -> None:
    expect(page.locator(".office-body[aria-busy='true']")).to_have_count(0)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_supervisor_records_a_group_meeting_and_follows_it_through(browser, live_server, lang):
    words = WORDS[lang]
    unit = own_unit(live_server)
    first, second = own_worker(live_server, unit), own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)
    title = f"床边加护栏 Bed rail {resident['name'][-6:]}"
    note = "夜里起床多 Up often at night"

    context = browser.new_context(
        locale=lang if lang == "zh-CN" else "en-US",
        viewport={"width": 1280, "height": 900},
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    errors = watch_console(page)
    page.goto(live_server.url)
    page.get_by_label(words["user"]).fill(supervisor["username"])
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    expect(page.locator("section.view.office")).to_be_visible()

    page.get_by_role("link", name=words["nav"], exact=True).click()
    expect(page.get_by_role("heading", name=words["title"], exact=True)).to_be_visible()
    page.get_by_role("link", name=words["new"]).click()
    expect(page.get_by_role("heading", name=words["newTitle"])).to_be_visible()
    form = page.locator("form.meeting-form")
    expect(form.get_by_label(first["display_name"])).to_be_visible()
    form.get_by_label(first["display_name"]).check()
    form.get_by_label(second["display_name"]).check()

    form.get_by_role("button", name=words["addDiscussed"]).click()
    discussed = form.locator(".meeting-discussed-row")
    discussed.get_by_label(words["resident"], exact=True).select_option(resident["id"])
    discussed.get_by_label(words["note"]).first.fill(note)

    form.get_by_role("button", name=words["addTask"]).click()
    task_row = form.locator(".meeting-task-row")
    task_row.get_by_label(words["resident"], exact=True).select_option(resident["id"])
    task_row.get_by_label(words["task"], exact=True).fill(title)
    task_row.get_by_label(words["assignee"]).select_option(first["id"])
    shot(page, f"form-{lang}")
    form.get_by_role("button", name=words["save"]).click()

    expect(page).to_have_url(re.compile(r"#/meeting/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name=words["raised"])).to_be_visible()
    expect(page.locator(".meeting-discussed")).to_contain_text(note)
    expect(page.get_by_role("link", name=title)).to_be_visible()
    meeting_id = page.url.rsplit("/", 1)[1]
    held = live_server.get(f"/api/v1/meetings/{meeting_id}", supervisor["username"]).json()
    assert held["kind"] == "group"
    assert set(held["participants"]) == {first["id"], second["id"]}
    assert [d["resident_id"] for d in held["discussed"]] == [resident["id"]]
    [task] = held["tasks"]
    assert task["assignee"]["id"] == first["id"]
    shot(page, f"meeting-{lang}")

    decided = "夜班加巡一次 One more night round"
    page.get_by_role("button", name=words["edit"]).click()
    edit = page.locator("form.meeting-form")
    expect(edit.get_by_label(first["display_name"])).to_be_checked()
    edit.get_by_label(words["decisions"]).fill(decided)
    edit.get_by_role("button", name=words["saveEdit"]).click()
    expect(page.locator(".meeting-detail")).to_contain_text(decided)
    expect(page.get_by_role("heading", name=words["raised"])).to_be_visible()
    edited = live_server.get(f"/api/v1/meetings/{meeting_id}", supervisor["username"]).json()
    assert edited["decisions"] == decided
    assert set(edited["participants"]) == {first["id"], second["id"]}
    assert edited["discussed"] == held["discussed"]

    page.get_by_role("link", name=re.compile("(All meetings|全部会议)")).click()
    settled(page)
    page.locator(".filters select").first.select_option(unit["id"])
    settled(page)
    rule = live_server.get("/api/v1/meetings/rule", supervisor["username"], unit_id=unit["id"])
    counts = {p["user"]["id"]: p for p in rule.json()["people"]}
    for worker in (first, second):
        person = counts[worker["id"]]
        assert person["meetings"] == 1
        row = page.locator(".meeting-rule tr").filter(has_text=worker["display_name"])
        expect(row).to_contain_text(
            words["count"].format(n=person["meetings"], required=person["required"])
        )
    expect(page.locator(".meeting-list")).to_contain_text(words["group"])
    page.get_by_label(words["person"], exact=True).select_option(second["id"])
    settled(page)
    expect(page.get_by_role("heading", name=words["held"])).to_be_visible()
    shot(page, f"rule-{lang}")

    page.get_by_role("link", name=words["tasks"], exact=True).click()
    settled(page)
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_be_visible()
    expect(row).to_contain_text(words["source"])

    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    section = page.locator(".meeting-resident")
    expect(section.get_by_role("heading", name=words["residentSection"])).to_be_visible()
    expect(section).to_contain_text(note)
    section.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(f"#/meeting/{meeting_id}$"))
    assert not errors, errors
    context.close()
