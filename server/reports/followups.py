"""Follow-ups: visits that flagged a concern or asked for one, listed, counted and handled.

Each visit's findings became follow-up tasks (server/tasks/): the list shows them with where
each stands, and handling a visit closes the tasks it raised, its note their outcome.

The list is read in two disjoint parts (visits flagged as recorded, and amended visits as
they read now), the count from the per-day counts: neither reads every flagged visit.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Select, exists, func, select
from sqlalchemy.exc import IntegrityError

from server.models import Amendment, FollowUpHandled, Task, Visit, VisitDayCount, utcnow
from server.models.followups import FLAGGED_AS_RECORDED
from server.models.reporting import FlaggedAmendment
from server.models.tasks import OPEN_TASK_STATUSES
from server.people import audit
from server.platform.errors import ApiError, Conflict, Forbidden
from server.platform.extensions import db
from server.reports import day_counts
from server.reports.listing import concerns_of, rows_of, visit_row, with_tasks
from server.reports.scope import in_day_counts, in_range, in_scope, unit_names
from server.tasks.records import apply_event
from server.visits.read import current_content


def _handled_filter(query: Select, status: str, visit_id=Visit.id) -> Select:
    handled = exists().where(FollowUpHandled.visit_id == visit_id)
    if status == "open":
        return query.where(~handled)
    if status == "handled":
        return query.where(handled)
    return query


def followup_parts(
    units, status: str, date_from: date | None = None, date_to: date | None = None
) -> tuple[Select, Select]:
    """Selects of (id, checked_in_at) of the follow-ups, in two disjoint parts.

    Visits never amended that were flagged as recorded: this large part reads the partial
    index of flagged visits. Amended visits flagged as they read now: a small part, kept in
    `flagged_amendments` (server/reports/day_counts.py).
    """
    amended = exists().where(Amendment.visit_id == Visit.id)
    recorded = select(Visit.id, Visit.checked_in_at).where(
        Visit.voided_at.is_(None), FLAGGED_AS_RECORDED, ~amended
    )
    recorded = _handled_filter(in_range(in_scope(recorded, units), date_from, date_to), status)
    listed = FlaggedAmendment
    flagged = in_scope(
        select(listed.visit_id.label("id"), listed.checked_in_at), units, listed.unit_id
    )
    if date_from is not None:
        flagged = flagged.where(listed.visit_date >= date_from)
    if date_to is not None:
        flagged = flagged.where(listed.visit_date <= date_to)
    return recorded, _handled_filter(flagged, status, listed.visit_id)


def followups(
    units,
    status: str = "open",
    date_from: date | None = None,
    date_to: date | None = None,
    newest_first: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> dict:
    recorded, amended = followup_parts(units, status, date_from, date_to)
    total = followup_count(units, status, date_from, date_to)
    # The large part gives its own first page*per_page rows in index order (not a sort of
    # every flagged visit); merged with the amended ones (a small part), they hold the page.
    order = (
        (Visit.checked_in_at.desc(), Visit.id.desc())
        if newest_first
        else (Visit.checked_in_at, Visit.id)
    )
    window = page * per_page
    first = db.session.execute(recorded.order_by(*order).limit(window)).all()
    if len(first) == window:
        # Amended visits beyond the last of these cannot reach the page.
        edge, at = first[-1].checked_in_at, FlaggedAmendment.checked_in_at
        amended = amended.where(at >= edge if newest_first else at <= edge)
    candidates = [*first, *db.session.execute(amended)]
    candidates.sort(key=lambda row: (row.checked_in_at, row.id), reverse=newest_first)
    ids = [row.id for row in candidates[window - per_page : window]]
    return {"items": rows_of(ids), "page": page, "per_page": per_page, "total": total}


def followup_count(
    units, status: str, date_from: date | None = None, date_to: date | None = None
) -> int:
    """How many follow-ups the list holds, added up from the per-day counts.

    Counting the flagged visits themselves reads hundreds of thousands of index entries for
    an admin; the per-day counts (server/reports/day_counts.py) hold the same numbers.
    """
    counts = VisitDayCount
    number = {
        "all": counts.flagged,
        "handled": counts.flagged_handled,
        "open": counts.flagged - counts.flagged_handled,
    }[status]
    query = in_day_counts(select(func.coalesce(func.sum(number), 0)), units, date_from, date_to)
    return int(db.session.scalar(query))


def handle_followup(
    actor: audit.Actor, visit_id: uuid.UUID, note: str, now: datetime | None = None
) -> dict:
    """Mark a flagged (or unsatisfied) visit's follow-up as handled, once, and close the tasks
    it raised. `now`, when it was handled: the present, unless a history is being recorded."""
    user = actor.user
    visit = actor.scope.get(Visit, visit_id)
    if not actor.scope.manages(visit.unit_id):
        raise Forbidden("Only an admin or a supervisor of this unit may handle follow-ups.")
    if db.session.get(FollowUpHandled, visit.id) is not None:
        raise Conflict("This follow-up was handled already.")
    if visit.voided_at is not None:
        raise ApiError(422, "This visit is voided: there is nothing to follow up.")
    if not concerns_of(current_content(visit)) and visit.satisfaction != "unsatisfied":
        raise ApiError(
            422,
            "This visit flagged no concern, asked for no follow-up and was not rated unsatisfied.",
        )
    day_counts.handling(visit)
    now = now or utcnow()
    handled = FollowUpHandled(visit_id=visit.id, handled_by=user.id, handled_at=now, note=note)
    db.session.add(handled)
    audit.record(actor, "handle", "followup", visit.id, None, {"note": note})
    try:
        db.session.flush()
    except IntegrityError as error:  # handled at the same moment by someone else
        db.session.rollback()
        raise Conflict("This follow-up was handled already.") from error
    close_raised_tasks(actor, visit.id, note, now)
    return with_tasks([visit_row(visit, handled, unit_names([visit.unit_id]))])[0]


def close_raised_tasks(actor: audit.Actor, visit_id: uuid.UUID, note: str, now) -> int:
    """Handling a follow-up closes the work it became: each open task the visit raised is
    closed, the handler's note its outcome. How many were closed."""
    tasks = db.session.scalars(
        select(Task)
        .where(Task.visit_id == visit_id, Task.status.in_(OPEN_TASK_STATUSES))
        .order_by(Task.created_at, Task.id)
    ).all()
    for task in tasks:
        apply_event(task, "closed", {"outcome": note}, actor, now, now=now)
    return len(tasks)
