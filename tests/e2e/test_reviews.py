"""Review of a record from desk to phone and back (docs/reviews.md): a supervisor returns a
visit with a comment at the office, the worker sees it on the phone after a sync and, offline,
answers with a correction of the visit; after the next sync the office shows the review
answered with that correction, and approves it. Screenshots go to /tmp/shots-reviews/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_office_actions import own_resident, own_unit, own_worker, tag
from .test_office_tasks import office_as, own_supervisor
from .worker import log_in, outbox_rows, record_visit, wait_for_service_worker, wait_synced

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-reviews")
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def reviews_of(live_server, visit_id: str) -> dict:
    return live_server.get(
        "/api/v1/reviews", "admin", record_kind="visit", record_id=visit_id
    ).json()


@pytest.fixture
def people(live_server):
    unit = own_unit(live_server)
    return {
        "worker": own_worker(live_server, unit),
        "supervisor": own_supervisor(live_server, unit),
        "resident": own_resident(live_server, unit),
    }


@pytest.fixture
def desk(browser, live_server, people):
    """The supervisor at a desk, in a browser of their own."""
    context = browser.new_context(
        timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    office_as(page, live_server, people["supervisor"]["username"])
    yield page
    context.close()


def test_returned_visit_is_corrected_offline_and_approved(page, live_server, people, desk):
    worker, resident = people["worker"], people["resident"]
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, worker["username"])
    wait_for_service_worker(page)
    record_visit(page, resident, service="Helped with lunch")
    wait_synced(page)
    [visit] = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()["items"]

    # At the office: the queue holds the visit; the supervisor returns it with a comment.
    comment = f"请补充血压数值 Add the blood pressure {tag()}"
    desk.get_by_role("link", name="Reviews", exact=True).click()
    expect(desk.get_by_role("heading", name="Records to review")).to_be_visible()
    item = desk.locator(f'[data-record="{visit["id"]}"]')
    expect(item).to_contain_text(resident["name"])
    expect(item).to_contain_text("Not reviewed")
    item.get_by_text("Return with a comment").click()
    item.get_by_label(re.compile("^What should be corrected")).fill(comment)
    item.get_by_role("button", name="Return to the worker").click()
    expect(desk.get_by_text("Returned to the worker.")).to_be_visible()
    assert reviews_of(live_server, visit["id"])["state"] == "returned"

    # On the phone: a sync brings it; offline, Records shows it with the comment.
    page.get_by_role("button", name="Sync now").click()
    wait_synced(page)
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.get_by_role("link", name="Records").click()
    expect(page.get_by_role("heading", name="Returned to you (1)")).to_be_visible()
    card = page.locator(".my-review")
    expect(card).to_contain_text(comment)
    expect(card).to_contain_text(people["supervisor"]["display_name"])
    shot(page, "returned-en")

    # The worker corrects the visit: the amendment and the reply naming it wait together.
    card.get_by_role("link", name=re.compile("^Correct the record")).click()
    expect(page.get_by_text(comment)).to_be_visible()
    page.get_by_label("Service given").fill("Helped with lunch; blood pressure 130/85")
    page.get_by_label("Reason for the correction").fill("补充血压 reading added")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Correction saved")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Returned to you"))).to_have_count(0)
    waiting = {row["type"]: row for row in outbox_rows(page)}
    assert set(waiting) == {"amendment", "review_reply"}
    assert waiting["review_reply"]["payload"]["amendment_id"] == waiting["amendment"]["id"]

    # Online again: both go; the office reads the review answered with the correction.
    page.context.set_offline(False)
    wait_synced(page, timeout=30_000)
    state = reviews_of(live_server, visit["id"])
    assert state["state"] == "answered"
    assert state["reviews"][-1]["replies"][0]["amendment_id"] == waiting["amendment"]["id"]

    desk.goto(f"{live_server.url}/#/resident/{resident['id']}")
    box = desk.locator(".review-box")
    expect(box).to_contain_text("Answered")
    expect(box).to_contain_text("corrected the record (补充血压 reading added)")
    shot(desk, "answered-desk")
    box.get_by_role("button", name=re.compile("^Approve")).click()
    expect(desk.get_by_text("Approved.")).to_be_visible()
    expect(desk.locator(".review-box")).to_contain_text("Approved")
    assert reviews_of(live_server, visit["id"])["state"] == "approved"

    # The report counts the visit, reviewed, and its first review a return.
    desk.get_by_role("link", name="Review report").click()
    expect(desk.get_by_role("heading", name="How records are reviewed")).to_be_visible()
    row = desk.get_by_role("row").filter(has_text=worker["display_name"])
    expect(row).to_contain_text("100%")
    shot(desk, "report-desk")
