"""The targets as stored settings: one row per key, the default where none was set.

Reports name the setting they judged by, so a figure is never read against a target it was not
computed with.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import select

from server.models import Setting, User, utcnow
from server.platform.extensions import db


@dataclass(frozen=True)
class Targets:
    # Share of served residents' answers that must be satisfied (0.8: 80%).
    satisfaction_target: float = 0.8
    # Whether 基本满意 (basically satisfied) counts as satisfied against that target.
    basically_counts_as_satisfied: bool = True
    # Office rules, judged per calendar month (at least this many).
    activities_per_month: int = 1
    reception_days_per_month: int = 1
    # Supervision meetings each supervisor and each worker takes part in per calendar month.
    meetings_per_month: int = 2


KEYS = tuple(Targets.__dataclass_fields__)


def current_targets() -> Targets:
    """The targets in force: each stored setting, else its default."""
    rows = db.session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(KEYS)))
    stored = {key: value["value"] for key, value in rows}
    return Targets(**{key: stored[key] for key in KEYS if key in stored})


def replace_targets(user_id: uuid.UUID | None, document: dict) -> Targets:
    """Store each target the document names (already validated by its schema); flush."""
    now = utcnow()
    for key in KEYS:
        if key not in document:
            continue
        row = db.session.get(Setting, key)
        if row is None:
            row = Setting(key=key)
            db.session.add(row)
        # Wrapped in an object: SQLite's JSON column would store a bare number as a number,
        # which no JSON reader takes back.
        row.value, row.updated_at, row.updated_by = {"value": document[key]}, now, user_id
    db.session.flush()
    return current_targets()


def targets_document(targets: Targets) -> dict:
    return asdict(targets)


def target_changes() -> dict[str, dict]:
    """When and by whom each stored target was last set: what an admin checks before a change."""
    rows = db.session.scalars(select(Setting).where(Setting.key.in_(KEYS)))
    people = {}
    changes = {}
    for row in rows:
        if row.updated_by is not None and row.updated_by not in people:
            people[row.updated_by] = db.session.get(User, row.updated_by)
        changes[row.key] = {"updated_at": row.updated_at, "updated_by": people.get(row.updated_by)}
    return changes


def satisfaction_setting(targets: Targets) -> dict:
    """The part of the targets a satisfaction figure is judged by, named in every report."""
    return {
        "satisfaction_target": targets.satisfaction_target,
        "basically_counts_as_satisfied": targets.basically_counts_as_satisfied,
    }
