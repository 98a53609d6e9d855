"""Reception days and targets in a real browser, in Chinese and in English: a supervisor records
a reception day with a resident, a family member and a member of the public and sees the
office's rule met on the coverage board's strip; an admin sets the satisfaction target to 90%
with 基本满意 not counted, and the satisfaction report names that setting (and judges by it).
The targets are put back as they were at the end, for the tests that share the server."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_office_actions import own_resident, own_unit, tag
from .test_office_tasks import own_supervisor
from .test_supervisor import admin_call
from .worker import watch_console

pytestmark = pytest.mark.e2e
ZONE = ZoneInfo("Asia/Shanghai")
DESK = {"width": 1280, "height": 800}
WORDS = {
    "zh-CN": {
        "username": "用户名",
        "password": "密码",
        "login": "登录",
        "reception": "接待日",
        "new_day": "记录接待日",
        "unit": "区域",
        "record": "记录",
        "who": "来访人",
        "search": "在名册中搜索",
        "resident": "老人",
        "name": "来访人姓名",
        "relation": "与老人的关系",
        "contact": "联系方式（电话）",  # noqa: RUF001
        "request": "诉求",
        "outcome": "处理结果",
        "referred_to": "转介至",
        "add": "添加",
        "three": "共接待 3 人",
        "board": "覆盖情况",
        "met": "已达标",
        "targets": "目标",
        "target": "满意度目标（%）",  # noqa: RUF001
        "counts": "“基本满意”计为满意",
        "save": "保存目标",
        "satisfaction": "满意度",
        "named": "目标 90%，“基本满意”不计为满意。",  # noqa: RUF001
        "next_week": "下一周",
        "prev_week": "上一周",
    },
    "en": {
        "username": "Username",
        "password": "Password",
        "login": "Log in",
        "reception": "Reception",
        "new_day": "Record a reception day",
        "unit": "Unit",
        "record": "Record the day",
        "who": "Who came",
        "search": "Search the roster",
        "resident": "Resident",
        "name": "Visitor's name",
        "relation": "Relation to the resident",
        "contact": "Contact (phone)",
        "request": "What they asked",
        "outcome": "Outcome",
        "referred_to": "Referred to",
        "add": "Add",
        "three": "3 received",
        "board": "Coverage",
        "met": "Met",
        "targets": "Targets",
        "target": "Satisfaction target (%)",
        "counts": "Count 基本满意 (basically satisfied) as satisfied",
        "save": "Save the targets",
        "satisfaction": "Satisfaction",
        "named": "Target 90%, 基本满意 not counted as satisfied.",
        "next_week": "Next week",
        "prev_week": "Previous week",
    },
}


def office_page(browser, live_server, lang: str, username: str):
    words = WORDS[lang]
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-CN" else "en-US", viewport=DESK, timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.goto(live_server.url)
    page.get_by_label(words["username"]).fill(username)
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    expect(page.locator("section.view.office")).to_be_visible()
    return context, page


def settled(page) -> None:
    expect(page.locator(".office-body[aria-busy='true']")).to_have_count(0)


def add_person(page, words: dict, kind: str, fill: dict, outcome: str) -> None:
    form = page.locator("form.reception-add")
    form.get_by_label(words["who"], exact=True).select_option(kind)
    for label, value in fill.items():
        if label == "resident":
            form.get_by_label(words["search"]).fill(value["name"])
            picker = form.get_by_label(words["resident"], exact=True)
            expect(picker.locator(f"option[value='{value['id']}']")).to_have_count(1)
            picker.select_option(value["id"])
        else:
            form.get_by_label(words[label]).fill(value)
    form.get_by_label(words["request"]).fill(f"{kind}: 询问服务 asks about services")
    form.get_by_label(words["outcome"], exact=True).select_option(outcome)
    if outcome == "referred":
        form.get_by_label(words["referred_to"]).fill("街道办 street office")
    count = page.locator(".reception-person").count()
    form.get_by_role("button", name=words["add"], exact=True).click()
    expect(page.locator(".reception-person")).to_have_count(count + 1)
    settled(page)


def the_weeks_month_is_todays(page, words: dict, today: date) -> None:
    """The board's strip shows the month holding the week's Thursday: step to a week whose
    Thursday is in this month, when this week's is not (the first or last days of a month)."""
    thursday = today - timedelta(days=today.weekday()) + timedelta(days=3)
    if (thursday.year, thursday.month) > (today.year, today.month):
        page.get_by_role("button", name=words["prev_week"]).click()
    elif (thursday.year, thursday.month) < (today.year, today.month):
        page.get_by_role("button", name=words["next_week"]).click()
    settled(page)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_reception_day_with_three_people_meets_the_offices_rule(browser, live_server, lang):
    words = WORDS[lang]
    unit = own_unit(live_server)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit, name=f"E2E 接待 {tag()}")
    context, page = office_page(browser, live_server, lang, supervisor["username"])
    errors = watch_console(page)
    try:
        page.get_by_role("link", name=words["reception"], exact=True).click()
        settled(page)
        page.locator(".reception-new > summary").click()
        page.locator(".reception-new").get_by_label(words["unit"]).select_option(unit["id"])
        page.get_by_role("button", name=words["record"], exact=True).click()
        expect(page).to_have_url(re.compile(r"#/reception/[0-9a-f-]{36}$"))
        settled(page)

        add_person(page, words, "resident", {"resident": resident}, "resolved")
        add_person(page, words, "family", {"name": "王小明", "relation": "儿子 son"}, "pending")
        add_person(
            page,
            words,
            "public",
            {"name": "陈女士 Mrs Chen", "contact": "13900000000"},
            "referred",
        )
        expect(page.locator(".reception-total")).to_contain_text(words["three"])
        expect(page.locator(".reception-person").first).to_contain_text(resident["name"])

        page.get_by_role("link", name=resident["name"]).click()
        section = page.locator("section.reception-resident")
        expect(section.locator(".reception-person")).to_have_count(1)
        expect(section).to_contain_text("resident: 询问服务")

        page.get_by_role("link", name=words["board"], exact=True).click()
        settled(page)
        the_weeks_month_is_todays(page, words, datetime.now(ZONE).date())
        strip = page.locator(".office-rules-card[data-rule='reception_days']")
        expect(strip).to_contain_text(words["met"])
        expect(strip).to_contain_text("1")
        assert errors == []
    finally:
        context.close()
    day = admin_call(live_server, "GET", "/api/v1/reception-days", params={"unit_id": unit["id"]})
    mine = [item for item in day["items"] if item["unit_id"] == unit["id"]]
    assert [item["counts"]["total"] for item in mine] == [3]
    assert mine[0]["staff"] == [supervisor["id"]]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_admin_sets_the_target_and_the_report_names_it(browser, live_server, lang):
    words = WORDS[lang]
    before = admin_call(live_server, "GET", "/api/v1/targets")
    context, page = office_page(browser, live_server, lang, "admin")
    errors = watch_console(page)
    try:
        page.get_by_role("link", name=words["targets"], exact=True).click()
        settled(page)
        page.get_by_label(words["target"]).fill("90")
        page.get_by_label(words["counts"]).uncheck()
        page.get_by_role("button", name=words["save"]).click()
        settled(page)
        expect(page.locator(".targets-now")).to_have_text(words["named"])

        page.get_by_role("link", name=words["satisfaction"], exact=True).click()
        settled(page)
        expect(page.locator(".targets-setting")).to_have_text(words["named"])
        report = admin_call(live_server, "GET", "/api/v1/reports/satisfaction")
        assert report["target"] == {
            "satisfaction_target": 0.9,
            "basically_counts_as_satisfied": False,
        }
        total = report["total"]
        if total["rated"]:
            assert total["satisfied_share"] == pytest.approx(total["satisfied"] / total["rated"])
        assert errors == []
    finally:
        context.close()
        admin_call(
            live_server,
            "PUT",
            "/api/v1/targets",
            json={key: before[key] for key in before if key != "updated"},
        )
