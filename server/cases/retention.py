"""Keeping case files no longer than needed: an admin exports an archived case, then purges
its records' text and signatures once the retention period has passed (docs/cases.md). The
case keeps its dates, stage and codes, so the statistics still count it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm.attributes import flag_modified

from server.cases.read import case_fields, record_entry
from server.models import Case, utcnow
from server.people import audit
from server.platform.errors import Conflict
from server.platform.extensions import db
from server.roster.changes import next_change_number

# What a purge keeps of a body: codes, numbers and ids, never free text.
KEPT = frozenset(
    {
        "domain",
        "severity",
        "priority",
        "risks",
        "services",
        "review_every_weeks",
        "mode",
        "minutes",
        "status",
        "reason",
        "satisfaction",
        "id",
        "goal_id",
        "goal_ids",
        "given",
        "by",
        "signer",
        "due_on",
        "target_on",
        "due_in_days",
        "visit_id",
        "assignee_id",
    }
)


def blanked(value, key: str | None = None):
    """The body with its free text blanked and its codes kept."""
    if isinstance(value, dict):
        return {name: blanked(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [blanked(item, key) for item in value]
    if isinstance(value, str) and key not in KEPT:
        return ""
    return value


def export(case: Case) -> dict:
    """The case and its records in full, signatures' strokes included."""
    return {
        **case_fields(case),
        "purged_at": case.purged_at.isoformat() if case.purged_at else None,
        "records": [{**record_entry(r), "signature": r.signature} for r in case.records],
    }


def purge(actor: audit.Actor, case: Case, retention_days: int, now: datetime | None = None) -> Case:
    """Blank the records' text and signatures of an archived case past its retention."""
    now = now or utcnow()
    if case.stage != "archived" or case.archived_at is None:
        raise Conflict("Only an archived case may be purged.", errors={"stage": [case.stage]})
    if case.purged_at is not None:
        raise Conflict("This case was purged already.")
    until = case.archived_at + timedelta(days=retention_days)
    if now < until:
        raise Conflict(
            f"The case is kept until {until.date().isoformat()}: the retention period has not "
            "passed.",
            errors={"archived_at": [f"kept {retention_days} days"]},
        )
    number = next_change_number()
    for record in case.records:
        record.body = blanked(record.body)
        flag_modified(record, "body")
        record.signature = None
    case.source_note = ""
    case.purged_at, case.updated_at, case.change_seq = now, now, number
    audit.record(actor, "purge", "case", case.id, None, {"records": len(case.records)})
    db.session.flush()
    return case
