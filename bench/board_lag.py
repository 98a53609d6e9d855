"""The board after a sync: how soon a synced visit shows on the coverage board, and what the
recent pass costs the syncs, at 100,000 residents and 2 million visits on PostgreSQL.

Seeds once (the institution of bench/coverage_refresh.py, its history ending yesterday) and
judges it in full; then runs the same sync load against gunicorn with the scheduler as
production runs it, with the recent pass off (the refresh alone, every quarter hour) and on
(every 15 s), in turn, twice. Phones push batches of visits checked in a moment before and
pull in between; a watcher reads the stored results every second and notes when each acknowledged
visit shows (its resident's row of this week has a last visit at or after its check-in).

Prints, for each run, the lag from the sync's answer to the board (median, 95th percentile,
worst, and the visits not shown when the run ended) and the syncs' latency; asserts nothing.

Run: `python -m bench.board_lag [--residents 100000] [--visits 2000000] [--phones 40]
[--seconds 120] [--rounds 2]` (or `make bench-board`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text, update

from bench import coverage_refresh
from bench.common import git_revision, machine, make_app, process_tree_cpu
from bench.load_sync import (
    BIN,
    PASSWORD,
    ROOT,
    Figures,
    Phone,
    Processes,
    percentile,
    signature_pool,
)
from tests.pgcluster import find_pg_bin, postgres_cluster

ZONE = ZoneInfo(coverage_refresh.ZONE)
BATCH = 20
RECENT_SECONDS = 15
REFRESH_SECONDS = 900  # production's default: the refresh alone leaves the board this far behind
# After the load, how long the watcher keeps looking for the last visits.
GRACE_SECONDS = 60


def seed(url: str, residents: int, visits: int, phones: int) -> None:
    """The institution, its history up to yesterday, one worker a phone (a unit each), and
    the full judgement a new install's first refreshes make."""
    from server import coverage
    from server.models import Resident, Unit
    from server.people.audit import SYSTEM
    from server.people.users import create_user
    from server.platform.extensions import db
    from server.roster.changes import next_change_number

    coverage_refresh.NOW = datetime.now(ZONE) - timedelta(days=1)
    app = make_app(url)
    app.config["TIMEZONE"] = coverage_refresh.ZONE
    with app.app_context():
        started = time.monotonic()
        coverage_refresh._seed(residents, visits)
        # As if each had been added through the API: the phones' first pull carries them.
        db.session.execute(update(Resident).values(change_seq=next_change_number()))
        units = db.session.scalars(db.select(Unit.id).order_by(Unit.name)).all()
        for number in range(phones):
            create_user(
                SYSTEM,
                {
                    "username": f"load{number:04d}",
                    "role": "worker",
                    "password": PASSWORD,
                    "display_name": "Load",
                    "unit_ids": [units[number % len(units)]],
                },
            )
        db.session.commit()
        print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)
        started = time.monotonic()
        judged = 0
        while True:
            done = coverage.refresh(datetime.now(UTC))
            db.session.commit()
            judged += done["evaluated"]
            if not done["more"]:
                break
        print(
            f"Judged in full in {time.monotonic() - started:.0f} s ({judged:,} results)",
            flush=True,
        )
        db.engine.dispose()


class LagPhone(Phone):
    """A phone whose visits are checked in a moment before they are sent, so each is its
    resident's latest: it shows on the board once the resident's row is judged again."""

    def __init__(self, *args, sent: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent = sent  # visit id -> (resident id, check-in, time of the answer)

    def _new_visits(self, count: int) -> None:
        before = set(self.outbox)
        super()._new_visits(count)
        when = datetime.now(UTC) - timedelta(seconds=20)
        for visit_id in set(self.outbox) - before:
            visit = self.outbox[visit_id]
            visit["checked_in_at"] = when.isoformat()
            visit["checked_out_at"] = (when + timedelta(seconds=10)).isoformat()

    async def sync(self, kind: str, with_visits: bool) -> None:
        waiting = dict(self.outbox)
        await super().sync(kind, with_visits)
        answered = time.monotonic()
        for visit_id, visit in waiting.items():
            if visit_id not in self.outbox and visit_id not in self.sent:
                self.sent[visit_id] = (
                    visit["resident_id"],
                    datetime.fromisoformat(visit["checked_in_at"]),
                    answered,
                )


async def drive(base: str, phones: int, seconds: float, sent: dict) -> Figures:
    figures = Figures()
    rng = random.Random(48)
    signatures = signature_pool(rng)
    fleet = [
        LagPhone(n, base, figures, random.Random(n), signatures, sent=sent) for n in range(phones)
    ]
    for phone in fleet:
        await phone.open()
    await asyncio.gather(*(phone.start(time.monotonic(), time.monotonic() + 60) for phone in fleet))
    figures.latencies.clear()  # the first pulls are the roster's, not the load's
    stop_at = time.monotonic() + seconds

    async def work(phone: LagPhone) -> None:
        push = phone.rng.random() < 0.5
        while time.monotonic() + 6 < stop_at:
            await asyncio.sleep(phone.rng.uniform(2, 6))
            if push and phone.residents:
                phone._new_visits(BATCH)
                await phone.sync("push 20", with_visits=True)
            else:
                await phone.sync("pull", with_visits=False)
            push = not push

    await asyncio.gather(*(work(phone) for phone in fleet))
    for phone in fleet:
        await phone.session.close()
    return figures


class Watcher(threading.Thread):
    """Every second, which acknowledged visits the board shows, and since when."""

    def __init__(self, url: str, sent: dict) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(url)
        self.sent, self.shown = sent, {}
        self.stop = threading.Event()

    def run(self) -> None:
        week = coverage_refresh.coverage.iso_week_label(datetime.now(ZONE).date())
        query = text(
            "SELECT resident_id, last_visit_at FROM coverage_results "
            "WHERE period = :week AND resident_id = ANY(:ids)"
        )
        while not self.stop.wait(1.0):
            # copy() is one step for the interpreter: the phones' thread may add meanwhile.
            waiting = {k: v for k, v in self.sent.copy().items() if k not in self.shown}
            if not waiting:
                continue
            residents = sorted({uuid.UUID(r) for r, _, _ in waiting.values()})
            with self.engine.connect() as connection:
                last = dict(connection.execute(query, {"week": week, "ids": residents}).all())
            seen = time.monotonic()
            for visit_id, (resident, checked_in, answered) in waiting.items():
                stored = last.get(uuid.UUID(resident))
                if stored is not None and stored >= checked_in:
                    self.shown[visit_id] = seen - answered

    def pending(self) -> int:
        return len(set(self.sent) - set(self.shown))


def run_load(url: str, env: dict, logs: Path, args, recent: int) -> dict:
    processes = Processes(env, logs)
    sent: dict = {}
    watcher = Watcher(url, sent)
    try:
        base = processes.gunicorn(
            f"web-recent{recent}", workers=2 * (os.cpu_count() or 2), threads=4
        )
        processes.start(
            f"scheduler-recent{recent}",
            [str(BIN / "rounds"), "scheduler"],
            ROUNDS_COVERAGE_REFRESH_SECONDS=str(REFRESH_SECONDS),
            ROUNDS_COVERAGE_RECENT_SECONDS=str(recent),
        )
        watcher.start()
        figures = asyncio.run(drive(base, args.phones, args.seconds, sent))
        scheduler_cpu = sum(process_tree_cpu(pid) for pid in processes.roles["scheduler"])
        deadline = time.monotonic() + (GRACE_SECONDS if recent else 5)
        while watcher.pending() and time.monotonic() < deadline:
            time.sleep(1)
    finally:
        watcher.stop.set()
        processes.stop()
    watcher.join(5)
    watcher.engine.dispose()
    lags = list(watcher.shown.values())
    return {
        "recent": recent,
        "sent": len(sent),
        "shown": len(lags),
        "lags": lags,
        "push": figures.latencies["push 20"],
        "pull": figures.latencies["pull"],
        "errors": dict(figures.errors),
        "scheduler_cpu": scheduler_cpu,
        "load": os.getloadavg()[0],
    }


def _seconds(values: list[float], fraction: float) -> str:
    return "-" if not values else f"{percentile(values, fraction):.1f}"


def _ms(values: list[float], fraction: float) -> str:
    return "-" if not values else f"{percentile(values, fraction) * 1000:.0f}"


def report(runs: list[dict], args) -> str:
    lines = [
        f"Machine: {machine()}; revision {git_revision()}; PostgreSQL durable (fsync on), on the "
        f"same machine; {args.residents:,} residents, {args.visits:,} visits; {args.phones} "
        f"phones for {args.seconds:.0f} s, each a sync every 2-6 s (a batch of {BATCH} visits, "
        "then a pull); one gunicorn instance and the scheduler, refresh every "
        f"{REFRESH_SECONDS} s.",
        "",
        "| recent pass | visits synced | shown on the board | lag median / p95 / worst (s) "
        "| push p50 / p95 (ms) | pull p50 / p95 (ms) | errors | scheduler CPU (s) "
        "| load at the end |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lags = run["lags"]
        worst = f"{max(lags):.1f}" if lags else "-"
        lines.append(
            f"| {'every ' + str(run['recent']) + ' s' if run['recent'] else 'off'} "
            f"| {run['sent']} | {run['shown']} "
            f"| {_seconds(lags, 0.5)} / {_seconds(lags, 0.95)} / {worst} "
            f"| {_ms(run['push'], 0.5)} / {_ms(run['push'], 0.95)} "
            f"| {_ms(run['pull'], 0.5)} / {_ms(run['pull'], 0.95)} "
            f"| {sum(run['errors'].values())} | {run['scheduler_cpu']:.1f} | {run['load']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=2_000_000)
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, off and on in turn")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop servers and cluster on TERM
    if (
        not 1_000 <= args.residents <= 200_000
        or not 0 <= args.visits <= 4_000_000
        or not 1 <= args.phones <= 200
        or not 10 <= args.seconds <= 600
        or not 1 <= args.rounds <= 5
    ):
        raise SystemExit(
            "keep it bounded: 1,000-200,000 residents, up to 4 million visits, "
            "1-200 phones, 10-600 seconds, 1-5 rounds"
        )
    if find_pg_bin() is None:
        raise SystemExit("PostgreSQL (initdb) is needed")
    logs = ROOT / "bench" / "results" / f"board-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    logs.mkdir(parents=True)
    with (
        tempfile.TemporaryDirectory(prefix="rounds-board-") as tmp,
        postgres_cluster("rounds_board", durable=True) as url,
    ):
        os.environ["ROUNDS_INSTANCE_DIR"] = tmp
        env = {
            **os.environ,
            "ROUNDS_DATABASE_URL": url,
            "ROUNDS_SECRET_KEY": "board-lag",
            "ROUNDS_PUBLIC_URL": "http://127.0.0.1",
            "ROUNDS_TIMEZONE": coverage_refresh.ZONE,
            "ROUNDS_INSTANCE_DIR": tmp,
            "ROUNDS_LOG_FORMAT": "json",
            "ROUNDS_HEALTH_REFRESH_MAX_AGE_SECONDS": "0",
            "PYTHONPATH": str(ROOT),
        }
        from bench.common import _migrate

        _migrate(url)
        seed(url, args.residents, args.visits, args.phones)
        # Off and on in turn: a later run finds more visits stored, and the machine's other
        # work comes and goes.
        runs = [
            run_load(url, env, logs, args, recent)
            for _ in range(args.rounds)
            for recent in (0, RECENT_SECONDS)
        ]
    print("\n" + report(runs, args), flush=True)
    print(f"\nServer logs: {logs}", flush=True)


if __name__ == "__main__":
    main()
