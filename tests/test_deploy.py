"""The production recipe, proven on loopback: PostgreSQL, migrations, gunicorn, scheduler, nginx.

No container engine runs here, so the compose file and the image recipe are checked for shape
and for naming only files that exist; the stack they describe is then run from the same files
(deploy/gunicorn.conf.py, deploy/nginx/rounds.conf.template, `rounds scheduler`) as processes.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import create_engine, text

from server.http.web import CONTENT_SECURITY_POLICY
from tests.pgcluster import find_pg_bin, postgres_cluster
from tests.visitdata import sync_body, visit_payload

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SERVER_NAME = "rounds.test"


# -- the recipes ---------------------------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if line.strip().startswith("#") and not current:
            continue
        current += line.rstrip("\\").rstrip() + " "
        if not line.rstrip().endswith("\\"):
            if current.strip():
                word, _, rest = current.strip().partition(" ")
                joined.append((word.upper(), rest.strip()))
            current = ""
    return joined


def test_compose_file_describes_the_stack_and_names_only_files_that_exist():
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"db", "migrate", "app", "scheduler", "proxy"}
    stages = {
        rest.split()[-1]
        for word, rest in _dockerfile_instructions()
        if word == "FROM" and " AS " in rest.upper()
    }
    for name, service in services.items():
        build = service.get("build")
        if build:
            context = (DEPLOY / build["context"]).resolve()
            assert context == ROOT, name
            assert (context / build["dockerfile"]).is_file(), name
            assert build["target"] in stages, name
        for volume in service.get("volumes", []):
            source = re.match(r"(\$\{[^}]*\}|[^:]+)", volume).group(1)
            if source.startswith("${"):  # ${PROXY_TLS_DIR:-./tls}
                source = source.split(":-", 1)[1].rstrip("}")
            if source.startswith((".", "/")):
                assert (DEPLOY / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in compose["volumes"], f"{name}: undeclared volume {source}"
        for env_file in [service.get("env_file")] if service.get("env_file") else []:
            assert env_file == ".env"  # made from rounds.env.example, as docs/deploy.md says
    # PostgreSQL keeps its data in a named volume; migrations run once, before app and scheduler.
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    assert services["migrate"]["command"] == ["rounds", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("app", "scheduler"):
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
        assert "command" not in services[name] or services[name]["command"][0] == "rounds"
    assert services["scheduler"]["command"] == ["rounds", "scheduler"]
    assert "443:443" in services["proxy"]["ports"]
    # Every variable compose insists on is in the example environment file.
    required = set(re.findall(r"\$\{(\w+):\?", (DEPLOY / "compose.yaml").read_text()))
    example = (DEPLOY / "rounds.env.example").read_text()
    assert required and all(re.search(rf"^{name}=", example, re.M) for name in required)


def test_every_rounds_command_in_the_recipes_exists():
    commands = {
        tuple(s["command"][1:2])
        for s in _compose()["services"].values()
        if s.get("command", [""])[0] == "rounds"
    }
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for match in re.findall(r"bin/rounds (\w+)", unit.read_text()):
            commands.add((match,))
    for (command,) in commands:
        done = subprocess.run(
            [BIN / "rounds", command, "--help"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, f"rounds {command}: {done.stderr[-500:]}"


def test_image_recipe_copies_only_files_that_exist_and_runs_as_a_user():
    instructions = _dockerfile_instructions()
    ignored = [
        line.strip()
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied = 0
    for word, rest in instructions:
        if word != "COPY" or rest.startswith("--from="):
            continue
        *sources, _target = rest.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file"
            clean = source.rstrip("/")
            assert not any(
                fnmatch.fnmatch(clean, pattern.removeprefix("**/")) for pattern in ignored
            ), f"{source} is in the .dockerignore"
            copied += 1
    assert copied >= 5
    # The app stage (the one gunicorn runs in) drops root before its CMD.
    stage_words: list[tuple[str, str]] = []
    for word, rest in instructions:
        if word == "FROM":
            stage_words = []
        stage_words.append((word, rest))
        if word == "CMD" and "gunicorn" in rest:
            users = [r for w, r in stage_words if w == "USER"]
            assert users and users[-1] not in ("root", "0")
            command = json.loads(rest)
            assert (ROOT / command[command.index("--config") + 1]).is_file()
    assert any(w == "FROM" and rest.startswith("node:") for w, rest in instructions)
    assert any(w == "RUN" and "npm run build" in rest for w, rest in instructions)


def test_gunicorn_takes_workers_and_threads_from_the_environment(monkeypatch):
    monkeypatch.setenv("ROUNDS_WEB_WORKERS", "3")
    monkeypatch.setenv("ROUNDS_WEB_THREADS", "6")
    monkeypatch.setenv("ROUNDS_WEB_BIND", "127.0.0.1:9001")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert (settings["workers"], settings["threads"]) == (3, 6)
    assert settings["bind"] == ["127.0.0.1:9001"]
    assert settings["preload_app"] and settings["worker_class"] == "gthread"


def test_example_environment_holds_no_real_secret_and_is_documented():
    example = (DEPLOY / "rounds.env.example").read_text()
    documented = (ROOT / "docs" / "settings.md").read_text()
    names = re.findall(r"^#?\s*(ROUNDS_\w+)=", example, re.M)
    names += re.findall(r"\"(ROUNDS_\w+)\"", (DEPLOY / "gunicorn.conf.py").read_text())
    assert names
    for name in names:
        assert f"`{name}`" in documented, f"{name} is not in docs/settings.md"
    for secret in ("ROUNDS_SECRET_KEY", "POSTGRES_PASSWORD"):
        (value,) = re.findall(rf"^{secret}=(.*)$", example, re.M)
        assert "CHANGE-ME" in value


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None and not IN_CI,
    reason="no systemd-analyze (deploy/ensure-test-tools.sh installs it under CI)",
)
def test_systemd_units_verify(tmp_path):
    """Checked with the paths moved to this checkout, so the programs they start exist."""
    units = sorted((DEPLOY / "systemd").glob("rounds-*"))
    assert {u.name for u in units} >= {"rounds-web.service", "rounds-scheduler.service"}
    for unit in units:
        moved = unit.read_text().replace("/srv/rounds/.venv/bin", str(BIN))
        (tmp_path / unit.name).write_text(moved.replace("/srv/rounds", str(ROOT)))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[str(tmp_path / u.name) for u in units]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def _nginx_available() -> bool:
    return shutil.which("nginx") is not None and shutil.which("openssl") is not None


def test_nginx_site_sends_the_apps_security_policy():
    site = (DEPLOY / "nginx" / "rounds.conf.template").read_text()
    assert f'Content-Security-Policy "{CONTENT_SECURITY_POLICY}"' in site


# -- the stack on loopback -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(
    url: str, process: subprocess.Popen, log: Path, *, verify=True, seconds: float = 40
) -> requests.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(url, timeout=2, verify=verify)
            if answer.status_code < 500:
                return answer
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer:\n{log.read_text()[-3000:]}")


class Stack:
    """Processes started for the test, stopped (TERM, then KILL) however it ends."""

    def __init__(self, workdir: Path, env: dict) -> None:
        self.workdir, self.env, self.processes = workdir, env, []

    def start(self, name: str, command: list) -> tuple[subprocess.Popen, Path]:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(part) for part in command],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process, log

    def rounds(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "rounds"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, f"rounds {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _has_scheduler() -> bool:
    done = subprocess.run(
        [str(BIN / "rounds"), "scheduler", "--help"], cwd=ROOT, capture_output=True, check=False
    )
    return done.returncode == 0


def _web_app_files(root: Path) -> Path:
    """A small built app: the shell, the service worker and one hashed asset."""
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Rounds</title>")
    (root / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (root / "assets" / "index-AbC123.js").write_text("console.log('rounds');")
    return root


def _start_nginx(stack: Stack, upstream: str, dist: Path) -> tuple[str, str]:
    """Render the site as docs/deploy.md does, on loopback ports, with a throwaway certificate."""
    work = stack.workdir / "nginx"
    work.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={SERVER_NAME}",
            "-keyout",
            str(work / "privkey.pem"),
            "-out",
            str(work / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    http, https = _free_port(), _free_port()
    values = {
        "PROXY_SERVER_NAME": SERVER_NAME,
        "PROXY_UPSTREAM": upstream,
        "PROXY_TLS_CERT": str(work / "fullchain.pem"),
        "PROXY_TLS_KEY": str(work / "privkey.pem"),
        "PROXY_PWA_ROOT": str(dist),
    }
    site = (DEPLOY / "nginx" / "rounds.conf.template").read_text()
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    assert not re.search(r"^[^#]*\$\{PROXY_", site, re.M), "a PROXY_ variable left unfilled"
    site = re.sub(r"^\s*listen \[::\]:.*$", "", site, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
    (work / "rounds.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    temp = " ".join(
        f"{kind}_temp_path {work}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"{'user root;' if os.geteuid() == 0 else ''}\nworker_processes 1;\n"
        f"pid {work}/nginx.pid;\nerror_log {work}/error.log;\nevents {{}}\n"
        f"http {{ {mime} access_log {work}/access.log; {temp} include {work}/rounds.conf; }}\n"
    )
    test = subprocess.run(
        ["nginx", "-t", "-p", str(work), "-c", str(work / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert test.returncode == 0, test.stderr
    process, _log = stack.start(
        "nginx", ["nginx", "-p", work, "-c", work / "nginx.conf", "-g", "daemon off;"]
    )
    _wait_for(f"https://127.0.0.1:{https}/healthz", process, work / "error.log", verify=False)
    return f"http://127.0.0.1:{http}", f"https://127.0.0.1:{https}"


def test_production_stack_on_loopback(tmp_path):
    """PostgreSQL, `rounds db upgrade`, gunicorn (4 workers), the scheduler, nginx with TLS."""
    if find_pg_bin() is None:
        if IN_CI:
            pytest.fail("PostgreSQL (initdb) is required under CI=true")
        pytest.skip("PostgreSQL is not installed")
    import urllib3

    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    with postgres_cluster("rounds_smoke") as url:
        port = _free_port()
        env = {
            **os.environ,
            "ROUNDS_DATABASE_URL": url.replace("+psycopg", ""),
            "ROUNDS_SECRET_KEY": "smoke-test-only",
            "ROUNDS_TIMEZONE": "Asia/Shanghai",
            "ROUNDS_INSTANCE_DIR": str(tmp_path / "instance"),
            "ROUNDS_LOG_FORMAT": "json",
            "ROUNDS_HSTS": "true",
            "ROUNDS_TRUSTED_PROXIES": "1",
            # Production refuses to start without it (QR codes hold absolute addresses).
            "ROUNDS_PUBLIC_URL": "https://rounds.example.org",
            "ROUNDS_WEB_BIND": f"127.0.0.1:{port}",
            "ROUNDS_WEB_WORKERS": "4",
            "ROUNDS_WEB_THREADS": "2",
            "ROUNDS_COVERAGE_REFRESH_SECONDS": "2",
            "ROUNDS_PWA_DIST": str(tmp_path / "no-app-here"),
            # `rounds` and gunicorn run this checkout's code, whichever one the venv points at.
            "PYTHONPATH": str(ROOT),
        }
        stack = Stack(tmp_path, env)
        try:
            _run_the_stack(stack, url, port, tmp_path)
        finally:
            stack.stop()


def _run_the_stack(stack: Stack, url: str, port: int, tmp_path: Path) -> None:
    stack.rounds("db", "upgrade")
    stack.rounds("demo-data")
    web, web_log = stack.start(
        "gunicorn",
        [BIN / "gunicorn", "--config", DEPLOY / "gunicorn.conf.py", "server:create_app()"],
    )
    direct = f"http://127.0.0.1:{port}"
    health = _wait_for(f"{direct}/healthz", web, web_log)
    assert health.status_code == 200, health.text
    assert health.json()["migrations"]["status"] == "current"
    deadline = time.monotonic() + 10
    while len(_children(web.pid)) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_children(web.pid)) == 4

    base, verify = direct, True
    if _nginx_available():
        http, base = _start_nginx(stack, f"127.0.0.1:{port}", _web_app_files(tmp_path / "dist"))
        verify = False
        _check_the_proxy(http, base)
    elif IN_CI:
        pytest.fail("nginx and openssl are needed under CI=true (apt-get install nginx-light)")
    session = requests.Session()
    session.verify = verify
    session.trust_env = False  # else a CA bundle from the environment overrides verify=False
    session.headers["Host"] = SERVER_NAME

    # A worker's phone: login, first pull, a batch of visits, the retry after a lost answer.
    login = session.post(
        f"{base}/api/v1/auth/login",
        json={
            "username": "worker1",
            "password": "rounds-demo",
            "device": {"id": "5b0f7c1e-8f0e-4d7a-9a55-1f2e3d4c5b6a", "name": "smoke"},
        },
    )
    assert login.status_code == 200, login.text
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    pull = session.post(f"{base}/api/v1/sync", json=sync_body())
    assert pull.status_code == 200 and pull.json()["residents"], pull.text
    residents = [{**r, "qr_token": None} for r in pull.json()["residents"][:3]]
    visits = [visit_payload(r, identified_by="manual", seed=n) for n, r in enumerate(residents)]
    pushed = session.post(f"{base}/api/v1/sync", json=sync_body(visits))
    assert [r["status"] for r in pushed.json()["results"]] == ["created"] * 3, pushed.text
    again = session.post(f"{base}/api/v1/sync", json=sync_body(visits))
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
    request_id = pushed.headers["X-Request-Id"]
    assert pushed.headers["Strict-Transport-Security"].startswith("max-age=")

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM visits")).scalar()
        assert stored == 3
        if _has_scheduler():
            _check_the_scheduler(stack, engine, direct, residents[0]["id"])
        elif IN_CI:
            pytest.fail("`rounds scheduler` is missing")
    finally:
        engine.dispose()

    # One JSON line per request, the proxy's request id in it, nobody's data.
    lines = [json.loads(line) for line in web_log.read_text().splitlines() if line.startswith("{")]
    synced = [line for line in lines if line.get("request_id") == request_id]
    assert len(synced) == 1 and synced[0]["path"] == "/api/v1/sync"
    assert synced[0]["status"] == 200 and synced[0]["user_id"]
    assert residents[0]["name"] not in web_log.read_text()


def _check_the_proxy(http: str, https: str) -> None:
    """TLS, a redirect from plain HTTP, the app's files with the right cache lifetimes."""
    redirect = requests.get(
        f"{http}/roster", headers={"Host": SERVER_NAME}, allow_redirects=False, timeout=5
    )
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == f"https://{SERVER_NAME}/roster"

    def get(path):
        return requests.get(
            f"{https}{path}", verify=False, timeout=5, headers={"Host": SERVER_NAME}
        )

    asset = get("/assets/index-AbC123.js")
    assert asset.status_code == 200
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/sw.js", "/", "/roster", "/r/some-token"):
        answer = get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "no-cache", path
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "max-age" in answer.headers["Strict-Transport-Security"]
    assert "Rounds" in get("/r/some-token").text
    assert get("/assets/missing-123.js").status_code == 404
    health = get("/healthz")
    assert health.status_code == 200
    # The app's own headers, once: nginx adds none to proxied answers.
    assert health.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert re.fullmatch(r"[0-9a-f]{32}", health.headers["X-Request-Id"])


def _check_the_scheduler(stack: Stack, engine, direct: str, resident_id: str) -> None:
    """The scheduler process refreshes coverage: the synced visit is counted, health says so."""
    scheduler, log = stack.start("scheduler", [BIN / "rounds", "scheduler"])
    query = text(
        "SELECT max(days_visited) FROM coverage_results "
        "WHERE resident_id = :r AND period LIKE '%-W%'"
    )
    deadline = time.monotonic() + 30
    counted = None
    while time.monotonic() < deadline and not counted:
        if scheduler.poll() is not None:
            pytest.fail(f"the scheduler exited:\n{log.read_text()[-3000:]}")
        with engine.connect() as connection:
            counted = connection.execute(
                query,
                {
                    "r": resident_id.replace("-", "")
                    if engine.dialect.name == "sqlite"
                    else resident_id
                },
            ).scalar()
        time.sleep(0.3)
    assert counted == 1, log.read_text()[-3000:]
    coverage = requests.get(f"{direct}/healthz", timeout=5).json()["coverage"]
    assert coverage["status"] == "ok" and coverage["age_seconds"] < 60
    # A second scheduler (another host's) waits on the lease: still one refresh per slot.
    second, second_log = stack.start("scheduler-2", [BIN / "rounds", "scheduler"])
    time.sleep(3)
    assert second.poll() is None, second_log.read_text()[-2000:]
    with engine.connect() as connection:
        doubled = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT slot FROM job_runs WHERE slot IS NOT NULL "
                "GROUP BY slot HAVING count(*) > 1) AS d"
            )
        ).scalar()
    assert doubled == 0
