"""Roll-ups by level: an organisation's children (districts, offices or units) with their
coverage, satisfaction, activity, tasks and cases over a period, and as CSV."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, g, stream_with_context
from marshmallow import Schema, ValidationError, fields, validates_schema

from server.http.api import setting
from server.http.api.reports import SatisfactionTargetSchema, Score
from server.http.endpoint import endpoint
from server.http.fields import BoundedDate
from server.models.cases import OPEN_CASE_STAGES
from server.models.core import MANAGERS
from server.organisations import rollup as rollups
from server.platform.clock import today_in
from server.reports.exports import csv_stream, text
from server.targets.settings import current_targets

bp = Blueprint("rollup", __name__)

LEVELS = ("district", "office", "unit")
# The longest period one roll-up adds up.
MAX_DAYS = 1096


class RollupQuery(Schema):
    organisation_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "The organisation whose children are rows; default: the top one reaches"
        },
    )
    from_ = BoundedDate(
        data_key="from", load_default=None, metadata={"description": "Default: 1 January"}
    )
    to = BoundedDate(load_default=None, metadata={"description": "Default: today"})

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": ["'from' is after 'to'."]})
        if start and end and (end - start).days >= MAX_DAYS:
            raise ValidationError({"from": [f"At most {MAX_DAYS} days at once."]})


class RollupOrganisationRef(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": ["city", "district", "office"]})
    name = fields.String()


class RollupAboveRef(RollupOrganisationRef):
    reached = fields.Boolean(metadata={"description": "Whether one may open its roll-up"})


class RollupCoverageFigures(Schema):
    judged = fields.Integer(metadata={"description": "Residents' periods judged in the range"})
    met = fields.Integer()
    share_met = fields.Float(allow_none=True)


class RollupActivityFigures(Schema):
    visits = fields.Integer()
    visited_days = fields.Integer(metadata={"description": "Days with at least one visit"})
    workers = fields.Integer(metadata={"description": "Workers who recorded a visit"})


class RollupTaskFigures(Schema):
    open = fields.Integer(metadata={"description": "Open or in progress, now"})
    overdue = fields.Integer(metadata={"description": "Of the open, due before today"})
    closed = fields.Integer(metadata={"description": "Done within the range"})


class RollupCaseStages(Schema):
    intake = fields.Integer()
    assessment = fields.Integer()
    intervention = fields.Integer()
    closing = fields.Integer()


class RollupCaseFigures(Schema):
    open = fields.Integer(metadata={"description": "Open cases now, every stage but archived"})
    by_stage = fields.Nested(RollupCaseStages)
    closed = fields.Integer(metadata={"description": "Closed within the range"})


class RollupFigures(Schema):
    residents = fields.Integer(metadata={"description": "Residents in care (active) now"})
    coverage = fields.Nested(RollupCoverageFigures)
    satisfaction = fields.Nested(Score)
    activity = fields.Nested(RollupActivityFigures)
    tasks = fields.Nested(RollupTaskFigures)
    cases = fields.Nested(RollupCaseFigures)


class RollupRow(RollupFigures):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": list(LEVELS)})
    name = fields.String()


class RollupSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    organisation = fields.Nested(RollupOrganisationRef)
    above = fields.List(fields.Nested(RollupAboveRef), metadata={"description": "City first"})
    level = fields.String(metadata={"enum": list(LEVELS)})
    periods_judged = fields.List(
        fields.String(), metadata={"description": "Coverage weeks, months, years wholly inside"}
    )
    target = fields.Nested(SatisfactionTargetSchema)
    total = fields.Nested(RollupFigures)
    rows = fields.List(fields.Nested(RollupRow))


def _period(query: dict) -> tuple[date, date]:
    """The range asked for; by default 1 January of the end's year to today."""
    end = query.get("to") or today_in(setting("TIMEZONE"))
    start = query.get("from_") or end.replace(month=1, day=1)
    if start > end:
        raise ValidationError({"from": ["'from' is after 'to'."]})
    return start, end


def _rollup(query: dict) -> dict:
    start, end = _period(query)
    zone = setting("TIMEZONE")
    return rollups.rollup(
        g.scope,
        query["organisation_id"],
        start,
        end,
        today=today_in(zone),
        zone_name=zone,
        targets=current_targets(),
    )


@bp.get("/rollup")
@endpoint(
    "An organisation's children (the city's districts, a district's offices, an office's "
    "units) with residents, coverage, satisfaction, activity, tasks and cases over a range "
    "(default: this year to today), and its totals",
    query=RollupQuery,
    response=RollupSchema,
    roles=MANAGERS,
)
def get_rollup(query):
    return _rollup(query)


ROLLUP_COLUMNS = (
    "level",
    "id",
    "name",
    "from",
    "to",
    "residents",
    "coverage_judged",
    "coverage_met",
    "coverage_share_met",
    "rated",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
    "satisfied_share",
    "meets_target",
    "visits",
    "visited_days",
    "workers",
    "tasks_open",
    "tasks_overdue",
    "tasks_closed",
    "cases_open",
    *[f"cases_{stage}" for stage in OPEN_CASE_STAGES],
    "cases_closed",
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as the other exports write flags
    return str(value)


def rollup_line(kind: str, row_id, name: str, answer: dict, figures: dict) -> list[str]:
    satisfaction, cases = figures["satisfaction"], figures["cases"]
    values = [
        kind,
        row_id,
        text(name),
        answer["from"].isoformat(),
        answer["to"].isoformat(),
        figures["residents"],
        figures["coverage"]["judged"],
        figures["coverage"]["met"],
        figures["coverage"]["share_met"],
        satisfaction["rated"],
        satisfaction["satisfied"],
        satisfaction["basically_satisfied"],
        satisfaction["unsatisfied"],
        None
        if satisfaction["satisfied_share"] is None
        else round(satisfaction["satisfied_share"], 4),
        satisfaction["meets_target"],
        figures["activity"]["visits"],
        figures["activity"]["visited_days"],
        figures["activity"]["workers"],
        figures["tasks"]["open"],
        figures["tasks"]["overdue"],
        figures["tasks"]["closed"],
        cases["open"],
        *[cases["by_stage"][stage] for stage in OPEN_CASE_STAGES],
        cases["closed"],
    ]
    return [_cell(value) for value in values]


def rollup_lines(answer: dict) -> list[list[str]]:
    """The children's rows, then the organisation's total."""
    lines = [
        rollup_line(row["kind"], row["id"], row["name"], answer, row) for row in answer["rows"]
    ]
    organisation = answer["organisation"]
    lines.append(
        rollup_line(
            organisation["kind"], organisation["id"], organisation["name"], answer, answer["total"]
        )
    )
    return lines


@bp.get("/exports/rollup.csv")
@endpoint(
    "The roll-up (GET /rollup) as CSV, UTF-8 with BOM: a line per child, then the "
    "organisation's total",
    query=RollupQuery,
    produces="text/csv",
    roles=MANAGERS,
)
def rollup_csv(query):
    answer = _rollup(query)
    lines = rollup_lines(answer)
    filename = f"rounds-rollup_{answer['from'].isoformat()}_{answer['to'].isoformat()}.csv"
    return Response(
        stream_with_context(csv_stream(ROLLUP_COLUMNS, lines)),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
