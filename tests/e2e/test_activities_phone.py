"""A group activity on the worker's phone against the real server: offline, the worker
records a birthday party, scans three residents in one after another with the phone's camera
(Chromium's fake camera, fed a video of the three residents' own code images in turn) and
takes a photo; back online one sync sends the activity and then the photo in a request of its
own. The unit's supervisor, in a browser of their own at a desk, finds the activity with its
three attendees, each recognised by QR code, and the photo, and each resident's page lists
the activity attended."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_FLAGS
from .test_office_tasks import own_supervisor
from .test_supervisor import log_in_office, unique_active
from .worker import csp_violations, log_in, wait_for_service_worker, wait_synced, watch_console

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 640, 480
SIDE = 360


def _frame(png: bytes | None) -> bytes:
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    if png is not None:
        code = Image.open(io.BytesIO(png)).convert("L").resize((SIDE, SIDE), Image.NEAREST)
        frame.paste(code, ((WIDTH - SIDE) // 2, (HEIGHT - SIDE) // 2))
    return np.asarray(frame, dtype=np.uint8).tobytes()


def codes_video(pngs: list[bytes], path, frames_each: int = 15, blank: int = 5) -> None:
    """A YUV4MPEG2 file showing each code in turn, a white field between (it loops)."""
    chroma = np.full((HEIGHT // 2) * (WIDTH // 2) * 2, 128, dtype=np.uint8).tobytes()
    white = _frame(None)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for png in pngs:
            for luma in [_frame(png)] * frames_each + [white] * blank:
                out.write(b"FRAME\n" + luma + chroma)


def party_photo(path) -> None:
    image = Image.new("RGB", (2400, 1800), (230, 180, 90))
    for x in range(0, 2400, 200):
        image.paste((40, 120, 200), (x, 600, x + 100, 1200))
    image.save(path, "JPEG", quality=92)


@pytest.fixture
def attendees(live_server) -> list[dict]:
    """Three residents of one of worker1's units, with names of their own."""
    residents = unique_active(live_server.residents("worker1"))
    unit = residents[0]["unit_id"]
    chosen = [r for r in residents if r["unit_id"] == unit][-3:]
    assert len(chosen) == 3
    return chosen


def test_activity_recorded_offline_with_three_scanned_in_reaches_the_office(
    playwright, live_server, attendees, tmp_path, browser
):
    pngs = [
        live_server.get(f"/api/v1/residents/{r['id']}/qr.png", "admin").content for r in attendees
    ]
    video = tmp_path / "three.y4m"
    codes_video(pngs, video)
    photo = tmp_path / "party.jpg"
    party_photo(photo)
    title = "Birthday party of the e2e test 生日会"

    phone_browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_FLAGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video.resolve()}",
        ],
    )
    try:
        phone = phone_browser.new_context(
            timezone_id="Asia/Shanghai", viewport={"width": 412, "height": 915}, locale="en-US"
        )
        page = phone.new_page()
        errors = watch_console(page)
        log_in(page, live_server.url)
        wait_for_service_worker(page)
        phone.set_offline(True)

        page.get_by_role("link", name="Activities").click()
        page.get_by_role("link", name="Record an activity").click()
        expect(page.get_by_role("heading", name="New activity")).to_be_visible()
        page.get_by_label("For").select_option(attendees[0]["unit_id"])
        page.get_by_label("Type", exact=True).select_option("birthday")
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label("Place").fill("Day room 活动室")
        page.get_by_role("button", name="Add a volunteer").click()
        page.get_by_label("Volunteer 1: name").fill("陈晓燕")
        page.get_by_label("Volunteer 1: hours").fill("2")

        page.get_by_role("button", name="Scan a resident in").click()
        expect(page.get_by_role("heading", name="Residents who came (3)")).to_be_visible(
            timeout=40_000
        )
        page.get_by_role("button", name="Done scanning").click()
        listed = page.locator(".my-activity-attendees")
        for resident in attendees:
            expect(listed).to_contain_text(resident["name"])
        expect(listed).to_contain_text("QR code")

        page.locator("input.my-activity-camera").set_input_files(str(photo))
        taken = page.locator(".my-activity-photos img")
        expect(taken).to_have_count(1, timeout=20_000)
        # Resized on the phone: the long side at most 1600 px.
        assert (
            page.evaluate(
                "() => Math.max(...[...document.querySelectorAll('.my-activity-photos img')]"
                ".map((i) => Math.max(i.naturalWidth, i.naturalHeight)))"
            )
            <= 1600
        )
        page.get_by_label("Caption").fill("切蛋糕 Cutting the cake")
        page.get_by_label("Caption").blur()

        page.get_by_role("button", name="Save the activity").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_text("waiting to send")).to_be_visible()

        phone.set_offline(False)
        page.get_by_role("button", name="Sync now").click()
        wait_synced(page, timeout=40_000)
        assert csp_violations(errors) == []
    finally:
        phone_browser.close()

    found = live_server.get("/api/v1/activities", "admin").json()["items"]
    [held] = [a for a in found if a["title"] == title]
    detail = live_server.get(f"/api/v1/activities/{held['id']}", "admin").json()
    assert {a["resident_id"] for a in detail["attendees"]} == {r["id"] for r in attendees}
    assert {a["identified_by"] for a in detail["attendees"]} == {"qr"}
    [kept] = detail["photos"]
    assert max(kept["width"], kept["height"]) <= 1600
    assert kept["caption"] == "切蛋糕 Cutting the cake"

    supervisor = own_supervisor(live_server, {"id": attendees[0]["unit_id"]})
    desk = browser.new_context(
        timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800}, locale="en-US"
    )
    try:
        office = desk.new_page()
        office_errors = watch_console(office)
        log_in_office(office, live_server.url, supervisor["username"])
        expect(office.get_by_role("heading", name="Coverage this week")).to_be_visible()
        office.get_by_role("link", name="Activities", exact=True).click()
        expect(office.get_by_role("heading", name="Group activities")).to_be_visible()
        office.get_by_role("link", name=title).click()
        expect(office.get_by_role("heading", name=title)).to_be_visible()
        expect(office.get_by_role("heading", name="Residents who came (3)")).to_be_visible()
        for resident in attendees:
            expect(office.locator(".activity-attendees")).to_contain_text(resident["name"])
        image = office.locator(".activity-photos img")
        expect(image).to_have_count(1)
        expect(image).to_have_attribute("src", re.compile("^blob:"))
        assert (
            office.evaluate("() => document.querySelector('.activity-photos img').naturalWidth") > 0
        )
        for resident in attendees:
            office.goto(f"{live_server.url}/#/resident/{resident['id']}")
            section = office.locator(".resident-activities")
            expect(section).to_contain_text("Group activities attended (1)")
            expect(section.get_by_role("link", name=title)).to_be_visible()
        assert csp_violations(office_errors) == []
    finally:
        desk.close()
