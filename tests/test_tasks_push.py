"""Web Push: a supervisor's browser hears of an urgent task, signed with VAPID and encrypted
for that browser alone; a push service that forgot the browser has its subscription deleted.

The push service is a stub on 127.0.0.1 run by the test, recording what it receives.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from sqlalchemy import select

from server.jobs.schedule import Jobs
from server.models import PushSubscription
from server.platform.extensions import db
from server.tasks.push import generate_keys
from tests.conftest import add_resident, make_person
from tests.taskmaking import at, make_task


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PushService:
    """A push service on this machine: records each request, answers `status`."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                service.requests.append(
                    {"path": self.path, "headers": self.headers, "body": self.rfile.read(length)}
                )
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A browser's push keys: what it subscribes with, and what decrypts its messages."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.keys = {"p256dh": b64url(public), "auth": b64url(self.auth)}

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def service():
    stub = PushService()
    yield stub
    stub.stop()


@pytest.fixture
def vapid(app) -> str:
    private, public = generate_keys()
    app.config.update(VAPID_PRIVATE_KEY=private, VAPID_SUBJECT="mailto:ops@home.example")
    return public


@pytest.fixture
def home(app, api, admin, ward_a, supervisor_a, worker_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    return add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")


def subscribe(api, person, endpoint: str, browser: Browser):
    return api.post(
        "/push/subscriptions", json={"endpoint": endpoint, "keys": browser.keys}, as_=person
    )


@pytest.fixture
def jobs(app):
    """One scheduler's steps: on PostgreSQL its lease is a lock its own connection holds."""
    steps = Jobs(app, "test")
    yield steps
    steps.release()


def urgent_step(jobs: Jobs, moment: str) -> dict:
    run = jobs.run("urgent", at(moment))
    assert run is not None and run.status == "ok", run and run.error
    return run.result


def test_push_key_is_null_until_vapid_is_set(api, app, supervisor_a):
    answer = api.get("/push/key", as_=supervisor_a)
    assert answer.status_code == 200
    assert answer.json == {"public_key": None}
    private, public = generate_keys()
    app.config.update(VAPID_PRIVATE_KEY=private, VAPID_SUBJECT="mailto:ops@home.example")
    assert api.get("/push/key", as_=supervisor_a).json == {"public_key": public}


def test_subscriptions_go_to_https_or_this_machine_only(api, vapid, supervisor_a, worker_a):
    browser = Browser()
    assert subscribe(api, supervisor_a, "http://push.example.org/x", browser).status_code == 422
    assert subscribe(api, supervisor_a, "ftp://push.example.org/x", browser).status_code == 422
    assert subscribe(api, supervisor_a, "https://push.example.org/x", browser).status_code == 201
    assert subscribe(api, supervisor_a, "http://127.0.0.1:9/x", browser).status_code == 201
    assert subscribe(api, worker_a, "https://push.example.org/y", browser).status_code == 403
    bad = {"endpoint": "https://push.example.org/z", "keys": {"p256dh": "a b", "auth": "x"}}
    assert api.post("/push/subscriptions", json=bad, as_=supervisor_a).status_code == 422


def test_unsubscribing_forgets_the_browser(api, vapid, supervisor_a):
    subscribe(api, supervisor_a, "https://push.example.org/x", Browser())
    answer = api._call(
        "DELETE", "/push/subscriptions?endpoint=https://push.example.org/x", as_=supervisor_a
    )
    assert answer.status_code == 204
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_urgent_task_is_pushed_to_the_supervisors_browser_signed_and_encrypted(
    app, jobs, api, vapid, service, home, worker_a, supervisor_a, ward_b
):
    browser = Browser()
    assert subscribe(api, supervisor_a, service.url("/send/a"), browser).status_code == 201
    other = make_person(api, "supervisor.b", "supervisor", [ward_b])
    subscribe(api, other, service.url("/send/b"), Browser())
    task_id = make_task(worker_a, home, due_on="2026-11-30", priority="urgent", title="Fell")
    result = urgent_step(jobs, "2026-11-20T09:01+08:00")
    assert result["push"]["sent"] == 1
    [request] = service.requests
    assert request["path"] == "/send/a"
    authorization = request["headers"]["Authorization"]
    assert authorization.startswith("vapid t=") and f"k={vapid}" in authorization
    assert Vapid02.verify(authorization)
    assert request["headers"]["Content-Encoding"] == "aes128gcm"
    assert b"Fell" not in request["body"]
    message = browser.read(request["body"])
    assert message["body"] == "Fell"
    assert "王桂英" in message["title"]
    assert message["url"] == f"/#/tasks/{task_id}"
    urgent_step(jobs, "2026-11-20T09:02+08:00")
    assert len(service.requests) == 1  # told once


def test_a_browser_the_push_service_forgot_is_deleted(
    app, jobs, api, vapid, service, home, worker_a, supervisor_a
):
    subscribe(api, supervisor_a, service.url("/send/gone"), Browser())
    service.status = 410
    make_task(worker_a, home, due_on="2026-11-30", priority="urgent")
    assert urgent_step(jobs, "2026-11-20T09:01+08:00")["push"]["gone"] == 1
    assert len(service.requests) == 1
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_a_failing_push_service_is_counted_and_the_step_goes_on(
    app, jobs, api, vapid, service, home, worker_a, supervisor_a
):
    subscribe(api, supervisor_a, service.url("/send/busy"), Browser())
    service.status = 503
    make_task(worker_a, home, due_on="2026-11-30", priority="urgent")
    assert urgent_step(jobs, "2026-11-20T09:01+08:00")["push"]["failed"] == 1
    db.session.expire_all()
    [subscription] = db.session.scalars(select(PushSubscription)).all()
    assert subscription.failures == 1
    assert subscription.detail["last_error"] == "push service answered 503"


def test_without_vapid_keys_nothing_is_pushed(
    app, jobs, api, vapid, service, home, worker_a, supervisor_a
):
    subscribe(api, supervisor_a, service.url("/send/a"), Browser())
    app.config.update(VAPID_PRIVATE_KEY=None, VAPID_SUBJECT=None)
    make_task(worker_a, home, due_on="2026-11-30", priority="urgent")
    assert urgent_step(jobs, "2026-11-20T09:01+08:00")["urgent"] == 1
    assert service.requests == []


def test_the_cli_makes_a_key_pair_the_server_signs_with(app, api, supervisor_a):
    output = app.test_cli_runner().invoke(args=["vapid-keys"]).output
    settings = dict(line.split("=", 1) for line in output.splitlines())
    app.config.update(
        VAPID_PRIVATE_KEY=settings["ROUNDS_VAPID_PRIVATE_KEY"],
        VAPID_PUBLIC_KEY=settings["ROUNDS_VAPID_PUBLIC_KEY"],
        VAPID_SUBJECT="https://home.example",
    )
    key = api.get("/push/key", as_=supervisor_a).json["public_key"]
    assert key == settings["ROUNDS_VAPID_PUBLIC_KEY"]


@pytest.mark.parametrize(
    "bad",
    [
        {"VAPID_PRIVATE_KEY": "not-a-key"},
        {"VAPID_SUBJECT": "ops@home.example"},
        {"VAPID_PUBLIC_KEY": generate_keys()[1]},
    ],
)
def test_settings_that_cannot_sign_turn_push_off(
    app, api, jobs, vapid, home, worker_a, supervisor_a, bad
):
    subscribe(api, supervisor_a, "https://push.example.org/x", Browser())
    app.config.update(bad)
    assert api.get("/push/key", as_=supervisor_a).json == {"public_key": None}
    make_task(worker_a, home, due_on="2026-11-30", priority="urgent")
    assert urgent_step(jobs, "2026-11-20T09:01+08:00")["push"]["skipped"] is True
