"""The worker's day in WebKit (the engine of Safari on iPhones): log in, a visit online, visits
while the server is away, a reload with no server, the outbox sent when it is back, a QR link."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
import requests

from tests.engines.conftest import start_server_again, stop_server
from tests.engines.webkit import Phone, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.engines,
    # Selenium's own WebKitGTK driver still sets the address the old way.
    pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning"),
]

# The server coming back while the phone never lost its network fires no `online` event and no
# Background Sync (WebKit has none): the app's retries after a failed sync must send the outbox.
AUTO_SEND_WAIT = 60


def visits_of(server, resident: dict) -> list[str]:
    body = server.get("/api/v1/visits", "admin", resident_id=resident["id"]).json()
    items = body["items"] if isinstance(body, dict) else body
    return [v["id"] for v in items]


def attempted_since(attempt: dict, since: float) -> bool:
    return datetime.fromisoformat(attempt["at"]).timestamp() >= int(since)


def server_has(server, visit_id: str) -> dict | None:
    try:
        return server.get(f"/api/v1/visits/{visit_id}", "admin").json()
    except requests.HTTPError as error:
        if error.response is not None and error.response.status_code == 404:
            return None
        raise


def test_worker_flows_in_webkit(webkit, restore_server, worker1_residents):
    server = restore_server
    online, *offline = worker1_residents[0:3]
    qr_resident = worker1_residents[3]
    phone = Phone(webkit, server.url)

    # (1) Log in; the service worker takes the page.
    phone.log_in()
    wait_until("the service worker to control the page", phone.service_worker_controls)

    # (2) A visit online reaches the server at once.
    phone.record_visit(online, "Helped with lunch (WebKit)")
    phone.wait_synced()
    (online_id,) = visits_of(server, online)
    visit = server_has(server, online_id)
    assert visit["service_given"] == "Helped with lunch (WebKit)"
    assert visit["satisfaction"] == "satisfied"
    assert visit["signature"]["strokes"] == 2

    # (3) The server goes away (the phone keeps its network): visits wait in the outbox.
    stop_server(server)
    for resident in offline:
        phone.record_visit(resident, f"Offline visit to {resident['name']} (WebKit)")
    phone.wait_text(".strip-line", "2 waiting to sync")
    waiting = {row["id"] for row in phone.outbox()}
    assert len(waiting) == 2

    # (4) Reloaded and opened again with no server: the shell comes from the service worker,
    # and the visits are still waiting.
    webkit.refresh()
    phone.wait_text(".strip-line", "2 waiting to sync")
    assert phone.service_worker_controls()
    webkit.get("about:blank")
    time.sleep(1.1)  # the app keeps whole seconds: its next attempt is told apart by its time
    webkit.get(server.url)
    phone.get("link", "Scan QR code")
    opened = webkit.execute_script("return performance.timeOrigin;") / 1000
    phone.wait_text(".strip-line", "2 waiting to sync")
    assert {row["id"] for row in phone.outbox()} == waiting
    # The app tries to sync when it opens (after a random wait of up to 10 s): let that attempt
    # fail first, so what sends the outbox later is the app noticing the server came back.
    phone_attempt = wait_until(
        "the app's sync at start-up to fail",
        lambda: (a := phone.last_attempt()) and attempted_since(a, opened) and a,
    )
    assert not phone_attempt["ok"], phone_attempt
    assert phone_attempt["reason"] in ("network", "timeout"), phone_attempt

    # (5) The server is back: the outbox goes, each visit once.
    start_server_again(server)
    wait_until(
        "the app to send its outbox by itself",
        lambda: all(server_has(server, i) for i in waiting),
        AUTO_SEND_WAIT,
    )
    phone.wait_synced()
    assert phone.outbox() == []
    for resident in offline:
        (visit_id,) = visits_of(server, resident)
        assert visit_id in waiting
        visit = server_has(server, visit_id)
        assert visit["service_given"] == f"Offline visit to {resident['name']} (WebKit)"
        assert visit["signature"]["strokes"] == 2
    assert visits_of(server, online) == [online_id]

    # (6) A QR link opens the resident.
    webkit.get(f"{server.url}/r/{qr_resident['qr_token']}")
    phone.get("heading", qr_resident["name"])
    phone.page_says("QR code")
