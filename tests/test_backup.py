"""Backups: back up, lose the database, restore, and every visit and signature is back."""

import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, inspect, select

from server.models import Amendment, Visit
from server.platform.backup import counts
from server.platform.extensions import db
from tests.activitydata import activity_payload, activity_sync, jpeg_bytes, photo_payload
from tests.conftest import add_resident
from tests.visitdata import sync_body, visit_payload


def _visits_as_stored() -> dict:
    """Every stored visit, every column: signature strokes, hashes, times, notes."""
    rows = db.session.execute(select(Visit.__table__)).mappings()
    return {row["id"]: dict(row) for row in rows}


def _amendments_as_stored() -> dict:
    return {
        row["id"]: dict(row) for row in db.session.execute(select(Amendment.__table__)).mappings()
    }


def _lose_the_database() -> None:
    """As if the disk died: every table gone, the migrations' record with them."""
    db.session.remove()
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.begin() as connection:
        metadata.drop_all(connection)
    db.engine.dispose()
    assert inspect(db.engine).get_table_names() == []


@pytest.fixture
def synced(api, admin, worker_a, ward_a):
    """Visits with signatures from a worker's phone, through the real sync API, and one fix."""
    residents = [
        add_resident(api, admin, ward_a, name=f"住户 {n}", room=f"1{n:02}") for n in range(5)
    ]
    visits = [visit_payload(residents[n % 5], seed=n, points=60 + n) for n in range(24)]
    for batch in (visits[:12], visits[12:]):
        answer = api.post("/sync", json=sync_body(batch), as_=worker_a)
        assert [r["status"] for r in answer.json["results"]] == ["created"] * len(batch)
    amendment = {
        "id": "6d1f0c8e-3f4a-4b8e-9c1d-2a3b4c5d6e7f",
        "visit_id": visits[0]["id"],
        "changes": {"feedback": "补充 家属在场"},
        "reason": "forgot to note",
    }
    answer = api.post("/sync", json=sync_body(amendments=[amendment]), as_=worker_a)
    assert answer.json["results"][0]["status"] == "created"
    return visits


@pytest.fixture
def restore_schema_after(app):
    """A failed test must not leave the shared PostgreSQL database without tables."""
    yield
    db.session.remove()
    if "visits" not in inspect(db.engine).get_table_names():
        upgrade()


def test_round_trip_brings_back_every_visit_and_signature(
    app, api, worker_a, synced, tmp_path, restore_schema_after
):
    before_visits, before_amendments = _visits_as_stored(), _amendments_as_stored()
    assert len(before_visits) == 24
    runner = app.test_cli_runner()
    path = tmp_path / "backups" / "rounds.backup"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "24 visits" in result.output
    assert path.stat().st_mode & 0o077 == 0  # the file holds everything: owner only

    _lose_the_database()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output

    db.session.remove()
    assert _visits_as_stored() == before_visits
    assert _amendments_as_stored() == before_amendments
    # The phone's retry after the restore is still recognised: nothing doubles.
    answer = api.post("/sync", json=sync_body(synced), as_=worker_a)
    assert {r["status"] for r in answer.json["results"]} == {"duplicate"}
    assert counts()["visits"] == 24
    shown = api.get(f"/visits/{synced[3]['id']}", as_=worker_a)
    assert shown.status_code == 200


def test_restore_refuses_a_database_with_data_unless_forced(
    app, synced, tmp_path, restore_schema_after
):
    runner = app.test_cli_runner()
    path = tmp_path / "rounds.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0
    assert "24 visits" in refused.output and "--force" in refused.output
    forced = runner.invoke(args=["restore", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    db.session.remove()
    assert counts()["visits"] == 24


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind(app, tmp_path):
    runner = app.test_cli_runner()
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    result = runner.invoke(args=["restore", str(junk)])
    assert result.exit_code != 0 and "not a Rounds backup" in result.output
    missing = runner.invoke(args=["restore", str(tmp_path / "nowhere.backup")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_round_trip_brings_back_the_activities_photos(
    app, api, admin, worker_a, ward_a, tmp_path, restore_schema_after
):
    activity = activity_payload(ward_a)
    photo = photo_payload(activity)
    answer = api.post("/sync", as_=worker_a, json=activity_sync([activity], [photo]))
    assert {r["status"] for r in answer.json["results"]} == {"created"}
    path = tmp_path / "backups" / "rounds.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    shutil.rmtree(app.config["MEDIA_DIR"])  # the disk died: the photos with the database
    _lose_the_database()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    shown = api.get(f"/activities/{activity['id']}", as_=admin).json
    file = api.get(shown["photos"][0]["url"].removeprefix("/api/v1"), as_=admin)
    assert file.status_code == 200 and file.data == jpeg_bytes()
    assert Path(app.config["MEDIA_DIR"]).is_dir()
