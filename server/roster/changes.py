"""Roster change numbers: the monotonic sequence behind the phones' sync cursors."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import bindparam, select, update

from server.models import ChangeCounter, Resident, Unit
from server.platform.extensions import db

# Residents marked by one UPDATE at most: within every database's limit of bound parameters.
MARK_BATCH = 5000

# Every push runs these: built once, on the tables (docs/sync.md, "CPU per sync").
_counter = ChangeCounter.__table__
_TAKE_NUMBER = (
    update(_counter)
    .where(_counter.c.id == 1)
    .values(value=_counter.c.value + 1)
    .returning(_counter.c.value)
)
_CURRENT_NUMBER = select(_counter.c.value).where(_counter.c.id == 1)
_residents = Resident.__table__
_MARK = (
    update(_residents)
    .where(_residents.c.id.in_(bindparam("ids", expanding=True)))
    .values(change_seq=bindparam("number"))
)


def next_change_number() -> int:
    """Take the next number inside the caller's transaction.

    The UPDATE locks the counter row until commit, so a transaction that took a smaller
    number is always visible before one that took a larger number: no cursor skips it.
    """
    db.session.flush()  # anything pending is written first: the lock is held only briefly
    value = db.session.execute(_TAKE_NUMBER).scalar_one_or_none()
    if value is None:
        db.session.add(ChangeCounter(id=1, value=1))
        db.session.flush()
        value = 1
    return value


def current_change_number() -> int:
    # The value alone: every pull asks, after a commit has expired the counter's ORM object,
    # whose reload cost more than the query.
    return db.session.execute(_CURRENT_NUMBER).scalar() or 0


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
        db.session.execute(_MARK, {"ids": ids[start : start + MARK_BATCH], "number": number})


def mark_units_changed(units: Iterable[Unit]) -> None:
    """Give these units a new change number, so every phone holding them pulls their entry
    again (its supervisors changed)."""
    units = list(units)
    if not units:
        return
    number = next_change_number()
    for unit in units:
        unit.change_seq = number
