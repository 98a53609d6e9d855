"""Recording an activity with its attendees: the only way an activity is made.

Every rule is checked before the first row is written. The phone's and the desk's activities
pass the same checks: the unit in the recorder's scope, the type active, the start within the
bounds of a visit's check-in, each attendee a resident of the recorder's units in care on the
day, a scanned one's token the resident's own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.activities.types import is_active
from server.models import Activity, ActivityAttendance, Resident, Unit
from server.people.access import Scope
from server.platform.clock import local_date
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.roster.changes import next_change_number

MAX_AHEAD = timedelta(minutes=10)


class ActivityProblem(ApiError):
    """An activity or a photo the rules refuse, with the fields to fix: a 422 for the office,
    a `rejected` result for a phone."""

    def __init__(self, errors: dict, status: int = 422) -> None:
        super().__init__(status, "Some fields are not valid.", errors=errors)


class ActivityTaken(ApiError):
    """Another activity holds this id already (a resent copy, or a racing request's)."""

    def __init__(self) -> None:
        super().__init__(
            409, "An activity with this id exists already.", errors={"id": ["Already used."]}
        )


@dataclass(frozen=True)
class Clocks:
    """The clocks an activity's start is judged by: as a visit's check-in is."""

    now: datetime
    device_time: datetime
    zone: str
    ahead_of_server: timedelta
    horizon: timedelta


@dataclass
class Recorder:
    user_id: uuid.UUID
    scope: Scope
    device_id: uuid.UUID | None = None


@dataclass
class NewActivity:
    unit_id: uuid.UUID
    type_code: str
    title: str
    started_at: datetime
    minutes: int | None = None
    place: str = ""
    organisers: list = field(default_factory=list)
    volunteers: list = field(default_factory=list)
    description: str = ""
    attendees: list = field(default_factory=list)
    id: uuid.UUID | None = None


def _start_problem(started_at: datetime, clocks: Clocks) -> dict | None:
    if started_at > clocks.device_time + MAX_AHEAD:
        return {
            "started_at": [
                "The start is more than 10 minutes ahead of the phone's clock: check the "
                "phone's date and time."
            ]
        }
    if started_at > clocks.now + clocks.ahead_of_server:
        return {
            "started_at": [
                "The start is ahead of the server's clock: check the phone's date and time."
            ]
        }
    if started_at < clocks.now - clocks.horizon:
        return {
            "started_at": [
                f"The start is more than {clocks.horizon.days} days old: the server takes no "
                "activity from that far back."
            ]
        }
    return None


def _in_care(resident: Resident, day: date) -> bool:
    if resident.admitted_on > day:
        return False
    return resident.status == "active" or resident.status_since >= day


def _attendee_problems(attendees: list[dict], scope: Scope, held_on: date) -> dict:
    ids = [attendee["resident_id"] for attendee in attendees]
    found = (
        {r.id: r for r in db.session.scalars(select(Resident).where(Resident.id.in_(ids)))}
        if ids
        else {}
    )
    errors: dict = {}
    for index, attendee in enumerate(attendees):
        resident = found.get(attendee["resident_id"])
        if resident is None or not scope.includes(resident.unit_id):
            problem = "No such resident in your units: check the roster is up to date."
        elif not _in_care(resident, held_on):
            problem = "This resident was not in care on the day of the activity."
        elif attendee["identified_by"] == "qr" and attendee["qr_token"] != resident.qr_token:
            problem = "The scanned code is not this resident's."
        else:
            continue
        key = "qr_token" if "scanned" in problem else "resident_id"
        errors.setdefault("attendees", {})[str(index)] = {key: [problem]}
    return errors


def check(recorder: Recorder, new: NewActivity, clocks: Clocks) -> date:
    """The activity's local day, if every rule holds; ActivityProblem otherwise."""
    if db.session.get(Unit, new.unit_id) is None or not recorder.scope.includes(new.unit_id):
        raise ActivityProblem({"unit_id": ["No such unit in your units."]})
    if not is_active(new.type_code):
        raise ActivityProblem({"type_code": ["No such activity type, or it is retired."]})
    problem = _start_problem(new.started_at, clocks)
    if problem:
        raise ActivityProblem(problem)
    held_on = local_date(new.started_at, clocks.zone)
    errors = _attendee_problems(new.attendees, recorder.scope, held_on)
    if errors:
        raise ActivityProblem(errors)
    return held_on


def record_activity(
    recorder: Recorder, new: NewActivity, clocks: Clocks, content_hash: str = ""
) -> Activity:
    """Check and store the activity with its attendees (flushed, not committed)."""
    held_on = check(recorder, new, clocks)
    activity = Activity(
        id=new.id or uuid.uuid4(),
        unit_id=new.unit_id,
        type_code=new.type_code,
        title=new.title,
        started_at=new.started_at,
        held_on=held_on,
        minutes=new.minutes,
        place=new.place,
        organisers=[str(user_id) for user_id in new.organisers],
        volunteers=[{"name": v["name"], "hours": v["hours"]} for v in new.volunteers],
        description=new.description,
        created_by=recorder.user_id,
        device_id=recorder.device_id,
        received_at=clocks.now,
        content_hash=content_hash,
        change_seq=next_change_number(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(activity)
            db.session.flush()
            db.session.add_all(
                ActivityAttendance(
                    activity_id=activity.id,
                    resident_id=attendee["resident_id"],
                    identified_by=attendee["identified_by"],
                    at=attendee["at"],
                )
                for attendee in new.attendees
            )
            db.session.flush()
    except IntegrityError as error:
        raise ActivityTaken() from error
    return activity


def mark_changed(activity: Activity) -> None:
    """A new photo changes what the phones hold of the activity (its photo count)."""
    activity.change_seq = next_change_number()
