"""Supervision meetings: recording one, editing it, who sees which, and reading them
(docs/meetings.md).

A supervisor records the meetings they hold; an admin records anyone's. The follow-up tasks a
meeting's decisions raise are made once, with the meeting, through server/tasks/records.py;
after that they are ordinary tasks and an edit of the meeting never touches them. Domain code
flushes; the caller commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from server.models import (
    Case,
    MeetingDiscussion,
    MeetingParticipant,
    Resident,
    SupervisionMeeting,
    Task,
    Unit,
    User,
    utcnow,
)
from server.models.core import ADMIN, SUPERVISOR, WORKER
from server.organisations.placement import office_of_record
from server.people import audit
from server.people.access import Scope
from server.platform.errors import ApiError, Conflict, Forbidden, NotFound
from server.platform.extensions import db
from server.tasks.records import NewTask, TaskProblem, create_task

AUDITED = (
    "kind",
    "held_on",
    "supervisor_id",
    "unit_id",
    "place",
    "minutes",
    "topics",
    "decisions",
)
# A meeting's tasks have ids that follow from the meeting's: made once, never twice.
TASK_NAMESPACE = uuid.UUID("1d0f3c4b-8a5e-4f61-9b7c-2e4d5a6b7c80")


class MeetingProblem(ApiError):
    """A meeting the rules refuse, with the fields to fix."""

    def __init__(self, errors: dict) -> None:
        super().__init__(422, "Some fields are not valid.", errors=errors)


@dataclass(frozen=True)
class MeetingFilter:
    start: date | None = None
    end: date | None = None
    supervisor_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    unit_ids: tuple[uuid.UUID, ...] = ()
    resident_id: uuid.UUID | None = None
    kind: str | None = None


# --- who sees and who changes -------------------------------------------------------------


def _took_part(user_id: uuid.UUID):
    return exists().where(
        MeetingParticipant.meeting_id == SupervisionMeeting.id,
        MeetingParticipant.user_id == user_id,
    )


def visible(user: User, scope: Scope) -> Select:
    """The meetings this person sees: admins all; supervisors their units' and those they held
    or took part in; workers those they took part in."""
    query = select(SupervisionMeeting)
    if scope.everything:
        return query
    if scope.admin or scope.inspector:
        return scope.filter_offices(query, SupervisionMeeting.office_id)
    if user.role == WORKER:
        return query.where(_took_part(user.id))
    units = sorted(scope.unit_ids)
    return query.where(
        or_(
            SupervisionMeeting.unit_id.in_(units),
            SupervisionMeeting.supervisor_id == user.id,
            _took_part(user.id),
        )
    )


def meeting_in_sight(user: User, scope: Scope, meeting_id: uuid.UUID) -> SupervisionMeeting:
    """The meeting, or 404 when there is none or this person may not see it."""
    query = visible(user, scope).where(SupervisionMeeting.id == meeting_id)
    meeting = db.session.scalars(query).first()
    if meeting is None:
        raise NotFound("meeting")
    return meeting


def may_edit(user: User, meeting: SupervisionMeeting) -> bool:
    return user.role == ADMIN or (user.role == SUPERVISOR and meeting.supervisor_id == user.id)


# --- checking what is recorded ------------------------------------------------------------


def _supervisor_of(actor: audit.Actor, supervisor_id: uuid.UUID | None) -> User:
    """Who holds the meeting: a supervisor is themselves; an admin names an active supervisor
    or admin."""
    if actor.user.role == SUPERVISOR:
        if supervisor_id not in (None, actor.user_id):
            raise MeetingProblem(
                {"supervisor_id": ["A supervisor records the meetings they hold."]}
            )
        return actor.user
    if supervisor_id is None:
        raise MeetingProblem({"supervisor_id": ["Name the supervisor who held the meeting."]})
    supervisor = db.session.get(User, supervisor_id)
    if (
        supervisor is None
        or not supervisor.active
        or supervisor.role not in (SUPERVISOR, ADMIN)
        or not actor.scope.includes_organisation(supervisor.organisation_id)
    ):
        raise MeetingProblem({"supervisor_id": ["Not an active supervisor."]})
    return supervisor


def _reach(actor: audit.Actor, supervisor: User) -> Scope:
    """The units a meeting may reach: the supervisor's own, or all an admin reaches."""
    if actor.user.role == ADMIN:
        return actor.scope
    return Scope(frozenset(supervisor.unit_ids), manager=True)


def _check_unit(reach: Scope, unit_id: uuid.UUID | None) -> None:
    if unit_id is None:
        return
    if db.session.get(Unit, unit_id) is None or not reach.includes(unit_id):
        raise MeetingProblem({"unit_id": ["No such unit in your units."]})


def _check_participants(
    actor: audit.Actor,
    supervisor: User,
    kind: str,
    participants: list[uuid.UUID],
    kept: frozenset = frozenset(),
) -> list[uuid.UUID]:
    """Each once; an individual meeting one, a group two or more; never the supervisor; each
    an active person of the supervisor's units (an admin: anyone active), or one who took part
    already (`kept`: a worker who left since does not lock the meeting against edits)."""
    people = list(dict.fromkeys(participants))
    if supervisor.id in people:
        raise MeetingProblem(
            {"participants": ["The supervisor is not a participant of their own meeting."]}
        )
    if kind == "individual" and len(people) != 1:
        raise MeetingProblem({"participants": ["An individual meeting has one participant."]})
    if kind == "group" and len(people) < 2:
        raise MeetingProblem({"participants": ["A group meeting has at least two participants."]})
    units = set(supervisor.unit_ids)
    for index, user_id in enumerate(people):
        if user_id in kept:
            continue
        user = db.session.get(User, user_id)
        outside = user is None or not user.active
        if not outside and actor.user.role != ADMIN:
            outside = not units.intersection(user.unit_ids)
        elif not outside:
            outside = not actor.scope.includes_organisation(user.organisation_id)
        if outside:
            raise MeetingProblem({"participants": {str(index): ["No such person in your units."]}})
    return people


def _check_discussed(reach: Scope, discussed: list[dict], kept: frozenset = frozenset()) -> list:
    """Residents and cases in the meeting's reach, or discussed already (`kept`: a resident
    moved to another unit since); a case names its resident."""
    checked = []
    for index, item in enumerate(discussed):
        resident_id, case_id = item.get("resident_id"), item.get("case_id")
        if (resident_id, case_id) in kept:
            checked.append({"resident_id": resident_id, "case_id": case_id, "note": item["note"]})
            continue
        if case_id is not None:
            case = db.session.get(Case, case_id)
            if case is None or not reach.includes(case.unit_id):
                raise MeetingProblem({"discussed": {str(index): {"case_id": ["No such case."]}}})
            if resident_id not in (None, case.resident_id):
                raise MeetingProblem(
                    {"discussed": {str(index): {"case_id": ["The case is another resident's."]}}}
                )
            resident_id = case.resident_id
        resident = db.session.get(Resident, resident_id)
        if resident is None or not reach.includes(resident.unit_id):
            raise MeetingProblem(
                {"discussed": {str(index): {"resident_id": ["No such resident in your units."]}}}
            )
        checked.append({"resident_id": resident_id, "case_id": case_id, "note": item["note"]})
    return checked


def _checked(
    actor: audit.Actor,
    document: dict,
    today: date,
    meeting: SupervisionMeeting | None = None,
) -> tuple[User, list, list]:
    """The supervisor, the participants and the items discussed, each checked; `meeting`, when
    it is an edit, whose people and items stand as they were recorded."""
    if document["held_on"] > today:
        raise MeetingProblem({"held_on": ["A meeting is recorded once it was held."]})
    supervisor = _supervisor_of(actor, document.get("supervisor_id"))
    reach = _reach(actor, supervisor)
    _check_unit(reach, document.get("unit_id"))
    took_part = frozenset(p.user_id for p in meeting.participants) if meeting else frozenset()
    talked = (
        frozenset((d.resident_id, d.case_id) for d in meeting.discussed) if meeting else frozenset()
    )
    people = _check_participants(
        actor, supervisor, document["kind"], document["participants"], took_part
    )
    return (
        supervisor,
        people,
        _check_discussed(reach, document.get("discussed", []), talked),
    )


def _fill(meeting: SupervisionMeeting, document: dict, supervisor: User, people, discussed):
    meeting.kind = document["kind"]
    meeting.held_on = document["held_on"]
    meeting.supervisor_id = supervisor.id
    meeting.unit_id = document.get("unit_id")
    unit = db.session.get(Unit, meeting.unit_id) if meeting.unit_id is not None else None
    held_by = supervisor.organisation_id if supervisor.role == SUPERVISOR else None
    meeting.office_id = office_of_record(
        Scope.of(supervisor), document.get("office_id") or held_by, unit
    )
    meeting.place = (document.get("place") or "").strip()
    meeting.minutes = document.get("minutes")
    meeting.topics = document.get("topics") or ""
    meeting.decisions = document.get("decisions") or ""
    meeting.participants = [MeetingParticipant(user_id=user_id) for user_id in people]
    meeting.discussed = [MeetingDiscussion(**item) for item in discussed]


# --- recording and editing ----------------------------------------------------------------


def record_meeting(actor: audit.Actor, document: dict, today: date) -> SupervisionMeeting:
    """Record a meeting that was held, and raise the tasks its decisions name, once."""
    supervisor, people, discussed = _checked(actor, document, today)
    meeting_id = document.get("id") or uuid.uuid4()
    if db.session.get(SupervisionMeeting, meeting_id) is not None:
        raise Conflict("A meeting with this id exists already.", errors={"id": ["Already used."]})
    meeting = SupervisionMeeting(id=meeting_id, created_by=actor.user_id)
    _fill(meeting, document, supervisor, people, discussed)
    db.session.add(meeting)
    db.session.flush()
    _raise_tasks(actor, meeting, supervisor, document.get("tasks", []))
    audit.record(actor, "create", "meeting", meeting.id, None, audit.snapshot(meeting, AUDITED))
    db.session.flush()
    return meeting


def _raise_tasks(
    actor: audit.Actor, meeting: SupervisionMeeting, supervisor: User, tasks: list[dict]
) -> None:
    """Each task as records.create_task makes it, source `meeting`; given to the supervisor
    when nobody is named."""
    for index, item in enumerate(tasks):
        new = NewTask(
            id=uuid.uuid5(TASK_NAMESPACE, f"{meeting.id}/{index}"),
            resident_id=item["resident_id"],
            title=item["title"],
            details=item.get("details") or "",
            due_on=item["due_on"],
            priority=item.get("priority") or "routine",
            assignee_id=item.get("assignee_id") or supervisor.id,
            meeting_id=meeting.id,
        )
        try:
            create_task(actor, new, source="meeting")
        except TaskProblem as problem:
            raise MeetingProblem({"tasks": {str(index): problem.errors}}) from problem


def edit_meeting(
    actor: audit.Actor, meeting: SupervisionMeeting, document: dict, today: date
) -> SupervisionMeeting:
    """Replace everything of a meeting but its tasks (its supervisor or an admin)."""
    if not may_edit(actor.user, meeting):
        raise Forbidden("Only the meeting's supervisor or an admin edits it.")
    if document.get("supervisor_id") is None:  # left out: the same supervisor
        document = {**document, "supervisor_id": meeting.supervisor_id}
    supervisor, people, discussed = _checked(actor, document, today, meeting)
    before = audit.snapshot(meeting, AUDITED)
    _fill(meeting, document, supervisor, people, discussed)
    meeting.updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "update", "meeting", meeting.id, before, audit.snapshot(meeting, AUDITED))
    return meeting


# --- reading ------------------------------------------------------------------------------


def _filtered(query: Select, wanted: MeetingFilter) -> Select:
    if wanted.start is not None:
        query = query.where(SupervisionMeeting.held_on >= wanted.start)
    if wanted.end is not None:
        query = query.where(SupervisionMeeting.held_on <= wanted.end)
    if wanted.supervisor_id is not None:
        query = query.where(SupervisionMeeting.supervisor_id == wanted.supervisor_id)
    if wanted.user_id is not None:
        query = query.where(
            or_(SupervisionMeeting.supervisor_id == wanted.user_id, _took_part(wanted.user_id))
        )
    if wanted.unit_ids:
        query = query.where(SupervisionMeeting.unit_id.in_(sorted(wanted.unit_ids)))
    if wanted.resident_id is not None:
        query = query.where(
            exists().where(
                MeetingDiscussion.meeting_id == SupervisionMeeting.id,
                MeetingDiscussion.resident_id == wanted.resident_id,
            )
        )
    if wanted.kind is not None:
        query = query.where(SupervisionMeeting.kind == wanted.kind)
    return query


def list_meetings(
    user: User, scope: Scope, wanted: MeetingFilter, page: int, per_page: int
) -> tuple[list[dict], int]:
    """One page of the meetings this person sees, newest first, and how many there are."""
    query = _filtered(visible(user, scope), wanted)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(
            selectinload(SupervisionMeeting.participants),
            selectinload(SupervisionMeeting.discussed),
        )
        .order_by(SupervisionMeeting.held_on.desc(), SupervisionMeeting.created_at.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    names = _resident_names(rows)
    return [meeting_document(meeting, names) for meeting in rows], total


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": user.id, "display_name": user.display_name}


def _resident_names(meetings: list[SupervisionMeeting]) -> dict[uuid.UUID, str]:
    """The names of the residents these meetings discussed, read at once."""
    ids = {d.resident_id for m in meetings for d in m.discussed if d.resident_id}
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids))).all()
    )


def meeting_document(
    meeting: SupervisionMeeting, names: dict[uuid.UUID, str] | None = None
) -> dict:
    """A meeting as the office reads it; residents named, participants both as ids and names."""
    names = _resident_names([meeting]) if names is None else names
    people = sorted((p.user for p in meeting.participants), key=lambda u: u.display_name)
    return {
        "id": meeting.id,
        "kind": meeting.kind,
        "held_on": meeting.held_on,
        "supervisor_id": meeting.supervisor_id,
        "supervisor": _person(meeting.supervisor),
        "unit_id": meeting.unit_id,
        "place": meeting.place,
        "minutes": meeting.minutes,
        "topics": meeting.topics,
        "decisions": meeting.decisions,
        "participants": [user.id for user in people],
        "people": [_person(user) for user in people],
        "discussed": [
            {
                "resident_id": item.resident_id,
                "resident_name": names.get(item.resident_id),
                "case_id": item.case_id,
                "note": item.note,
            }
            for item in meeting.discussed
        ],
        "created_at": meeting.created_at,
        "updated_at": meeting.updated_at,
    }


def meeting_detail(user: User, meeting: SupervisionMeeting) -> dict:
    """The meeting, the tasks it raised with their state now, and whether this person edits it."""
    tasks = db.session.scalars(
        select(Task).where(Task.meeting_id == meeting.id).order_by(Task.created_at, Task.id)
    ).all()
    assignees = {
        row.id: row
        for row in db.session.scalars(
            select(User).where(User.id.in_({t.assignee_id for t in tasks}))
        )
    }
    return {
        **meeting_document(meeting),
        "tasks": [
            {
                "id": task.id,
                "resident_id": task.resident_id,
                "title": task.title,
                "status": task.status,
                "priority": task.priority,
                "due_on": task.due_on,
                "assignee": _person(assignees.get(task.assignee_id)),
            }
            for task in tasks
        ],
        "can_edit": may_edit(user, meeting),
    }
