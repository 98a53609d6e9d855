"""Nothing lost, nothing doubled: many phones, random batches, retries, lost answers, faults."""

import random
import threading
import uuid
from dataclasses import dataclass, field
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.models import Amendment, Visit
from server.platform.extensions import db
from server.visits import ingest as sync_domain
from tests.conftest import make_person
from tests.visitdata import sync_body, visit_payload


@dataclass
class Phone:
    """A simulated phone: what it recorded and what still waits in its outbox."""

    person: object
    recorded: dict = field(default_factory=dict)
    outbox_visits: dict = field(default_factory=dict)
    outbox_amendments: dict = field(default_factory=dict)
    amendments_made: dict = field(default_factory=dict)


def _send(api, phone: Phone, rng: random.Random, size: int, fate: str) -> None:
    visits = list(phone.outbox_visits.values())
    amendments = list(phone.outbox_amendments.values())
    rng.shuffle(visits)
    rng.shuffle(amendments)
    batch_v, batch_a = visits[:size], amendments[: max(1, size // 2)]
    body = sync_body(batch_v, batch_a)
    if fate == "fail":  # the request dies before commit
        with mock.patch.object(
            sync_domain, "record_device_health", side_effect=RuntimeError("disk full")
        ):
            answer = api.post("/sync", json=body, as_=phone.person)
        assert answer.status_code == 500
        return
    answer = api.post("/sync", json=body, as_=phone.person)
    assert answer.status_code == 200, answer.json
    if fate == "lost":  # committed, but the answer never reached the phone
        return
    for result in answer.json["results"]:
        assert result["status"] != "conflict", result
        box = phone.outbox_visits if result["kind"] == "visit" else phone.outbox_amendments
        if result["status"] in ("created", "duplicate"):
            box.pop(result["id"], None)
        else:  # only an amendment whose visit has not arrived yet may be rejected here
            assert result["kind"] == "amendment", result
            assert "send it first" in result["errors"]["visit_id"][0]


operations = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["record", "record", "amend", "send"]),
        st.integers(1, 6),
        st.sampled_from(["ok", "ok", "lost", "fail"]),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def phones(api, app, ward_a, admin):
    from tests.conftest import add_resident

    app.config["PROPAGATE_EXCEPTIONS"] = False
    residents = [add_resident(api, admin, ward_a, name=f"住户 {n}") for n in range(3)]
    people = [make_person(api, f"phone{n}", "worker", [ward_a]) for n in range(3)]
    return people, residents


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, seed=st.integers(0, 10_000))
def test_server_holds_exactly_what_the_phones_recorded(api, phones, ops, seed):
    people, residents = phones
    rng = random.Random(seed)
    fleet = [Phone(person) for person in people]
    for device, action, size, fate in ops:
        phone = fleet[device]
        if action == "record":
            visit = visit_payload(rng.choice(residents), seed=rng.randint(0, 99), points=20)
            phone.recorded[visit["id"]] = visit
            phone.outbox_visits[visit["id"]] = visit
        elif action == "amend" and phone.recorded:
            target = rng.choice(sorted(phone.recorded))
            amendment = {
                "id": str(uuid.uuid4()),
                "visit_id": target,
                "changes": {"feedback": f"补充 {rng.randint(0, 9)}"},
                "reason": "补记",
            }
            phone.amendments_made[amendment["id"]] = amendment
            phone.outbox_amendments[amendment["id"]] = amendment
        elif action == "send":
            _send(api, phone, rng, size, fate)

    for phone in fleet:  # the signal returns: every outbox drains
        for _ in range(50):
            if not (phone.outbox_visits or phone.outbox_amendments):
                break
            _send(api, phone, rng, 200, "ok")
        assert not phone.outbox_visits and not phone.outbox_amendments

    recorded = {uuid.UUID(v) for phone in fleet for v in phone.recorded}
    amended = {uuid.UUID(a) for phone in fleet for a in phone.amendments_made}
    stored = db.session.execute(
        select(Visit.id, func.count()).where(Visit.id.in_(recorded)).group_by(Visit.id)
    ).all()
    assert {row[0] for row in stored} == recorded
    assert all(count == 1 for _, count in stored)
    stored_amendments = set(
        db.session.scalars(select(Amendment.id).where(Amendment.id.in_(amended)))
    )
    assert stored_amendments == amended


def test_racing_identical_batches_give_one_created_and_one_duplicate(api, worker_a, resident_a):
    """Two tabs, or a retry racing the original, with real threads."""
    for round_ in range(5):
        batch = [visit_payload(resident_a, seed=round_ * 10 + n) for n in range(20)]
        body = sync_body(batch)
        barrier = threading.Barrier(2)
        answers = []

        def post(answers=answers, barrier=barrier, body=body):
            barrier.wait()
            answers.append(api.post("/sync", json=body, as_=worker_a))

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [answer.status_code for answer in answers] == [200, 200]
        for index, visit in enumerate(batch):
            outcome = sorted(a.json["results"][index]["status"] for a in answers)
            assert outcome == ["created", "duplicate"], (visit["id"], outcome)
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 100
