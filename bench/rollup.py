"""Roll-up latency at city scale: 10 districts, 200 offices, 100,000 residents and a year of
aggregates for 2 million visits, on PostgreSQL.

The roll-up reads only what ingest and the coverage refresh leave counted: the per-day visit
counts (a row per unit, day and worker), the coverage counts (a few rows per unit and period)
and the task and case tables. So this seeds those directly, in bulk with SQL, as a year of
ingest would leave them, rather than two million visits (bench/supervisor_api.py times the
ingest side): each office has 2 units of 250 residents and 3 workers a unit; a worker works
about 3 days in 5, 5 to 10 visits a day, rated like the demo's shares; every unit has a
year of weekly and monthly coverage counts, the residents of one rule kind each; tasks and
cases are a share of residents. Then it times, through the Flask app in one process (no
network), GET /api/v1/rollup as an inspector of the city (the city's 10 districts) and of a
district (its 20 offices), this year to today, and the CSV once each.

Run: `python -m bench.rollup [--small]`. Prints figures; asserts nothing. `--small` seeds a
city of 2 districts, 4 offices and 2,000 residents (a check that it runs).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

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

ZONE = "Asia/Shanghai"
REPEAT = 40
PASSWORD = "plum-bench-7"


@dataclass(frozen=True)
class Size:
    districts: int
    offices_per_district: int
    units_per_office: int = 2
    residents_per_unit: int = 250
    workers_per_unit: int = 3
    # The share of days a worker records rounds, and the visits of such a day (uniform).
    work_share: float = 0.6
    visits_least: int = 5
    visits_most: int = 10


CITY = Size(districts=10, offices_per_district=20)
SMALL = Size(districts=2, offices_per_district=2, residents_per_unit=250)


def _run(connection, sql: str, **params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _seed_tree(connection, size: Size) -> None:
    """The districts and offices (the migration's district and office among them), the units,
    the workers and the residents."""
    _run(
        connection,
        """
        INSERT INTO organisations (id, kind, name, parent_id, address, phone, created_at)
        SELECT gen_random_uuid(), 'district', '区民政局 ' || n, c.id, '', '', now()
        FROM organisations c, generate_series(2, %(districts)s) n WHERE c.kind = 'city'
        """,
        districts=size.districts,
    )
    _run(
        connection,
        """
        INSERT INTO organisations (id, kind, name, parent_id, address, phone, created_at)
        SELECT gen_random_uuid(), 'office', d.name || ' 工作室 ' || n, d.id, '', '', now()
        FROM organisations d, generate_series(1, %(offices)s) n
        WHERE d.kind = 'district'
          AND (n > 1 OR NOT EXISTS (SELECT 1 FROM organisations o WHERE o.parent_id = d.id))
        """,
        offices=size.offices_per_district,
    )
    _run(
        connection,
        """
        INSERT INTO units (id, office_id, name, kind, change_seq, created_at)
        SELECT gen_random_uuid(), o.id, '区域 ' || n, 'ward', 0, now()
        FROM organisations o, generate_series(1, %(units)s) n WHERE o.kind = 'office'
        """,
        units=size.units_per_office,
    )
    _run(
        connection,
        """
        INSERT INTO users (id, username, display_name, role, organisation_id, password_hash,
                           active, created_at)
        SELECT gen_random_uuid(), 'w.' || u.id || '.' || n, '护工 ' || n, 'worker', u.office_id,
               'unused', true, now()
        FROM units u, generate_series(1, %(workers)s) n
        """,
        workers=size.workers_per_unit,
    )
    _run(
        connection,
        """
        INSERT INTO user_units (user_id, unit_id)
        SELECT w.id, u.id FROM users w JOIN units u ON w.username LIKE 'w.' || u.id || '.%%'
        """,
    )
    _run(
        connection,
        """
        INSERT INTO residents (id, unit_id, name, care_level, admitted_on, status, status_since,
                               qr_token, change_seq, created_at, updated_at)
        SELECT gen_random_uuid(), u.id, '住户 ' || n, 'semi_care', DATE '2024-01-01',
               CASE WHEN random() < 0.95 THEN 'active' ELSE 'discharged' END, DATE '2024-01-01',
               replace(gen_random_uuid()::text, '-', ''), 0, now(), now()
        FROM units u, generate_series(1, %(residents)s) n
        """,
        residents=size.residents_per_unit,
    )


def _seed_day_counts(connection, size: Size) -> None:
    """A year of per-day counts: a row per worker and day worked, as sync ingest adds them."""
    _run(
        connection,
        """
        INSERT INTO visit_day_counts (unit_id, visit_date, worker_id, visits, qr, burst,
            satisfied, basically_satisfied, unsatisfied, flagged, flagged_handled)
        SELECT unit_id, visit_date, worker_id, v,
               least(v, floor(v * 0.8 + random())::int), (random() < 0.05)::int,
               floor(v * 0.42 + random())::int, floor(v * 0.21 + random())::int,
               (random() < v * 0.07)::int, f, least(f, floor(f * 0.8 + random())::int)
        FROM (
            SELECT uu.unit_id, day::date AS visit_date, uu.user_id AS worker_id,
                   %(least)s + floor(random() * (%(most)s - %(least)s + 1))::int AS v,
                   (random() < 0.4)::int AS f
            FROM user_units uu,
                 generate_series(current_date - 364, current_date, interval '1 day') day
            WHERE random() < %(share)s
        ) worked
        """,
        least=size.visits_least,
        most=size.visits_most,
        share=size.work_share,
    )


# A week's residents by days visited (a rule of 2 days a week), and a month's (8 days).
WEEK_SHARES = {0: 0.03, 1: 0.07, 2: 0.40, 3: 0.30, 4: 0.12, 5: 0.05, 6: 0.03}
MONTH_SHARES = {4: 0.05, 6: 0.10, 8: 0.35, 9: 0.25, 10: 0.15, 12: 0.10}
WEEKLY_RESIDENTS = 0.8  # the rest are judged by month


def _seed_coverage_counts(connection, size: Size) -> None:
    """A year of counts per unit and period, as the refresh recounts them."""
    weekly = round(size.residents_per_unit * WEEKLY_RESIDENTS)
    monthly = size.residents_per_unit - weekly
    for kind, label, step, required, shares, residents in (
        ("week", """'IYYY-"W"IW'""", "1 week", 2, WEEK_SHARES, weekly),
        ("month", "'YYYY-MM'", "1 month", 8, MONTH_SHARES, monthly),
    ):
        values = ", ".join(f"({days}, {share})" for days, share in shares.items())
        _run(
            connection,
            f"""
            INSERT INTO coverage_counts (period, unit_id, status, shortfall, days_visited,
                                         never_visited, residents, evaluated_at)
            SELECT to_char(start, {label}), u.id,
                   CASE WHEN d.days >= {required} THEN 'met' ELSE 'missed' END,
                   {required} - d.days, d.days, false,
                   greatest(1, round(d.share * {residents})::int), now()
            FROM units u,
                 generate_series(date_trunc('{kind}', current_date - 364),
                                 current_date, interval '{step}') start,
                 (VALUES {values}) d(days, share)
            """,
        )


def _seed_tasks_and_cases(connection) -> None:
    """Tasks for about two residents in three (most done), cases for one in twenty."""
    _run(
        connection,
        """
        INSERT INTO tasks (id, resident_id, unit_id, title, details, priority, status, source,
                           assignee_id, due_on, created_by, created_at, received_at, updated_at,
                           closed_at, change_seq)
        SELECT gen_random_uuid(), r.id, r.unit_id, '跟进', '', 'soon', t.status, 'manual',
               w.user_id, current_date - (random() * 300)::int + 7, w.user_id, now(), now(),
               now(),
               CASE WHEN t.status IN ('done', 'cancelled')
                    THEN now() - random() * interval '330 days' END, 0
        FROM residents r
        CROSS JOIN LATERAL (
            SELECT CASE WHEN x < 0.10 THEN 'open' WHEN x < 0.12 THEN 'in_progress'
                        WHEN x < 0.97 THEN 'done' ELSE 'cancelled' END AS status
            FROM (SELECT random() + 0 * length(r.name) AS x) pick
        ) t
        JOIN LATERAL (
            SELECT user_id FROM user_units WHERE unit_id = r.unit_id LIMIT 1
        ) w ON true
        WHERE random() < 0.65
        """,
    )
    _run(
        connection,
        """
        INSERT INTO cases (id, resident_id, unit_id, worker_id, source, source_note, stage,
                           opened_at, closed_at, created_by, received_at, updated_at,
                           content_hash, change_seq)
        SELECT gen_random_uuid(), r.id, r.unit_id, w.user_id, 'resident_request', '',
               s.stage, now() - interval '200 days',
               CASE WHEN s.stage IN ('closing', 'archived')
                    THEN now() - random() * interval '150 days' END,
               w.user_id, now(), now(), md5(r.id::text), 0
        FROM residents r
        CROSS JOIN LATERAL (
            SELECT (ARRAY['intake', 'assessment', 'intervention', 'closing', 'archived'])
                   [1 + floor(random() * 5 + 0 * length(r.name))::int] AS stage
        ) s
        JOIN LATERAL (
            SELECT user_id FROM user_units WHERE unit_id = r.unit_id LIMIT 1
        ) w ON true
        WHERE random() < 0.05
        """,
    )


def seed(url: str, size: Size) -> dict:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    started = time.perf_counter()
    with psycopg.connect(plain) as connection:
        _seed_tree(connection, size)
        _seed_day_counts(connection, size)
        _seed_coverage_counts(connection, size)
        _seed_tasks_and_cases(connection)
        connection.commit()
    with psycopg.connect(plain, autocommit=True) as connection:
        _run(connection, "VACUUM ANALYZE")
        counts = {}
        for table in ("organisations", "units", "users", "residents", "visit_day_counts"):
            counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        counts["visits"] = connection.execute(
            "SELECT sum(visits) FROM visit_day_counts"
        ).fetchone()[0]
        for table in ("coverage_counts", "tasks", "cases"):
            counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    counts["seconds"] = time.perf_counter() - started
    return counts


def _inspectors(app) -> dict[str, str]:
    """An inspector of the city and one of a district, placed through the domain code."""
    from sqlalchemy import select

    from server.models import Organisation
    from server.people.audit import SYSTEM
    from server.people.users import create_user
    from server.platform.extensions import db

    with app.app_context():
        city = db.session.scalar(select(Organisation.id).where(Organisation.kind == "city"))
        district = db.session.scalar(
            select(Organisation.id).where(Organisation.kind == "district").order_by("name")
        )
        for username, organisation in (("insp.city", city), ("insp.district", district)):
            create_user(
                SYSTEM,
                {
                    "username": username,
                    "role": "inspector",
                    "password": PASSWORD,
                    "display_name": username,
                    "unit_ids": [],
                    "organisation_id": organisation,
                },
            )
        db.session.commit()
        return {"city": str(city), "district": str(district)}


def _login(client, username: str) -> dict:
    return login_headers(client, username, PASSWORD)


def _time(call, repeat: int = REPEAT) -> dict:
    return timed(call, repeat)


def _get(client, headers: dict, path: str):
    def call():
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.status_code, answer.get_data()[:300])
        answer.get_data()

    return call


def run(size: Size) -> tuple[dict, list]:
    with database("postgresql") as url:
        counts = seed(url, size)
        print("seeded", counts, file=sys.stderr, flush=True)
        app = make_app(url)
        app.config["TIMEZONE"] = ZONE
        ids = _inspectors(app)
        client = app.test_client()
        city = _login(client, "insp.city")
        district = _login(client, "insp.district")
        rows = []
        for name, headers, path in (
            ("city inspector: GET /rollup (the city's districts)", city, "/api/v1/rollup"),
            ("district inspector: GET /rollup (its offices)", district, "/api/v1/rollup"),
            (
                "city inspector: GET /rollup?organisation_id=<district>",
                city,
                f"/api/v1/rollup?organisation_id={ids['district']}",
            ),
            ("city inspector: GET /exports/rollup.csv", city, "/api/v1/exports/rollup.csv"),
        ):
            figures = _time(_get(client, headers, path))
            rows.append((name, figures))
            print(name, figures, file=sys.stderr, flush=True)
        with app.app_context():
            from server.platform.extensions import db

            db.engine.dispose()
    return counts, rows


def report(size: Size, counts: dict, rows: list) -> str:
    lines = [
        f"Machine: {machine()}; commit {git_revision()}; {datetime.now(UTC):%Y-%m-%d}.",
        "",
        f"Seeded in {counts['seconds']:.0f} s: {size.districts} districts, "
        f"{counts['organisations'] - 1 - size.districts} offices, {counts['units']:,} units, "
        f"{counts['users']:,} workers, {counts['residents']:,} residents; "
        f"{counts['visit_day_counts']:,} per-day count rows holding {counts['visits']:,} "
        f"visits; {counts['coverage_counts']:,} coverage count rows; {counts['tasks']:,} "
        f"tasks; {counts['cases']:,} cases.",
        "",
        f"| call (this year to today, {REPEAT} calls) | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    for name, figures in rows:
        lines.append(f"| {name} | {figures['p50']:.0f} | {figures['p95']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    logging.disable(logging.WARNING)
    if not postgres_available():
        print("PostgreSQL is not installed: nothing to measure.")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a city of 2 districts, 4 offices")
    size = SMALL if parser.parse_args(argv).small else CITY
    print(report(size, *run(size)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
