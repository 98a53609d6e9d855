"""Scanning a resident's QR code with Chromium's fake camera, fed a video of the server's own
code image."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_FLAGS
from .worker import csp_violations, log_in, record_visit, wait_synced, watch_console

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 640, 480


def qr_video(png: bytes, path, frames: int = 10) -> None:
    """A YUV4MPEG2 file of grey frames showing the code in the middle of a white field."""
    code = Image.open(io.BytesIO(png)).convert("L")
    side = 360
    code = code.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y = np.asarray(frame, dtype=np.uint8)
    chroma = np.full((HEIGHT // 2) * (WIDTH // 2) * 2, 128, dtype=np.uint8)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(chroma.tobytes())


def camera_browser(playwright, video):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_FLAGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )


def scan_with(playwright, live_server, resident, tmp_path):
    png = live_server.get(f"/api/v1/residents/{resident['id']}/qr.png", "admin").content
    video = tmp_path / f"{resident['id']}.y4m"
    qr_video(png, video)
    browser = camera_browser(playwright, video.resolve())
    context = browser.new_context(
        timezone_id="Asia/Shanghai", viewport={"width": 412, "height": 915}, locale="en-US"
    )
    page = context.new_page()
    errors = watch_console(page)
    log_in(page, live_server.url)
    page.get_by_role("link", name="Scan QR code").click()
    return browser, page, errors


def test_scanning_a_code_opens_that_resident(playwright, live_server, tmp_path):
    # The last resident of worker1's list: the other tests take theirs from the front.
    resident = [r for r in live_server.residents("worker1") if r["status"] == "active"][-1]
    browser, page, errors = scan_with(playwright, live_server, resident, tmp_path)
    try:
        expect(page.get_by_role("heading", name=resident["name"])).to_be_visible(timeout=20_000)
        expect(page.get_by_text("QR code")).to_be_visible()
        # Saved, the visit reaches the server as identified by its code.
        record_visit(page, resident, open_from_roster=False)
        wait_synced(page)
        found = live_server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
        items = found["items"] if isinstance(found, dict) else found
        assert "qr" in [v["identified_by"] for v in items]
        # The decoder came lazily, its wasm from our own origin.
        assert csp_violations(errors) == []
    finally:
        browser.close()


def test_another_units_code_says_so(playwright, live_server, tmp_path):
    mine = {r["id"] for r in live_server.residents("worker1")}
    other = next(r for r in live_server.residents("admin") if r["id"] not in mine)
    browser, page, _ = scan_with(playwright, live_server, other, tmp_path)
    try:
        expect(page.get_by_role("status").filter(has_text="another unit's code")).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_role("link", name="Pick from the list instead")).to_be_visible()
    finally:
        browser.close()
