"""The login limit holds against parallel guesses, and counts per account and address: an
attacker from one address cannot lock the admin out on another."""

import threading
import uuid

from sqlalchemy import func, select

from server.models import LoginFailure
from server.platform.extensions import db
from tests.conftest import PASSWORD


def login(api, username: str, password: str = "wrong guess", address: str = "10.0.0.1"):
    return api.post(
        "/auth/login",
        environ_base={"REMOTE_ADDR": address},
        json={
            "username": username,
            "password": password,
            "device": {"id": str(uuid.uuid4()), "name": "test"},
        },
    )


def test_parallel_guesses_get_no_more_passwords_checked_than_the_limit(app, api, admin):
    limit = app.config["LOGIN_MAX_FAILURES_PER_USER"]
    guesses = 40
    barrier = threading.Barrier(guesses)
    answers, lock = [], threading.Lock()

    def guess(number: int) -> None:
        barrier.wait()
        answer = login(api, "admin", f"guess number {number}")
        with lock:
            answers.append(answer.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(answers) <= {401, 429}, answers
    assert answers.count(401) <= limit  # a password checked answers 401 here
    assert answers.count(429) >= guesses - limit
    # Only the checked guesses stay counted: refused ones do not lengthen the lock.
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) <= limit


def test_an_attacker_cannot_lock_the_admin_out_from_another_address(api, admin):
    for _ in range(10):
        login(api, "admin", address="203.0.113.7")
    assert login(api, "admin", address="203.0.113.7").status_code == 429
    assert login(api, "admin", PASSWORD, address="10.1.2.3").status_code == 200


def test_the_right_password_is_refused_while_its_address_is_locked(api, admin):
    for _ in range(5):
        assert login(api, "admin").status_code == 401
    locked = login(api, "admin", PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_a_success_clears_only_its_own_account_and_address(api, admin, worker_a):
    for _ in range(4):
        login(api, "admin")
    assert login(api, "worker.a", PASSWORD).status_code == 200  # the same address
    assert login(api, "admin").status_code == 401
    assert login(api, "admin").status_code == 429  # admin's four failures still count
