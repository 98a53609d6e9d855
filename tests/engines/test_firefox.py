"""The worker's day in Firefox: the steps are tests/engines/firefox_flows.mjs (puppeteer-core
over WebDriver BiDi); this test gives it a server, stops and starts that server when the script
asks, and fails with the script's output when a step fails."""

from __future__ import annotations

import json
import os
import subprocess
import threading

import pytest

from tests.engines.conftest import FIREFOX, HERE, start_server_again, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.engines]

TIMEOUT = 240  # seconds for every step together, the 60 s wait for the outbox included


def test_worker_flows_in_firefox(firefox_flows, restore_server, worker1_residents):
    server = restore_server
    # Not the residents the WebKit flows visit: each visit is counted on the server.
    online, *offline = worker1_residents[4:7]
    flows = {
        "adminToken": server.token("admin"),
        "online": online,
        "offline": offline,
        "qr": worker1_residents[7],
    }
    env = {**os.environ, "ROUNDS_FLOWS": json.dumps(flows), "ROUNDS_FIREFOX": FIREFOX}
    script = subprocess.Popen(
        [*firefox_flows, server.url],
        cwd=HERE,
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    watchdog = threading.Timer(TIMEOUT, script.kill)
    watchdog.start()
    output: list[str] = []
    try:
        for line in script.stdout:
            output.append(line)
            if line.startswith("@@server "):
                what = line.split()[1]
                stop_server(server) if what == "stop" else start_server_again(server)
                script.stdin.write("ok\n")
                script.stdin.flush()
        code = script.wait()
    finally:
        watchdog.cancel()
        if script.poll() is None:
            script.kill()
    print("".join(output))  # the steps and their times, shown with -s or -rP
    assert code == 0, "the Firefox flows failed:\n" + "".join(output)[-6000:]
