"""CSV exports (visits, coverage, follow-up tasks) and the printable visit register."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, g, stream_template, stream_with_context, url_for
from jinja2.environment import TemplateStream
from marshmallow import ValidationError, fields, validate, validates_schema

from server.http.api import setting
from server.http.endpoint import endpoint
from server.http.fields import OneOrMany, RangeQuery, UnitsQuery, date_range
from server.http.printing import stylesheet_response
from server.models import Unit
from server.models.core import MANAGERS
from server.models.tasks import TASK_PRIORITIES, TASK_SOURCES, TASK_STATUSES
from server.platform.clock import today_in
from server.reports import exports, register
from server.reports import tasks as task_report
from server.reports.scope import unit_scope
from server.tasks.read import TaskFilter

bp = Blueprint("exports", __name__)

REGISTER_CSS = Path(__file__).resolve().parents[2] / "templates" / "register.css"
# The register goes out in writes of this many template pieces (a page is about a hundred).
REGISTER_PIECES = 500


class ExportQuery(RangeQuery):
    pass


class CoverageExportQuery(RangeQuery):
    period = fields.String(load_default="week", validate=validate.OneOf(("week", "month")))


def _csv(rows, name: str, start, end) -> Response:
    filename = f"rounds-{name}_{start.isoformat()}_{end.isoformat()}.csv"
    return Response(
        stream_with_context(rows),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/exports/visits.csv")
@endpoint(
    "Visits of a date range (default: the last 30 days) and units as CSV, UTF-8 with "
    "BOM, streamed; amendments applied, voided visits included and marked",
    query=ExportQuery,
    produces="text/csv",
    roles=MANAGERS,
)
def visits_csv(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, 30)
    rows = exports.visit_rows(units, start, end, setting("TIMEZONE"))
    return _csv(exports.csv_stream(exports.VISIT_COLUMNS, rows), "visits", start, end)


@bp.get("/exports/coverage.csv")
@endpoint(
    "Coverage results (per resident and ISO week, or month) of the periods touching a "
    "date range (default: the last 30 days) as CSV, UTF-8 with BOM, streamed",
    query=CoverageExportQuery,
    produces="text/csv",
    roles=MANAGERS,
)
def coverage_csv(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, 30)
    rows = exports.coverage_rows(units, start, end, query["period"], setting("TIMEZONE"))
    return _csv(exports.csv_stream(exports.COVERAGE_COLUMNS, rows), "coverage", start, end)


class TaskExportQuery(UnitsQuery):
    """The filters of the office task list (GET /api/v1/tasks)."""

    assignee_id = fields.UUID(load_default=None)
    resident_id = fields.UUID(load_default=None)
    status = OneOrMany(
        fields.String(validate=validate.OneOf(TASK_STATUSES)),
        load_default=list,
        validate=validate.Length(max=len(TASK_STATUSES)),
        metadata={"description": "Repeat for several; none: every status"},
    )
    priority = fields.String(load_default=None, validate=validate.OneOf(TASK_PRIORITIES))
    due = fields.String(load_default=None, validate=validate.OneOf(("overdue", "today", "week")))
    source = fields.String(load_default=None, validate=validate.OneOf(TASK_SOURCES))


@bp.get("/tasks.csv")
@endpoint(
    "The follow-up tasks one sees, under the task list's filters, as CSV, UTF-8 with BOM, "
    "streamed, by due date (admins: all; supervisors: their units; workers: their units' "
    "tasks and those assigned to them)",
    query=TaskExportQuery,
    produces="text/csv",
)
def tasks_csv(query):
    for unit_id in dict.fromkeys(query["unit_id"]):
        g.scope.get(Unit, unit_id)
    wanted = TaskFilter(
        unit_ids=list(query["unit_id"]),
        assignee_id=query["assignee_id"],
        resident_id=query["resident_id"],
        statuses=list(query["status"]),
        priority=query["priority"],
        due=query["due"],
        source=query["source"],
    )
    zone = setting("TIMEZONE")
    today = today_in(zone)
    rows = task_report.task_rows(
        task_report.task_export(g.scope, g.user.id, wanted, today), zone, today
    )
    return _csv(exports.csv_stream(task_report.TASK_COLUMNS, rows), "tasks", today, today)


class RegisterQuery(RangeQuery):
    visit_id = fields.UUID(load_default=None, metadata={"description": "One visit"})

    @validates_schema
    def _one_or_range(self, data, **kwargs):
        if data.get("visit_id") is None and not (data.get("from_") and data.get("to")):
            raise ValidationError({"visit_id": ["Give a visit_id, or a range: from and to."]})


@bp.get("/register")
@endpoint(
    "The printable service register (老年服务工作登记表), A4, one page per visit: one "
    "visit (visit_id) or a date range (from, to, unit_id); at most "
    f"{register.MAX_PAGES} visits at once",
    query=RegisterQuery,
    produces="text/html",
    roles=MANAGERS,
    extra_responses={422: "neither a visit nor a range, or too many"},
)
def register_html(query):
    zone = setting("TIMEZONE")
    if query["visit_id"] is not None:
        pages = [register.page(register.one_visit(g.scope, query["visit_id"]), zone)]
        title = f"{register.TITLE} {pages[0]['number']}"
    else:
        units = unit_scope(g.scope, query["unit_id"])
        start, end = date_range(query)
        pages = register.pages(units, start, end, zone)
        title = f"{register.TITLE} {start.isoformat()} ~ {end.isoformat()}"
    html = TemplateStream(
        stream_template(
            "register.html",
            pages=pages,
            title=title,
            stylesheet=url_for("api.exports.register_css"),
        )
    )
    # Each piece written costs the server about as much as rendering it: group them.
    html.enable_buffering(REGISTER_PIECES)
    return Response(html, mimetype="text/html", headers={"Cache-Control": "private, no-store"})


@bp.get("/register.css")
@endpoint(
    "The print style of the visit register (A4, a page per visit)", public=True, produces="text/css"
)
def register_css():
    return stylesheet_response(REGISTER_CSS)
