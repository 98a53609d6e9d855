"""A yearly coverage rule in the office, in a real browser, in English and in Chinese: an admin
gives a resident their own rule of 6 visits a year on the resident's page; with the refresh
run as of a day in the autumn (`rounds coverage refresh --at`) when the resident has been
visited on two days, the board of the year shows them at risk, while the year is not yet lost.

The server runs on a copy of the demo database with a check-in horizon that takes visits of
the whole year (a phone syncing a year's visits at once), so the visits can lie in the autumn's
year whatever the day the test runs."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from tests.visitdata import sync_body, visit_payload

from .conftest import DEMO_PASSWORD, ROOT, ROUNDS, LiveServer, free_port, start_server
from .test_office_actions import own_resident, own_unit, own_worker
from .test_supervisor import admin_call
from .worker import watch_console

pytestmark = pytest.mark.e2e
ZONE = ZoneInfo("Asia/Shanghai")

WORDS = {
    "en": {
        "username": "Username",
        "password": "Password",
        "login": "Log in",
        "section": "Coverage rule",
        "per": "Per",
        "required": "Days required",
        "save": "Save their own rule",
        "own": "Their own rule: 6 a year",
        "rules": "Rules",
        "board": "Coverage",
        "year": "Year {year}",
        "residents": re.compile(r"^Residents"),
        "at_risk": "At risk",
        "count": "2 of 6",
    },
    "zh-CN": {
        "username": "用户名",
        "password": "密码",
        "login": "登录",
        "section": "巡视规则",
        "per": "周期",
        "required": "要求天数",
        "save": "保存专属规则",
        "own": "专属规则：每年 6 次",  # noqa: RUF001
        "rules": "规则",
        "board": "覆盖情况",
        "year": "{year} 年",
        "residents": re.compile(r"^服务对象"),
        "at_risk": "有风险",
        "count": "2 / 6",
    },
}


def autumn_day() -> date:
    """The 1st of October of this year, or of last year before this year's has come."""
    today = datetime.now(ZONE).date()
    autumn = date(today.year, 10, 1)
    return autumn if autumn < today else date(today.year - 1, 10, 1)


@pytest.fixture(scope="module")
def year_server(live_server, tmp_path_factory):
    """The demo institution on a copy of the live server's database, taking check-ins up to
    800 days old."""
    workdir = tmp_path_factory.mktemp("e2e-year")
    source = live_server.env["ROUNDS_DATABASE_URL"].removeprefix("sqlite:///")
    target = workdir / "rounds.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    env = {
        **live_server.env,
        "ROUNDS_DATABASE_URL": f"sqlite:///{target}",
        "ROUNDS_INSTANCE_DIR": str(workdir / "instance"),
        "ROUNDS_CHECK_IN_HORIZON_DAYS": "800",
    }
    port = free_port()
    process, log = start_server(workdir, port, env)
    yield LiveServer(f"http://127.0.0.1:{port}", port, env, process, log)
    process.terminate()
    process.wait(timeout=10)


def sync_visits(server: LiveServer, worker: dict, resident: dict, days: list[date]) -> None:
    """The worker's phone syncs visits made at 10:00 on these days."""
    visits = [
        visit_payload(
            resident,
            when=datetime(d.year, d.month, d.day, 10, tzinfo=ZONE),
            identified_by="manual",
            qr_token=None,
        )
        for d in days
    ]
    answer = requests.post(
        f"{server.url}/api/v1/sync",
        headers={"Authorization": f"Bearer {server.token(worker['username'])}"},
        json=sync_body(visits),
        timeout=20,
    )
    answer.raise_for_status()
    assert [r["status"] for r in answer.json()["results"]] == ["created"] * len(days)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_an_admin_sets_six_a_year_and_the_board_shows_the_resident_at_risk_in_the_autumn(
    browser, year_server, lang
):
    words = WORDS[lang]
    autumn = autumn_day()
    unit = own_unit(year_server)
    worker = own_worker(year_server, unit)
    resident = own_resident(year_server, unit, admitted_on=f"{autumn.year - 1}-03-01")
    sync_visits(year_server, worker, resident, [date(autumn.year, 2, 10), date(autumn.year, 4, 14)])

    context = browser.new_context(
        locale="zh-CN" if lang == "zh-CN" else "en-US",
        viewport={"width": 1280, "height": 900},
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    errors = watch_console(page)
    page.goto(year_server.url)
    page.get_by_label(words["username"]).fill("admin")
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    expect(page.locator("section.view.office")).to_be_visible()

    # The resident's page: their own rule, 6 a year.
    page.evaluate(f"() => {{ location.hash = '#/resident/{resident['id']}'; }}")
    section = page.get_by_role("region", name=words["section"])
    expect(section).to_be_visible()
    section.get_by_label(words["per"]).select_option("year")
    section.get_by_label(words["required"]).fill("6")
    section.get_by_role("button", name=words["save"]).click()
    expect(section).to_contain_text(words["own"])
    policies = admin_call(year_server, "GET", "/api/v1/coverage/policies")
    assert {"resident_id": resident["id"], "required": 6, "period": "year"} in policies["residents"]

    # The refresh as of the autumn day: two days visited where the year's pace asks for five.
    at = datetime(autumn.year, 10, 1, 9, tzinfo=ZONE)
    done = subprocess.run(
        [str(ROUNDS), "coverage", "refresh", "--at", at.isoformat()],
        env=year_server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    # The board of the year (the board's own year is this one: step back to the autumn's).
    page.get_by_role("link", name=words["board"], exact=True).click()
    page.get_by_label(words["rules"], exact=True).select_option("year")
    if autumn.year != datetime.now(ZONE).year:
        page.locator(".cover-year-picker button").first.click()
    expect(page.locator(".week-label")).to_have_text(words["year"].format(year=autumn.year))
    row = (
        page.get_by_role("table", name=words["residents"])
        .locator("tbody tr")
        .filter(has_text=resident["name"])
    )
    expect(row).to_contain_text(words["at_risk"])
    expect(row).to_contain_text(words["count"])

    # At risk, not yet lost: 92 days left for 4 visits.
    board = admin_call(
        year_server, "GET", f"/api/v1/coverage?year={autumn.year}&unit_id={unit['id']}"
    )
    assert [(r["status"], r["days_visited"], r["required"]) for r in board["residents"]] == [
        ("at_risk", 2, 6)
    ]
    assert not errors, errors
    context.close()
