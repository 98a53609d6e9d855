"""CSV exports (visits, coverage) and the printable visit register, for supervisors."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, g, stream_template, stream_with_context, url_for
from jinja2.environment import TemplateStream
from marshmallow import ValidationError, fields, validate, validates_schema

from server.http.api import setting
from server.http.endpoint import endpoint
from server.http.fields import RangeQuery, date_range
from server.models.core import MANAGERS
from server.reports import exports, register
from server.reports.scope import unit_scope

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
    response = Response(REGISTER_CSS.read_text(encoding="utf-8"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
