"""PWA budgets: first-load JS+CSS (gzip), Lighthouse mobile scores, the longest main-thread
task while a 10,000-resident roster renders and is filtered under a 4x CPU slowdown, and the
time My tasks takes to draw 200 open tasks under the same slowdown, and the time My cases and
a case's screen take to draw with 60 open cases and their plans.

Run: `python -m bench.pwa_budget` after `make pwa` (pwa/dist) and `cd pwa && npm ci` (Lighthouse
is a devDependency of pwa/); `python -m bench.pwa_budget tasks` measures the task list alone,
`python -m bench.pwa_budget cases` the case list and a case's screen alone.
Uses Debian's Chromium at /usr/bin/chromium. Prints figures; asserts nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

from tests.demo_server import CHROMIUM, CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parents[1]
PWA = ROOT / "pwa"
DIST = PWA / "dist"
BUDGET_FIRST_LOAD = 150 * 1024
ROSTER_SIZE = 10_000
TASK_COUNT = 200
CASE_COUNT = 60


class _Assets(HTMLParser):
    """Scripts, module preloads and stylesheets that index.html makes the browser load."""

    def __init__(self):
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.files.append(a["src"])
        elif tag == "link" and a.get("rel") in ("stylesheet", "modulepreload") and a.get("href"):
            self.files.append(a["href"])


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def first_load() -> None:
    print("## First load (gzip -9)")
    parser = _Assets()
    parser.feed((DIST / "index.html").read_text())
    total = 0
    for src in parser.files:
        size = gz(DIST / src.lstrip("/"))
        total += size
        print(f"  {src:45} {size / 1024:7.1f} KB")
    budget = BUDGET_FIRST_LOAD // 1024
    print(f"  first-load JS+CSS: {total / 1024:.1f} KB gzip (budget {budget} KB)")
    lazy = [p for p in (DIST / "assets").glob("*.js") if f"/assets/{p.name}" not in parser.files]
    decoder = [p for p in lazy if p.name.startswith("decoder-")]
    # uPlot and its stylesheet (pwa/src/office/uplot.js): imported by the office charts only.
    charts = [
        p for p in (DIST / "assets").glob("uplot-*") if f"/assets/{p.name}" not in parser.files
    ]
    others = [p for p in lazy if p not in decoder and p not in charts]
    lazy_kb = sum(gz(p) for p in others) / 1024
    print(f"  lazy screens: {lazy_kb:.1f} KB gzip in {len(others)} chunks")
    for p in charts:
        print(f"  office charts (lazy, excluded): {p.name} {gz(p) / 1024:.1f} KB gzip")
    for src in parser.files:
        if "/uplot-" in src:
            print(f"  ⚠ the chart library is in the first load: {src}")
    for p in decoder + list((DIST / "assets").glob("*.wasm")):
        print(f"  QR decoder (lazy, excluded): {p.name} {gz(p) / 1024:.1f} KB gzip")


def start_server(tmp: Path) -> tuple[subprocess.Popen, str]:
    """The demo institution on a free loopback port (tests/demo_server.py)."""
    from tests import demo_server

    env = demo_server.demo_env(tmp, dict(os.environ), DIST)
    port = demo_server.free_port()
    try:
        demo_server.prepare_demo_database(env)
        process, _ = demo_server.start(tmp, port, env)
    except demo_server.ServerError as error:
        raise SystemExit(str(error)) from error
    return process, f"http://127.0.0.1:{port}"


def lighthouse(url: str, runs: int = 3) -> None:
    print(f"## Lighthouse (mobile, {url}/, the first screen a new phone sees; {runs} runs)")
    binary = PWA / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print("  lighthouse is not installed: run `cd pwa && npm ci`")
        return
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
    for i in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            done = subprocess.run(
                [
                    str(binary),
                    f"{url}/",
                    "--quiet",
                    f"--chrome-flags={flags}",
                    "--form-factor=mobile",
                    "--only-categories=performance,accessibility",
                    "--output=json",
                    f"--output-path={out.name}",
                ],
                env={**os.environ, "CHROME_PATH": CHROMIUM},
                capture_output=True,
                text=True,
            )
            if done.returncode:
                print(f"  run {i + 1}: lighthouse failed: {done.stderr.strip()[-300:]}")
                continue
            report = json.loads(Path(out.name).read_text())
        scores = {k: round(c["score"] * 100) for k, c in report["categories"].items()}
        audits = report["audits"]
        metrics = ", ".join(
            f"{name} {audits[key]['displayValue']}"
            for name, key in (
                ("FCP", "first-contentful-paint"),
                ("LCP", "largest-contentful-paint"),
                ("TBT", "total-blocking-time"),
                ("CLS", "cumulative-layout-shift"),
            )
        ).replace("\xa0", " ")
        print(
            f"  run {i + 1}: performance {scores['performance']}, "
            f"accessibility {scores['accessibility']} ({metrics})"
        )
        failed = [
            a["id"]
            for a in audits.values()
            if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
        ]
        if failed:
            print(f"    failed audits: {', '.join(failed)}")


LONGTASK_OBSERVER = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push({start: e.startTime, ms: e.duration});
}).observe({type: 'longtask', buffered: true});
"""

# A roster of ROSTER_SIZE residents written where the app keeps it, as a sync would leave it.
SEED_ROSTER = """
async ({units, n}) => {
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = '秀英明华丽军伟芳娜敏静磊强洋艳勇杰娟涛超';
  const rows = [];
  for (let i = 0; i < n; i++) {
    const name = surnames[i % 20] + given[(i * 7) % 20] + given[(i * 13) % 20];
    rows.push({
      id: `bench-${i}`, unit_id: units[i % units.length], name, sex: 'female', birth_year: 1940,
      room: `${1 + (i % 30)}0${i % 10}-${i % 4}`, address: null, phone: null,
      care_level: 'self_care', qr_hash: `bench${i}`,
      coverage: {week: '2026-W01', required: 2, days_visited: 0, last_visit_at: null},
    });
  }
  await new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('residents', 'readwrite');
      const store = tx.objectStore('residents');
      for (const r of rows) store.put(r);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}
"""


def roster_long_tasks(url: str) -> None:
    from playwright.sync_api import sync_playwright

    print(f"## Roster of {ROSTER_SIZE:,} residents, 4x CPU slowdown (Chromium, CDP)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 412, "height": 915}, locale="zh-CN")
        page = context.new_page()
        page.goto(url)
        page.locator("input[name=username]").fill("worker1")
        page.locator("input[name=password]").fill("rounds-demo")
        page.locator("button[type=submit]").click()
        page.locator(".strip-line").filter(has_text=re.compile("上次同步")).wait_for()
        units = page.evaluate("""() => new Promise((resolve) => {
            const open = indexedDB.open('rounds');
            open.onsuccess = () => {
              const req = open.result.transaction('units').objectStore('units').getAllKeys();
              req.onsuccess = () => { open.result.close(); resolve(req.result); };
            };
          })""")
        page.evaluate(SEED_ROSTER, {"units": units, "n": ROSTER_SIZE})

        context.add_init_script(LONGTASK_OBSERVER)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})

        def settle(label: str, since: float) -> float:
            page.wait_for_timeout(1500)  # long-task entries arrive asynchronously
            tasks = [t for t in page.evaluate("window.__longtasks") if t["start"] >= since]
            longest = max((t["ms"] for t in tasks), default=0)
            all_ms = ", ".join(f"{t['ms']:.0f}" for t in tasks)
            print(f"  {label:42} longest task {longest:6.0f} ms; long tasks: [{all_ms}]")
            return page.evaluate("performance.now()")

        start = time.perf_counter()
        page.reload()
        page.locator(".summary").filter(has_text=re.compile(r"\d{5}")).wait_for(timeout=60_000)
        shown = time.perf_counter() - start
        now = settle(f"open and render ({shown:.1f} s to the summary)", 0)
        # Type with the keyboard into the focused box: locator queries run in the page and
        # would be measured with the app.
        page.focus("#roster-search")
        now = settle("focus the search box", now)
        for text in ("王", "王秀", "wxy", "10"):
            page.keyboard.type(text, delay=150)
            page.wait_for_timeout(400)
            now = settle(f"filter as you type {text!r}", now)
            for _ in text:
                page.keyboard.press("Backspace")
            page.wait_for_timeout(400)
            now = settle("clear the filter", now)
        page.mouse.wheel(0, 20_000)
        page.wait_for_timeout(500)
        settle("scroll down (next chunks render)", now)
        browser.close()


# TASK_COUNT open tasks of the logged-in worker, written where a sync leaves them: two lines of
# title (the server's bilingual finding names), a resident's name, due dates around today.
SEED_TASKS = """
async ({n, me, residents}) => {
  const titles = ['身体状况需关注 Physical condition: concern',
                  '情绪状况需关注 Emotional state: concern', '需要跟进 Follow-up asked for',
                  '需要联系家属'];
  const prio = ['urgent', 'soon', 'routine'];
  const day = (k) => new Date(Date.now() + k * 86400e3).toISOString().slice(0, 10);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = residents[i % residents.length];
    rows.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resident_id: r.id,
      resident_name: r.name, unit_id: r.unit_id, title: titles[i % 4],
      details: '咳嗽两天\uff0c夜里睡不好\uff0c已告诉护士\u3002',
      priority: prio[i % 3], status: 'open',
      source: 'finding', finding: 'physical', visit_id: null,
      assignee: {id: me, display_name: 'Me'}, due_on: day((i % 21) - 7),
      created_at: '2026-11-23T09:00:00+08:00', updated_at: '2026-11-23T09:00:00+08:00',
    });
  }
  await new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('tasks', 'readwrite');
      for (const row of rows) tx.objectStore('tasks').put(row);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}
"""

# Open My tasks by its hash and wait until it has drawn every row; the view measures itself
# ("tasks-list": from the screen's start to its rows in the DOM) and the page the whole way.
OPEN_TASKS = """
async (n) => {
  performance.clearMeasures('tasks-list');
  performance.clearMeasures('tasks-read');
  const start = performance.now();
  location.hash = '#/my-tasks';
  for (;;) {
    const view = document.querySelector('.view.tasks');
    if (view && view.dataset.count === String(n)) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const [own] = performance.getEntriesByName('tasks-list');
  const [read] = performance.getEntriesByName('tasks-read');
  return {view: own.duration, read: read.duration, total: performance.now() - start};
}
"""


def _spread(values) -> str:
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    return f"median {middle:.0f} ms (min {ordered[0]:.0f}, max {ordered[-1]:.0f})"


def _seeded_worker_page(p, url: str, seed_script: str, count: int, residents: int):
    """worker1 logged in on a phone-sized page, `count` records seeded by `seed_script` into
    IndexedDB where a sync leaves them, reloaded and throttled 4x: what each screen is
    measured on. Returns the browser, the page and what the seed script returned."""
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.locator("input[name=username]").fill("worker1")
    page.locator("input[name=password]").fill("rounds-demo")
    page.locator("button[type=submit]").click()
    page.locator(".strip-line").filter(has_text=re.compile("上次同步")).wait_for()
    seed = page.evaluate(
        """(limit) => new Promise((resolve) => {
        const open = indexedDB.open('rounds');
        open.onsuccess = () => {
          const tx = open.result.transaction(['meta', 'residents']);
          const me = tx.objectStore('meta').get('session');
          const rs = tx.objectStore('residents').getAll(null, limit);
          tx.oncomplete = () => {
            open.result.close();
            resolve({me: me.result.value.user.id, residents: rs.result});
          };
        };
      })""",
        residents,
    )
    seeded = page.evaluate(seed_script, {"n": count, **seed})
    context.add_init_script(LONGTASK_OBSERVER)
    page.reload()
    page.locator(".summary").first.wait_for()
    page.wait_for_timeout(4000)  # the lazy screens are fetched 3 s after the first one
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return browser, page, seeded


def task_list(url: str, runs: int = 7) -> None:
    """My tasks with TASK_COUNT open tasks under a 4x CPU slowdown: the time to draw it."""
    from playwright.sync_api import sync_playwright

    print(f"## My tasks with {TASK_COUNT} open tasks, 4x CPU slowdown (Chromium, CDP)")
    with sync_playwright() as p:
        browser, page, _ = _seeded_worker_page(p, url, SEED_TASKS, TASK_COUNT, 50)
        views, reads, totals, longest = [], [], [], []
        for _ in range(runs):
            since = page.evaluate("performance.now()")
            figures = page.evaluate(OPEN_TASKS, TASK_COUNT)
            page.wait_for_timeout(1000)  # long-task entries arrive asynchronously
            tasks = [t["ms"] for t in page.evaluate("window.__longtasks") if t["start"] >= since]
            views.append(figures["view"])
            reads.append(figures["read"])
            totals.append(figures["total"])
            longest.append(max(tasks, default=0))
            page.evaluate("() => { location.hash = '#/'; }")
            page.locator(".view.roster").wait_for()
            page.wait_for_timeout(500)
        browser.close()

    spread = _spread
    print(f"  the screen, from its start to {TASK_COUNT} rows drawn: {spread(views)}")
    print(f"    of which reading them from IndexedDB: {spread(reads)}")
    print(f"  from the tap (hash change) to the rows drawn: {spread(totals)}")
    print(f"  longest task while it opens: {spread(longest)}")


# CASE_COUNT open cases, written where a sync leaves them: each with its intake, an assessment
# of the six domains, a plan of three goals and three steps, and a few contacts and a review.
SEED_CASES = """
async ({n, me, residents}) => {
  const day = (k) => new Date(Date.now() + k * 86400e3).toISOString().slice(0, 10);
  const at = (k) => new Date(Date.now() + k * 86400e3).toISOString();
  const author = {id: me, display_name: 'Me'};
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = residents[i % residents.length];
    const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
    const goals = [0, 1, 2].map((g) => ({id: `${id}-g${g}`,
      text: ['每周参加两次集体活动', '与儿子每周通话', '情绪量表得分改善'][g],
      measure: '活动签到记录', target_on: day(60)}));
    const rec = (kind, k, body, signed = null) => ({id: `${id}-${kind}-${k}`, kind, at: at(k),
      author, version: 1, body, signed});
    const records = [
      rec('intake', -40, {register: {office: '幸福里服务站', worker_phone: '138 0013 8000',
        client_phone: '021-6543 2100', address: '3号楼205室',
        problems: '老伴去世三个月\\uff0c情绪低落\\uff0c不愿出门\\u3002'},
        consent: {given: true, by: 'resident', name: r.name}}),
      rec('assessment', -35, {needs: ['physical', 'emotional', 'social', 'living', 'economic',
        'spiritual'].map((domain, p) => ({domain, severity: 'moderate', priority: p + 1,
        notes: '需要关注'})), risks: ['isolation'], summary: '社会支持薄弱\\u3002'}),
      rec('plan', -30, {goals, steps: goals.map((g, s) => ({id: `${id}-s${s}`,
        title: '邀请参加书法小组', goal_id: g.id, assignee_id: null, due_on: day(s * 7)})),
        services: ['emotional_support', 'group_work'], review_every_weeks: 4,
        agreed: {signer: 'resident', signer_name: null}}, {signer: 'resident', signer_name: null}),
      rec('contact', -20, {mode: 'visit', visit_id: null, goal_ids: [goals[0].id],
        summary: '陪同参观活动室\\u3002', minutes: 30}),
      rec('contact', -10, {mode: 'phone', visit_id: null, goal_ids: [goals[1].id],
        summary: '与儿子电话沟通\\u3002', minutes: 15}),
      rec('review', -2, {progress: goals.map((g) => ({goal_id: g.id, status: 'in_progress',
        note: ''})), summary: '进展良好\\u3002'}),
    ];
    rows.push({id, resident_id: r.id, resident_name: r.name, unit_id: r.unit_id,
      worker_id: i % 4 ? me : null, source: 'round_finding', source_note: null,
      visit_id: null, stage: 'intervention', opened_at: at(-40), closed_at: null,
      archived_at: null, last_contact_at: at(-(i % 20)), review_due_on: day((i % 30) - 5),
      change_seq: i, records});
  }
  await new Promise((resolve, reject) => {
    const open = indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('cases', 'readwrite');
      for (const row of rows) tx.objectStore('cases').put(row);
      tx.oncomplete = () => { open.result.close(); resolve(rows[0].id); };
      tx.onerror = () => reject(tx.error);
    };
  });
  return rows[0].id;
}
"""

# Open a screen by its hash and wait until it has drawn; the view measures itself (`measure`:
# from the screen's start to what it shows in the DOM) and the page the whole way.
OPEN_CASES = """
async ({hash, selector, ready, measure}) => {
  performance.clearMeasures(measure);
  const start = performance.now();
  location.hash = hash;
  for (;;) {
    const view = document.querySelector(selector);
    // At least: the demo's own cases may be on the phone beside the seeded ones.
    if (view && Number(view.dataset[ready[0]]) >= Number(ready[1])) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const [own] = performance.getEntriesByName(measure);
  return {view: own.duration, total: performance.now() - start};
}
"""


def case_screens(url: str, runs: int = 7) -> None:
    """My cases and one case's screen with CASE_COUNT open cases, 4x CPU slowdown."""
    from playwright.sync_api import sync_playwright

    print(f"## My cases with {CASE_COUNT} open cases and their plans, 4x CPU slowdown")
    with sync_playwright() as p:
        browser, page, first = _seeded_worker_page(p, url, SEED_CASES, CASE_COUNT, 60)
        screens = {
            "list": {
                "hash": "#/my-cases",
                "selector": ".view.my-cases",
                "ready": ["count", str(CASE_COUNT)],
                "measure": "cases-list",
            },
            "case": {
                "hash": f"#/my-case/{first}",
                "selector": ".view.my-case",
                "ready": ["ready", "1"],
                "measure": "case-view",
            },
        }
        figures = {name: {"view": [], "total": [], "longest": []} for name in screens}
        for _ in range(runs):
            for name, screen in screens.items():
                since = page.evaluate("performance.now()")
                got = page.evaluate(OPEN_CASES, screen)
                page.wait_for_timeout(1000)  # long-task entries arrive asynchronously
                tasks = [
                    t["ms"] for t in page.evaluate("window.__longtasks") if t["start"] >= since
                ]
                figures[name]["view"].append(got["view"])
                figures[name]["total"].append(got["total"])
                figures[name]["longest"].append(max(tasks, default=0))
                page.evaluate("() => { location.hash = '#/'; }")
                page.locator(".view.roster").wait_for()
                page.wait_for_timeout(500)
        browser.close()
    for name, label in (("list", f"My cases, {CASE_COUNT} rows"), ("case", "a case's screen")):
        f = figures[name]
        print(f"  {label}, from its start to drawn: {_spread(f['view'])}")
        print(f"    from the tap (hash change) to drawn: {_spread(f['total'])}")
        print(f"    longest task while it opens: {_spread(f['longest'])}")


def main() -> None:
    try:
        from bench.common import machine

        print(f"# PWA budgets on {machine()}")
    except Exception:  # the server package is optional for the first figure
        print("# PWA budgets")
    if not (DIST / "index.html").exists():
        raise SystemExit("pwa/dist is missing: run `make pwa`")
    only = sys.argv[1] if sys.argv[1:] in (["tasks"], ["cases"]) else None
    if not only:
        first_load()
    with tempfile.TemporaryDirectory(prefix="rounds-pwa-bench-") as tmp:
        proc, url = start_server(Path(tmp))
        try:
            if not only:
                lighthouse(url, runs=int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
                roster_long_tasks(url)
            if only != "cases":
                task_list(url)
            if only != "tasks":
                case_screens(url)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
