"""Roster change numbers: the monotonic sequence behind the phones' sync cursors."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select, update

from .extensions import db
from .models import ChangeCounter, Resident

# Residents marked by one UPDATE at most: within every database's limit of bound parameters.
MARK_BATCH = 5000


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
    # The value alone: every pull asks, after a commit has expired the counter's ORM object,
    # whose reload cost more than the query.
    return db.session.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0


def mark_residents_changed(resident_ids: Iterable[uuid.UUID]) -> None:
    """Give these residents one new change number, so every phone holding them pulls them
    again: their counts (new visits) or their rule (a policy) changed.

    Call it last in the transaction, so the counter's row lock is held only briefly. Rows are
    marked in id order, so two overlapping transactions lock them in the same order.
    """
    ids = sorted(resident_ids)
    if not ids:
        return
    number = next_change_number()
    for start in range(0, len(ids), MARK_BATCH):
        db.session.execute(update(Resident).where(Resident.id.in_(ids[start:start + MARK_BATCH]))
                           .values(change_seq=number))
