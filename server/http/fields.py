"""The pieces of schemas that more than one blueprint or domain schema uses, defined once.

Bounded text, the error answer, a PATCH that must change something, references to a unit or a
person, the one shape of a page of items, and the query parts (paging, units, a date range)
that lists and reports share.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.platform.clock import today_in


def text(max_length: int, *, required: bool = False, allow_none: bool = True, **kwargs):
    return fields.String(required=required, allow_none=allow_none,
                         validate=validate.Length(max=max_length), **kwargs)


def name_field(max_length: int = 120):
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


class ProblemSchema(Schema):
    """Every error answer (RFC 9457 problem details): server/platform/errors.py makes them."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


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
        return super()._deserialize(value if isinstance(value, list) else [value], attr, data,
                                    **kwargs)


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
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


_pages: dict[tuple[type[Schema], str | None], type[Schema]] = {}


def Page(item: type[Schema], *, name: str | None = None) -> type[Schema]:
    """The schema of a page of `item`s: the items, the page asked for, its size and the total.

    One class per item schema (made once), named after it (`VisitRow` gives `VisitRowPage`)
    unless `name` says otherwise; subclass it to add fields a particular page carries.
    """
    key = (item, name)
    if key not in _pages:
        label = name or item.__name__.removesuffix("Schema") + "Page"
        _pages[key] = Schema.from_dict({
            "items": fields.List(fields.Nested(item)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        }, name=f"{label}Schema")
    return _pages[key]


# --- the units and dates a report or an export covers ------------------------------------


class UnitsQuery(Schema):
    unit_id = OneOrMany(fields.UUID(), load_default=list, validate=validate.Length(max=200),
                        metadata={"description": "Repeat for several units; none: all one sees"})


class RangeQuery(UnitsQuery):
    """An inclusive range of visit dates (local days)."""

    max_days = 3660
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": ["'from' is after 'to'."]})
        if start and end and (end - start).days >= self.max_days:
            raise ValidationError({"from": [f"At most {self.max_days} days at once."]})


def date_range(query: dict, default_days: int | None = None, *,
               months: int | None = None) -> tuple[date, date]:
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
