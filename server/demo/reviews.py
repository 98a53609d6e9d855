"""The demo's reviews of records (docs/reviews.md): the supervisors approved most visits of
the weeks before the last, a few a day or so after they came in; they returned some with a
comment, and the workers answered one of them; the latest visits wait for review.

Made through the same functions the office's review and the phone's reply go through.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from server.models import User, Visit
from server.models.core import SUPERVISOR
from server.people.access import Scope
from server.people.audit import Actor
from server.platform.extensions import db
from server.reviews.records import add_reply, review_record
from server.roster.changes import next_change_number
from server.visits.ingest import canonical_hash

COMMENTS = (
    "请写明测量的血压数值。 Write down the blood pressure reading.",
    "服务内容太简单，请补充具体做了什么。 Say what was done, in a few words more.",
    "老人反映的情况需要记录是否已告知家属。 Note whether the family was told.",
)
REPLY = "已电话告知家属，明天补记。 The family was told by phone; I will add it tomorrow."


def _reviewer(unit_id: uuid.UUID, supervisors: list[User]) -> User | None:
    return next((user for user in supervisors if unit_id in user.unit_ids), None)


def _to_return(visits: list[Visit]) -> list[Visit]:
    """The latest visit of each of the first workers (by username): returned with a comment."""
    names = dict(db.session.execute(select(User.id, User.username)).all())
    latest: dict[uuid.UUID, Visit] = {}
    for visit in visits:  # oldest first: the last one seen is the latest
        latest[visit.worker_id] = visit
    chosen = sorted(latest.values(), key=lambda visit: names.get(visit.worker_id, ""))
    return chosen[: len(COMMENTS)]


def review_demo_records(now: datetime, rng: random.Random) -> int:
    """Review the demo's visits older than three days and younger than three weeks."""
    supervisors = list(
        db.session.scalars(select(User).where(User.role == SUPERVISOR).order_by(User.username))
    )
    visits = db.session.scalars(
        select(Visit)
        .where(
            Visit.voided_at.is_(None),
            Visit.received_at < now - timedelta(days=3),
            Visit.received_at > now - timedelta(days=21),
        )
        .order_by(Visit.received_at, Visit.id)
    ).all()
    returning = {visit.id: n for n, visit in enumerate(_to_return(visits))}
    made, returned = 0, []
    for visit in visits:
        supervisor = _reviewer(visit.unit_id, supervisors)
        if supervisor is None or (visit.id not in returning and rng.random() > 0.7):
            continue
        at = min(now, visit.received_at + timedelta(hours=rng.uniform(2, 40)))
        actor = Actor(user=supervisor, scope=Scope.of(supervisor))
        if visit.id in returning:
            comment = COMMENTS[returning[visit.id]]
            review = review_record(actor, "visit", visit.id, "returned", comment, now=at)
            returned.append((returning[visit.id], review))
        else:
            review_record(actor, "visit", visit.id, "approved", "", now=at)
        made += 1
    if len(returned) > 1:
        # The last worker's by username answered (worker1's always waits on their phone); the
        # others wait on their workers' phones.
        _answer(max(returned, key=lambda pair: pair[0])[1])
    db.session.flush()
    return made


def _answer(review) -> None:
    at = review.reviewed_at + timedelta(hours=3)
    reply = {"id": uuid.uuid4(), "review_id": review.id, "body": REPLY, "amendment_id": None}
    add_reply(
        review,
        reply["id"],
        review.worker_id,
        None,
        REPLY,
        None,
        at,
        canonical_hash({**reply, "at": at}),
        at,
        next_change_number(),
    )
