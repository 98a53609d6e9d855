"""The daily digest, delivered to a real (local) SMTP server: one message per supervisor a day."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from server.alerts.digest import send_digests
from tests.conftest import add_resident, make_person
from tests.test_coverage_support import at, refresh


class Inbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        SMTP_SECURITY="none",
        SMTP_FROM="rounds@home.example",
    )
    yield handler
    controller.stop()


@pytest.fixture
def two_at_risk(app, api, admin, ward_a, supervisor_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    for name in ("王桂英", "李秀英"):
        add_resident(api, admin, ward_a, name=name, admitted_on="2026-01-05")
    refresh("2026-11-21T08:00+08:00")
    answer = api._call(
        "PUT", "/alerts/digest-address", json={"email": "chen@home.example"}, as_=supervisor_a
    )
    assert answer.status_code == 200 and answer.json == {"email": "chen@home.example"}


def test_one_message_per_supervisor_per_day(api, inbox, two_at_risk, ward_b):
    make_person(api, "lin@home.example", "supervisor", [ward_b])  # username is an address
    make_person(api, "nobody", "supervisor", [ward_b])  # no address: no digest
    assert send_digests(at("2026-11-21T08:00+08:00"))["sent"] == 2
    assert send_digests(at("2026-11-21T09:00+08:00"))["sent"] == 0
    recipients = sorted(rcpt[0] for rcpt, _ in inbox.messages)
    assert recipients == ["chen@home.example", "lin@home.example"]
    message = next(m for rcpt, m in inbox.messages if rcpt == ["chen@home.example"])
    assert message["Subject"] == "Rounds daily digest 2026-11-21: 2 open alerts"
    body = message.get_content()
    assert "王桂英" in body and "李秀英" in body and "at risk" in body
    assert send_digests(at("2026-11-22T08:00+08:00"))["sent"] == 2  # the next day


def test_no_smtp_no_digest(app, two_at_risk):
    assert send_digests(at("2026-11-21T08:00+08:00"))["sent"] == 0


def test_a_failed_send_is_retried_later(app, inbox, two_at_risk):
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = _free_port()  # nobody listens there
    with pytest.raises(RuntimeError, match="failed"):
        send_digests(at("2026-11-21T08:00+08:00"))
    app.config["SMTP_PORT"] = port
    assert send_digests(at("2026-11-21T08:30+08:00"))["sent"] == 1
    assert len(inbox.messages) == 1


def test_workers_have_no_digest_address(api, worker_a):
    assert api.get("/alerts/digest-address", as_=worker_a).status_code == 403
