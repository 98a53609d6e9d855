"""An office's staff and documents in a real browser, in Chinese and in English: the admin of a
new office adds a head and two volunteers (the rule still wants a full-time social worker),
then a full-time social worker, uploads the year's annual plan with a progress bar, and sees
the year's team rule met and the plan listed under its year."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_office_actions import tag
from .test_reception_targets import DESK, settled
from .test_supervisor import admin_call
from .worker import watch_console

pytestmark = pytest.mark.e2e
ZONE = ZoneInfo("Asia/Shanghai")
WORDS = {
    "zh-CN": {
        "username": "用户名",
        "password": "密码",
        "login": "登录",
        "nav": "工作室",
        "add_staff": "添加人员",
        "name": "姓名",
        "position": "职务",
        "qualification": "资格",
        "add": "添加",
        "upload_title": "上传资料",
        "file": "文件",
        "kind": "类别",
        "title": "标题",
        "upload": "上传",
        "met": "年的队伍符合规定",
        "not_met": "年的队伍不符合规定",
        "fulltime_missing": "✗ 专职社工",
        "plan": "已上传1份",
    },
    "en": {
        "username": "Username",
        "password": "Password",
        "login": "Log in",
        "nav": "Office",
        "add_staff": "Add a person",
        "name": "Name",
        "position": "Position",
        "qualification": "Qualification",
        "add": "Add",
        "upload_title": "Upload a document",
        "file": "File",
        "kind": "Kind",
        "title": "Title",
        "upload": "Upload",
        "met": "meets the rule",
        "not_met": "does not meet the rule",
        "fulltime_missing": "✗ Full-time social worker",
        "plan": "1 uploaded",
    },
}


def new_office_admin(city_server) -> tuple[dict, dict]:
    """A new office in the demo's first district, and its admin (password the demo's)."""
    seen = admin_call(city_server, "GET", "/api/v1/organisations")
    district = next(o for o in seen if o["kind"] == "district")
    office = admin_call(
        city_server,
        "POST",
        "/api/v1/organisations",
        json={"kind": "office", "name": f"E2E 工作室 {tag()}", "parent_id": district["id"]},
    )
    admin = admin_call(
        city_server,
        "POST",
        "/api/v1/users",
        json={
            "username": f"e2e_oa_{tag()}",
            "display_name": "E2E 主任",
            "role": "admin",
            "password": DEMO_PASSWORD,
            "organisation_id": office["id"],
            "unit_ids": [],
        },
    )
    return office, admin


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, "PDF")
    return buffer.getvalue()


def add_person(page, words: dict, name: str, position: str, qualification: str = "") -> None:
    form = page.locator(".office-facts-add")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_label(words["name"], exact=True).fill(name)
    form.get_by_label(words["position"], exact=True).select_option(position)
    if qualification:
        form.get_by_label(words["qualification"], exact=True).fill(qualification)
    rows = page.locator(".office-facts-staff tbody tr").count()
    form.get_by_role("button", name=words["add"], exact=True).click()
    expect(page.locator(".office-facts-staff tbody tr")).to_have_count(rows + 1)
    settled(page)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_office_admin_builds_the_team_and_uploads_the_plan(browser, city_server, lang):
    words = WORDS[lang]
    office, admin = new_office_admin(city_server)
    year = datetime.now(ZONE).year
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-CN" else "en-US", viewport=DESK, timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    errors = watch_console(page)
    try:
        page.goto(city_server.url)
        page.get_by_label(words["username"]).fill(admin["username"])
        page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=words["login"]).click()
        expect(page.locator("section.view.office")).to_be_visible()
        page.get_by_role("link", name=words["nav"], exact=True).click()
        settled(page)
        expect(page.locator(".office-facts-verdict")).to_contain_text(words["not_met"])

        add_person(page, words, "王芳", "head", "社会工作者职业水平证书 中级")
        add_person(page, words, "志愿者甲", "volunteer")
        add_person(page, words, "志愿者乙", "volunteer")
        expect(page.locator(".office-facts-verdict")).to_contain_text(words["not_met"])
        expect(page.locator(".office-facts-check.not")).to_contain_text(
            words["fulltime_missing"].removeprefix("✗ ")
        )
        add_person(page, words, "李强", "fulltime")
        expect(page.locator(".office-facts-verdict")).to_contain_text(words["met"])
        expect(page.locator(".office-facts-check.not")).to_have_count(0)

        upload = page.locator(".office-facts-upload")
        upload.locator("summary").click()
        upload.get_by_label(words["file"]).set_input_files(
            files=[{"name": "年度计划.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
        )
        upload.get_by_label(words["kind"]).select_option("annual_plan")
        upload.get_by_label(words["title"]).fill(f"{year} 年度工作计划")
        upload.get_by_role("button", name=words["upload"], exact=True).click()
        expect(page.locator(".office-facts-kind-annual_plan .office-facts-document")).to_have_count(
            1
        )
        settled(page)
        expect(page.locator(".office-facts-year-facts")).to_contain_text(words["plan"])
        expect(page.locator(".office-facts-plans")).to_contain_text(f"{year} 年度工作计划")

        with page.expect_popup() as opened:
            page.locator(".office-facts-print button").click()
        wall = opened.value
        expect(wall.locator("tr.person")).to_have_count(4)
        expect(wall.locator("h1")).to_contain_text("社会工作者简介")
        # The page opens from a blob: its stylesheet is still found and applied.
        wall.wait_for_function("document.styleSheets.length === 1")
        assert wall.evaluate("getComputedStyle(document.querySelector('h1')).textAlign") == (
            "center"
        )
        assert errors == []
    finally:
        context.close()
    facts = admin_call(city_server, "GET", f"/api/v1/offices/{office['id']}/facts")
    assert facts["team"]["rule"]["met"] is True
    assert [d["file_name"] for d in facts["plan"]["annual_plans"]] == ["年度计划.pdf"]
