"""The server's reasons for refusing a form, in the user's language next to the field they are
about; required fields marked; and the roster's storage notice one line on a phone.

Screenshots of each screen, in Chinese and English, at a desk's and a phone's size, go to
/tmp/shots-form-errors."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .worker import log_in, log_in_chinese, meta_value, watch_console

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-form-errors")
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WORDS = {
    "zh-CN": {
        "username": "用户名",
        "password": "密码",
        "login": "登录",
        "display_name": "姓名",
        "save": "保存",
        "length": "长度须在 1 到 120 个字符之间。",
        "summary": "有些内容需要修改，请查看标出的字段。",  # noqa: RUF001
        "legend": "标 * 的为必填项。",
        "understood": "知道了",
    },
    "en": {
        "username": "Username",
        "password": "Password",
        "login": "Log in",
        "display_name": "Name",
        "save": "Save",
        "length": "Must be 1 to 120 characters long.",
        "summary": "Some fields need a change: see the marked fields.",
        "legend": "Fields marked * must be filled in.",
        "understood": "OK, got it",
    },
}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def new_staff_form(browser, live_server, lang: str, viewport: dict):
    words = WORDS[lang]
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-CN" else "en-US",
        viewport=viewport,
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    page.goto(live_server.url)
    page.get_by_label(words["username"]).fill("admin")
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    expect(page.locator("section.view.office")).to_be_visible()
    page.evaluate("() => { location.hash = '#/admin/staff/new'; }")
    expect(page.get_by_label(words["display_name"], exact=True)).to_be_visible()
    return context, page


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("size", ["desk", "phone"])
def test_a_refused_display_name_is_told_next_to_it_in_the_users_language(
    browser, live_server, lang, size
):
    words = WORDS[lang]
    context, page = new_staff_form(browser, live_server, lang, DESK if size == "desk" else PHONE)
    errors = watch_console(page)
    username = f"e2e_fe_{uuid.uuid4().hex[:6]}"

    # Required fields: a visible mark, the legend that explains it, and the attribute.
    expect(page.get_by_text(words["legend"])).to_be_visible()
    for label in (words["username"], words["display_name"], words["password"]):
        control = page.get_by_label(label, exact=True)
        expect(control).to_have_attribute("required", "")
        mark = page.evaluate(
            "(id) => getComputedStyle(document.querySelector(`label[for='${id}']`), '::after')"
            ".content",
            control.get_attribute("id"),
        )
        assert "*" in mark
    expect(page.get_by_label("电话" if lang == "zh-CN" else "Phone")).not_to_have_attribute(
        "required", ""
    )

    page.get_by_label(words["username"], exact=True).fill(username)
    page.get_by_label(words["password"], exact=True).fill("a long unguessable pass 927")
    for name in ("", "长" * 121):
        display_name = page.get_by_label(words["display_name"], exact=True)
        display_name.fill(name)
        with page.expect_response(lambda r: r.url.endswith("/api/v1/users")) as answer:
            page.get_by_role("button", name=words["save"]).click()
        assert answer.value.status == 422
        # The first refused field has the focus (it was on the button clicked).
        expect(display_name).to_be_focused()
        expect(display_name).to_have_attribute("aria-invalid", "true")
        error_id = display_name.get_attribute("aria-describedby").split()[-1]
        message = page.locator(f"#{error_id}")
        expect(message).to_have_text(f"⚠ {words['length']}")
        # Next to its field: just under the input, inside the same field.
        assert page.evaluate(
            "(id) => document.getElementById(id).previousElementSibling === document.activeElement",
            error_id,
        )
        expect(page.get_by_role("alert").filter(has_text=words["summary"])).to_be_visible()
        assert "Some fields are missing" not in page.inner_text("body")
        if lang == "zh-CN":
            assert "Length must be" not in page.inner_text("body")
    shot(page, f"staff-form-errors-{lang}-{size}")

    # Corrected, the form saves and the marks go with it.
    page.get_by_label(words["display_name"], exact=True).fill("E2E 表单")
    page.get_by_role("button", name=words["save"]).click()
    expect(page).to_have_url(re.compile(r"#/admin/staff$"))
    users = live_server.get("/api/v1/users").json()
    assert [u["display_name"] for u in users if u["username"] == username] == ["E2E 表单"]
    # The browser logs each refused request; nothing else went wrong on the page.
    assert [m for m in errors if "422" not in m] == []
    context.close()


def put_meta(page, key: str, value) -> None:
    page.evaluate(
        """([key, value]) => new Promise((resolve, reject) => {
            const open = indexedDB.open('rounds');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction('meta', 'readwrite');
              tx.objectStore('meta').put({ key, value });
              tx.oncomplete = () => { db.close(); resolve(); };
              tx.onerror = () => reject(tx.error);
            };
          })""",
        [key, value],
    )


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_storage_notice_is_one_dismissible_line_on_a_phone(browser, live_server, lang):
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-CN" else "en-US",
        viewport=PHONE,
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    (log_in_chinese if lang == "zh-CN" else log_in)(page, live_server.url)
    put_meta(page, "storage", "denied")
    page.reload()
    notice = page.locator(".notice.warn")
    expect(notice).to_be_visible()
    text = notice.locator("p")
    shot(page, f"roster-storage-notice-{lang}-phone")
    lines = page.evaluate(
        "(el) => Math.round(el.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(el).lineHeight))",
        text.element_handle(),
    )
    assert lines == 1
    close = notice.get_by_role("button", name=WORDS[lang]["understood"])
    text_box, close_box = text.bounding_box(), close.bounding_box()
    assert close_box["x"] >= text_box["x"] + text_box["width"] - 1  # on the same line, after it
    assert close_box["x"] + close_box["width"] <= PHONE["width"]
    assert close_box["height"] >= 44  # a finger's tap
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    close.click()
    expect(notice).to_have_count(0)
    for _ in range(50):  # the choice is written to IndexedDB in the background
        if "storage.denied" in (meta_value(page, "dismissed") or []):
            break
        page.wait_for_timeout(100)
    page.reload()
    expect(page.locator(".hints")).to_be_attached()
    expect(page.locator(".notice.warn")).to_have_count(0)
    context.close()


def test_a_rule_and_a_resident_are_refused_in_chinese_next_to_their_fields(browser, live_server):
    context, page = new_staff_form(browser, live_server, "zh-CN", PHONE)
    policies = live_server.get("/api/v1/coverage/policies").json()

    # A week has 7 days: the default rule's days are refused next to them, nothing saved.
    page.evaluate("() => { location.hash = '#/admin/policies'; }")
    days = page.get_by_label("要求天数", exact=True).first
    expect(days).to_have_attribute("required", "")
    days.fill("8")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/coverage/policies")) as answer:
        page.get_by_role("button", name="保存").click()
    assert answer.value.status == 422
    expect(days).to_be_focused()
    error_id = days.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_have_text("⚠ 须在 0 到 7 之间。")
    shot(page, "policies-form-errors-zh-CN-phone")
    assert live_server.get("/api/v1/coverage/policies").json() == policies

    # A resident without a name is stopped before the server, the same way.
    page.evaluate("() => { location.hash = '#/admin/residents/new'; }")
    name = page.get_by_label("姓名", exact=True)
    expect(name).to_have_attribute("required", "")
    page.get_by_role("button", name="保存").click()
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    error_id = name.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_have_text("⚠ 此项必填。")
    context.close()
