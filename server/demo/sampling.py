"""The bureau's random samples in the demo: one of last month's visits of each office, drawn
by an inspector (or the city's admin when there is none) through the same code the screen
calls, with its first items checked, so the checklist has something to show."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from server.coverage.periods import Period
from server.inspection.sampling import NewSample, check_item, draw_sample
from server.models import OFFICE, Organisation, User
from server.models.core import ADMIN, INSPECTOR
from server.models.inspection import Sample
from server.people.audit import Actor
from server.platform.clock import today_in
from server.platform.extensions import db

SIZE = 10
CHECKED = [
    ("confirmed", "与台账一致 matches the ledger"),
    ("confirmed", "长者确认有服务 the resident confirms the visit"),
    ("discrepancy", "台账上的时间与长者所说不同 the time differs from what the resident says"),
    ("unreachable", "电话无人接听 nobody answered the phone"),
]


def _drawer(office: Organisation) -> User | None:
    """An inspector who reaches the office, else an admin of a bureau above it."""
    for role in (INSPECTOR, ADMIN):
        for user in db.session.scalars(select(User).where(User.role == role).order_by(User.id)):
            actor = Actor(user=user)
            own = db.session.get(Organisation, user.organisation_id)
            if own is not None and own.kind != OFFICE and actor.scope.includes_office(office.id):
                return user
    return None


def draw_demo_samples(zone: str, now: datetime) -> list[Sample]:
    """Last month's visits of each office, ten drawn, the first four checked."""
    month = Period.of("month", today_in(zone, now)).previous()
    rng = random.Random(31)
    drawn = []
    offices = db.session.scalars(select(Organisation).where(Organisation.kind == OFFICE))
    for office in offices.all():
        user = _drawer(office)
        if user is None:
            continue
        actor = Actor(user=user)
        new = NewSample(
            office_id=office.id,
            kind="visits",
            period_start=month.start,
            period_end=month.end,
            size=SIZE,
            seed=f"{rng.getrandbits(128):032x}",
            note="月度抽查 monthly check",
        )
        sample = draw_sample(actor, new)
        sample.drawn_at = now - timedelta(days=rng.randint(1, 5))
        for position, (outcome, note) in enumerate(CHECKED[: len(sample.items)], start=1):
            check_item(actor, sample, position, outcome, note)
        drawn.append(sample)
    db.session.flush()
    return drawn
