"""Load test: 200 phones syncing at once against gunicorn + PostgreSQL, on loopback.

First every phone logs in and pulls its roster, spread over half a minute (logins verify an
argon2 hash: a deliberate CPU cost, reported apart). Then, for the test's length, each phone
alternates a sync carrying a batch of visits with signatures and a pull-only sync, a few
seconds apart. At the end of the day every phone makes a final sync as the app does it: an
automatic sync, so at a random moment of the app's jitter window (AUTO_SYNC_JITTER_MS in
pwa/src/sync/client.js, read from there). Then, once those are answered, the worst case: every phone
syncs again with a new batch at the same instant, reported on its own row. A phone keeps a
visit in its outbox until the server answers `created` or `duplicate`, as the real app does,
and sends it again otherwise. Afterwards the database is asked whether every visit the phones
recorded is stored exactly once.

Scenarios, each on a freshly seeded database: one gunicorn instance; two instances on two
ports sharing the database (as two hosts would); two instances with the scheduler refreshing
coverage throughout.

Run: `python -m bench.load_sync [--phones 200] [--seconds 60] [--scenario all]`
(or `make bench-load`). Loopback only, bounded in count and time; prints figures, asserts none.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import orjson
from sqlalchemy import create_engine, text

from bench.common import git_revision, machine, postgres_root, process_tree_cpu
from bench.visit_shape import load_visit
from tests.pgcluster import find_pg_bin, postgres_cluster
from tests.visitdata import delta_encode, signature_strokes

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "load-test-password"
RESIDENTS_PER_UNIT = 40
PHONES_PER_UNIT = 4
BATCH = 20
SIGNATURE_POINTS = 120
# Signatures are drawn once and reused across visits: drawing 120 points per visit cost the
# phones' process about 0.5 ms a visit, CPU taken from the server on the same machine.
SIGNATURES = 500
STATUS_OK = ("created", "duplicate")
SPREAD = "final sync, spread as the app does"
AT_ONCE = "final sync, all at the same instant"


def app_jitter_seconds() -> float:
    """The app's window for automatic syncs, from pwa/src/sync/client.js, so both stay the same."""
    source = (ROOT / "pwa" / "src" / "sync" / "client.js").read_text()
    found = re.search(r"export const AUTO_SYNC_JITTER_MS = ([\d_]+);", source)
    if found is None:
        raise SystemExit("AUTO_SYNC_JITTER_MS not found in pwa/src/sync/client.js")
    return int(found.group(1).replace("_", "")) / 1000


# -- the institution -------------------------------------------------------------------------


def seed(url: str, phones: int) -> None:
    """Units of 40 residents, four workers per unit; real (argon2) password hashes."""
    os.environ["ROUNDS_DATABASE_URL"] = url
    os.environ.setdefault("ROUNDS_PUBLIC_URL", "http://127.0.0.1")
    from server import create_app
    from server.people.audit import SYSTEM
    from server.people.auth import hash_password
    from server.people.users import create_user
    from server.platform.config import Config
    from server.platform.extensions import db
    from server.roster.residents import create_resident
    from server.roster.units import create_unit

    app = create_app(Config())
    today = datetime.now(UTC).date()
    with app.app_context():
        real_hash = hash_password(PASSWORD)  # one hash, verified at full cost at every login
        # The users' own hashes are replaced by it: make those the light kind.
        app.config["PASSWORD_HASH_FAST"] = True
        for number in range((phones + PHONES_PER_UNIT - 1) // PHONES_PER_UNIT):
            unit = create_unit(SYSTEM, f"Ward {number:03d} 病区", "ward")
            for bed in range(RESIDENTS_PER_UNIT):
                create_resident(
                    SYSTEM,
                    {
                        "unit_id": unit.id,
                        "name": f"住户 {number}-{bed}",
                        "room": f"{bed // 2 + 100}-{bed % 2 + 1}",
                    },
                    today,
                )
            for seat in range(PHONES_PER_UNIT):
                user = create_user(
                    SYSTEM,
                    {
                        "username": f"load{number * PHONES_PER_UNIT + seat:04d}",
                        "role": "worker",
                        "password": PASSWORD,
                        "display_name": "Load",
                        "unit_ids": [unit.id],
                    },
                )
                user.password_hash = real_hash
            db.session.commit()
        db.engine.dispose()


# -- one phone -------------------------------------------------------------------------------


@dataclass
class Figures:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    recorded: set[str] = field(default_factory=set)
    acknowledged: set[str] = field(default_factory=set)
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pending: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds during the sync load


def cpu_so_far(trees: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each named group of process trees, and by this process
    (the phones)."""
    return {
        **{name: sum(process_tree_cpu(root) for root in roots) for name, roots in trees.items()},
        "the phones": time.process_time(),
    }


def signature_pool(rng: random.Random) -> list[list[list[int]]]:
    """Delta-encoded signatures for the phones to draw from."""
    return [
        delta_encode(signature_strokes(SIGNATURE_POINTS, seed=rng.randrange(10**6)))
        for _ in range(SIGNATURES)
    ]


class Phone:
    def __init__(
        self,
        number: int,
        base: str,
        figures: Figures,
        rng: random.Random,
        signatures: list[list[list[int]]],
    ) -> None:
        self.username = f"load{number:04d}"
        self.base, self.figures, self.rng = base, figures, rng
        self.signatures = signatures
        self.device_id = str(uuid.uuid4())
        self.cursor = None
        self.residents: list[str] = []
        self.outbox: dict[str, dict] = {}
        self.session: aiohttp.ClientSession | None = None
        self.token = ""
        self.unauthorised = False

    async def _call(self, kind: str, path: str, body: dict) -> dict | None:
        started = time.perf_counter()
        try:
            headers = {"Content-Type": "application/json", "X-Rounds-App": "load-test"}
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            async with self.session.post(
                f"{self.base}{path}", data=orjson.dumps(body), headers=headers
            ) as answer:
                payload = await answer.read()
                self.figures.latencies[kind].append(time.perf_counter() - started)
                if answer.status != 200:
                    self.figures.errors[f"{kind} HTTP {answer.status}"] += 1
                    self.unauthorised = answer.status == 401
                    return None
                return orjson.loads(payload)
        except (aiohttp.ClientError, TimeoutError) as error:
            self.figures.latencies[kind].append(time.perf_counter() - started)
            self.figures.errors[f"{kind} {type(error).__name__}"] += 1
            return None

    async def login(self) -> bool:
        answer = await self._call(
            "login",
            "/api/v1/auth/login",
            {
                "username": self.username,
                "password": PASSWORD,
                "device": {"id": self.device_id, "name": "load test"},
            },
        )
        if answer:
            self.token = answer["token"]
        return answer is not None

    def _new_visits(self, count: int) -> None:
        now = datetime.now(UTC)
        for _ in range(count):
            resident = self.rng.choice(self.residents)
            when = now - timedelta(minutes=self.rng.randint(5, 300))
            visit = load_visit(resident, when, self.rng.choice(self.signatures))
            self.outbox[visit["id"]] = visit
            self.figures.recorded.add(visit["id"])

    async def sync(self, kind: str, with_visits: bool) -> None:
        visits = list(self.outbox.values())[:200] if with_visits else []
        while True:
            answer = await self._call(
                kind,
                "/api/v1/sync",
                {
                    "device_time": datetime.now(UTC).isoformat(),
                    "cursor": self.cursor,
                    "visits": visits,
                    "amendments": [],
                },
            )
            if answer is None:
                if self.unauthorised:  # the app asks the worker to log in again; keeps the outbox
                    self.unauthorised = False
                    await self.login()
                return  # the outbox keeps them: the next sync sends them again
            for result in answer["results"]:
                self.figures.statuses[result["status"]] += 1
                if result["status"] in STATUS_OK:
                    self.outbox.pop(result["id"], None)
                    self.figures.acknowledged.add(result["id"])
            if answer.get("reset"):
                self.residents = []
            self.residents += [r["id"] for r in answer["residents"]]
            self.cursor = answer["cursor"]
            if not answer.get("more"):
                return
            visits, kind = [], "pull"

    async def open(self) -> None:
        # Idle connections are dropped before gunicorn's 5 s keep-alive ends, or a request
        # would race the server's close of a connection it holds idle.
        connector = aiohttp.TCPConnector(limit=1, keepalive_timeout=3)
        self.session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=60)
        )

    async def start(self, start_at: float, give_up_at: float) -> None:
        """Log in and pull the roster, as a phone coming into signal does."""
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        while not await self.login():
            if time.monotonic() > give_up_at:
                return
            await asyncio.sleep(1)
        await self.sync("first pull", with_visits=False)

    async def work(
        self, stop_at: float, final: asyncio.Event, think: tuple[float, float], window: float
    ) -> None:
        """Visits and pulls a few seconds apart; then the end-of-day sync, as the app makes it:
        an automatic sync, so after a random wait within the app's jitter window."""
        push = self.rng.random() < 0.5
        while time.monotonic() + think[1] < stop_at:
            await asyncio.sleep(self.rng.uniform(*think))
            if push and self.residents:
                self._new_visits(BATCH)
                await self.sync("push 20", with_visits=True)
            else:
                await self.sync("pull", with_visits=False)
            push = not push
        await final.wait()
        await asyncio.sleep(self.rng.uniform(0, window))
        await self.final_sync(SPREAD)

    def prepare_final(self) -> None:
        """The end-of-day batch, recorded before the moment it is sent."""
        if self.residents:
            self._new_visits(BATCH)

    async def final_sync(self, kind: str, prepared: bool = False) -> None:
        if not prepared:
            self.prepare_final()
        for _ in range(5):  # until the outbox is empty, as the app does
            await self.sync(kind, with_visits=True)
            if not self.outbox:
                break
            await asyncio.sleep(1)


async def drive(
    bases: list[str],
    phones: int,
    seconds: float,
    think: tuple[float, float],
    login_seconds: float,
    window: float,
    trees: dict[str, list[int]],
    seed_value: int = 7,
) -> tuple[Figures, float, float, float]:
    """Phase 1: every phone logs in and pulls (spread out); phase 2: the sync load and the
    end-of-day syncs spread as the app spreads them; phase 3: every phone at the same instant.
    Answers the figures and the seconds of each phase; the CPU each of `trees` used in phase 2
    goes in the figures."""
    figures = Figures()
    rng = random.Random(seed_value)
    signatures = signature_pool(rng)
    crowd = [
        Phone(n, bases[n % len(bases)], figures, random.Random(rng.random()), signatures)
        for n in range(phones)
    ]
    for phone in crowd:
        await phone.open()
    try:
        begin = time.monotonic()
        await asyncio.gather(
            *(
                phone.start(begin + rng.uniform(0, login_seconds), begin + login_seconds + 120)
                for phone in crowd
            )
        )
        logins = time.monotonic() - begin
        start = time.monotonic()
        cpu_before = cpu_so_far(trees)
        final = asyncio.Event()
        working = [phone for phone in crowd if phone.token]
        tasks = [
            asyncio.create_task(phone.work(start + seconds, final, think, window))
            for phone in working
        ]
        await asyncio.sleep(seconds)
        final.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=180)
        elapsed = time.monotonic() - start
        cpu_after = cpu_so_far(trees)
        figures.cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_after}
        await asyncio.sleep(2)  # let the machine settle before the worst case
        for phone in working:
            phone.prepare_final()
        burst = time.monotonic()
        await asyncio.wait_for(
            asyncio.gather(*(phone.final_sync(AT_ONCE, prepared=True) for phone in working)),
            timeout=180,
        )
        figures.pending = sum(len(phone.outbox) for phone in crowd)
        return figures, logins, elapsed, time.monotonic() - burst
    finally:
        for phone in crowd:
            await phone.session.close()


# -- the servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    def __init__(self, env: dict, logdir: Path) -> None:
        self.env, self.logdir, self.running = env, logdir, []
        self.roles: dict[str, list[int]] = defaultdict(list)  # "web": gunicorn masters

    def start(self, name: str, command: list[str], **extra_env) -> subprocess.Popen:
        out = (self.logdir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **extra_env}, stdout=out, stderr=subprocess.STDOUT
        )
        self.running.append(process)
        self.roles[name.split("-")[0]].append(process.pid)
        return process

    def gunicorn(self, name: str, workers: int, threads: int) -> str:
        port = free_port()
        self.start(
            name,
            [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "server:create_app()"],
            ROUNDS_WEB_BIND=f"127.0.0.1:{port}",
            ROUNDS_WEB_WORKERS=str(workers),
            ROUNDS_WEB_THREADS=str(threads),
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        return base

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running = []


def wait_until_up(base: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/healthz", timeout=2):
            return
        time.sleep(0.3)
    raise SystemExit(f"{base} did not start")


# -- the proof ---------------------------------------------------------------------------------


def prove(url: str, figures: Figures, pending: int) -> dict:
    """Every acknowledged visit stored exactly once, with its signature; nothing else stored."""
    engine = create_engine(url)
    recorded = sorted(figures.recorded)
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TEMP TABLE recorded (id uuid PRIMARY KEY, acknowledged boolean NOT NULL)")
        )
        rows = [{"id": value, "ack": value in figures.acknowledged} for value in recorded]
        for start in range(0, len(rows), 5000):
            connection.execute(
                text("INSERT INTO recorded VALUES (:id, :ack)"), rows[start : start + 5000]
            )
        stored = connection.execute(
            text(
                "SELECT count(*), count(DISTINCT v.id), "
                "count(*) FILTER (WHERE json_array_length(v.signature_strokes) > 0), "
                "count(*) FILTER (WHERE r.acknowledged) "
                "FROM visits v JOIN recorded r ON r.id = v.id"
            )
        ).one()
        total = connection.execute(text("SELECT count(*) FROM visits")).scalar()
    engine.dispose()
    acknowledged = len(figures.acknowledged)
    return {
        "recorded": len(recorded),
        "acknowledged": acknowledged,
        "pending": pending,
        "stored": stored[0],
        "distinct": stored[1],
        "with_signature": stored[2],
        "lost": acknowledged - stored[3],
        "doubled": stored[0] - stored[1],
        "all_visits_in_db": total,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _row(label: str, values: list[float], total: bool = False) -> str:
    p95 = f"{percentile(values, 0.95) * 1000:.0f}"
    return (
        f"| {f'**{label}**' if total else label} | {len(values)} | "
        f"{percentile(values, 0.5) * 1000:.0f} | {f'**{p95}**' if total else p95} | "
        f"{percentile(values, 0.99) * 1000:.0f} | {max(values) * 1000:.0f} |"
    )


def _table(
    figures: Figures, kinds: tuple[str, ...], totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
) -> list[str]:
    """One row per kind, then one bold row per (label, kinds) total."""
    lines = ["| request | count | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|"]
    lines += [_row(kind, figures.latencies[kind]) for kind in kinds if figures.latencies.get(kind)]
    for label, counted in totals:
        every = [value for kind in counted for value in figures.latencies.get(kind, [])]
        if every:
            lines.append(_row(label, every, total=True))
    return lines


def report(
    title: str,
    figures: Figures,
    logins: float,
    elapsed: float,
    burst: float,
    window: float,
    proof: dict,
    extra: str = "",
) -> str:
    steady = ("push 20", "pull", SPREAD)
    requests_ = sum(len(figures.latencies.get(kind, [])) for kind in steady)
    visits = sum(len(figures.latencies.get(kind, [])) for kind in ("push 20", SPREAD))
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(figures.errors.items()))
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(figures.statuses.items()))
    lines = [
        f"### {title}",
        "",
        f"Logins and first roster pulls, spread over {logins:.0f} s:",
        "",
        *_table(figures, ("login", "first pull"), (("all", ("login", "first pull")),)),
        "",
        f"Then the sync load and the end-of-day syncs spread over the app's {window:g} s "
        f"window: {requests_} syncs in {elapsed:.1f} s, **{requests_ / elapsed:.0f} "
        f"requests/s** ({visits} syncs carried visits). Last, the worst case: every phone "
        f"syncs a new batch at the same instant, answered in {burst:.1f} s:",
        "",
        *_table(figures, ("push 20", "pull", SPREAD)),
        *_table(
            figures,
            (AT_ONCE,),
            (
                ("all, final sync as the app spreads it", steady),
                ("all, final sync at the same instant", ("push 20", "pull", AT_ONCE)),
            ),
        )[2:],
        "",
        f"Errors: **{sum(figures.errors.values())}**"
        + (f" ({errors})" if errors else "")
        + f". Answers per visit: {statuses}.",
        "",
        f"Visits recorded by the phones: {proof['recorded']}; acknowledged by the server: "
        f"{proof['acknowledged']}; still in an outbox after the final syncs (unanswered, "
        f"sent again at the next one): {proof['pending']}. In the database: "
        f"{proof['stored']} rows for them, {proof['distinct']} distinct, "
        f"{proof['with_signature']} with their signature: **lost {proof['lost']}, "
        f"doubled {proof['doubled']}**.",
    ]
    if extra:
        lines += ["", extra]
    return "\n".join(lines) + "\n"


def cpu_line(figures: Figures, elapsed: float) -> str:
    """Who used the machine during the sync load: the server's share per request, apart from
    the phones' (which a real deployment does not carry)."""
    cores = os.cpu_count() or 1
    syncs = max(
        1, sum(len(figures.latencies.get(kind, [])) for kind in ("push 20", "pull", SPREAD))
    )
    parts = [
        f"{name} {seconds:.1f} s"
        + (
            f" ({seconds / syncs * 1000:.0f} ms a sync)"
            if name in ("gunicorn", "PostgreSQL")
            else ""
        )
        for name, seconds in figures.cpu.items()
        if seconds or name != "the scheduler"
    ]
    return (
        f"CPU used during the sync load ({elapsed:.0f} s, {cores * elapsed:.0f} CPU-seconds "
        f"on {cores} cores): " + ", ".join(parts) + "."
    )


def last_job_run(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        last = connection.execute(text("SELECT coalesce(max(id), 0) FROM job_runs")).scalar()
    engine.dispose()
    return last


def job_runs_during(url: str, after_id: int) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT status, count(*), avg(extract(epoch FROM finished_at - started_at)), "
                "max(extract(epoch FROM finished_at - started_at)) FROM job_runs "
                "WHERE job = 'refresh' AND id > :after GROUP BY status"
            ),
            {"after": after_id},
        ).all()
    engine.dispose()
    if not rows:
        return "The scheduler ran no coverage refresh during the load."
    return (
        "Coverage refreshes by the scheduler during the load: "
        + "; ".join(
            f"{count} {status}"
            + (f" (mean {mean:.2f} s, longest {longest:.2f} s)" if mean is not None else "")
            for status, count, mean, longest in rows
        )
        + "."
    )


# -- main --------------------------------------------------------------------------------------


def _set_up(workers: int, threads: int) -> str:
    return (
        f"{workers} worker{'s' if workers != 1 else ''} x "
        f"{threads} thread{'s' if threads != 1 else ''}"
    )


def run_scenario(name: str, url: str, env: dict, logdir: Path, args) -> str:
    processes = Processes(env, logdir)
    cores = os.cpu_count() or 2
    try:
        threads = args.threads
        if name == "one":
            workers = args.workers or 2 * cores
            bases = [processes.gunicorn("web-1", workers=workers, threads=threads)]
            title = f"One gunicorn instance ({_set_up(workers, threads)})"
        else:
            workers = args.workers or cores
            bases = [
                processes.gunicorn(f"web-{n}", workers=workers, threads=threads) for n in (1, 2)
            ]
            title = f"Two gunicorn instances on two ports ({_set_up(workers, threads)} each)"
        extra = ""
        since = last_job_run(url)
        if name == "two+scheduler":
            processes.start(
                "scheduler",
                [str(BIN / "rounds"), "scheduler"],
                ROUNDS_COVERAGE_REFRESH_SECONDS=str(args.refresh_seconds),
            )
            title += f", scheduler refreshing coverage every {args.refresh_seconds} s"
        print(f"\n== {title}: {args.phones} phones for {args.seconds} s", flush=True)
        postmaster = postgres_root(url)
        trees = {
            "gunicorn": processes.roles["web"],
            "PostgreSQL": [postmaster] if postmaster else [],
            "the scheduler": processes.roles["scheduler"],
        }
        figures, logins, elapsed, burst = asyncio.run(
            drive(
                bases,
                args.phones,
                args.seconds,
                (args.think_min, args.think_max),
                args.login_seconds,
                args.final_window,
                trees,
            )
        )
        if name == "two+scheduler":
            extra = job_runs_during(url, since)
    finally:
        processes.stop()
    proof = prove(url, figures, figures.pending)
    # Other work on the machine skews every figure: say how busy it was (1-minute average).
    extra = (
        (extra + "\n\n" if extra else "")
        + cpu_line(figures, elapsed)
        + f" Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    text_block = report(title, figures, logins, elapsed, burst, args.final_window, proof, extra)
    print(text_block, flush=True)
    return text_block


def fresh_scenario(name: str, logs: Path, args) -> str:
    """Each scenario on its own newly seeded database: run one after another on the same
    one, the third found three times as many visits a resident this week (over 100, where
    the rule asks for 2) and its coverage refreshes judged them all."""
    with (
        tempfile.TemporaryDirectory(prefix="rounds-load-") as tmp,
        postgres_cluster("rounds_load", durable=True) as url,
    ):
        env = {
            **os.environ,
            "ROUNDS_DATABASE_URL": url,
            "ROUNDS_SECRET_KEY": "load-test",
            "ROUNDS_PUBLIC_URL": "http://127.0.0.1",
            "ROUNDS_TIMEZONE": "Asia/Shanghai",
            "ROUNDS_INSTANCE_DIR": tmp,
            "ROUNDS_LOG_FORMAT": "json",
            "ROUNDS_HEALTH_REFRESH_MAX_AGE_SECONDS": "0",
            "PYTHONPATH": str(ROOT),
        }
        os.environ["ROUNDS_INSTANCE_DIR"] = tmp
        subprocess.run(
            [str(BIN / "rounds"), "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        started = time.monotonic()
        seed(url, args.phones)
        print(
            f"Seeded {args.phones} workers in {args.phones // PHONES_PER_UNIT} units of "
            f"{RESIDENTS_PER_UNIT} residents in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        return run_scenario(name, url, env, logs, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--login-seconds", type=float, default=30.0)
    parser.add_argument("--refresh-seconds", type=int, default=10)
    parser.add_argument(
        "--final-window",
        type=float,
        default=app_jitter_seconds(),
        help="seconds over which the end-of-day syncs are spread "
        "(default: the app's window for automatic syncs)",
    )
    parser.add_argument("--scenario", choices=["one", "two", "two+scheduler", "all"], default="all")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn workers per instance (default: 2 per core for one "
        "instance, 1 per core for each of two)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop servers and cluster on TERM
    if (
        not 1 <= args.phones <= 1000
        or not 1 <= args.seconds <= 600
        or not 0 <= args.final_window <= 120
        or not 0 <= args.workers <= 16
        or not 1 <= args.threads <= 16
    ):
        raise SystemExit(
            "keep it bounded: 1-1000 phones, 1-600 seconds, a window of 0-120 s, "
            "up to 16 workers and 16 threads"
        )
    if find_pg_bin() is None:
        raise SystemExit("PostgreSQL (initdb) is needed")
    scenarios = ["one", "two", "two+scheduler"] if args.scenario == "all" else [args.scenario]
    logs = ROOT / "bench" / "results" / f"load-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    logs.mkdir(parents=True)
    print(f"Server logs: {logs}", flush=True)
    blocks = [fresh_scenario(name, logs, args) for name in scenarios]
    print("\n## Load test: 200 phones\n")
    print(
        f"Machine: {machine()}; PostgreSQL durable (fsync on), on the same machine; "
        f"revision {git_revision()}; {args.phones} phones; logins spread over "
        f"{args.login_seconds:g} s, then {args.seconds:.0f} s of syncs "
        f"{args.think_min:g}-{args.think_max:g} s apart per phone (a batch of {BATCH} "
        f"visits with signatures, then a pull-only sync); then each phone's end-of-day "
        f"sync at a random moment of {args.final_window:g} s (the app's window for automatic "
        f"syncs), and last, the worst case: one more sync each, all at the same instant.\n"
    )
    print("\n".join(blocks))


if __name__ == "__main__":
    main()
