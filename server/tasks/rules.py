"""The rules by which a visit's findings raise tasks: one per finding, set by an admin."""

from __future__ import annotations

from sqlalchemy import select

from server.models import TASK_FINDINGS, TaskRule, utcnow
from server.people import audit
from server.platform.errors import NotFound
from server.platform.extensions import db

RULE_FIELDS = ("enabled", "priority", "due_days", "assign_to")
_RULES = select(TaskRule.__table__).order_by(TaskRule.__table__.c.finding)


def rules() -> list[TaskRule]:
    """Every rule, in the order the findings are named."""
    held = {rule.finding: rule for rule in db.session.scalars(select(TaskRule))}
    return [held[finding] for finding in TASK_FINDINGS if finding in held]


def enabled_rules() -> dict:
    """The enabled rules as plain rows, by finding: what a sync reads once per batch."""
    return {row.finding: row for row in db.session.execute(_RULES) if row.enabled}


def update_rule(actor: audit.Actor, finding: str, changes: dict) -> TaskRule:
    if finding not in TASK_FINDINGS:
        raise NotFound("rule")
    rule = db.session.get(TaskRule, finding)
    if rule is None:  # a database made before the defaults: the rule starts from the change
        rule = TaskRule(finding=finding, enabled=True, priority="soon", due_days=3)
        rule.assign_to = "visiting_worker"
        db.session.add(rule)
    before = audit.snapshot(rule, RULE_FIELDS)
    for name in RULE_FIELDS:
        if name in changes:
            setattr(rule, name, changes[name])
    rule.updated_at, rule.updated_by = utcnow(), actor.user_id
    db.session.flush()
    audit.record(actor, "update", "task_rule", finding, before, audit.snapshot(rule, RULE_FIELDS))
    return rule
