"""The scheduler's commands: `rounds scheduler`, `rounds serve`, and the jobs by hand
(`rounds coverage refresh|close`, `rounds digest`), each recorded as a job run."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from server.jobs.runs import run_job
from server.jobs.schedule import (
    close_period_job,
    digest_job,
    refresh_job,
    run_scheduler,
    start_background_scheduler,
)
from server.models import utcnow


def _parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise click.BadParameter(
            "give an offset, e.g. 2026-11-23T08:00:00+08:00", param_hint="--at"
        )
    return at


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler process (refresh, week and month close, digest) until stopped."""
    run_scheduler(current_app._get_current_object())


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve_command(host, port):
    """Development: the web server and the scheduler in one process (no reloader)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    scheduler, jobs = start_background_scheduler(app)
    try:
        # Flask's app.run() refuses to start under the CLI; its server is werkzeug's anyway.
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        scheduler.shutdown(wait=False)
        jobs.release()


coverage_cli = click.Group("coverage", help="Coverage results, by hand (the scheduler does it).")


@coverage_cli.command("refresh")
@click.option("--at", "at", default=None, help="Judge as of this RFC 3339 instant.")
@with_appcontext
def refresh_command(at):
    """Bring coverage results and alerts up to date, with as many refreshes as a full pass or
    a large turn of statuses takes (the scheduler spreads them a quarter hour apart)."""
    now = _parse_at(at) or utcnow()
    while True:
        run = run_job("refresh", lambda: refresh_job(now))
        click.echo(f"refresh {run.status}: {run.result if run.status == 'ok' else run.error}")
        if run.status != "ok":
            raise SystemExit(1)
        if not run.result.get("more"):
            return


@coverage_cli.command("close")
@click.option("--week", default=None, help="An ISO week such as 2026-W47 (default: last week).")
@click.option("--month", default=None, help="A month such as 2026-11.")
@click.option("--at", "at", default=None, help="Judge as of this RFC 3339 instant.")
@with_appcontext
def close_command(week, month, at):
    """Close a finished week or month: every resident met or missed."""
    from server.coverage import Period
    from server.platform.clock import today_in

    if week and month:
        raise click.UsageError("give --week or --month, not both")
    now = _parse_at(at) or utcnow()
    try:
        period = (
            Period.parse(week or month)
            if week or month
            else Period.of("week", today_in(current_app.config["TIMEZONE"], now)).previous()
        )
    except ValueError as error:
        raise click.BadParameter("use 2026-W47 or 2026-11") from error
    label = period.label
    run = run_job("close", lambda: close_period_job(label, now))
    click.echo(
        f"close {label} {run.status}: "
        f"{run.result if run.status == 'ok' else run.error.splitlines()[-1]}"
    )
    if run.status != "ok":
        raise SystemExit(1)


@click.command("digest")
@click.option("--at", "at", default=None, help="Send as of this RFC 3339 instant.")
@with_appcontext
def digest_command(at):
    """Send today's digest to supervisors now (once per supervisor and day, as scheduled)."""
    now = _parse_at(at) or utcnow()
    run = run_job("digest", lambda: digest_job(now))
    click.echo(f"digest {run.status}: {run.result if run.status == 'ok' else run.error}")


COMMANDS = (scheduler_command, serve_command, coverage_cli, digest_command)
