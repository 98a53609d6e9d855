"""Group activities for the office: the list with its totals, one activity with its attendees
and photos, a photo's file, the printable record, a resident's activities, recording one at
the desk, and the activity types (docs/activities.md)."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, g, jsonify, render_template, send_file, url_for

from server.activities import read, records, types
from server.activities.schemas import (
    TYPE_CODE,
    ActivityCreateSchema,
    ActivityDetailSchema,
    ActivityListQuery,
    ActivityPageSchema,
    ActivityTypeInSchema,
    ActivityTypeSchema,
    ResidentActivitiesQuery,
    ResidentActivityPageSchema,
)
from server.http.api import setting
from server.http.endpoint import endpoint
from server.http.printing import stylesheet_url
from server.models import Activity, ActivityPhoto, utcnow
from server.models.core import ADMIN
from server.platform import media
from server.platform.clock import local_date
from server.platform.errors import Conflict, InvalidFields, NotFound
from server.platform.extensions import db

bp = Blueprint("activities", __name__)


def _photo_url(photo: ActivityPhoto) -> str:
    return url_for("api.activities.photo_file", activity_id=photo.activity_id, photo_id=photo.id)


def _detail(activity: Activity, status: int = 200) -> Response:
    answer = jsonify(read.detail(activity, _photo_url))
    answer.status_code = status
    return answer


@bp.get("/activities")
@endpoint(
    "Activities in one's units, newest first, filtered and paged, with the totals: "
    "activities, days with one, attendances, distinct residents, volunteers and their hours",
    query=ActivityListQuery,
    response=ActivityPageSchema,
)
def list_activities(query):
    wanted = read.ActivityFilter(
        start=query.get("from_"),
        end=query.get("to"),
        unit_id=query.get("unit_id"),
        type_code=query.get("type_code"),
    )
    items, total = read.list_activities(g.scope, wanted, query["page"], query["per_page"])
    return jsonify(
        {
            "items": items,
            "page": query["page"],
            "per_page": query["per_page"],
            "total": total,
            "totals": read.totals(g.scope, wanted),
        }
    )


@bp.get("/activities/<uuid:activity_id>")
@endpoint(
    "One activity with its organisers, attendees (and how each was recognised) and photos",
    response=ActivityDetailSchema,
)
def get_activity(activity_id: uuid.UUID):
    return _detail(read.activity_in_sight(g.scope, activity_id))


@bp.post("/activities")
@endpoint(
    "Record an activity at the desk, as the phone would (without photos)",
    body=ActivityCreateSchema,
    response=ActivityDetailSchema,
    status=201,
    extra_responses={409: "An activity with this id exists already"},
)
def create_activity(body):
    if body["id"] is not None and db.session.get(Activity, body["id"]) is not None:
        raise Conflict("An activity with this id exists already.", errors={"id": ["Already used."]})
    now = utcnow()
    clocks = records.Clocks(
        now=now,
        device_time=now,
        zone=setting("TIMEZONE"),
        ahead_of_server=timedelta(seconds=setting("CHECK_IN_MAX_AHEAD_SECONDS")),
        horizon=timedelta(days=setting("CHECK_IN_HORIZON_DAYS")),
    )
    recorder = records.Recorder(user_id=g.user.id, scope=g.scope, device_id=g.device.id)
    activity = records.record_activity(recorder, records.NewActivity(**body), clocks)
    db.session.commit()
    return _detail(activity, 201)


@bp.get("/activities/<uuid:activity_id>/photos/<uuid:photo_id>")
@endpoint("A photo of an activity: the file", produces="image/jpeg")
def photo_file(activity_id: uuid.UUID, photo_id: uuid.UUID):
    photo = read.photo_of(read.activity_in_sight(g.scope, activity_id), photo_id)
    path = media.path_of(setting("MEDIA_DIR"), photo.storage_key)
    if not path.is_file():
        raise NotFound("photo file")
    answer = send_file(path, mimetype=photo.content_type, conditional=False, etag=False)
    answer.headers["Cache-Control"] = "private, max-age=86400"
    return answer


@bp.get("/activities/<uuid:activity_id>/print")
@endpoint(
    "The printable record of an activity (A4, both languages), with its photos",
    produces="text/html",
)
def print_activity(activity_id: uuid.UUID):
    activity = read.activity_in_sight(g.scope, activity_id)
    entry = read.detail(activity, _photo_url)
    media_dir = setting("MEDIA_DIR")
    pictures = []
    for photo in activity.photos:
        path = media.path_of(media_dir, photo.storage_key)
        if path.is_file():
            data = base64.b64encode(path.read_bytes()).decode()
            pictures.append(
                {"src": f"data:{photo.content_type};base64,{data}", "caption": photo.caption}
            )
    html = render_template(
        "activity.html",
        stylesheet=stylesheet_url("activity"),
        activity=entry,
        started=local_date(activity.started_at, setting("TIMEZONE")),
        time=activity.started_at.astimezone(ZoneInfo(setting("TIMEZONE"))).strftime("%H:%M"),
        hours=sum(float(v.get("hours", 0)) for v in activity.volunteers),
        pictures=pictures,
    )
    return Response(html, mimetype="text/html", headers={"Cache-Control": "private, no-store"})


@bp.get("/residents/<uuid:resident_id>/activities")
@endpoint(
    "The activities a resident of one's units attended, newest first",
    query=ResidentActivitiesQuery,
    response=ResidentActivityPageSchema,
)
def resident_activities(resident_id: uuid.UUID, query):
    items, total = read.resident_activities(g.scope, resident_id, query["page"], query["per_page"])
    return jsonify(
        {"items": items, "page": query["page"], "per_page": query["per_page"], "total": total}
    )


@bp.get("/activity-types")
@endpoint("Every activity type, retired ones too", response=ActivityTypeSchema, many=True)
def list_types():
    return types.all_types()


@bp.put("/activity-types/<code>")
@endpoint(
    "Add an activity type, rename it or retire it (`active: false`; admins)",
    body=ActivityTypeInSchema,
    response=ActivityTypeSchema,
    roles=(ADMIN,),
)
def put_type(code: str, body):
    g.scope.require_whole_city()  # every office shares them
    if not re.match(TYPE_CODE, code):
        raise InvalidFields(
            {"code": ["Use lower-case letters, digits and _, starting with a letter (≤ 40)."]}
        )
    entry, _ = types.put_type(code, body["name_en"], body["name_zh"], body["active"])
    db.session.commit()
    return entry
