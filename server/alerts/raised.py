"""Raising and resolving alerts: each key opens once, and resolves when its condition ends.

Coverage raises two kinds, `at_risk` and `missed`, for a resident and one period, from the
status changes that server/coverage/ reports; the alert of a status opens while it holds.
Everything here is set-based: a refresh may open or resolve thousands of alerts at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Subquery, literal, select, update
from sqlalchemy.sql.dml import Insert

from server.models import Alert
from server.models.types import UTCDateTime
from server.platform.extensions import db
from server.platform.sqlparts import empty_json, insert_or_on_conflict, uuid_text

COVERAGE_KINDS = ("at_risk", "missed")


def _opening(statement: Insert, with_detail: bool = False) -> Insert:
    """An insert of alerts that opens each key once: a new key is inserted, a resolved alert
    is reopened as raised anew (with the new detail, if asked), an open one is left as it is.
    One statement, found by the key's unique index, however the planner judges the tables."""
    reopened = {
        "raised_at": statement.excluded.raised_at,
        "resolved_at": None,
        "acked_at": None,
        "acked_by": None,
        "ack_note": None,
    }
    if with_detail:
        reopened["detail"] = statement.excluded.detail
    return statement.on_conflict_do_update(
        index_elements=["key"], where=Alert.resolved_at.is_not(None), set_=reopened
    )


def raise_alerts(alerts: list[dict], now: datetime, *, with_detail: bool = False) -> None:
    """Open these alerts (dicts of Alert columns with a key): each is inserted once, or
    reopened if it had been resolved (its detail replaced when `with_detail`: a task's alert
    tells the task as it is now). Set-based: a refresh may open thousands at once."""
    for chunk in _chunks(alerts):
        rows = [{"detail": {}, **alert, "raised_at": now} for alert in chunk]
        db.session.execute(_opening(insert_or_on_conflict(Alert), with_detail), rows)


def raise_alert(key: str, kind: str, now: datetime, **fields) -> None:
    raise_alerts([{"key": key, "kind": kind, **fields}], now)


def resolve_alerts(keys: list[str], now: datetime) -> int:
    """Resolve the open alerts among these keys; return how many were open."""
    resolved = 0
    for chunk in _chunks(keys):
        # Found by key alone, then updated by id: given "resolved_at IS NULL" too, SQLite's
        # planner scans every open alert (tens of thousands after a close) once per chunk.
        open_ids = [
            alert_id
            for alert_id, resolved_at in db.session.execute(
                select(Alert.id, Alert.resolved_at).where(Alert.key.in_(chunk))
            )
            if resolved_at is None
        ]
        if open_ids:
            db.session.execute(update(Alert).where(Alert.id.in_(open_ids)).values(resolved_at=now))
        resolved += len(open_ids)
    return resolved


def _chunks(items: list, size: int = 1000):
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]


def coverage_key(kind: str, resident_id: uuid.UUID, period: str) -> str:
    return f"{kind}:{resident_id}:{period}"


def _coverage_key_sql(kind, resident_id, period):
    """coverage_key(), computed by the database."""
    return kind + ":" + uuid_text(resident_id) + ":" + period


def apply_coverage_changes_sql(changes: Subquery, now: datetime) -> None:
    """apply_coverage_changes() for status changes the database holds (columns resident_id,
    unit_id, period, before, after): two statements, however many residents changed."""
    raising = select(
        _coverage_key_sql(changes.c.after, changes.c.resident_id, changes.c.period),
        changes.c.after,
        changes.c.resident_id,
        changes.c.unit_id,
        changes.c.period,
        empty_json(),
        literal(now, UTCDateTime),
    ).where(changes.c.after.in_(COVERAGE_KINDS))
    db.session.execute(
        _opening(
            insert_or_on_conflict(Alert).from_select(
                ["key", "kind", "resident_id", "unit_id", "period", "detail", "raised_at"], raising
            )
        )
    )
    ended_keys = select(
        _coverage_key_sql(changes.c.before, changes.c.resident_id, changes.c.period)
    ).where(
        changes.c.before.in_(COVERAGE_KINDS), changes.c.after.is_distinct_from(changes.c.before)
    )
    db.session.execute(
        update(Alert)
        .where(Alert.key.in_(ended_keys), Alert.resolved_at.is_(None))
        .values(resolved_at=now)
    )


def apply_coverage_changes(changes, now: datetime) -> None:
    """The alert of a resident's new status opens; the alert of the status it left resolves.

    An alert is open only while the status it names holds, so only those two can change.
    """
    raise_alerts(
        [
            {
                "key": coverage_key(c.after, c.resident_id, c.period),
                "kind": c.after,
                "resident_id": c.resident_id,
                "unit_id": c.unit_id,
                "period": c.period,
            }
            for c in changes
            if c.after in COVERAGE_KINDS
        ],
        now,
    )
    resolve_alerts(
        [
            coverage_key(c.before, c.resident_id, c.period)
            for c in changes
            if c.before in COVERAGE_KINDS and c.before != c.after
        ],
        now,
    )
