"""CPU time the server spends on one sync request, as the load test's phones make them.

Units of 40 residents and four workers each, as in `bench/load_sync.py`; each worker in
turn pushes a batch of 20 visits with signatures, then makes a pull-only sync, always with
the cursor of its last answer and `Accept-Encoding: gzip`; eight rounds, as many as a phone
of the load test makes in its minute. Requests go through Flask's test
client, so the figure is the app's own work (parsing, validation, hashing, SQLAlchemy, JSON,
gzip) without a network or a WSGI server. On PostgreSQL the CPU time of the cluster's
processes (from /proc) is reported beside it, as a mean per request. CPU time, not wall time:
it moves far less than wall time when other work shares the machine, but still by a tenth or
more (caches and clock speed are shared too), so compare runs made one after the other.

Run: `python -m bench.sync_cpu [postgresql|sqlite] [--units 10] [--rounds 8]
[--profile push|pull]`. `--profile` prints a cProfile (CPU time) of that request kind, by
cumulative and by own time. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import pstats
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import orjson

from bench.common import (
    database,
    git_revision,
    machine,
    make_app,
    postgres_available,
    postgres_root,
    process_tree_cpu,
)
from bench.visit_shape import load_visit
from server.people.audit import SYSTEM
from server.people.users import create_user
from server.platform.extensions import db
from server.roster.residents import create_resident
from server.roster.units import create_unit
from tests.visitdata import delta_encode, signature_strokes

RESIDENTS = 40
WORKERS = 4
BATCH = 20
SIGNATURE_POINTS = 120
PASSWORD = "plum-bench-7"
WARM_UP_ROUNDS = 1


def _seed(app, units: int) -> None:
    with app.app_context():
        today = datetime.now(UTC).date()
        for number in range(units):
            unit = create_unit(SYSTEM, f"Ward {number:03d} 病区", "ward")
            for bed in range(RESIDENTS):
                create_resident(
                    SYSTEM,
                    {
                        "unit_id": unit.id,
                        "name": f"住户 {number}-{bed}",
                        "room": f"{bed // 2 + 100}-{bed % 2 + 1}",
                    },
                    today,
                )
            for seat in range(WORKERS):
                create_user(
                    SYSTEM,
                    {
                        "username": f"cpu{number * WORKERS + seat:04d}",
                        "role": "worker",
                        "password": PASSWORD,
                        "display_name": "CPU",
                        "unit_ids": [unit.id],
                    },
                )
            db.session.commit()


def _visit(rng: random.Random, resident: str) -> dict:
    """The load test's visit: 120 signature points in delta encoding, Chinese text."""
    when = datetime.now(UTC) - timedelta(minutes=rng.randint(5, 300))
    strokes = signature_strokes(SIGNATURE_POINTS, seed=rng.randrange(10**6))
    return load_visit(resident, when, delta_encode(strokes))


class Phone:
    def __init__(self, client, number: int) -> None:
        self.client, self.cursor, self.residents = client, None, []
        answer = client.post(
            "/api/v1/auth/login",
            json={
                "username": f"cpu{number:04d}",
                "password": PASSWORD,
                "device": {"id": str(uuid.uuid4()), "name": "cpu"},
            },
        )
        self.headers = {
            "Authorization": f"Bearer {answer.json['token']}",
            "Accept-Encoding": "gzip, deflate",
            "Content-Type": "application/json",
            "X-Rounds-App": "bench",
        }

    def body(self, visits: list[dict]) -> bytes:
        return orjson.dumps(
            {
                "device_time": datetime.now(UTC).isoformat(),
                "cursor": self.cursor,
                "visits": visits,
                "amendments": [],
            }
        )

    def send(self, body: bytes) -> float:
        """One sync; answers the CPU seconds the request took in this process."""
        started = time.process_time()
        answer = self.client.post("/api/v1/sync", data=body, headers=self.headers)
        spent = time.process_time() - started
        assert answer.status_code == 200, answer.data[:300]
        payload = orjson.loads(
            gzip.decompress(answer.data)
            if answer.headers.get("Content-Encoding") == "gzip"
            else answer.data
        )
        if payload["reset"]:
            self.residents = []
        self.residents += [r["id"] for r in payload["residents"]]
        self.cursor = payload["cursor"]
        assert all(r["status"] == "created" for r in payload["results"])
        return spent


def measure(url: str, units: int, rounds: int, profile: str | None) -> dict:
    """CPU seconds per request by kind: this process's, and the database's in all."""
    app = make_app(url)
    _seed(app, units)
    rng = random.Random(7)
    spent: dict[str, list[float]] = {"push 20": [], "pull": []}
    database_cpu: dict[str, float] = {"push 20": 0.0, "pull": 0.0}
    postgres = postgres_root(url) if url.startswith("postgresql") else None
    profiler = cProfile.Profile(time.process_time) if profile else None
    with app.app_context():
        client = app.test_client()
        phones = [Phone(client, n) for n in range(units * WORKERS)]
        for phone in phones:
            phone.send(phone.body([]))  # the first pull: the whole roster
        for number in range(rounds):
            for phone in phones:
                push = phone.body([_visit(rng, rng.choice(phone.residents)) for _ in range(BATCH)])
                for kind in ("push 20", "pull"):
                    # The pull is built after the push's answer, with its cursor.
                    body = push if kind == "push 20" else phone.body([])
                    measured = number >= WARM_UP_ROUNDS
                    profiling = profiler and measured and profile == kind.split()[0]
                    before = process_tree_cpu(postgres) if postgres and measured else 0.0
                    if profiling:
                        profiler.enable()
                    seconds = phone.send(body)
                    if profiling:
                        profiler.disable()
                    if measured:
                        spent[kind].append(seconds)
                        if postgres:
                            database_cpu[kind] += process_tree_cpu(postgres) - before
        db.session.remove()
        db.engine.dispose()
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    return {"app": spent, "database": database_cpu if postgres else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", nargs="?", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--profile", choices=["push", "pull"])
    args = parser.parse_args()
    if args.kind == "postgresql" and not postgres_available():
        raise SystemExit("PostgreSQL (initdb) is needed; or run with: sqlite")
    if not 1 <= args.units <= 100 or not WARM_UP_ROUNDS < args.rounds <= 100:
        raise SystemExit("keep it bounded: 1-100 units, 2-100 rounds")
    with database(args.kind) as url:
        figures = measure(url, args.units, args.rounds, args.profile)
    spent, database_cpu = figures["app"], figures["database"]
    print(
        f"\nSync CPU per request, {args.kind}; {machine()}; revision {git_revision()}; "
        f"{args.units} units of {RESIDENTS} residents and {WORKERS} workers, "
        f"{args.rounds} rounds, the first not measured.\n"
    )
    header = "| request | count | app CPU ms median | app CPU ms mean | app CPU ms p95 |"
    print(header + (" database CPU ms mean |" if database_cpu else ""))
    print("|---|---|---|---|---|" + ("---|" if database_cpu else ""))
    for kind, values in spent.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        line = (
            f"| {kind} | {len(values)} | {statistics.median(values) * 1000:.1f} | "
            f"{statistics.mean(values) * 1000:.1f} | {p95 * 1000:.1f} |"
        )
        if database_cpu:
            line += f" {database_cpu[kind] / len(values) * 1000:.1f} |"
        print(line)


if __name__ == "__main__":
    main()
