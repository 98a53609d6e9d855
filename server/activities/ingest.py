"""Activities and their photos from phones: exactly once, item by item, as visits are.

An activity's or a photo's id is its idempotency key. The same id with the same content is a
`duplicate` (for a photo, the same bytes: no second file is written), with other content a
`conflict` kept in sync_conflicts (a photo's bytes are not kept), one the rules refuse is
`rejected`. Activities come before photos, so one batch may carry an activity and its photos;
a photo whose activity the server does not hold yet is rejected, and the phone sends it again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.activities import photos
from server.activities.records import (
    ActivityProblem,
    ActivityTaken,
    Clocks,
    NewActivity,
    Recorder,
    mark_changed,
    record_activity,
)
from server.activities.schemas import MAX_PHOTOS_PER_ACTIVITY, ActivityInSchema, PhotoInSchema
from server.models import Activity, ActivityPhoto
from server.platform import media
from server.platform.extensions import db
from server.platform.field_codes import not_yet_received
from server.visits.ingest import (
    ItemResult,
    SyncContext,
    _record_id,
    _reject,
    _same_or_conflict,
    _unprocessable,
    canonical_hash,
)

activity_in_schema = ActivityInSchema()
photo_in_schema = PhotoInSchema()
# sync_conflicts and sync_rejections keep a kind of at most 12 characters: a photo's rows say
# `photo`, its result says `activity_photo`.


@dataclass(frozen=True)
class PhotoRules:
    media_dir: str
    max_bytes: int


def clocks_of(ctx: SyncContext) -> Clocks:
    return Clocks(ctx.now, ctx.device_time, ctx.zone, ctx.ahead_of_server, ctx.horizon)


def ingest_activities(
    raw_activities: list, raw_photos: list, ctx: SyncContext, rules: PhotoRules
) -> list[dict]:
    """One result per activity, then one per photo, in the order sent."""
    if not raw_activities and not raw_photos:
        return []
    recorder = Recorder(user_id=ctx.user.id, scope=ctx.scope, device_id=ctx.device_id)
    results = [
        _judged(raw, "activity", lambda raw: _ingest_activity(raw, recorder, ctx), ctx)
        for raw in raw_activities
    ]
    results += [
        _judged(raw, "activity_photo", lambda raw: _ingest_photo(raw, recorder, ctx, rules), ctx)
        for raw in raw_photos
    ]
    return [result.as_dict() for result in results]


def _judged(raw, kind: str, judge, ctx: SyncContext) -> ItemResult:
    """The item's result; any failure judging it is its rejection alone, never the batch's."""
    try:
        return judge(raw)
    except ValidationError as error:
        schema = activity_in_schema if kind == "activity" else photo_in_schema
        return _reject(ctx, _record_id(raw), kind, error.messages, schema=schema, raw=raw)
    except (ActivityProblem, photos.PhotoProblem) as problem:
        return _reject(ctx, _record_id(raw), kind, problem.errors)
    except Exception:
        record_id = _record_id(raw)
        return _reject(ctx, record_id, kind, _unprocessable(record_id, kind))


def _held_activity(activity_id) -> str | None:
    row = db.session.get(Activity, activity_id)
    return None if row is None else row.content_hash


def _ingest_activity(raw, recorder: Recorder, ctx: SyncContext) -> ItemResult:
    data = activity_in_schema.load(raw if isinstance(raw, dict) else {})
    digest = canonical_hash(_hashable(data))
    held = _held_activity(data["id"])
    if held is not None:
        return _same_or_conflict(data["id"], digest, held, raw, "activity", ctx)
    try:
        record_activity(recorder, NewActivity(**data), clocks_of(ctx), content_hash=digest)
    except ActivityTaken:
        held = _held_activity(data["id"])
        return _same_or_conflict(data["id"], digest, held, raw, "activity", ctx)
    return ItemResult(str(data["id"]), "activity", "created")


def _hashable(data: dict) -> dict:
    """The loaded activity with its nested times in UTC text (canonical_hash does the top)."""
    attendees = [
        {**attendee, "at": attendee["at"].astimezone(UTC).isoformat()}
        for attendee in data["attendees"]
    ]
    return {**data, "attendees": attendees}


def _photo_conflict(data: dict, digest: str, raw, ctx: SyncContext) -> ItemResult:
    kept = {key: value for key, value in raw.items() if key != "data"}
    return _same_or_conflict(data["id"], digest, None, kept, "activity_photo", ctx)


def _ingest_photo(raw, recorder: Recorder, ctx: SyncContext, rules: PhotoRules) -> ItemResult:
    data = photo_in_schema.load(raw if isinstance(raw, dict) else {})
    digest = hashlib.sha256(data["data"]).hexdigest()
    held = db.session.get(ActivityPhoto, data["id"])
    if held is not None:
        if held.sha256 == digest and held.activity_id == data["activity_id"]:
            return ItemResult(str(data["id"]), "activity_photo", "duplicate")
        return _photo_conflict(data, digest, raw, ctx)
    activity = db.session.get(Activity, data["activity_id"])
    if activity is None:
        raise ActivityProblem({"activity_id": [not_yet_received()]})
    if activity.created_by != recorder.user_id and not recorder.scope.includes(activity.unit_id):
        raise ActivityProblem({"activity_id": ["This activity is not one of your units'."]})
    count = db.session.scalar(select(func.count()).where(ActivityPhoto.activity_id == activity.id))
    if count >= MAX_PHOTOS_PER_ACTIVITY:
        raise ActivityProblem(
            {"activity_id": [f"An activity keeps at most {MAX_PHOTOS_PER_ACTIVITY} photos."]}
        )
    checked = photos.check(
        data["data"], data["content_type"], data["width"], data["height"], rules.max_bytes
    )
    key = photos.storage_key(activity.id, data["id"], checked.content_type, digest)
    media.store(rules.media_dir, key, checked.data)  # the file first, then its row
    try:
        with db.session.begin_nested():
            db.session.add(
                ActivityPhoto(
                    id=data["id"],
                    activity_id=activity.id,
                    content_type=checked.content_type,
                    byte_size=len(checked.data),
                    width=checked.width,
                    height=checked.height,
                    sha256=digest,
                    storage_key=key,
                    caption=data["caption"],
                    taken_at=data["taken_at"],
                    created_by=recorder.user_id,
                    device_id=recorder.device_id,
                    received_at=ctx.now,
                )
            )
            db.session.flush()
    except IntegrityError:  # a racing request stored the same id first
        held = db.session.get(ActivityPhoto, data["id"])
        if held is not None and held.sha256 == digest:
            return ItemResult(str(data["id"]), "activity_photo", "duplicate")
        return _photo_conflict(data, digest, raw, ctx)
    mark_changed(activity)
    return ItemResult(str(data["id"]), "activity_photo", "created")
