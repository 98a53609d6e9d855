"""Follow-up tasks in the office, clicked through in a real browser and checked against the API:
a supervisor finds a task raised through the API on the unit's board, is told an outcome is
needed, closes it with one and reads the close in its history; the switch for urgent tasks'
notifications subscribes this browser and unsubscribes it; the service worker shows a pushed
message as a notification; an overdue alert links to its task; an admin sets a task rule; a
supervisor raises a task from a resident's page.

Headless Chromium has no push service to subscribe with, so the subscription test stands in
for `pushManager.subscribe` (the page gets a subscription of the shape browsers give, and the
test checks the key it was asked for); the server's side of it is real. The notification test
delivers a push message to the real service worker through the DevTools protocol
(`ServiceWorker.deliverPushMessage`)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from server.tasks.push import generate_keys

from .conftest import DEMO_PASSWORD, ROOT, ROUNDS, LiveServer, free_port, start_server
from .test_office_actions import admin_call, own_resident, own_unit, own_worker, tag
from .test_supervisor import log_in_office
from .worker import wait_for_service_worker, watch_console

pytestmark = pytest.mark.e2e
ZONE = ZoneInfo("Asia/Shanghai")


def own_supervisor(live_server, unit: dict) -> dict:
    return admin_call(
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


def raise_task(live_server, resident: dict, assignee: dict, title: str, **extra) -> dict:
    """A task as an office raises it through the API, due yesterday (so it is overdue)."""
    return admin_call(
        live_server,
        "POST",
        "/api/v1/tasks",
        json={
            "id": str(uuid.uuid4()),
            "resident_id": resident["id"],
            "title": title,
            "details": "Asked for her son to call 想和儿子通电话",
            "priority": "soon",
            "due_on": (date.today() - timedelta(days=1)).isoformat(),
            "assignee_id": assignee["id"],
            "visit_id": None,
            "created_at": datetime.now(ZONE).replace(microsecond=0).isoformat(),
            **extra,
        },
    )


def office_as(page, live_server, username: str) -> None:
    log_in_office(page, live_server.url, username)
    expect(page.get_by_role("heading", name="Coverage this week")).to_be_visible()


def test_supervisor_closes_a_task_from_the_board_with_an_outcome(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)
    title = f"Call the son {tag()}"
    task = raise_task(live_server, resident, worker, title)

    page.set_viewport_size({"width": 1280, "height": 800})  # at a desk: the list is a table
    office_as(page, live_server, supervisor["username"])
    page.get_by_role("link", name="Tasks", exact=True).click()
    expect(page.get_by_role("heading", name="Follow-up tasks")).to_be_visible()
    expect(page.get_by_role("button", name="Overdue: 1. Show them")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(resident["name"])
    expect(row).to_contain_text("overdue")
    expect(row).to_contain_text(worker["display_name"])
    row.get_by_role("link", name=title).click()

    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("heading", name="History (1)")).to_be_visible()
    close = page.get_by_role("button", name="Close the task")
    close.click()
    expect(page.get_by_role("alert").filter(has_text="Write the outcome first")).to_be_visible()

    outcome = "Called; the son visits on Sunday 周日来探望"
    page.get_by_label("What was done").fill(outcome)
    close.click()
    expect(page.get_by_role("heading", name="History (2)")).to_be_visible()
    history = page.locator(".task-history")
    expect(history.locator("li").last).to_contain_text("Closed")
    expect(history.locator("li").last).to_contain_text(f"Outcome: {outcome}")
    expect(page.locator(".summary-list")).to_contain_text("Done")
    expect(page.get_by_role("button", name="Close the task")).to_have_count(0)

    held = live_server.get(f"/api/v1/tasks/{task['id']}").json()
    assert held["status"] == "done"
    assert held["outcome"] == outcome
    assert [e["kind"] for e in held["events"]] == ["created", "closed"]
    assert held["events"][-1]["actor"]["id"] == supervisor["id"]

    # Back on the board the open list no longer holds it; the closed one does.
    page.get_by_role("link", name="All tasks").click()
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    page.get_by_label("Show", exact=True).select_option("done")
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("Done")
    assert not errors, errors


@pytest.fixture(scope="module")
def push_server(live_server, tmp_path_factory):
    """The demo institution again, with Web Push set up: a copy of the live server's database
    on its own port, with a VAPID key pair of its own."""
    workdir = tmp_path_factory.mktemp("e2e-push")
    source = live_server.env["ROUNDS_DATABASE_URL"].removeprefix("sqlite:///")
    target = workdir / "rounds.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    private, public = generate_keys()
    env = {
        **live_server.env,
        "ROUNDS_DATABASE_URL": f"sqlite:///{target}",
        "ROUNDS_INSTANCE_DIR": str(workdir / "instance"),
        "ROUNDS_VAPID_PRIVATE_KEY": private,
        "ROUNDS_VAPID_SUBJECT": "mailto:e2e@example.org",
    }
    port = free_port()
    process, log = start_server(workdir, port, env)
    server = LiveServer(f"http://127.0.0.1:{port}", port, env, process, log)
    server.public_key = public
    server.db_path = target
    yield server
    process.terminate()
    process.wait(timeout=10)


# Stands in for the push service the browser would ask: records the key it was asked for and
# gives a subscription of the shape browsers give.
FAKE_PUSH = """
(() => {
  const keys = {
    p256dh:
      'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
    auth: 'tBHItJI5svbpez7KI4CCXg',
  };
  let current = null;
  const make = (endpoint) => ({
    endpoint,
    expirationTime: null,
    toJSON: () => ({ endpoint, expirationTime: null, keys }),
    unsubscribe: async () => { current = null; window.__push.unsubscribed += 1; return true; },
  });
  window.__push = { asked: [], unsubscribed: 0 };
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.__push.asked.push({ userVisibleOnly: options.userVisibleOnly, key: Array.from(key) });
    current = make('https://push.example.org/e2e/' + Math.random().toString(36).slice(2));
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


def b64url_bytes(text: str) -> list[int]:
    import base64

    return list(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def subscriptions(server, user_id: str) -> list[str]:
    with sqlite3.connect(server.db_path) as db:
        rows = db.execute(
            "SELECT endpoint FROM push_subscriptions WHERE user_id = ?",
            (uuid.UUID(user_id).hex,),
        ).fetchall()
    return [r[0] for r in rows]


def test_the_urgent_tasks_switch_subscribes_and_unsubscribes_this_browser(
    browser, browser_context_args, push_server
):
    context = browser.new_context(**browser_context_args)
    context.grant_permissions(["notifications"], origin=push_server.url)
    context.add_init_script(FAKE_PUSH)
    page = context.new_page()
    errors = watch_console(page)
    unit = own_unit(push_server)
    supervisor = own_supervisor(push_server, unit)

    office_as(page, push_server, supervisor["username"])
    wait_for_service_worker(page)
    page.get_by_role("link", name="Alerts").click()
    switch = page.get_by_role("switch", name="Notify me of urgent tasks")
    expect(switch).not_to_be_checked()
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/push/subscriptions") and r.request.method == "POST"
    ) as posted:
        switch.check()
    assert posted.value.status == 201
    expect(switch).to_be_checked()
    expect(page.get_by_text("This browser shows a notification")).to_be_visible()

    asked = page.evaluate("window.__push.asked")
    assert asked == [{"userVisibleOnly": True, "key": b64url_bytes(push_server.public_key)}]
    body = json.loads(posted.value.request.post_data)
    assert set(body) == {"endpoint", "keys"} and set(body["keys"]) == {"p256dh", "auth"}
    assert subscriptions(push_server, supervisor["id"]) == [body["endpoint"]]

    with page.expect_response(
        lambda r: "/api/v1/push/subscriptions?endpoint=" in r.url and r.request.method == "DELETE"
    ) as deleted:
        switch.uncheck()
    assert deleted.value.status == 204
    expect(switch).not_to_be_checked()
    assert page.evaluate("window.__push.unsubscribed") == 1
    assert subscriptions(push_server, supervisor["id"]) == []
    assert not errors, errors
    context.close()


def test_the_switch_is_hidden_when_the_server_has_no_push_key(page, live_server):
    unit = own_unit(live_server)
    supervisor = own_supervisor(live_server, unit)
    office_as(page, live_server, supervisor["username"])
    wait_for_service_worker(page)
    with page.expect_response(re.compile(r"/api/v1/push/key$")) as key:
        page.get_by_role("link", name="Alerts").click()
    assert key.value.status == 200
    assert key.value.json() == {"public_key": None}
    expect(page.get_by_role("heading", name="Alerts")).to_be_visible()
    expect(page.get_by_role("switch", name="Notify me of urgent tasks")).to_be_hidden()


def test_the_service_worker_shows_a_pushed_urgent_task(browser, browser_context_args, push_server):
    context = browser.new_context(**browser_context_args)
    context.grant_permissions(["notifications"], origin=push_server.url)
    page = context.new_page()
    page.goto(push_server.url)
    wait_for_service_worker(page)
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    ours = next(r for r in registrations if r["scopeURL"].startswith(push_server.url))
    task_id = str(uuid.uuid4())
    message = {
        "title": "Urgent follow-up 紧急跟进任务: 王芳",
        "body": "Fell in the bathroom 浴室跌倒",
        "url": f"/#/tasks/{task_id}",
        "task_id": task_id,
    }
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": push_server.url,
            "registrationId": ours["registrationId"],
            "data": json.dumps(message, ensure_ascii=False),
        },
    )
    shown = []
    deadline = time.monotonic() + 10
    while not shown and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        shown = page.evaluate(
            """async () => (await (await navigator.serviceWorker.ready).getNotifications())
                 .map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data?.url }))"""
        )
    assert shown == [
        {
            "title": message["title"],
            "body": message["body"],
            "tag": f"task-{task_id}",
            "url": f"{push_server.url}/#/tasks/{task_id}",
        }
    ]
    context.close()


def test_an_overdue_alert_names_its_task_and_links_to_it(page, live_server):
    """The escalation raises an overdue alert for an open task past its due date; the inbox
    shows it with the task's title as a link to the task."""
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)
    title = f"Check the new wheelchair {tag()}"
    task = raise_task(live_server, resident, worker, title)
    # The refresh (the scheduler's step, by hand) raises the overdue alert.
    done = subprocess.run(
        [str(ROUNDS), "coverage", "refresh"],
        env=live_server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    office_as(page, live_server, supervisor["username"])
    page.get_by_role("link", name="Alerts").click()
    card = page.get_by_role("listitem").filter(has_text=title)
    expect(card).to_contain_text("Task overdue")
    expect(card).to_contain_text(resident["name"])
    card.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(f"#/tasks/{task['id']}$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_admin_sets_how_a_finding_raises_tasks(page, live_server):
    errors = watch_console(page)
    before = {r["finding"]: r for r in admin_call(live_server, "GET", "/api/v1/task-rules")}
    try:
        office_as(page, live_server, "admin")
        page.get_by_role("link", name="Administration").click()
        page.get_by_role("link", name="Task rules").click()
        rule = page.get_by_role("form", name="Unsatisfied rating")
        expect(rule.get_by_label("Assign to")).to_have_value("unit_supervisor")
        rule.get_by_label("Priority").select_option(label="Urgent")
        rule.get_by_label("Due in (days)").fill("91")
        rule.get_by_role("button", name="Save the rule: Unsatisfied rating").click()
        expect(rule.get_by_role("alert")).to_contain_text("from 0 to 90")
        rule.get_by_label("Due in (days)").fill("1")
        rule.get_by_label("Assign to").select_option(label="The visiting worker")
        with page.expect_response(
            lambda r: r.url.endswith("/api/v1/task-rules/unsatisfied") and r.request.method == "PUT"
        ) as saved:
            rule.get_by_role("button", name="Save the rule: Unsatisfied rating").click()
        assert saved.value.status == 200
        expect(page.get_by_text("Rule saved: Unsatisfied rating")).to_be_visible()

        after = {r["finding"]: r for r in admin_call(live_server, "GET", "/api/v1/task-rules")}
        assert {k: after["unsatisfied"][k] for k in ("priority", "due_days", "assign_to")} == {
            "priority": "urgent",
            "due_days": 1,
            "assign_to": "visiting_worker",
        }
        assert after["living"] == before["living"]
        assert not errors, errors
    finally:
        old = before["unsatisfied"]
        admin_call(
            live_server,
            "PUT",
            "/api/v1/task-rules/unsatisfied",
            json={k: old[k] for k in ("enabled", "priority", "due_days", "assign_to")},
        )


def test_supervisor_raises_a_task_from_a_residents_page(page, live_server):
    errors = watch_console(page)
    unit = own_unit(live_server)
    worker = own_worker(live_server, unit)
    supervisor = own_supervisor(live_server, unit)
    resident = own_resident(live_server, unit)

    office_as(page, live_server, supervisor["username"])
    page.goto(f"{live_server.url}/#/resident/{resident['id']}")
    expect(page.get_by_role("heading", name="Follow-up tasks (0 open of 0)")).to_be_visible()
    page.get_by_text("New task", exact=True).click()
    page.get_by_role("button", name="Raise the task").click()
    expect(page.get_by_role("alert").filter(has_text="Write what needs doing")).to_be_visible()
    page.get_by_label("What needs doing").fill("Bring the new walking frame 送新助行器")
    page.get_by_label("Priority").select_option(label="Soon")
    page.get_by_label("Assign to").select_option(label=worker["display_name"])
    page.get_by_role("button", name="Raise the task").click()
    expect(page.get_by_role("heading", name="Follow-up tasks (1 open of 1)")).to_be_visible()
    card = page.get_by_role("listitem").filter(has_text="Bring the new walking frame")
    expect(card).to_contain_text("Open")
    expect(card).to_contain_text(worker["display_name"])
    card.get_by_text("History", exact=True).click()
    expect(card.locator(".task-history li")).to_contain_text(supervisor["display_name"])

    held = live_server.get("/api/v1/tasks", resident_id=resident["id"]).json()["items"]
    assert [(t["title"], t["priority"], t["assignee"]["id"]) for t in held] == [
        ("Bring the new walking frame 送新助行器", "soon", worker["id"])
    ]
    assert not errors, errors
