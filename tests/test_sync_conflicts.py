"""Conflicting copies from phones: kept once however often they are resent."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from server.models import SyncConflict
from server.models.types import UTCDateTime
from server.platform.extensions import db
from tests.visitdata import sync_body, visit_payload


def conflict_of(api, worker, resident, **changes) -> dict:
    """A visit stored, then a second copy of it that differs in `changes`: a conflict."""
    visit = visit_payload(resident)
    assert api.post("/sync", json=sync_body([visit]), as_=worker).status_code == 200
    other = {**visit, **changes}
    answer = api.post("/sync", json=sync_body([other]), as_=worker)
    assert answer.json["results"][0]["status"] == "conflict"
    return other


def count_conflicts() -> int:
    return db.session.scalar(select(func.count()).select_from(SyncConflict))


def test_a_resent_conflict_is_kept_once(api, worker_a, resident_a):
    changed = conflict_of(api, worker_a, resident_a, feedback="changed my mind")
    for _ in range(5):
        answer = api.post("/sync", json=sync_body([changed, changed]), as_=worker_a)
        assert [r["status"] for r in answer.json["results"]] == ["conflict", "conflict"]
    assert count_conflicts() == 1
    other = {**changed, "feedback": "and again"}
    api.post("/sync", json=sync_body([other]), as_=worker_a)
    assert count_conflicts() == 2


# --- the migration ----------------------------------------------------------------------

_conflicts_0014 = sa.Table(
    "sync_conflicts", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("record_id", sa.Uuid),
    sa.Column("kind", sa.String), sa.Column("user_id", sa.Uuid),
    sa.Column("device_id", sa.Uuid), sa.Column("content_hash", sa.String),
    sa.Column("payload", sa.JSON), sa.Column("received_at", UTCDateTime(timezone=True)))


def test_the_migration_keeps_the_earliest_of_each_duplicate(app, api, admin):
    db.session.remove()
    downgrade(revision="0014")
    first, second = uuid.uuid4(), uuid.uuid4()
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    rows = [(first, "a", 0), (first, "a", 1), (first, "b", 2), (second, "a", 3),
            (first, "a", 4), (second, "a", 5)]
    with db.engine.begin() as connection:
        connection.execute(_conflicts_0014.insert(), [
            {"record_id": record, "kind": "visit", "user_id": admin.user.id,
             "device_id": None, "content_hash": digest, "payload": {"n": n},
             "received_at": start + timedelta(minutes=n)} for record, digest, n in rows])
    upgrade()
    kept = db.session.execute(select(SyncConflict.record_id, SyncConflict.content_hash,
                                     SyncConflict.payload).order_by(SyncConflict.id)).all()
    assert [(r, h, p["n"]) for r, h, p in kept] == [(first, "a", 0), (first, "b", 2),
                                                   (second, "a", 3)]
