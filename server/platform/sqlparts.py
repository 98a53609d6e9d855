"""SQL pieces that read the same on SQLite and PostgreSQL: one query for both databases.

PostgreSQL subtracts and adds dates as integers of days; SQLite keeps dates as ISO text and
needs julianday() and date() modifiers. PostgreSQL prints a uuid with hyphens; SQLite holds
it as 32 hex digits. Both have INSERT … ON CONFLICT, each in its own dialect's construct.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.functions import FunctionElement

from server.platform.extensions import db


def insert_or_on_conflict(target) -> Insert:
    """An INSERT into a model or table that can take ON CONFLICT, for the database in use."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(target)


class days_between(FunctionElement):
    """Whole days from the first date to the second (second - first)."""

    type = Integer()
    inherit_cache = True


class plus_days(FunctionElement):
    """The date a number of days after (or before, if negative) a date."""

    type = Date()
    inherit_cache = True


class later_of(FunctionElement):
    """The later of two dates (neither may be NULL)."""

    type = Date()
    inherit_cache = True


class earlier_of(FunctionElement):
    """The earlier of two dates (neither may be NULL)."""

    type = Date()
    inherit_cache = True


def _args(element, compiler, **kw) -> list[str]:
    return [compiler.process(argument, **kw) for argument in element.clauses]


@compiles(days_between)
def _days_between(element, compiler, **kw):
    first, second = _args(element, compiler, **kw)
    return f"({second} - {first})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    first, second = _args(element, compiler, **kw)
    return f"CAST(julianday({second}) - julianday({first}) AS INTEGER)"


@compiles(plus_days)
def _plus_days(element, compiler, **kw):
    day, count = _args(element, compiler, **kw)
    return f"({day} + CAST({count} AS INTEGER))"


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element, compiler, **kw):
    day, count = _args(element, compiler, **kw)
    return f"date({day}, printf('%+d days', {count}))"


@compiles(later_of)
def _later_of(element, compiler, **kw):
    return "GREATEST({}, {})".format(*_args(element, compiler, **kw))


@compiles(later_of, "sqlite")
def _later_of_sqlite(element, compiler, **kw):
    return "max({}, {})".format(*_args(element, compiler, **kw))


@compiles(earlier_of)
def _earlier_of(element, compiler, **kw):
    return "LEAST({}, {})".format(*_args(element, compiler, **kw))


@compiles(earlier_of, "sqlite")
def _earlier_of_sqlite(element, compiler, **kw):
    return "min({}, {})".format(*_args(element, compiler, **kw))


class uuid_text(FunctionElement):
    """A uuid as Python's str() writes it: 8-4-4-4-12 lowercase hex digits."""

    type = String()
    inherit_cache = True


@compiles(uuid_text)
def _uuid_text(element, compiler, **kw):
    return "CAST({} AS TEXT)".format(*_args(element, compiler, **kw))


@compiles(uuid_text, "sqlite")
def _uuid_text_sqlite(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    parts = [
        f"substr({value}, {start}, {length})"
        for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    ]
    return " || '-' || ".join(parts)


class empty_json(FunctionElement):
    """An empty JSON object, typed as JSON where the database has the type."""

    inherit_cache = True


@compiles(empty_json)
def _empty_json(element, compiler, **kw):
    return "CAST('{}' AS JSON)"


@compiles(empty_json, "sqlite")
def _empty_json_sqlite(element, compiler, **kw):
    return "'{}'"
