"""Coverage: the supervisor's board, its history, and the policies (the city's admin replaces
them; an office's admin gives its own residents a rule of their own)."""

from __future__ import annotations

from flask import Blueprint, g
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from server import coverage
from server.coverage.board import BOARD_SORTS
from server.http.api import setting
from server.http.endpoint import endpoint
from server.http.fields import (
    MAX_DATE,
    MIN_DATE,
    OfficeQuery,
    OneOrMany,
    PageQuery,
    PersonRefSchema,
    month_label,
    week_label,
)
from server.models import COVERAGE_STATUSES, POLICY_PERIODS, Resident, Unit
from server.models.core import ADMIN
from server.people.access import Scope
from server.platform.clock import today_in
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded

bp = Blueprint("coverage", __name__)


# The most visited days a period can ask for.
MOST_DAYS = {"week": 7, "month": 31, "year": 366}


class RuleSchema(Schema):
    required = fields.Integer(
        load_default=1,
        validate=validate.Range(min=0, max=366),
        metadata={"description": "Visited days a period asks for; 1 for period days"},
    )
    period = fields.String(load_default="week", validate=validate.OneOf(POLICY_PERIODS))
    every_days = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=366),
        metadata={"description": "For period days: the longest gap allowed between visits"},
    )

    @validates_schema
    def _fits_the_period(self, data, **kwargs):
        period = data.get("period", "week")
        if period == "days":
            if data.get("every_days") is None:
                message = coded("Say every how many days: 1 to 366.", "range", min=1, max=366)
                raise ValidationError({"every_days": [message]})
            return
        most = MOST_DAYS[period]
        if data.get("required", 0) > most:
            message = coded(
                f"A {period} has {most} days: at most {most}.", "range", min=0, max=most
            )
            raise ValidationError({"required": [message]})


class CareLevelRuleSchema(RuleSchema):
    care_level = fields.String(required=True, validate=validate.Length(min=1, max=40))


class ResidentRuleSchema(RuleSchema):
    resident_id = fields.UUID(required=True)


class PoliciesSchema(Schema):
    default = fields.Nested(RuleSchema, required=True)
    care_levels = fields.List(fields.Nested(CareLevelRuleSchema), load_default=list)
    residents = fields.List(fields.Nested(ResidentRuleSchema), load_default=list)

    @validates_schema
    def _one_rule_per_scope(self, data, **kwargs):
        for name, key in (("care_levels", "care_level"), ("residents", "resident_id")):
            seen = [item[key] for item in data.get(name, [])]
            if len(seen) != len(set(seen)):
                raise ValidationError({name: [f"Give each {key} once."]})


def _period_label(value: str) -> None:
    try:
        coverage.Period.parse(value)
    except ValueError as error:
        raise ValidationError("Not a period.") from error


def _year_label(value: str) -> None:
    if not (len(value) == 4 and value.isdigit()):
        raise ValidationError("Use a year: 2026.")
    if not MIN_DATE.year <= int(value) <= MAX_DATE.year:
        raise ValidationError(f"Use a year of {MIN_DATE.year} to {MAX_DATE.year}.")


class CoverageQuery(OfficeQuery, PageQuery):
    week = week_label(validate=_period_label)
    month = month_label(validate=_period_label)
    year = fields.String(
        validate=_year_label,
        metadata={"description": "A calendar year (2026): the residents on a yearly rule"},
    )
    period = fields.String(
        validate=validate.OneOf(["days"]),
        metadata={"description": "days: the residents on an every-N-days rule, their gaps"},
    )
    unit_id = fields.UUID()
    status = OneOrMany(
        fields.String(validate=validate.OneOf(COVERAGE_STATUSES)),
        load_default=list,
        metadata={
            "description": "Repeat for several (?status=at_risk&status=missed); "
            "none: every status. The unit counts ignore it."
        },
    )
    sort = fields.String(
        load_default="priority",
        validate=validate.OneOf(BOARD_SORTS),
        metadata={
            "description": "priority (default): missed, at risk, on "
            "track, met, the most days short first, then name; name, "
            "last_visit (never visited first), days_visited, each "
            "reversed with '-'"
        },
    )

    @validates_schema
    def _one_period(self, data, **kwargs):
        if sum(name in data for name in ("week", "month", "year", "period")) > 1:
            raise ValidationError({"_schema": ["Give one of week, month, year or period."]})


class UnitCountsSchema(Schema):
    unit_id = fields.UUID()
    residents = fields.Integer()
    met = fields.Integer()
    on_track = fields.Integer()
    at_risk = fields.Integer()
    missed = fields.Integer()


class ResidentCoverageSchema(Schema):
    resident_id = fields.UUID()
    name = fields.String()
    unit_id = fields.UUID()
    required = fields.Integer()
    days_visited = fields.Integer()
    last_visit_at = fields.AwareDateTime(allow_none=True)
    status = fields.String()
    every_days = fields.Integer(metadata={"description": "The every-N-days board only: N"})
    due_by = fields.Date(
        metadata={"description": "The every-N-days board only: the last day a visit is in time"},
    )
    days_overdue = fields.Integer(
        metadata={"description": "The every-N-days board only: days past due_by (0 unless missed)"},
    )
    last_visit_by = fields.Nested(
        PersonRefSchema,
        allow_none=True,
        metadata={
            "description": "The worker of the visit `last_visit_at` names; null when there is "
            "none, or when it was voided after the count"
        },
    )


class BoardSchema(Schema):
    period = fields.String()
    evaluated_at = fields.AwareDateTime(allow_none=True)
    units = fields.List(
        fields.Nested(UnitCountsSchema),
        metadata={
            "description": "Counts of the whole period and scope, whatever the status and page"
        },
    )
    residents = fields.List(
        fields.Nested(ResidentCoverageSchema),
        metadata={
            "description": "One page of the residents of the status asked for, "
            "in the sort asked for"
        },
    )
    total = fields.Integer(metadata={"description": "Residents of the status asked for"})
    page = fields.Integer()
    per_page = fields.Integer()


class HistoryQuery(OfficeQuery):
    weeks = fields.Integer(load_default=12, validate=validate.Range(min=1, max=104))
    unit_id = fields.UUID()


class WeekShareSchema(Schema):
    period = fields.String()
    residents = fields.Integer()
    met = fields.Integer()
    share_met = fields.Float(allow_none=True)


class UnitHistorySchema(Schema):
    unit_id = fields.UUID()
    name = fields.String()
    weeks = fields.List(fields.Nested(WeekShareSchema))


class HistorySchema(Schema):
    weeks = fields.List(fields.String())
    units = fields.List(fields.Nested(UnitHistorySchema))


def _scope(unit_id) -> Scope:
    if unit_id is not None:
        g.scope.get(Unit, unit_id)  # 404 for a unit one may not see
    return g.scope


@bp.get("/coverage")
@endpoint(
    "Coverage of a week (default: this week), a month, a year, or the every-N-days gaps: "
    "counts by unit, and a page of residents, missed and at risk first unless sorted otherwise",
    query=CoverageQuery,
    response=BoardSchema,
)
def coverage_board(query):
    scope = _scope(query.get("unit_id"))
    today = today_in(setting("TIMEZONE"))
    if "period" in query:
        period = coverage.Period.of("days", today)
    elif "week" in query or "month" in query or "year" in query:
        period = coverage.Period.parse(query.get("week") or query.get("month") or query["year"])
    else:
        period = coverage.Period.of("week", today)
    return coverage.board(
        period,
        scope,
        query.get("unit_id"),
        statuses=query["status"],
        sort=query["sort"],
        page=query["page"],
        per_page=query["per_page"],
        today=today,
    )


@bp.get("/coverage/history")
@endpoint(
    "The share of residents who met the rule, per unit and week",
    query=HistoryQuery,
    response=HistorySchema,
)
def coverage_history(query):
    scope = _scope(query.get("unit_id"))
    return coverage.history(
        today_in(setting("TIMEZONE")), query["weeks"], scope, query.get("unit_id")
    )


def _policies_document() -> dict:
    policies = coverage.load_policies()
    residents = policies.residents
    if not g.scope.everything:
        visible = set(
            db.session.scalars(
                g.scope.filter(
                    select(Resident.id).where(Resident.id.in_(residents)), Resident.unit_id
                )
            )
        )
        residents = {key: rule for key, rule in residents.items() if key in visible}

    def rule(r):
        every = {"every_days": r.every_days} if r.period == "days" else {}
        return {"required": r.required, "period": r.period, **every}

    return {
        "default": rule(policies.default),
        "care_levels": [
            {"care_level": level, **rule(r)} for level, r in sorted(policies.care_levels.items())
        ],
        "residents": [
            {"resident_id": key, **rule(r)}
            for key, r in sorted(residents.items(), key=lambda i: str(i[0]))
        ],
    }


@bp.get("/coverage/policies")
@endpoint(
    "How many visited days each resident needs: default, care levels, residents",
    query=OfficeQuery,
    response=PoliciesSchema,
)
def get_policies(query):
    return _policies_document()


@bp.put("/coverage/policies")
@endpoint(
    "Replace the coverage policies (the next refresh applies them)",
    body=PoliciesSchema,
    response=PoliciesSchema,
    roles=(ADMIN,),
)
def put_policies(body):
    g.scope.require_whole_city()  # every office shares them
    wanted = {item["resident_id"] for item in body["residents"]}
    known = set(db.session.scalars(select(Resident.id).where(Resident.id.in_(wanted))))
    if wanted - known:
        raise ApiError(
            422,
            "Some fields are not valid.",
            errors={
                "residents": [
                    coded(f"No such resident: {key}", "not_found", value=key)
                    for key in sorted(map(str, wanted - known))
                ]
            },
        )
    coverage.replace_policies(g.user.id, body)
    db.session.commit()
    return _policies_document()


def _resident_of_mine(resident_id) -> Resident:
    """The resident, whose unit one must manage: 404 outside one's reach, 403 for a reader."""
    resident = g.scope.get(Resident, resident_id, "resident")
    g.scope.require_manager_of(resident.unit_id)
    return resident


@bp.put("/residents/<uuid:resident_id>/coverage-policy")
@endpoint(
    "Give one resident a coverage rule of their own (every other rule kept)",
    body=RuleSchema,
    response=PoliciesSchema,
    roles=(ADMIN,),
)
def put_resident_policy(resident_id, body):
    resident = _resident_of_mine(resident_id)
    coverage.set_resident_rule(g.user.id, resident.id, body)
    db.session.commit()
    return _policies_document()


@bp.delete("/residents/<uuid:resident_id>/coverage-policy")
@endpoint(
    "Take away a resident's own coverage rule: they follow their care level's or the default",
    response=PoliciesSchema,
    roles=(ADMIN,),
)
def delete_resident_policy(resident_id):
    resident = _resident_of_mine(resident_id)
    coverage.set_resident_rule(g.user.id, resident.id, None)
    db.session.commit()
    return _policies_document()
