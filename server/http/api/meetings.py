"""Supervision meetings for the office: the list, one meeting with the tasks it raised,
recording and editing one, and the month's rule per person (docs/meetings.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, g, jsonify

from server.coverage.periods import Period
from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.http.fields import Page
from server.models import Unit
from server.models.core import ADMIN, SUPERVISOR
from server.platform.clock import today_in
from server.platform.errors import NotFound
from server.platform.extensions import db
from server.supervision import meeting_rule, meetings
from server.supervision.schemas import (
    MeetingCreateSchema,
    MeetingDetailSchema,
    MeetingEditSchema,
    MeetingListQuery,
    MeetingOutSchema,
    MeetingRuleQuery,
    MeetingRuleSchema,
)
from server.targets.settings import current_targets

bp = Blueprint("meetings", __name__)
MANAGERS = (ADMIN, SUPERVISOR)


def _today():
    return today_in(setting("TIMEZONE"))


def _detail(meeting, status: int = 200):
    answer = jsonify(meetings.meeting_detail(g.user, meeting))
    answer.status_code = status
    return answer


@bp.get("/meetings")
@endpoint(
    "Meetings one sees (admins all; supervisors their units' and their own; workers those "
    "they took part in), newest first, filtered and paged",
    query=MeetingListQuery,
    response=Page(MeetingOutSchema),
)
def list_meetings(query):
    wanted = meetings.MeetingFilter(
        start=query.get("from_"),
        end=query.get("to"),
        supervisor_id=query.get("supervisor_id"),
        user_id=query.get("user_id"),
        unit_ids=tuple(query["unit_id"]),
        resident_id=query.get("resident_id"),
        kind=query.get("kind"),
    )
    items, total = meetings.list_meetings(g.user, g.scope, wanted, query["page"], query["per_page"])
    return jsonify(
        {"items": items, "page": query["page"], "per_page": query["per_page"], "total": total}
    )


@bp.get("/meetings/rule")
@endpoint(
    "The month's meeting rule for each supervisor (meetings held) and worker (meetings taken "
    "part in) in one's units",
    query=MeetingRuleQuery,
    response=MeetingRuleSchema,
    roles=MANAGERS,
)
def meeting_rule_of_month(query):
    today = _today()
    period = Period.parse(query["month"]) if query["month"] else Period.of("month", today)
    unit_id = query["unit_id"]
    if unit_id is not None and (
        db.session.get(Unit, unit_id) is None or not g.scope.includes(unit_id)
    ):
        raise NotFound("unit")
    required = current_targets().meetings_per_month
    people = meeting_rule.month_rule(g.scope, period, required, today, setting("TIMEZONE"), unit_id)
    return jsonify(meeting_rule.rule_document(period, required, people))


@bp.get("/meetings/<uuid:meeting_id>")
@endpoint("One meeting with the tasks it raised and their state", response=MeetingDetailSchema)
def get_meeting(meeting_id: uuid.UUID):
    return _detail(meetings.meeting_in_sight(g.user, g.scope, meeting_id))


@bp.post("/meetings")
@endpoint(
    "Record a meeting that was held, with its participants, what was discussed and decided, "
    "and the follow-up tasks it raises (supervisors their own, admins anyone's)",
    body=MeetingCreateSchema,
    response=MeetingDetailSchema,
    status=201,
    roles=MANAGERS,
    extra_responses={409: "A meeting with this id exists already"},
)
def create_meeting(body):
    meeting = meetings.record_meeting(actor(), body, _today())
    db.session.commit()
    return _detail(meeting, 201)


@bp.put("/meetings/<uuid:meeting_id>")
@endpoint(
    "Replace everything of a meeting but its tasks (its supervisor or an admin)",
    body=MeetingEditSchema,
    response=MeetingDetailSchema,
    roles=MANAGERS,
    extra_responses={403: "Only the meeting's supervisor or an admin edits it"},
)
def edit_meeting(meeting_id: uuid.UUID, body):
    meeting = meetings.meeting_in_sight(g.user, g.scope, meeting_id)
    meetings.edit_meeting(actor(), meeting, body, _today())
    db.session.commit()
    return _detail(meeting)
