"""Supervisor API latency: 100,000 residents and 2 million visits on PostgreSQL.

Seeds a durable throwaway cluster by COPY (50 units of 2,000 residents, 4 workers a unit,
visits over the last 20 weeks with realistic shares of concerns, ratings, QR scans, bursts,
amendments and voids), then times each supervisor endpoint through the Flask app in one
process (no network), as a supervisor of 2 units and as an admin of all 50.

Run: `python -m bench.supervisor_api [visits] [--only TEXT]`. Prints figures; asserts
nothing. `--only /coverage` times only the endpoints whose path holds the text, and leaves out
the handling and the year's export.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import os
import random
import resource
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

from bench.common import (
    database,
    git_revision,
    login_headers,
    machine,
    make_app,
    postgres_available,
    timed,
)

UNITS = 50
PER_UNIT = 2_000
WORKERS_PER_UNIT = 4
WEEKS = 20
ZONE = "Asia/Shanghai"
REPEAT = 40


def _copy(connection, table: str, columns: tuple[str, ...], rows) -> int:
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _people(app) -> dict:
    from server.people.audit import SYSTEM
    from server.people.users import create_user
    from server.platform.extensions import db
    from server.roster.units import create_unit

    with app.app_context():
        units = [create_unit(SYSTEM, f"病区 Ward {n:02d}", "ward") for n in range(UNITS)]
        db.session.flush()
        workers = {
            unit.id: [
                create_user(
                    SYSTEM,
                    {
                        "username": f"worker.{n:02d}.{w}",
                        "role": "worker",
                        "password": "plum-bench-7",
                        "display_name": f"护工 Worker {n:02d}-{w}",
                        "unit_ids": [unit.id],
                    },
                ).id
                for w in range(WORKERS_PER_UNIT)
            ]
            for n, unit in enumerate(units)
        }
        create_user(
            SYSTEM,
            {
                "username": "sup",
                "role": "supervisor",
                "password": "plum-bench-7",
                "unit_ids": [units[0].id, units[1].id],
            },
        )
        create_user(SYSTEM, {"username": "boss", "role": "admin", "password": "plum-bench-7"})
        db.session.commit()
        return {"units": [unit.id for unit in units], "workers": workers}


def _seed(url: str, people: dict, visits: int, rng: random.Random) -> dict:
    today = datetime.now(ZoneInfo(ZONE)).date()
    start = today - timedelta(weeks=WEEKS)
    zone = ZoneInfo(ZONE)
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    residents = []
    with psycopg.connect(plain) as connection:

        def resident_rows():
            for n, unit_id in enumerate(people["units"]):
                for r in range(PER_UNIT):
                    rid = uuid.uuid4()
                    residents.append((rid, unit_id))
                    yield (
                        rid,
                        unit_id,
                        f"住户 {n:02d}-{r:04d}",
                        ("female", "male")[r % 2],
                        1930 + r % 30,
                        f"{r // 4:03d}-{r % 4 + 1}",
                        None,
                        None,
                        "semi_care",
                        date(2024, 1, 1),
                        "active",
                        date(2024, 1, 1),
                        uuid.uuid4().hex,
                        0,
                        datetime.now(UTC),
                        datetime.now(UTC),
                    )

        _copy(
            connection,
            "residents",
            (
                "id",
                "unit_id",
                "name",
                "sex",
                "birth_year",
                "room",
                "address",
                "phone",
                "care_level",
                "admitted_on",
                "status",
                "status_since",
                "qr_token",
                "change_seq",
                "created_at",
                "updated_at",
            ),
            resident_rows(),
        )
        flagged_ids = []
        strokes = json.dumps([[10, 10, 40, 30, 80, 20]])

        def visit_rows():
            days = (today - start).days
            for _ in range(visits):
                resident_id, unit_id = residents[rng.randrange(len(residents))]
                worker = rng.choice(people["workers"][unit_id])
                day = start + timedelta(days=rng.randrange(days + 1))
                local = datetime(day.year, day.month, day.day, 8, tzinfo=zone) + timedelta(
                    seconds=rng.randrange(9 * 3600)
                )
                at = local.astimezone(UTC)
                concern = rng.random()
                obs = [
                    "concern" if concern < 0.04 * (k + 1) and concern >= 0.04 * k else "ok"
                    for k in range(3)
                ]
                follow_up = rng.random() < 0.05
                rating = rng.random()
                satisfaction = (
                    None
                    if rating < 0.3
                    else "unsatisfied"
                    if rating < 0.37
                    else "basically_satisfied"
                    if rating < 0.58
                    else "satisfied"
                )
                qr = rng.random() < 0.8
                vid = uuid.uuid4()
                if "concern" in obs or follow_up:
                    flagged_ids.append(vid)
                presence = json.dumps(
                    {
                        "identified_by": "qr" if qr else "manual",
                        "token": "current" if qr else None,
                        "distance_m": None,
                        "burst": rng.random() < 0.01,
                    }
                )
                yield (
                    vid,
                    resident_id,
                    unit_id,
                    worker,
                    "round",
                    at,
                    at + timedelta(minutes=4),
                    day,
                    at + timedelta(minutes=30),
                    "qr" if qr else "manual",
                    *obs,
                    "",
                    "测血压 blood pressure",
                    follow_up,
                    satisfaction,
                    "谢谢" if satisfaction else "",
                    "resident",
                    600,
                    200,
                    strokes,
                    hashlib.sha256(vid.bytes).hexdigest(),
                    hashlib.sha256(vid.bytes).hexdigest(),
                    presence,
                    at + timedelta(days=1) if rng.random() < 0.005 else None,
                )

        _copy(
            connection,
            "visits",
            (
                "id",
                "resident_id",
                "unit_id",
                "worker_id",
                "kind",
                "checked_in_at",
                "checked_out_at",
                "visit_date",
                "received_at",
                "identified_by",
                "obs_living",
                "obs_emotional",
                "obs_physical",
                "obs_notes",
                "service_given",
                "follow_up",
                "satisfaction",
                "feedback",
                "signer",
                "signature_width",
                "signature_height",
                "signature_strokes",
                "content_hash",
                "raw_hash",
                "presence",
                "voided_at",
            ),
            visit_rows(),
        )
        admin_id = connection.execute("SELECT id FROM users WHERE username = 'boss'").fetchone()[0]
        amended = rng.sample(flagged_ids, len(flagged_ids) // 100)
        _copy(
            connection,
            "amendments",
            ("id", "visit_id", "author_id", "changes", "reason", "content_hash", "created_at"),
            (
                (
                    uuid.uuid4(),
                    vid,
                    admin_id,
                    json.dumps(
                        {
                            "observations": {"living": "ok", "emotional": "ok", "physical": "ok"},
                            "follow_up": False,
                        }
                        if k % 2
                        else {"feedback": "更正 corrected"}
                    ),
                    "bench",
                    "0" * 64,
                    datetime.now(UTC),
                )
                for k, vid in enumerate(amended)
            ),
        )
        handled = rng.sample(flagged_ids, len(flagged_ids) // 3)
        _copy(
            connection,
            "followups_handled",
            ("visit_id", "handled_by", "handled_at", "note"),
            ((vid, admin_id, datetime.now(UTC), "处理 done") for vid in handled),
        )
        now = datetime.now(UTC)
        _copy(
            connection,
            "devices",
            ("id", "user_id", "name", "token_hash", "issued_at", "expires_at", "last_sync_at"),
            (
                (
                    uuid.uuid4(),
                    worker,
                    "phone",
                    uuid.uuid4().hex,
                    now - timedelta(days=60),
                    now + timedelta(days=30),
                    now - timedelta(hours=rng.randrange(24 * 7)),
                )
                for workers in people["workers"].values()
                for worker in workers
            ),
        )
        # Coverage results of the last 4 weeks, for the coverage export (made by the coverage
        # engine in production; written directly here, which is much faster than refreshing).
        _copy(
            connection,
            "coverage_results",
            (
                "resident_id",
                "period",
                "period_start",
                "period_end",
                "unit_id",
                "required",
                "active_days",
                "days_visited",
                "status",
                "evaluated_at",
                "closed_at",
            ),
            (
                (
                    rid,
                    f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}",
                    monday,
                    monday + timedelta(days=6),
                    unit_id,
                    2,
                    7,
                    days,
                    "met" if days >= 2 else "missed",
                    now,
                    now,
                )
                for monday in [today - timedelta(days=today.weekday() + 7 * k) for k in range(1, 5)]
                for rid, unit_id in residents
                for days in [rng.randrange(4)]
            ),
        )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
    return {
        "flagged": len(flagged_ids),
        "amended": len(amended),
        "handled": len(handled),
        "open": list(set(flagged_ids) - set(handled)),
    }


def _count(app) -> None:
    """The per-day counts the reports read, which the app keeps at sync; COPY bypassed it."""
    from sqlalchemy import text

    from server.platform.extensions import db
    from server.reports.day_counts import rebuild

    with app.app_context():
        rebuild()
        db.session.commit()
        db.session.execute(text("ANALYZE visit_day_counts"))
        db.session.commit()


def _refresh_coverage(app) -> str:
    """This week's and month's results and alerts, as the scheduler makes them."""
    from sqlalchemy import text

    from server import coverage
    from server.platform.extensions import db

    with app.app_context():
        app.config["TIMEZONE"] = ZONE
        answer = coverage.refresh()
        db.session.commit()
        # As autovacuum would within a minute of a pass that rewrote the week.
        db.session.execute(text("ANALYZE coverage_results"))
        db.session.execute(text("ANALYZE alerts"))
        db.session.commit()
        return (
            f"{answer['evaluated']:,} residents judged, {answer['status_changes']:,} statuses set"
        )


def _login(client, username: str) -> dict:
    return login_headers(client, username, "plum-bench-7")


def _time(call, repeat: int = REPEAT) -> dict:
    return timed(call, repeat)


def _get(client, headers, path):
    def call():
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.status_code, answer.get_data()[:300])
        answer.get_data()

    return call


def run(visits: int, only: str | None = None) -> tuple[list, list]:
    rng = random.Random(7)
    os.environ["ROUNDS_TIMEZONE"] = ZONE
    rows, notes = [], []
    with database("postgresql") as url:
        app = make_app(url)
        people = _people(app)
        started = time.perf_counter()
        seeded = _seed(url, people, visits, rng)
        _count(app)
        refreshed = _refresh_coverage(app)
        print("seeded", file=sys.stderr, flush=True)
        notes.append(
            f"seeded {visits:,} visits ({seeded['flagged']:,} flagged, "
            f"{seeded['amended']:,} amended, {seeded['handled']:,} handled) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        notes.append(f"this week's coverage by the refresh itself: {refreshed}")
        client = app.test_client()
        sup, boss = _login(client, "sup"), _login(client, "boss")
        unit = people["units"][0]
        with app.app_context():
            from sqlalchemy import exists, select

            from server.models import Amendment, Visit
            from server.platform.extensions import db

            sample = db.session.scalar(select(Visit.id).where(Visit.unit_id == unit).limit(1))
            # Open and never amended: an amendment may have cleared the flag (422 to handle).
            mine = list(
                db.session.scalars(
                    select(Visit.id).where(
                        Visit.id.in_(seeded["open"][:20000]),
                        Visit.unit_id.in_(people["units"][:2]),
                        ~exists().where(Amendment.visit_id == Visit.id),
                    )
                )
            )[:60]
        # A worker holds no seeding leftovers (200,000 ids here): let go of them, and freeze
        # what stays for the run as the app froze its own objects, so full collections walk
        # what requests leave behind, as in a worker.
        del seeded
        gc.collect()
        gc.freeze()
        today = datetime.now(ZoneInfo(ZONE)).date()
        day = today - timedelta(days=3)
        endpoints = [
            ("GET /coverage (this week, page 1)", "/api/v1/coverage"),
            (
                "GET /coverage?status=at_risk&status=missed&page=2",
                "/api/v1/coverage?status=at_risk&status=missed&page=2",
            ),
            ("GET /coverage?sort=last_visit", "/api/v1/coverage?sort=last_visit"),
            ("GET /coverage/history (12 weeks)", "/api/v1/coverage/history"),
            ("GET /alerts (open)", "/api/v1/alerts"),
            ("GET /followups (open, page 1)", "/api/v1/followups"),
            ("GET /followups?status=all&page=20", "/api/v1/followups?status=all&page=20"),
            ("GET /followups?unit_id=…", f"/api/v1/followups?unit_id={unit}"),
            ("GET /reports/satisfaction (12 months)", "/api/v1/reports/satisfaction"),
            ("GET /reports/satisfaction/unsatisfied", "/api/v1/reports/satisfaction/unsatisfied"),
            ("GET /reports/activity (28 days)", "/api/v1/reports/activity"),
            ("GET /reports/devices", "/api/v1/reports/devices"),
            ("GET /register?visit_id=…", f"/api/v1/register?visit_id={sample}"),
            (
                "GET /register (one unit, one day)",
                f"/api/v1/register?from={day}&to={day}&unit_id={unit}",
            ),
            (
                "GET /exports/coverage.csv (one unit, 4 weeks)",
                f"/api/v1/exports/coverage.csv?from={today - timedelta(days=28)}&to={today}"
                f"&unit_id={unit}",
            ),
            (
                "GET /exports/visits.csv (one unit, 7 days)",
                f"/api/v1/exports/visits.csv?from={today - timedelta(days=6)}&to={today}"
                f"&unit_id={unit}",
            ),
        ]
        for name, path in endpoints:
            if only is not None and only not in path:
                continue
            figures = {
                who: _time(_get(client, headers, path))
                for who, headers in (("supervisor", sup), ("admin", boss))
            }
            rows.append((name, figures["supervisor"], figures["admin"]))
            print(name, figures, file=sys.stderr, flush=True)
        if only is not None:
            return rows, notes
        handles = iter(mine)

        def handle():
            answer = client.post(
                f"/api/v1/followups/{next(handles)}/handle", json={"note": "bench"}, headers=sup
            )
            assert answer.status_code == 201, answer.json

        rows.append(
            ("POST /followups/{id}/handle", _time(handle, min(REPEAT, len(mine) - 3)), None)
        )
        # A year's export as an admin: every visit, streamed; memory stays flat.
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        answer = client.get(
            f"/api/v1/exports/visits.csv?from={today - timedelta(days=364)}&to={today}",
            headers=boss,
            buffered=False,
        )
        size, first = 0, None
        for chunk in answer.response:
            first = first or time.perf_counter() - started
            size += len(chunk)
        total = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        notes.append(
            f"full export as admin: {visits:,} visits, {size / 1e6:.0f} MB of CSV in "
            f"{total:.1f} s ({visits / total:,.0f} rows/s), first bytes after "
            f"{first * 1000:.0f} ms, peak memory grew {grown:.0f} MB"
        )
    return rows, notes


def report(rows: list, notes: list) -> str:
    lines = [
        f"Machine: {machine()}; commit {git_revision()}; {datetime.now(UTC):%Y-%m-%d}.",
        "",
        "| endpoint | supervisor (2 units) p50 / p95 ms | admin (50 units) p50 / p95 ms |",
        "|---|---|---|",
    ]
    for name, sup, admin in rows:
        cell = lambda f: "n/a" if f is None else f"{f['p50']:.0f} / {f['p95']:.0f}"  # noqa: E731
        lines.append(f"| {name} | {cell(sup)} | {cell(admin)} |")
    lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    logging.disable(logging.WARNING)
    if not postgres_available():
        print("PostgreSQL is not installed: nothing to measure.")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("visits", nargs="?", type=int, default=2_000_000)
    parser.add_argument("--only", help="time only the endpoints whose path holds this text")
    args = parser.parse_args(argv)
    print(report(*run(args.visits, args.only)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
