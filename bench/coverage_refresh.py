"""Coverage refresh at scale: 100,000 residents and 2 million visits, SQLite and PostgreSQL.

Run: `python -m bench.coverage_refresh [sqlite|postgresql] [--residents N] [--visits N]`.
Prints the time and peak memory of each step; asserts nothing. The steps, in order:

- first refresh: a new install (or a new period, or a changed policy) judges every resident,
  a slice a refresh (the refreshes follow each other until the full pass is done);
- a quarter hour: 2,000 new visits, 50 voids and 100 discharges, then a refresh;
- idle: a refresh with nothing new (only rows whose status is due to turn);
- status turns: the refreshes a quarter hour apart from Saturday 00:05, as tens of thousands
  of statuses turn at risk (each refresh takes some of them, until all have turned);
- Sunday: the statuses turn again from 00:05; then refreshes a quarter hour apart, each
  preparing a slice of next week's results;
- close of the week, then the first refresh of the next week (what Sunday prepared).

The steps run `--rounds` times (3 by default), each time from a copy of the seeded database,
and the best and median time of each step are printed: on a shared machine the best says what
the code costs, the median what a busy machine makes of it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import random
import resource
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, select, text, update

from bench.common import database, git_revision, machine, make_app, postgres_available
from server import coverage
from server.models import CoverageState, Resident, Unit, User, Visit, utcnow
from server.platform.extensions import db
from server.roster.changes import next_change_number

ZONE = "Asia/Shanghai"
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo(ZONE))  # a Wednesday
DAYS = 70  # ten weeks of history
CHUNK = 20_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _filler() -> dict:
    """Values for required visit columns this bench does not know (the table grows)."""
    by_type = {
        "String": "",
        "Text": "",
        "Integer": 0,
        "BigInteger": 0,
        "Boolean": False,
        "JSON": {},
        "Float": 0.0,
    }
    return {
        column.name: by_type.get(type(column.type).__name__, "")
        for column in Visit.__table__.columns
        if not column.nullable and column.default is None and not column.primary_key
    }


def _visit_rows(rng: random.Random, resident_ids, unit_of, worker_id, count: int, end: date):
    start = end - timedelta(days=DAYS - 1)
    received = utcnow() - timedelta(days=1)
    filler = _filler()
    for _ in range(count):
        resident_id = resident_ids[rng.randrange(len(resident_ids))]
        day = start + timedelta(days=rng.randrange(DAYS))
        checked_in = datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(8, 19),
            rng.randrange(60),
            tzinfo=ZoneInfo(ZONE),
        )
        yield {
            **filler,
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "resident_id": resident_id,
            "unit_id": unit_of[resident_id],
            "worker_id": worker_id,
            "device_id": None,
            "kind": "round",
            "checked_in_at": checked_in.astimezone(UTC),
            "checked_out_at": None,
            "visit_date": day,
            "received_at": received,
            "identified_by": "qr",
            "qr_token": None,
            "lat": None,
            "lon": None,
            "accuracy_m": None,
            "obs_living": "ok",
            "obs_emotional": "ok",
            "obs_physical": "ok",
            "obs_notes": "",
            "service_given": "",
            "follow_up": False,
            "satisfaction": None,
            "feedback": "",
            "signer": "none",
            "signer_name": None,
            "signer_reason": "asleep",
            "signature_width": 600,
            "signature_height": 200,
            "signature_strokes": [],
            "content_hash": "0" * 64,
            "presence": {},
            "voided_at": None,
            "voided_by": None,
            "void_reason": None,
        }


def _seed(residents: int, visits: int) -> tuple[list, dict, uuid.UUID]:
    rng = random.Random(2026)
    units = [
        {
            "id": uuid.uuid4(),
            "name": f"Unit {n:03d}",
            "kind": "ward",
            "change_seq": 0,
            "created_at": utcnow(),
        }
        for n in range(max(1, residents // 1000))
    ]
    db.session.execute(insert(Unit), units)
    worker_id = uuid.uuid4()
    db.session.execute(
        insert(User).values(
            id=worker_id,
            username="bench",
            display_name="bench",
            role="worker",
            password_hash="x",
            active=True,
            created_at=utcnow(),
        )
    )
    levels = ("self_care", "semi_care", "full_care", "home")
    rows, unit_of = [], {}
    for number in range(residents):
        resident_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        unit_id = units[number % len(units)]["id"]
        unit_of[resident_id] = unit_id
        admitted = NOW.date() - timedelta(days=rng.choice([400, 400, 400, 3, 1]))
        rows.append(
            {
                "id": resident_id,
                "unit_id": unit_id,
                "name": f"住户{number:06d}",
                "care_level": levels[number % 4],
                "admitted_on": admitted,
                "status": "active",
                "status_since": admitted,
                "qr_token": uuid.uuid4().hex,
                "change_seq": 0,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
        if len(rows) == CHUNK:
            db.session.execute(insert(Resident), rows)
            rows = []
    if rows:
        db.session.execute(insert(Resident), rows)
    db.session.commit()
    ids = list(unit_of)
    batch = []
    for row in _visit_rows(rng, ids, unit_of, worker_id, visits, NOW.date()):
        batch.append(row)
        if len(batch) == CHUNK:
            db.session.execute(insert(Visit), batch)
            db.session.commit()
            batch = []
    if batch:
        db.session.execute(insert(Visit), batch)
    db.session.commit()
    return ids, unit_of, worker_id


def _quarter_hour(ids, unit_of, worker_id) -> None:
    """What a busy quarter hour brings: new visits, a few voids and discharges."""
    rng = random.Random(7)
    rows = list(_visit_rows(rng, ids, unit_of, worker_id, 2000, NOW.date()))
    for row in rows:
        row["visit_date"] = NOW.date() - timedelta(days=rng.choice([0, 0, 0, 1, 2, 9]))
        row["received_at"] = utcnow()
    db.session.execute(insert(Visit), rows)
    voids = db.session.scalars(
        select(Visit.id).where(Visit.visit_date == NOW.date()).limit(50)
    ).all()
    db.session.execute(update(Visit).where(Visit.id.in_(voids)).values(voided_at=utcnow()))
    for resident_id in rng.sample(ids, 100):
        db.session.execute(
            update(Resident)
            .where(Resident.id == resident_id)
            .values(status="discharged", status_since=NOW.date(), change_seq=next_change_number())
        )
    db.session.commit()


def _quarter_hours_pass() -> None:
    """The refreshes here follow each other within seconds, where the scheduler's are a
    quarter hour apart: without this, each would read the busy quarter hour's visits again
    (a refresh re-reads what arrived up to 5 minutes before the last one started)."""
    earlier = timedelta(hours=1)
    recent = utcnow() - earlier
    for column in (Visit.received_at, Visit.voided_at):
        moved = [
            {"id": visit_id, column.key: stamp - earlier}
            for visit_id, stamp in db.session.execute(
                select(Visit.id, column).where(column > recent)
            )
        ]
        if moved:
            db.session.execute(update(Visit), moved)
    db.session.commit()


def _step(name: str, call, times: dict[str, list[float]]) -> dict:
    db.session.remove()
    started = time.perf_counter()
    result = call()
    db.session.commit()  # a job commits its step: the time counts it, the next step sees it
    elapsed = time.perf_counter() - started
    times.setdefault(name, []).append(elapsed)
    shown = {
        k: v
        for k, v in (result or {}).items()
        if k in ("evaluated", "late", "full", "status_changes", "closed", "prepared")
    }
    print(f"  {name:<38} {elapsed:7.2f} s   peak RSS {_peak_mb():7.0f} MB   {shown}")
    return result or {}


def run_steps(
    ids, unit_of, worker_id, times: dict[str, list[float]], profile: bool = False
) -> None:
    coverage.replace_policies(
        None,
        {
            "default": {"required": 2, "period": "week"},
            "care_levels": [
                {"care_level": "full_care", "required": 3, "period": "week"},
                {"care_level": "home", "required": 1, "period": "month"},
            ],
        },
    )
    db.session.commit()

    def step(name, call) -> dict:
        return (_profiled if profile else _step)(name, call, times)

    _full_pass(step)
    _quarter_hour(ids, unit_of, worker_id)
    step("refresh after a busy quarter hour", lambda: coverage.refresh(NOW + timedelta(minutes=15)))
    _quarter_hours_pass()
    step("idle refresh", lambda: coverage.refresh(NOW + timedelta(minutes=30)))
    _midnight_turn("Sat", NOW + timedelta(days=2, hours=12, minutes=5), step)
    sunday = _midnight_turn("Sun", NOW + timedelta(days=3, hours=12, minutes=5), step)
    while not db.session.get(CoverageState, 1).prepared_complete:
        step("Sunday refresh preparing a slice", lambda at=sunday: coverage.refresh(at))
        sunday += timedelta(minutes=15)
    monday = NOW + timedelta(days=4, hours=12, minutes=10)
    step(
        "close of the week",
        lambda: coverage.close_period(coverage.Period.of("week", NOW.date()).label, monday),
    )
    step("first refresh of the next week", lambda: coverage.refresh(monday))


def _full_pass(step) -> None:
    """A new install's first refreshes, each judging passes.FULL_PASS_SLICE residents, until
    every resident is judged."""
    number = 1
    while step(f"first refresh, slice {number} (full pass)", lambda: coverage.refresh(NOW)).get(
        "more"
    ):
        number += 1


def _midnight_turn(day: str, first: datetime, step) -> datetime:
    """The refreshes a quarter hour apart from `first` until every status due that day has
    turned (each takes passes.DUE_ROWS_PER_REFRESH due rows); answers the next one's time."""
    at = first
    while True:
        result = step(f"{day} {at:%H:%M}: statuses turn", lambda at=at: coverage.refresh(at))
        at += timedelta(minutes=15)
        if not result.get("more"):
            return at


def _profiled(name: str, call, times: dict[str, list[float]]) -> dict:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    result = _step(name, call, times)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    return result


@contextlib.contextmanager
def _restorable(kind: str, url: str) -> Iterator[Callable[[], None]]:
    """Keep a copy of the seeded database; the callable puts it back (for another round)."""
    if kind == "postgresql":
        base, name = url.rsplit("/", 1)
        server = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f"CREATE DATABASE seeded TEMPLATE {name}"))

        def restore() -> None:
            with server.connect() as connection:
                connection.execute(text(f"DROP DATABASE {name}"))
                connection.execute(text(f"CREATE DATABASE {name} TEMPLATE seeded"))

        yield restore
        server.dispose()
        return
    path = Path(url.removeprefix("sqlite:///"))
    copy = path.with_name("seeded.db")

    def backup(source: Path, target: Path) -> None:
        with sqlite3.connect(source) as origin, sqlite3.connect(target) as destination:
            origin.backup(destination)

    backup(path, copy)
    yield lambda: backup(copy, path)


def run(kind: str, residents: int, visits: int, rounds: int) -> None:
    times: dict[str, list[float]] = {}
    with database(kind) as url:
        app = make_app(url)
        app.config["TIMEZONE"] = ZONE
        with app.app_context():
            started = time.perf_counter()
            ids, unit_of, worker_id = _seed(residents, visits)
            print(
                f"{kind}: {residents:,} residents, {visits:,} visits "
                f"(seeded in {time.perf_counter() - started:.0f} s)"
            )
            db.session.remove()
            db.engine.dispose()
        with _restorable(kind, url) as restore:
            for number in range(rounds):
                if number:
                    restore()
                print(f" round {number + 1} of {rounds}, load average {os.getloadavg()[0]:.1f}")
                with app.app_context():
                    run_steps(ids, unit_of, worker_id, times)
                    db.session.remove()
                    db.engine.dispose()
    print(f"{kind}, {rounds} rounds: best / median seconds")
    for name, seconds in times.items():
        print(f"  {name:<38} {min(seconds):7.2f} / {statistics.median(seconds):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=2_000_000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="run the steps this many times from the seeded copy"
    )
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    print(f"coverage refresh bench, {machine()}, revision {git_revision()}")
    for kind in args.databases:
        if kind == "postgresql" and not postgres_available():
            print("postgresql: not installed, skipped")
            continue
        run(kind, args.residents, args.visits, args.rounds)


if __name__ == "__main__":
    main()
