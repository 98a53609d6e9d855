"""POST /api/v1/sync: the phone's one round trip — its new records up, roster changes down."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify, request

from server.activities import ingest as activities
from server.cases import ingest as cases
from server.http.endpoint import endpoint
from server.models import utcnow
from server.platform.clock import today_in
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.reviews import ingest as reviews
from server.roster import pull
from server.visits import ingest
from server.visits.schemas import SyncAnswerSchema, SyncRequestSchema

bp = Blueprint("sync", __name__)
ACTIVITIES_PER_REQUEST, PHOTOS_PER_REQUEST = 50, 4


def _too_many(name: str, limit: int) -> None:
    raise ApiError(
        413,
        f"At most {limit} {name.replace('_', ' ')} per request: split the batch.",
        errors={name: [coded(f"At most {limit} per request.", "too_many", max=limit)]},
    )


@bp.post("/sync")
@endpoint(
    "Push new visits, amendments, tasks, task events, cases and case records; pull the "
    "changes since the cursor",
    body=SyncRequestSchema,
    items_checked_alone=True,
    response=SyncAnswerSchema,
    extra_responses={413: "Too many visits or too large a body: split the batch"},
)
def sync_view(body):
    config = current_app.config
    limit = config["SYNC_MAX_VISITS"]
    for name in ("visits", "tasks", "task_events", "cases", "case_records", "review_replies"):
        if len(body[name]) > limit:
            raise ApiError(
                413,
                f"At most {limit} {name.replace('_', ' ')} per request: split the batch.",
                errors={name: [coded(f"At most {limit} per request.", "too_many", max=limit)]},
            )
    now = utcnow()
    context = ingest.SyncContext(
        user=g.user,
        device_id=g.device.id,
        device_time=body["device_time"],
        now=now,
        zone=config["TIMEZONE"],
        scope=g.scope,
        ahead_of_server=timedelta(seconds=config["CHECK_IN_MAX_AHEAD_SECONDS"]),
        horizon=timedelta(days=config["CHECK_IN_HORIZON_DAYS"]),
    )
    results = ingest.ingest(
        body["visits"], body["amendments"], context, body["tasks"], body["task_events"]
    )
    # Cases after the tasks and events, records after the cases (docs/cases.md).
    results += cases.ingest_cases(body["cases"], body["case_records"], context)
    # Answers to reviews last: an amendment of the same batch is held by now (docs/reviews.md).
    results += reviews.ingest_replies(body["review_replies"], context)
    # Activities after the cases, their photos after them (docs/activities.md).
    if len(body["activities"]) > ACTIVITIES_PER_REQUEST:
        _too_many("activities", ACTIVITIES_PER_REQUEST)
    if len(body["activity_photos"]) > PHOTOS_PER_REQUEST:
        _too_many("activity_photos", PHOTOS_PER_REQUEST)
    results += activities.ingest_activities(
        body["activities"],
        body["activity_photos"],
        context,
        activities.PhotoRules(config["MEDIA_DIR"], config["PHOTO_MAX_BYTES"]),
    )
    ingest.record_device_health(
        g.device, body["device_time"], now, request.headers.get("X-Rounds-App")
    )
    user_id = g.user.id  # read before the commit expires the user
    db.session.commit()  # durable before acknowledged: a lost answer is repaired by the retry
    # The request's scope, worked out before the commit expired the user: no query to read it.
    changes = pull.pull(
        g.scope.unit_ids,
        body["cursor"],
        today_in(config["TIMEZONE"], now),
        config["SYNC_PAGE_SIZE"],
        user_id=user_id,
    )
    return jsonify({"results": results, **changes, "server_time": now.isoformat()})
