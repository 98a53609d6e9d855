"""The `rounds` command: the Flask CLI of this app, plus Rounds' own commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from server.jobs import commands
from server.models.core import ROLES
from server.people.audit import SYSTEM
from server.platform import backup
from server.platform.extensions import db


def _create_app(*_args) -> Flask:
    from server import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """Rounds: offline-first field visits. Settings come from ROUNDS_* variables."""


def main() -> None:
    cli.main(prog_name="rounds")


users_cli = click.Group("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--unit", "units", multiple=True, help="Unit name (repeat for several).")
@click.option("--display-name", default=None)
@click.option(
    "--organisation",
    default=None,
    help="Name of the office or bureau the person works at (default: the units' office; the "
    "city for an admin or inspector).",
)
@click.option("--password", default=None, help="Prompted for, hidden, when absent.")
def create_user_command(username, role, units, display_name, organisation, password):
    """Create an account."""
    from server.models import Organisation
    from server.people.users import create_user
    from server.platform.errors import ApiError
    from server.roster.units import unit_by_name

    organisation_id = None
    if organisation is not None:
        found = db.session.scalars(
            select(Organisation.id).where(Organisation.name == organisation).limit(2)
        ).all()
        if len(found) != 1:
            raise click.BadParameter(
                f"no single organisation named {organisation!r}", param_hint="--organisation"
            )
        organisation_id = found[0]
    unit_ids = []
    for name in units:
        unit = unit_by_name(name, organisation_id)
        if unit is None:
            raise click.BadParameter(f"no unit named {name!r}", param_hint="--unit")
        unit_ids.append(unit.id)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="--password")
    try:
        user = create_user(
            SYSTEM,
            {
                "username": username,
                "role": role,
                "organisation_id": organisation_id,
                "unit_ids": unit_ids,
                "display_name": display_name or username,
                "password": password,
            },
        )
    except ApiError as error:
        raise click.ClickException(error.detail) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.username}.")


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has any user.")
@click.option(
    "--visits",
    is_flag=True,
    help="Also record eight weeks of rounds and the office's work on them.",
)
def demo_data_command(if_empty, visits):
    """Load the bilingual demo institution (two homes, one rural area) and print the logins."""
    from server.demo.institution import DEMO_PASSWORD, has_any_user, load_demo_data

    if if_empty and has_any_user():
        click.echo("Demo data: the database already has data; nothing loaded.")
        return
    logins = load_demo_data(current_app.config["TIMEZONE"])
    if visits:
        from server.demo.history import follow_through
        from server.demo.visits import WEEKS, record_demo_visits

        zone = current_app.config["TIMEZONE"]
        rounds = record_demo_visits(zone)
        done = follow_through(rounds.visits, zone, WEEKS)
        made = rounds.created + done["second_office_visits"]
        click.echo(f"Recorded {made} demo visits over the last {WEEKS} weeks.")
        click.echo(
            f"Then {done['amendments']} corrections, {done['followups_handled']} "
            f"follow-ups handled, {done['periods_closed']} weeks judged and "
            f"{done['alerts_acknowledged']} alerts acknowledged."
        )
    click.echo(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):")
    for username, role, units in logins + (done["logins"] if visits else []):
        click.echo(f"  {username:<12} {role:<10} {', '.join(units) or 'all units'}")


@click.command("vapid-keys")
def vapid_keys_command():
    """Print a new VAPID key pair for Web Push, as the two settings that take it."""
    from server.tasks.push import generate_keys

    private, public = generate_keys()
    click.echo(f"ROUNDS_VAPID_PRIVATE_KEY={private}")
    click.echo(f"ROUNDS_VAPID_PUBLIC_KEY={public}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(vapid_keys_command)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
    for command in commands.COMMANDS:
        app.cli.add_command(command)
