"""The office charts in a real browser against the demo institution with its eight weeks of
rounds (its own server: the shared one has no visits, and other tests count on that): each of
the three screens
shows its chart (a figure with its caption, drawn on a canvas) next to its table, breaks no
Content-Security-Policy rule (listened for as `securitypolicyviolation` events, not only as
console messages) and logs no error; in print the tables stay and the navigation goes. The
worker app never loads the chart library."""

from __future__ import annotations

import os
import subprocess

import pytest
from playwright.sync_api import expect

from tests import demo_server

from .conftest import ROOT, ROUNDS, LiveServer, free_port, start_server
from .test_supervisor import log_in_office
from .worker import log_in, watch_console

pytestmark = pytest.mark.e2e

# Reported to Python through a binding: the app's CSP would refuse an eval to read them back.
LISTEN_FOR_CSP = """
document.addEventListener('securitypolicyviolation', (e) =>
  window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""

SCREENS = [
    # route, figure caption, table caption
    ("history", "Share met per unit and week, as a chart", "Share met per unit and week"),
    ("satisfaction", "Satisfied share per month, as a chart", "By month"),
    ("activity", "Visits per day per worker, as a chart", "Visits per day"),
]


@pytest.fixture(scope="module")
def demo_with_visits(live_server, tmp_path_factory):
    """A second server whose demo has weeks of visits, evaluated coverage and ratings."""
    workdir = tmp_path_factory.mktemp("charts")
    env = demo_server.demo_env(workdir, dict(os.environ))
    for command in (["db", "upgrade"], ["demo-data", "--visits"]):
        done = subprocess.run(
            [str(ROUNDS), *command], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    process, log = start_server(workdir, port, env)
    yield LiveServer(f"http://127.0.0.1:{port}", port, env, process, log)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.expose_function("__cspViolation", lambda text: violations.append(text))
    page.add_init_script(LISTEN_FOR_CSP)
    return violations


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_office_charts_draw_beside_their_tables(page, demo_with_visits, size):
    live_server = demo_with_visits
    page.set_viewport_size({"width": size[0], "height": size[1]})
    errors = watch_console(page)
    violations = watch_csp(page)
    log_in_office(page, live_server.url, "supervisor1")
    expect(page.locator("section.office h1")).to_be_visible()

    for route, figure_caption, table_caption in SCREENS:
        page.goto(f"{live_server.url}/#/{route}")
        figure = page.locator("figure.chart").filter(has_text=figure_caption)
        expect(figure).to_be_visible()
        expect(figure.locator("figcaption")).to_contain_text(f"“{table_caption}”")
        # The plot is hidden from screen readers; the table is what they read.
        expect(figure.locator(".chart-plot")).to_have_attribute("aria-hidden", "true")
        expect(figure.locator(".chart-plot canvas").first).to_be_visible()
        assert figure.locator(".chart-legend li").count() >= 2
        table = page.get_by_role("table", name=table_caption)
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() >= 1

        plot = figure.locator(".chart-plot").bounding_box()
        table_box = table.locator("xpath=..").bounding_box()  # its scrolling box
        content = page.locator("section.office").bounding_box()
        if size[0] < 600:
            # A phone: the chart takes the full width, the table follows below it.
            assert plot["width"] >= content["width"] - 2
            assert table_box["y"] >= plot["y"] + plot["height"] - 1
        elif route != "history":
            # A PC: the chart beside the table (the history's wide table goes below it).
            assert table_box["x"] >= plot["x"] + plot["width"] - 1

    # The satisfaction by-month table lists only months with ratings.
    page.goto(f"{live_server.url}/#/satisfaction")
    months = page.get_by_role("table", name="By month").locator("tbody tr")
    expect(months.first).to_be_visible()
    rated = live_server.get("/api/v1/reports/satisfaction", as_user="supervisor1").json()["months"]
    assert months.count() == sum(1 for m in rated if m["rated"] > 0)

    # In print the tables and charts stay, the navigation and the filters go.
    page.emulate_media(media="print")
    expect(page.get_by_role("table", name="By month")).to_be_visible()
    expect(page.locator("figure.chart")).to_be_visible()
    expect(page.locator("header.strip")).to_be_hidden()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.emulate_media(media="screen")

    assert not violations, violations
    assert not errors, errors


def test_worker_app_never_loads_the_chart_library(page, live_server):
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    page.context.set_offline(False)
    log_in(page, live_server.url, "worker1")
    assert not [u for u in loaded if "/assets/uplot-" in u], loaded
