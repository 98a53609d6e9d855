"""The pieces of schemas that more than one blueprint or domain schema uses, defined once.

Bounded text, bounded numbers, dates and periods, the error answer, a PATCH that must change
something, references to a unit or a person, the one shape of a page of items, and the query
parts (paging, units, a date range) that lists and reports share.

Every value a client sends is bounded here, once: a page number, an id, a date or a period
outside what the server can compute with is a 422 naming the field, never an overflow deep in
a query or a date sum (docs/security.md, "Input bounds").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.platform.clock import today_in

# --- bounds ------------------------------------------------------------------------------

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
MAX_PAGE = 100_000
MAX_PER_PAGE = 200
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DATE_MESSAGE = f"Use a date from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}."


class BoundedDate(fields.Date):
    """A calendar date within MIN_DATE..MAX_DATE: room for any date range, week or month
    arithmetic on it without leaving what Python and the databases can hold."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Range(min=MIN_DATE, max=MAX_DATE, error=DATE_MESSAGE))


class BoundedAwareDateTime(fields.AwareDateTime):
    """An RFC 3339 instant with its offset, in the years of MIN_DATE..MAX_DATE.

    The year is checked on the instant as written, before anything converts it: 0001-01-01
    at +08:00 is a year before the first one in UTC, which Python cannot represent.
    """

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not MIN_DATE.year <= moment.year <= MAX_DATE.year:
            raise ValidationError(f"Use a time in the years {MIN_DATE.year} to {MAX_DATE.year}.")
        return moment


def whole(minimum: int = INT64_MIN, maximum: int = INT64_MAX, **kwargs) -> fields.Integer:
    """A whole number (never 1.5, never "1e400") within the bounds, 64 bits at most."""
    return fields.Integer(
        validate=validate.Range(min=max(minimum, INT64_MIN), max=min(maximum, INT64_MAX)), **kwargs
    )


def page_field() -> fields.Integer:
    return whole(1, MAX_PAGE, load_default=1, metadata={"description": "From 1"})


def per_page_field(default: int = 50, maximum: int = MAX_PER_PAGE) -> fields.Integer:
    return whole(1, maximum, load_default=default)


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _week_label(value: str) -> None:
    match = _WEEK.match(value)
    if not match:
        raise ValidationError("Use an ISO week: 2026-W48.")
    year, week = int(match[1]), int(match[2])
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise ValidationError(f"Use a week of the years {MIN_DATE.year} to {MAX_DATE.year}.")
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise ValidationError(f"{year} has no week {week}.") from error


def _month_label(value: str) -> None:
    match = _MONTH.match(value)
    if not match:
        raise ValidationError("Use a month: 2026-11.")
    year, month = int(match[1]), int(match[2])
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise ValidationError(f"Use a month of the years {MIN_DATE.year} to {MAX_DATE.year}.")
    if not 1 <= month <= 12:
        raise ValidationError("A month is 01 to 12.")


def _then(first, more):
    """One validator: `first`, and only if the value passed it, the others (marshmallow runs
    every validator of a field, so a later one would see the value the first refused)."""
    rest = list(more) if isinstance(more, list | tuple) else [more] if more else []

    def check(value) -> None:
        first(value)
        for validator in rest:
            if validator(value) is False:
                raise ValidationError("Invalid value.")

    return check


def week_label(*, validate=None, **kwargs) -> fields.String:
    """An ISO week label (2026-W48) of a week that exists, in the bounded years."""
    return fields.String(
        validate=_then(_week_label, validate),
        metadata={"pattern": r"^\d{4}-W\d{2}$", "description": "ISO week, 2000-W01 to 2100-W52"},
        **kwargs,
    )


def month_label(*, validate=None, **kwargs) -> fields.String:
    """A month label (2026-11) in the bounded years."""
    return fields.String(
        validate=_then(_month_label, validate),
        metadata={"pattern": r"^\d{4}-\d{2}$", "description": "Month, 2000-01 to 2100-12"},
        **kwargs,
    )


def text(max_length: int, *, required: bool = False, allow_none: bool = True, **kwargs):
    return fields.String(
        required=required, allow_none=allow_none, validate=validate.Length(max=max_length), **kwargs
    )


def name_field(max_length: int = 120):
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


class ProblemSchema(Schema):
    """Every error answer (RFC 9457 problem details): server/platform/errors.py makes them."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Each field's messages in English, nested as the body is"},
    )
    codes = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={
            "description": (
                "Each field's causes, in the shape of `errors`: a list of {code, message, and"
                " the code's parameters}, e.g. {code: length, min: 1, max: 120, message: ...}."
                " Codes: required, unknown, invalid, number, date, email, length, range, one_of,"
                " too_many, too_few, not_found, taken, weak_password (docs/api-contract.md)"
            )
        },
    )
    code = fields.String(
        metadata={
            "description": "A stable name for the cause, e.g. device_revoked or session_expired"
        }
    )


class NonEmptyMixin:
    """A PATCH that changes nothing is a mistake worth telling the client about."""

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError({"_schema": ["Send at least one field to change."]})


class OneOrMany(fields.List):
    """A query parameter given once or repeated (?unit_id=a&unit_id=b).

    The endpoint decorator hands a list field every value given; a single value passed
    directly (a test, a domain caller) is taken as a list of one.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(
            value if isinstance(value, list) else [value], attr, data, **kwargs
        )


# --- references: what an answer says about a unit or a person it mentions ----------------


class UnitRefSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class PersonRefSchema(Schema):
    """A worker, author or handler named in an answer. Some answers leave out `username`."""

    id = fields.UUID()
    display_name = fields.String()
    username = fields.String()


# --- pages ----------------------------------------------------------------------------


class PageQuery(Schema):
    page = page_field()
    per_page = per_page_field()


_pages: dict[tuple[type[Schema], str | None], type[Schema]] = {}


def Page(item: type[Schema], *, name: str | None = None) -> type[Schema]:
    """The schema of a page of `item`s: the items, the page asked for, its size and the total.

    One class per item schema (made once), named after it (`VisitRow` gives `VisitRowPage`)
    unless `name` says otherwise; subclass it to add fields a particular page carries.
    """
    key = (item, name)
    if key not in _pages:
        label = name or item.__name__.removesuffix("Schema") + "Page"
        _pages[key] = Schema.from_dict(
            {
                "items": fields.List(fields.Nested(item)),
                "page": fields.Integer(),
                "per_page": fields.Integer(),
                "total": fields.Integer(),
            },
            name=f"{label}Schema",
        )
    return _pages[key]


# --- the units and dates a report or an export covers ------------------------------------


def office_field() -> fields.UUID:
    return fields.UUID(
        load_default=None,
        metadata={"description": "One office's units only (with unit_id: those of it)"},
    )


class OfficeQuery(Schema):
    """A list or report narrowed to one office one reaches (404 for any other): the endpoint
    decorator narrows the request's scope to it, so every query the scope limits honours it."""

    office_id = office_field()


class UnitsQuery(OfficeQuery):
    unit_id = OneOrMany(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "Repeat for several units; none: all one sees"},
    )


class RangeQuery(UnitsQuery):
    """An inclusive range of visit dates (local days)."""

    max_days = 3660
    from_ = BoundedDate(data_key="from", load_default=None)
    to = BoundedDate(load_default=None)

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": ["'from' is after 'to'."]})
        if start and end and (end - start).days >= self.max_days:
            raise ValidationError({"from": [f"At most {self.max_days} days at once."]})


def date_range(
    query: dict, default_days: int | None = None, *, months: int | None = None
) -> tuple[date, date]:
    """The range a RangeQuery asked for; missing ends default to today (in the institution's
    time zone) and `default_days` (or whole `months`) before it."""
    end = query.get("to") or today_in(current_app.config["TIMEZONE"])
    start = query.get("from_")
    if start is None:
        if months is not None:
            first = end.replace(day=1)
            for _ in range(months - 1):
                first = (first - timedelta(days=1)).replace(day=1)
            start = first
        else:
            start = end - timedelta(days=default_days - 1)
    if start > end:
        raise ValidationError({"from": ["'from' is after 'to'."]})
    return start, end
