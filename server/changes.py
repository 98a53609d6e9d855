"""Roster change numbers: the monotonic sequence behind the phones' sync cursors."""

from __future__ import annotations

from sqlalchemy import update

from .extensions import db
from .models import ChangeCounter


def next_change_number() -> int:
    """Take the next number inside the caller's transaction.

    The UPDATE locks the counter row until commit, so a transaction that took a smaller
    number is always visible before one that took a larger number: no cursor skips it.
    """
    value = db.session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + 1)
        .returning(ChangeCounter.value)
    ).scalar_one_or_none()
    if value is None:
        db.session.add(ChangeCounter(id=1, value=1))
        db.session.flush()
        value = 1
    return value


def current_change_number() -> int:
    counter = db.session.get(ChangeCounter, 1)
    return counter.value if counter else 0
