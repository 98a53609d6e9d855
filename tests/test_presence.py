"""Presence signals on new visits: identification, token windows, distance from home, bursts."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.models import Resident, ResidentToken, Visit
from server.platform.extensions import db
from server.visits import presence
from tests.conftest import add_resident
from tests.visitdata import sync_body, visit_payload

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_visit(resident: dict, person, at: datetime, **fields) -> Visit:
    """A visit as sync builds it before its batch is assessed (stored visits come from sync)."""
    row = db.session.get(Resident, uuid.UUID(resident["id"]))
    values = dict(
        id=uuid.uuid4(),
        resident_id=row.id,
        unit_id=row.unit_id,
        worker_id=person.user.id,
        device_id=person.device_id,
        kind="round",
        checked_in_at=at,
        visit_date=at.date(),
        identified_by="manual",
        qr_token=None,
        obs_living="ok",
        obs_emotional="ok",
        obs_physical="ok",
        signer="none",
        signer_reason="asleep",
        signature_width=600,
        signature_height=200,
        signature_strokes=[],
        content_hash="0" * 64,
    )
    values.update(fields)
    return Visit(**values)


def assess(*visits: Visit) -> list[dict]:
    """Assess a batch of unsaved visits, as sync does, and give back each one's presence."""
    presence.assess_batch(list(visits))
    return [visit.presence for visit in visits]


def test_manual_pick_has_no_token_signal(worker_a, resident_a):
    [signals] = assess(make_visit(resident_a, worker_a, T0))
    assert signals == {"identified_by": "manual", "token": None, "distance_m": None, "burst": False}


def test_current_token_scanned(worker_a, resident_a):
    [signals] = assess(
        make_visit(
            resident_a,
            worker_a,
            datetime.now(UTC),
            identified_by="qr",
            qr_token=resident_a["qr_token"],
        )
    )
    assert signals["identified_by"] == "qr" and signals["token"] == "current"


def test_old_token_verifies_before_rotation_and_not_after(api, admin, worker_a, resident_a):
    created = db.session.get(ResidentToken, resident_a["qr_token"]).valid_from
    api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin)
    rotated_at = db.session.get(ResidentToken, resident_a["qr_token"]).valid_until
    before = created + (rotated_at - created) / 2
    old = resident_a["qr_token"]
    signals = assess(
        make_visit(resident_a, worker_a, before, identified_by="qr", qr_token=old),
        make_visit(
            resident_a,
            worker_a,
            rotated_at + timedelta(seconds=1),
            identified_by="qr",
            qr_token=old,
        ),
        make_visit(
            resident_a, worker_a, created - timedelta(days=1), identified_by="qr", qr_token=old
        ),
    )
    assert [s["token"] for s in signals] == ["rotated", "not_this_resident", "not_this_resident"]


def test_a_phone_clock_a_little_behind_still_scans_a_new_label(worker_a, resident_a):
    opened = db.session.get(ResidentToken, resident_a["qr_token"]).valid_from
    token = resident_a["qr_token"]
    signals = assess(
        make_visit(
            resident_a, worker_a, opened - timedelta(minutes=3), identified_by="qr", qr_token=token
        ),
        make_visit(
            resident_a,
            worker_a,
            opened - presence.CLOCK_GRACE - timedelta(seconds=1),
            identified_by="qr",
            qr_token=token,
        ),
    )
    assert [s["token"] for s in signals] == ["current", "not_this_resident"]


def test_another_residents_or_an_unknown_token(api, admin, worker_a, ward_a, resident_a):
    other = add_resident(api, admin, ward_a, name="陈凤英")
    now = datetime.now(UTC)
    signals = assess(
        make_visit(resident_a, worker_a, now, identified_by="qr", qr_token=other["qr_token"]),
        make_visit(resident_a, worker_a, now, identified_by="qr", qr_token="made-up-token"),
    )
    assert [s["token"] for s in signals] == ["not_this_resident", "not_this_resident"]


@pytest.fixture
def client_at_home(api, admin, ward_a):
    return add_resident(api, admin, ward_a, name="赵大爷", home_lat=30.0, home_lon=120.0)


def test_home_visit_distance_from_the_residents_home(worker_a, client_at_home):
    [near, far] = assess(
        make_visit(client_at_home, worker_a, T0, kind="home_visit", lat=30.0, lon=120.0),
        make_visit(
            client_at_home,
            worker_a,
            T0 + timedelta(hours=1),
            kind="home_visit",
            lat=30.01,
            lon=120.0,
        ),
    )
    assert near["distance_m"] == 0
    # A hundredth of a degree of latitude is about 1.11 km.
    assert 1105 <= far["distance_m"] <= 1120


def test_no_distance_without_both_locations_or_for_ward_rounds(
    worker_a, resident_a, client_at_home
):
    signals = assess(
        make_visit(client_at_home, worker_a, T0, kind="home_visit"),
        make_visit(
            resident_a, worker_a, T0 + timedelta(hours=1), kind="home_visit", lat=30.0, lon=120.0
        ),
        make_visit(client_at_home, worker_a, T0 + timedelta(hours=2), lat=31.0, lon=121.0),
    )
    assert [s["distance_m"] for s in signals] == [None, None, None]


def test_haversine_agrees_with_a_known_distance():
    # Beijing to Shanghai city centres: about 1,067 km.
    assert 1_060_000 < presence.distance_m(39.9042, 116.4074, 31.2304, 121.4737) < 1_075_000


@pytest.fixture
def ward_residents(api, admin, ward_a):
    return [add_resident(api, admin, ward_a, name=f"Resident {n}") for n in range(6)]


def test_five_residents_within_a_minute_is_a_burst(worker_a, ward_residents):
    visits = [
        make_visit(r, worker_a, T0 + timedelta(seconds=10 * n))
        for n, r in enumerate(ward_residents[:5])
    ]
    assert [s["burst"] for s in assess(*visits)] == [True] * 5


def test_four_residents_or_a_slower_pace_is_not_a_burst(worker_a, ward_residents):
    four = [
        make_visit(r, worker_a, T0 + timedelta(seconds=5 * n))
        for n, r in enumerate(ward_residents[:4])
    ]
    assert not any(s["burst"] for s in assess(*four))
    # Five residents 20 s apart: no 60 s window holds more than four of them.
    slower = [
        make_visit(r, worker_a, T0 + timedelta(hours=1, seconds=20 * n))
        for n, r in enumerate(ward_residents[:5])
    ]
    assert not any(s["burst"] for s in assess(*slower))


def test_repeated_visits_to_one_resident_are_not_a_burst(worker_a, resident_a):
    visits = [make_visit(resident_a, worker_a, T0 + timedelta(seconds=n)) for n in range(6)]
    assert not any(s["burst"] for s in assess(*visits))


def test_other_workers_visits_do_not_make_a_burst(api, worker_a, supervisor_a, ward_residents):
    mine = [
        make_visit(r, worker_a, T0 + timedelta(seconds=n)) for n, r in enumerate(ward_residents[:3])
    ]
    theirs = [
        make_visit(r, supervisor_a, T0 + timedelta(seconds=n))
        for n, r in enumerate(ward_residents[3:])
    ]
    assert not any(s["burst"] for s in assess(*mine, *theirs))


def test_burst_window_edges():
    at = [T0 + timedelta(seconds=s) for s in (0, 15, 30, 45, 60, 200)]
    checkins = [(n, f"resident {n}", t) for n, t in enumerate(at)]
    assert presence.burst_members(checkins) == {0, 1, 2, 3, 4}
    assert presence.burst_members(checkins[1:]) == set()
    assert presence.BURST_RESIDENTS == 5
    assert presence.BURST_WINDOW.total_seconds() == 60


# Through the real sync service and the visits API, as a phone and a supervisor see them.


def sync(api, person, visits):
    answer = api.post("/sync", json=sync_body(visits), as_=person)
    assert answer.status_code == 200, answer.json
    assert {r["status"] for r in answer.json["results"]} == {"created"}, answer.json


def test_visit_made_offline_before_rotation_verifies_after_it(
    api, admin, supervisor_a, worker_a, resident_a
):
    scanned_before = visit_payload(resident_a, when=datetime.now(UTC))
    api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin)
    scanned_after = visit_payload(resident_a, when=datetime.now(UTC), seed=2)
    sync(api, worker_a, [scanned_before, scanned_after])
    shown = [
        api.get(f"/visits/{v['id']}", as_=supervisor_a).json["presence"]
        for v in (scanned_before, scanned_after)
    ]
    assert shown == [
        {"identified_by": "qr", "token": "rotated", "distance_m": None, "burst": False},
        {"identified_by": "qr", "token": "not_this_resident", "distance_m": None, "burst": False},
    ]


def test_home_visit_synced_with_a_location(api, supervisor_a, worker_a, client_at_home):
    visit = visit_payload(
        client_at_home,
        kind="home_visit",
        identified_by="manual",
        qr_token=None,
        location={"lat": 30.0, "lon": 120.002, "accuracy_m": 15.0},
    )
    sync(api, worker_a, [visit])
    shown = api.get(f"/visits/{visit['id']}", as_=supervisor_a).json["presence"]
    assert shown["identified_by"] == "manual" and shown["token"] is None
    assert 190 <= shown["distance_m"] <= 195


def test_a_burst_synced_over_two_batches(api, supervisor_a, worker_a, ward_residents):
    start = datetime.now(UTC) - timedelta(hours=1)
    visits = [
        visit_payload(r, when=start + timedelta(seconds=8 * n), seed=n)
        for n, r in enumerate(ward_residents[:5])
    ]
    sync(api, worker_a, visits[:2])
    sync(api, worker_a, visits[2:])
    shown = [
        api.get(f"/visits/{v['id']}", as_=supervisor_a).json["presence"]["burst"] for v in visits
    ]
    assert shown == [False, False, True, True, True]
