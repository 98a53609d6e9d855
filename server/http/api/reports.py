"""Supervisor reports: follow-ups (and handling them), satisfaction, worker activity, devices.

Admins and supervisors only; supervisors see their own units. `unit_id` may be repeated.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, g
from marshmallow import Schema, fields, validate

from server.alerts.unsynced import unsynced_days
from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.fields import (
    Page,
    PageQuery,
    PersonRefSchema,
    RangeQuery,
    UnitsQuery,
    date_range,
)
from server.models.core import MANAGERS
from server.platform.extensions import db
from server.reports import activity as activity_report
from server.reports import devices as devices_report
from server.reports import followups as followups_report
from server.reports import satisfaction as satisfaction_report
from server.reports import tasks as task_report
from server.reports.scope import unit_scope
from server.targets.settings import current_targets

bp = Blueprint("reports", __name__)


# --- answer shapes -----------------------------------------------------------------------


class ReportRef(Schema):
    id = fields.UUID()
    name = fields.String()


class ResidentRef(ReportRef):
    room = fields.String(allow_none=True)


class ReportObservations(Schema):
    living = fields.String(metadata={"enum": ["ok", "concern"]})
    emotional = fields.String(metadata={"enum": ["ok", "concern"]})
    physical = fields.String(metadata={"enum": ["ok", "concern"]})
    notes = fields.String()


class HandledOut(Schema):
    at = fields.AwareDateTime()
    note = fields.String()
    by = fields.Nested(PersonRefSchema)


class VisitTaskRef(Schema):
    id = fields.UUID()
    title = fields.String()
    finding = fields.String(allow_none=True)
    priority = fields.String(metadata={"enum": ["routine", "soon", "urgent"]})
    status = fields.String(metadata={"enum": ["open", "in_progress", "done", "cancelled"]})
    due_on = fields.Date()
    outcome = fields.String(allow_none=True)


class VisitRowSchema(Schema):
    """A visit in a report table: as it reads now (amendments applied)."""

    visit_id = fields.UUID()
    number = fields.String(metadata={"description": "Short number printed on the register"})
    visit_date = fields.Date()
    checked_in_at = fields.AwareDateTime()
    kind = fields.String()
    unit = fields.Nested(ReportRef)
    resident = fields.Nested(ResidentRef)
    worker = fields.Nested(PersonRefSchema)
    observations = fields.Nested(ReportObservations)
    service_given = fields.String()
    follow_up = fields.Boolean()
    feedback = fields.String()
    concerns = fields.List(
        fields.String(),
        metadata={
            "description": "living, emotional, physical (a concern) and follow_up (asked for)"
        },
    )
    satisfaction = fields.String(allow_none=True)
    amended = fields.Boolean()
    voided = fields.Boolean()
    handled = fields.Nested(HandledOut, allow_none=True)
    tasks = fields.List(
        fields.Nested(VisitTaskRef),
        metadata={"description": "The follow-up tasks the visit raised, and where each stands"},
    )


VisitRowPage = Page(VisitRowSchema)


class FollowUpQuery(RangeQuery, PageQuery):
    status = fields.String(load_default="open", validate=validate.OneOf(("open", "handled", "all")))
    sort = fields.String(
        load_default="-checked_in_at", validate=validate.OneOf(("-checked_in_at", "checked_in_at"))
    )


class HandleIn(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=1000))


@bp.get("/followups")
@endpoint(
    "Visits that flag a concern or ask for follow-up (amendments applied, voided ones "
    "left out), newest first, paged; status open (default), handled or all",
    query=FollowUpQuery,
    response=VisitRowPage,
    roles=MANAGERS,
)
def list_followups(query):
    units = unit_scope(g.scope, query["unit_id"])
    return followups_report.followups(
        units,
        query["status"],
        query["from_"],
        query["to"],
        query["sort"] == "-checked_in_at",
        query["page"],
        query["per_page"],
    )


@bp.post("/followups/<uuid:visit_id>/handle")
@endpoint(
    "Mark a follow-up as handled, with a note (once: a second time answers 409); the open "
    "tasks the visit raised are closed with the note as their outcome",
    body=HandleIn,
    response=VisitRowSchema,
    status=201,
    roles=MANAGERS,
    extra_responses={
        409: "handled already",
        422: "the visit is voided, or flags nothing to follow up",
    },
)
def handle_followup(visit_id: uuid.UUID, body):
    row = followups_report.handle_followup(actor(), visit_id, body["note"])
    db.session.commit()
    return row


# --- follow-up tasks ---------------------------------------------------------------------


class TaskFigures(Schema):
    closed = fields.Integer(metadata={"description": "tasks done in the range"})
    cancelled = fields.Integer(metadata={"description": "tasks cancelled in the range"})
    median_hours = fields.Float(allow_none=True, metadata={"description": "time to close"})
    p90_hours = fields.Float(allow_none=True, metadata={"description": "90th percentile"})
    on_time = fields.Integer(metadata={"description": "done on or before the due date"})
    on_time_share = fields.Float(allow_none=True)


class PriorityFigures(TaskFigures):
    priority = fields.String(metadata={"enum": ["routine", "soon", "urgent"]})


class UnitFigures(TaskFigures):
    unit = fields.Nested(ReportRef)


class TaskReportSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    total = fields.Nested(TaskFigures)
    by_priority = fields.List(fields.Nested(PriorityFigures))
    by_unit = fields.List(fields.Nested(UnitFigures))


@bp.get("/reports/tasks")
@endpoint(
    "Of the follow-up tasks closed in a range of local days (default: the last 30), the time "
    "to close in hours (median, 90th percentile) and the share done by the due date, in "
    "total, by priority and by unit",
    query=RangeQuery,
    response=TaskReportSchema,
    roles=MANAGERS,
)
def tasks_report(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, 30)
    return task_report.task_report(units, start, end, setting("TIMEZONE"))


# --- satisfaction ------------------------------------------------------------------------


class Score(Schema):
    satisfied = fields.Integer()
    basically_satisfied = fields.Integer()
    unsatisfied = fields.Integer()
    rated = fields.Integer()
    share = fields.Float(
        allow_none=True,
        metadata={"description": "(satisfied + basically_satisfied) / rated; null when none rated"},
    )
    satisfied_share = fields.Float(
        allow_none=True,
        metadata={
            "description": "Share satisfied by the target's setting (basically satisfied "
            "counted or not) among rated; null when none rated"
        },
    )
    meets_target = fields.Boolean(
        allow_none=True, metadata={"description": "satisfied_share at the target or above"}
    )


class UnitScore(Score):
    unit = fields.Nested(ReportRef)


class WorkerScore(Score):
    worker = fields.Nested(PersonRefSchema)


class MonthScore(Score):
    month = fields.String(metadata={"description": "YYYY-MM"})


class SatisfactionTargetSchema(Schema):
    satisfaction_target = fields.Float(metadata={"description": "0.8 for 80%"})
    basically_counts_as_satisfied = fields.Boolean()


class SatisfactionSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    target = fields.Nested(
        SatisfactionTargetSchema, metadata={"description": "The targets' setting judged by"}
    )
    total = fields.Nested(Score)
    units = fields.List(fields.Nested(UnitScore))
    workers = fields.List(fields.Nested(WorkerScore))
    months = fields.List(fields.Nested(MonthScore))


SCORE_SORTS = ("name", "-name", "share", "-share", "rated", "-rated")


class SatisfactionQuery(RangeQuery):
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(SCORE_SORTS),
        metadata={"description": "Order of the unit and worker rows"},
    )


class UnsatisfiedQuery(RangeQuery, PageQuery):
    pass


@bp.get("/reports/satisfaction")
@endpoint(
    "Share satisfied among rated visits, in total, per unit, per worker and per month, "
    "against the office's satisfaction target (GET /targets); default range: the last 12 "
    "months",
    query=SatisfactionQuery,
    response=SatisfactionSchema,
    roles=MANAGERS,
)
def satisfaction(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, months=12)
    return satisfaction_report.satisfaction(units, start, end, query["sort"], current_targets())


@bp.get("/reports/satisfaction/unsatisfied")
@endpoint(
    "Unsatisfied visits with their comments, newest first, paged; default range: the "
    "last 12 months",
    query=UnsatisfiedQuery,
    response=VisitRowPage,
    roles=MANAGERS,
)
def unsatisfied(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, months=12)
    return satisfaction_report.unsatisfied(units, start, end, query["page"], query["per_page"])


# --- worker activity ---------------------------------------------------------------------


class ActivityQuery(RangeQuery, PageQuery):
    max_days = 366
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(
            ("name", "-name", "visits", "-visits", "share_qr", "-share_qr", "burst", "-burst")
        ),
    )


class WorkerActivity(Schema):
    worker = fields.Nested(PersonRefSchema)
    visits = fields.Integer()
    qr = fields.Integer()
    manual = fields.Integer()
    share_qr = fields.Float(allow_none=True)
    burst = fields.Integer(metadata={"description": "visits flagged as part of a burst"})
    days_active = fields.Integer()
    per_day = fields.List(fields.Integer(), metadata={"description": "aligned with `days`"})
    per_week = fields.List(fields.Integer(), metadata={"description": "aligned with `weeks`"})


class ActivitySchema(Page(WorkerActivity)):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    days = fields.List(fields.Date())
    weeks = fields.List(
        fields.String(),
        metadata={"description": "ISO weeks touching the range; only days inside it are counted"},
    )


@bp.get("/reports/activity")
@endpoint(
    "Visits per worker per day and ISO week, QR versus manual, burst flags; paged by "
    "worker; default range: the last 28 days",
    query=ActivityQuery,
    response=ActivitySchema,
    roles=MANAGERS,
)
def activity(query):
    units = unit_scope(g.scope, query["unit_id"])
    start, end = date_range(query, 28)
    return activity_report.activity(
        g.scope, units, start, end, query["sort"], query["page"], query["per_page"]
    )


class DevicesQuery(UnitsQuery, PageQuery):
    stale_days = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=365),
        metadata={"description": "default ROUNDS_UNSYNCED_DAYS (3)"},
    )
    only_stale = fields.Boolean(load_default=False)


class DeviceRow(Schema):
    id = fields.UUID()
    name = fields.String()
    app_version = fields.String(allow_none=True)
    worker = fields.Nested(PersonRefSchema)
    issued_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime(allow_none=True)
    last_sync_at = fields.AwareDateTime(allow_none=True)
    expires_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    clock_skew_seconds = fields.Integer(allow_none=True)
    days_since_sync = fields.Integer(allow_none=True)
    active = fields.Boolean(metadata={"description": "neither revoked nor expired"})
    stale = fields.Boolean(metadata={"description": "active, and no sync for stale_days"})


class DevicesSchema(Page(DeviceRow)):
    stale_days = fields.Integer()
    now = fields.AwareDateTime()
    stale = fields.Integer(metadata={"description": "how many devices are stale"})


@bp.get("/reports/devices")
@endpoint(
    "Workers' devices with their last sync, active and stalest first; revoke one with "
    "POST /api/v1/devices/{id}/revoke",
    query=DevicesQuery,
    response=DevicesSchema,
    roles=MANAGERS,
)
def devices(query):
    units = unit_scope(g.scope, query["unit_id"])
    return devices_report.devices(
        g.scope,
        units,
        query["stale_days"] or unsynced_days(),
        only_stale=query["only_stale"],
        page=query["page"],
        per_page=query["per_page"],
    )
