"""Keeping the per-day visit counts that satisfaction, activity and follow-up totals add up.

Admin-wide reports over millions of visits cannot count them on every call within budget, so
each change to what they count adjusts `visit_day_counts` in the same transaction: new
visits at sync, amendments (which may set or clear a follow-up flag), voids and handled
follow-ups. Each adjustment is an upsert adding deltas, so concurrent syncs of one worker and
day add up instead of overwriting each other. The amended visits that flag a follow-up are
listed apart (`flagged_amendments`) for the follow-ups list. `rebuild` counts everything
afresh (benchmarks that load visits by COPY).
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import and_, case, delete, exists, func, insert, or_, select, true
from sqlalchemy.sql.dml import Insert

from server.models import Amendment, FollowUpHandled, Visit
from server.models.followups import BURST, FLAGGED_AS_RECORDED
from server.models.reporting import COUNTS, FlaggedAmendment, VisitDayCount
from server.platform.extensions import db
from server.platform.sqlparts import insert_or_on_conflict

CONCERNS = ("living", "emotional", "physical")
RATINGS = ("satisfied", "basically_satisfied", "unsatisfied")
Key = tuple[uuid.UUID, object, uuid.UUID]  # unit_id, visit_date, worker_id


def _latest_amended(path: tuple[str, ...], kind: str, leave_out: uuid.UUID | None = None):
    """The value the newest amendment that sets `path` gave it (NULL when none did)."""
    value = Amendment.changes[path]
    value = value.as_boolean() if kind == "bool" else value.as_string()
    query = select(value).where(Amendment.visit_id == Visit.id, value.is_not(None))
    if leave_out is not None:
        query = query.where(Amendment.id != leave_out)
    return query.order_by(Amendment.created_at.desc()).limit(1).scalar_subquery()


def flagged_after_amendments(leave_out: uuid.UUID | None = None):
    """SQL for "flags a concern or asks for follow-up" as the visit reads now.

    `leave_out`: an amendment to read the visit without (as it read before that one).
    """
    observations = [
        func.coalesce(
            _latest_amended(("observations", name), "str", leave_out), getattr(Visit, f"obs_{name}")
        )
        == "concern"
        for name in CONCERNS
    ]
    follow_up = func.coalesce(_latest_amended(("follow_up",), "bool", leave_out), Visit.follow_up)
    return or_(*observations, follow_up == true())


def _add(deltas: Mapping[Key, Counter]) -> None:
    """Add counts to their rows, creating rows as needed; keys in order, so no deadlock."""
    rows = [
        {
            "unit_id": unit_id,
            "visit_date": day,
            "worker_id": worker_id,
            **{name: deltas[key][name] for name in COUNTS},
        }
        for key in sorted(deltas)
        for unit_id, day, worker_id in [key]
        if any(deltas[key].values())
    ]
    if rows:
        db.session.execute(_adding_counts(db.engine.dialect.name), rows)


@functools.cache
def _adding_counts(dialect: str) -> Insert:
    """The upsert that adds deltas to their rows. Every sync runs it: built once per kind of
    database, on the table (the ORM's bulk-insert path would double its CPU), it is not
    rebuilt, nor its cache key worked out again, on each."""
    table = VisitDayCount.__table__
    statement = insert_or_on_conflict(table)
    return statement.on_conflict_do_update(
        index_elements=["unit_id", "visit_date", "worker_id"],
        set_={name: table.c[name] + statement.excluded[name] for name in COUNTS},
    )


def _key(visit) -> Key:
    return (visit.unit_id, visit.visit_date, visit.worker_id)


def _recorded(visit) -> Counter:
    """What a visit counts for that never changes after receipt."""
    burst = bool((visit.presence or {}).get("burst"))
    return Counter(
        {
            "visits": 1,
            "qr": int(visit.identified_by == "qr"),
            "burst": int(burst),
            **({visit.satisfaction: 1} if visit.satisfaction in RATINGS else {}),
        }
    )


def visits_stored(rows: Iterable) -> None:
    """Count visits just inserted (objects or row dicts of the visits table) at sync."""
    deltas: dict[Key, Counter] = defaultdict(Counter)
    for row in rows:
        visit = row if isinstance(row, Visit) else _Row(row)
        counts = _recorded(visit)
        # A new visit has no amendment and no handled follow-up yet: its flags are as sent.
        counts["flagged"] = int(
            any(getattr(visit, f"obs_{name}") == "concern" for name in CONCERNS)
            or bool(visit.follow_up)
        )
        deltas[_key(visit)] += counts
    _add(deltas)


class _Row:
    """A row dict read like a visit."""

    def __init__(self, row: Mapping) -> None:
        self.__dict__.update(row)


def _lock(visit_id: uuid.UUID) -> None:
    """Hold the visit's row until commit, so amendments, voids and handling of one visit take
    turns and each reads what the one before it wrote (SQLite has one writer anyway)."""
    db.session.execute(select(Visit.id).where(Visit.id == visit_id).with_for_update())


def _flagged_now(visit_id: uuid.UUID, leave_out: uuid.UUID | None = None) -> bool:
    return (
        db.session.scalar(
            select(func.count()).where(Visit.id == visit_id, flagged_after_amendments(leave_out))
        )
        > 0
    )


def _handled(visit_id: uuid.UUID) -> bool:
    return db.session.scalar(select(exists().where(FollowUpHandled.visit_id == visit_id)))


def _kept(visit_id: uuid.UUID) -> Visit | None:
    visit = db.session.execute(
        select(Visit).where(Visit.id == visit_id).execution_options(populate_existing=True)
    ).scalar_one()
    return visit if visit.voided_at is None else None


def amendment_stored(visit_id: uuid.UUID, amendment_id: uuid.UUID) -> None:
    """An amendment may set or clear a follow-up flag: move the visit in or out of the count,
    and list it among the flagged amended visits or take it off."""
    _lock(visit_id)
    visit = _kept(visit_id)
    if visit is None:  # voided meanwhile: it counts nowhere
        return
    before, after = _flagged_now(visit_id, leave_out=amendment_id), _flagged_now(visit_id)
    _list_amended(visit, after)
    if before == after:
        return
    step = 1 if after else -1
    handled = step if _handled(visit_id) else 0
    _add({_key(visit): Counter(flagged=step, flagged_handled=handled)})


def _list_amended(visit: Visit, flagged: bool) -> None:
    """List the visit among the flagged amended ones, or take it off."""
    db.session.execute(delete(FlaggedAmendment).where(FlaggedAmendment.visit_id == visit.id))
    if flagged:
        db.session.execute(
            insert(FlaggedAmendment).values(
                visit_id=visit.id,
                unit_id=visit.unit_id,
                visit_date=visit.visit_date,
                checked_in_at=visit.checked_in_at,
            )
        )


def voiding(visit: Visit) -> bool:
    """Before a void: take the visit out of every count. False if it was voided already
    (by a concurrent request), which the caller answers as a conflict."""
    _lock(visit.id)
    if _kept(visit.id) is None:
        return False
    counts = _recorded(visit)
    if _flagged_now(visit.id):
        counts["flagged"] = 1
        counts["flagged_handled"] = int(_handled(visit.id))
    _add({_key(visit): Counter({name: -number for name, number in counts.items()})})
    _list_amended(visit, False)
    return True


def handling(visit: Visit) -> None:
    """Before a follow-up is marked handled: count it among the handled if it is flagged."""
    _lock(visit.id)
    if _kept(visit.id) is not None and _flagged_now(visit.id):
        _add({_key(visit): Counter(flagged_handled=1)})


def rebuild() -> None:
    """Count every kept visit afresh (one grouped INSERT ... SELECT over the visits table)
    and list the flagged amended ones again."""
    amended = exists().where(Amendment.visit_id == Visit.id)
    # Visits never amended read as recorded; the correlated reads run for amended ones only.
    flagged = case((amended, flagged_after_amendments()), else_=FLAGGED_AS_RECORDED)
    handled = exists().where(FollowUpHandled.visit_id == Visit.id)

    def number(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    keys = (Visit.unit_id, Visit.visit_date, Visit.worker_id)
    counted = (
        select(
            *keys,
            func.count(),
            number(Visit.identified_by == "qr"),
            number(BURST),
            *[number(Visit.satisfaction == rating) for rating in RATINGS],
            number(flagged),
            number(and_(flagged, handled)),
        )
        .where(Visit.voided_at.is_(None))
        .group_by(*keys)
    )
    db.session.execute(delete(VisitDayCount))
    db.session.execute(
        insert(VisitDayCount).from_select(["unit_id", "visit_date", "worker_id", *COUNTS], counted)
    )
    listed = select(Visit.id, Visit.unit_id, Visit.visit_date, Visit.checked_in_at).where(
        Visit.voided_at.is_(None), amended, flagged_after_amendments()
    )
    db.session.execute(delete(FlaggedAmendment))
    db.session.execute(
        insert(FlaggedAmendment).from_select(
            ["visit_id", "unit_id", "visit_date", "checked_in_at"], listed
        )
    )
