"""Reception days for the office: the days with their counts, one day with the people
received, recording a day and each person (docs/office-rules.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, g, jsonify

from server.http.api import actor, setting
from server.http.endpoint import endpoint
from server.models import ReceptionDay
from server.models.core import MANAGERS
from server.platform.clock import today_in
from server.platform.extensions import db
from server.supervision import reception
from server.supervision.reception_schemas import (
    DayDetailSchema,
    DayInSchema,
    DayListQuery,
    DayPageSchema,
    ReceptionInSchema,
    ReceptionPageSchema,
    ResidentReceptionsQuery,
)

bp = Blueprint("reception", __name__)

REFUSED = {422: "Fields missing or not valid, or refused by the rules: `errors` names them"}


def _today():
    return today_in(setting("TIMEZONE"))


def _detail(day: ReceptionDay, status: int = 200) -> Response:
    answer = jsonify(DayDetailSchema().dump(reception.day_detail(day, g.scope)))
    answer.status_code = status
    return answer


@bp.get("/reception-days")
@endpoint(
    "Reception days one sees (one's units' and the whole office's), newest first, each with "
    "its people received by kind of visitor and outcome, and the counts of every day listed",
    query=DayListQuery,
    response=DayPageSchema,
    roles=MANAGERS,
)
def list_days(query):
    wanted = reception.DayFilter(query.get("from_"), query.get("to"), query.get("unit_id"))
    return reception.list_days(g.scope, wanted, query["page"], query["per_page"])


@bp.post("/reception-days")
@endpoint(
    "Record a reception day held today or before, for one of one's units or the whole office",
    body=DayInSchema,
    response=DayDetailSchema,
    status=201,
    roles=MANAGERS,
    extra_responses=REFUSED,
)
def create_day(body):
    day = reception.record_day(actor(), reception.DayFields(**body), _today())
    db.session.commit()
    return _detail(day, 201)


@bp.get("/reception-days/<uuid:day_id>")
@endpoint("One reception day with the people received", response=DayDetailSchema, roles=MANAGERS)
def get_day(day_id: uuid.UUID):
    return _detail(reception.day_in_sight(g.scope, day_id))


@bp.put("/reception-days/<uuid:day_id>")
@endpoint(
    "Change a reception day's date, unit, place, staff and notes",
    body=DayInSchema,
    response=DayDetailSchema,
    roles=MANAGERS,
    extra_responses=REFUSED,
)
def put_day(day_id: uuid.UUID, body):
    day = reception.day_in_sight(g.scope, day_id)
    reception.edit_day(actor(), day, reception.DayFields(**body), _today())
    db.session.commit()
    return _detail(day)


@bp.post("/reception-days/<uuid:day_id>/receptions")
@endpoint(
    "Add a person received: a resident, a family member (name, relation) or a member of the "
    "public (name, contact); a referral says where to",
    body=ReceptionInSchema,
    response=DayDetailSchema,
    status=201,
    roles=MANAGERS,
    extra_responses=REFUSED,
)
def add_reception(day_id: uuid.UUID, body):
    day = reception.day_in_sight(g.scope, day_id)
    reception.add_reception(actor(), day, reception.NewReception(**body))
    db.session.commit()
    return _detail(day, 201)


@bp.get("/receptions")
@endpoint(
    "The times a resident was received, or a family member came about them, newest first",
    query=ResidentReceptionsQuery,
    response=ReceptionPageSchema,
    roles=MANAGERS,
)
def resident_receptions(query):
    return reception.resident_receptions(
        g.scope, query["resident_id"], query["page"], query["per_page"]
    )
