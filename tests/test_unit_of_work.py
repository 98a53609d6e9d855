"""A request is one unit of work: the handler commits; authenticating only marks the device
seen, and the mark is kept with a request that succeeds, never with one that fails."""

import uuid

from sqlalchemy import func, select, update

from server.models import Device, LoginFailure
from server.platform.extensions import db


def _forget_seen(person) -> None:
    db.session.execute(
        update(Device).where(Device.id == person.device_id).values(last_seen_at=None)
    )
    db.session.commit()


def _last_seen(person):
    db.session.expire_all()
    return db.session.get(Device, person.device_id).last_seen_at


def test_a_request_that_only_reads_still_marks_the_device_seen(api, worker_a):
    _forget_seen(worker_a)
    assert api.get("/me", as_=worker_a).status_code == 200
    assert _last_seen(worker_a) is not None


def test_the_mark_goes_with_the_change_the_handler_commits(api, admin):
    _forget_seen(admin)
    assert api.post("/units", json={"name": "Ward C"}, as_=admin).status_code == 201
    assert _last_seen(admin) is not None


def test_a_request_that_fails_commits_nothing_not_even_the_mark(api, worker_a):
    _forget_seen(worker_a)
    assert api.get(f"/units/{uuid.uuid4()}", as_=worker_a).status_code == 404
    assert _last_seen(worker_a) is None


def test_a_wrong_password_is_counted_although_the_login_fails(api, worker_a):
    answer = api.post(
        "/auth/login",
        json={
            "username": "worker.a",
            "password": "wrong!",
            "device": {"id": str(uuid.uuid4()), "name": "x"},
        },
    )
    assert answer.status_code == 401
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1
