"""The demo's evaluations: last year's for each office scored by the demo's admin and handed in,
so the list, the form and the history have something to show; this year's opened with the
premises and the sign board scored (docs/evaluation.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from server.evaluation import records
from server.evaluation.computed import OfficeYear
from server.evaluation.records import Entry
from server.evaluation.table import BY_CODE, MANUAL
from server.models import Evaluation, Organisation, User
from server.models.core import ADMIN
from server.people.audit import Actor
from server.platform.clock import today_in
from server.platform.extensions import db
from server.targets.settings import current_targets

# What an office gives itself where the records cannot tell: a little short here and there.
SELF_SHORT = {"environment": 1, "finance": 1, "ledgers_tidy": 0.5, "process": 1}


def _score(actor: Actor, evaluation: Evaluation, year: OfficeYear, codes: Iterable[str]) -> None:
    for code in codes:
        points = BY_CODE[code].points - SELF_SHORT.get(code, 0)
        records.enter_score(actor, evaluation, code, "self", Entry(points), year)


def give_demo_evaluations(zone: str, now: datetime) -> list[Evaluation]:
    """Last year's evaluation of each office with its self score handed in; this year's begun."""
    admin = db.session.scalars(
        select(User).where(User.role == ADMIN).order_by(User.username)
    ).first()
    if admin is None:
        return []
    actor = Actor(user=admin)
    today = today_in(zone, now)
    targets = current_targets()
    made = []
    for office in db.session.scalars(select(Organisation).where(Organisation.kind == "office")):
        last = OfficeYear(office.id, today.year - 1, today, zone, targets)
        evaluation, _ = records.open_evaluation(actor, office.id, last.year)
        if records.submission(evaluation, "self") is None:
            _score(actor, evaluation, last, MANUAL)
            records.submit_column(actor, evaluation, "self", "年度自评 Yearly self score", last)
        current = OfficeYear(office.id, today.year, today, zone, targets)
        begun, _ = records.open_evaluation(actor, office.id, current.year)
        if records.submission(begun, "self") is None:
            _score(actor, begun, current, ("premises", "sign_board"))
        made += [evaluation, begun]
    db.session.flush()
    return made
