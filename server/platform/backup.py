"""Backups: `rounds backup PATH` and `rounds restore PATH`, on PostgreSQL or SQLite.

PostgreSQL goes through pg_dump's custom format (compressed, restored by pg_restore, a
consistent snapshot taken while phones keep syncing). SQLite goes through SQLite's online
backup API: a consistent copy of a live database, WAL included, with no lock held for long.
A restore replaces the whole database, so it refuses a database that holds data unless told
`--force`.

The media folder (ROUNDS_MEDIA_DIR: the activities' photos, the offices' documents) goes
beside the database file, as `<PATH>.media.tar`; a restore puts it back when it is there.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import MetaData, func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from server.platform.config import child_environment
from server.platform.extensions import db

# The tables people fill; a scheduler's own bookkeeping on an empty install does not count.
DATA_TABLES = ("users", "units", "residents", "visits")
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    from glob import glob

    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq address without the password, which goes to the environment, not to `ps`."""
    env = child_environment()
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    address = url.set(drivername="postgresql", password=None)
    return address.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return url.database


def counts() -> dict[str, int]:
    """Rows in the tables people fill (every visit holds its signature)."""
    existing = set(inspect(db.engine).get_table_names())
    return {
        name: db.session.scalar(select(func.count()).select_from(table(name)))
        for name in DATA_TABLES
        if name in existing
    }


def backup(path: Path) -> dict[str, int]:
    """Write a consistent copy of the database to `path`; return what it holds."""
    url = _url()
    path.parent.mkdir(parents=True, exist_ok=True)
    held = counts()
    db.session.rollback()
    if url.get_backend_name() == "postgresql":
        address, env = _libpq(url)
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={path}",
                f"--dbname={address}",
            ],
            env,
        )
    elif url.get_backend_name() == "sqlite":
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(partial)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        partial.replace(path)  # never a half-written file under the final name
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases")
    path.chmod(0o600)  # it holds everything: names, notes, signatures
    _backup_media(path)
    return held


def media_archive(path: Path) -> Path:
    """Where the media folder of the backup at `path` goes."""
    return path.with_name(path.name + ".media.tar")


def _media_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"])


def _backup_media(path: Path) -> None:
    """The photos beside the database: files are written once and never changed, so a copy
    taken after the database's holds every file its rows name."""
    media, archive = _media_dir(), media_archive(path)
    if not media.is_dir():
        archive.unlink(missing_ok=True)
        return
    partial = archive.with_name(archive.name + ".partial")
    partial.unlink(missing_ok=True)
    with tarfile.open(partial, "w") as tar:
        for file in sorted(media.rglob("*")):
            if file.is_file() and not file.name.endswith(".partial"):
                tar.add(file, arcname=str(file.relative_to(media)))
    partial.chmod(0o600)
    partial.replace(archive)


def _restore_media(path: Path) -> None:
    archive = media_archive(path)
    if not archive.is_file():
        return
    media = _media_dir()
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(media, filter="data")  # no absolute paths, no escapes, no devices


def _check_file(path: Path, backend: str) -> None:
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(16)
    expected = {"postgresql": PG_MAGIC, "sqlite": SQLITE_MAGIC}[backend]
    if not head.startswith(expected):
        other = (
            "a PostgreSQL dump"
            if head.startswith(PG_MAGIC)
            else "a SQLite database"
            if head.startswith(SQLITE_MAGIC)
            else "not a Rounds backup"
        )
        raise BackupError(f"{path} is {other}; this server's database is {backend}")


def restore(path: Path, *, force: bool = False) -> dict[str, int]:
    """Replace the database with the backup at `path`; refuse to overwrite data unless forced."""
    url = _url()
    backend = url.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise BackupError(f"no restore for {backend} databases")
    _check_file(path, backend)
    held = counts()
    if any(held.values()) and not force:
        summary = ", ".join(f"{count} {name}" for name, count in held.items() if count)
        raise BackupError(f"the database holds data ({summary}); restore over it only with --force")
    db.session.rollback()
    if backend == "postgresql":
        address, env = _libpq(url)
        _run([_pg_tool("pg_restore"), "--list", str(path)], env)  # readable before we drop
        _drop_all_tables()
        _run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={address}",
                str(path),
            ],
            env,
        )
    else:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    db.engine.dispose()  # pooled connections may hold the old schema's cached plans
    _restore_media(path)
    return counts()


def _drop_all_tables() -> None:
    """Empty the schema so the dump's tables, sequences and version row come back as they were."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.begin() as connection:
        metadata.drop_all(connection)


def _describe(held: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in held.items())


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Write a consistent backup of the database to PATH (safe while the server runs)."""
    try:
        held = backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {path} ({path.stat().st_size} bytes): {_describe(held)}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(path, force):
    """Replace the database with the backup at PATH (stop the app and scheduler first)."""
    try:
        held = restore(path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {path}: {_describe(held)}. Next: `rounds db upgrade`.")
