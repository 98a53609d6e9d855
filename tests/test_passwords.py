"""Weak passwords are refused wherever a password is set, with a reason in both languages and
a problem type the app can translate; the demo's and the tests' passwords pass."""

import pytest

from server.demo.institution import DEMO_PASSWORD
from server.people.passwords import check_strength
from tests.conftest import PASSWORD

WEAK = ["password", "12345678", "aaaaaaaa", "li.na2024", "lina2024", "qwertyuiop", "Li Na 1234"]


@pytest.mark.parametrize("weak", WEAK)
def test_a_weak_password_is_refused_when_an_account_is_made(api, admin, weak):
    body = {"username": "li.na", "display_name": "Li Na", "role": "worker", "password": weak}
    answer = api.post("/users", json=body, as_=admin)
    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json["type"].endswith("/password-too-weak")
    english, chinese = answer.json["errors"]["password"]
    assert "too easy to guess" in english and "密码" in chinese
    assert api.get("/users", as_=admin).json[-1]["username"] != "li.na"


def test_a_weak_password_is_refused_at_a_reset(api, admin, worker_a):
    answer = api.patch(f"/users/{worker_a.user.id}", json={"password": "worker.a1"}, as_=admin)
    assert answer.status_code == 422
    assert answer.json["type"].endswith("/password-too-weak")
    assert api.get("/me", as_=worker_a).status_code == 200  # nothing changed: still signed in


def test_a_strong_password_is_accepted(api, admin):
    body = {"username": "li.na", "role": "worker", "password": "maple river lantern 42"}
    assert api.post("/users", json=body, as_=admin).status_code == 201


def test_the_cli_refuses_a_weak_password_with_the_reason(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x.y", "--role", "worker", "--password", "password1"]
    )
    assert result.exit_code != 0 and "too easy to guess" in result.output


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD])
def test_the_demo_and_fixture_passwords_pass(password):
    check_strength(password, username="worker1", display_name="Worker One")
