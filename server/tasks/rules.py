"""The rules by which a visit's findings raise tasks: one per finding, set by an admin.

Migration 0016 stores the defaults below; a finding whose row is missing (a database emptied
by hand) follows its default, so a finding never goes without a rule.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from server.models import TASK_FINDINGS, TaskRule, utcnow
from server.people import audit
from server.platform.errors import NotFound
from server.platform.extensions import db

RULE_FIELDS = ("enabled", "priority", "due_days", "assign_to")
# (priority, due in days, assigned to), as migration 0016 writes them.
DEFAULTS = {
    "living": ("soon", 3, "visiting_worker"),
    "emotional": ("soon", 3, "visiting_worker"),
    "physical": ("soon", 3, "visiting_worker"),
    "unsatisfied": ("soon", 2, "unit_supervisor"),
    "follow_up": ("routine", 7, "visiting_worker"),
}
_RULES = select(TaskRule.__table__)


def _default(finding: str) -> TaskRule:
    priority, due_days, assign_to = DEFAULTS[finding]
    return TaskRule(
        finding=finding,
        enabled=True,
        priority=priority,
        due_days=due_days,
        assign_to=assign_to,
        updated_at=None,
        updated_by=None,
    )


def rules() -> list[TaskRule]:
    """Every finding's rule, in the order the findings are named."""
    held = {rule.finding: rule for rule in db.session.scalars(select(TaskRule))}
    return [held.get(finding) or _default(finding) for finding in TASK_FINDINGS]


def enabled_rules() -> dict:
    """The enabled rules as plain values, by finding: what a sync reads once per batch."""
    held = {row.finding: row for row in db.session.execute(_RULES)}
    found = {}
    for finding in TASK_FINDINGS:
        row = held.get(finding)
        if row is None:
            priority, due_days, assign_to = DEFAULTS[finding]
            row = SimpleNamespace(
                finding=finding,
                enabled=True,
                priority=priority,
                due_days=due_days,
                assign_to=assign_to,
            )
        if row.enabled:
            found[finding] = row
    return found


def update_rule(actor: audit.Actor, finding: str, changes: dict) -> TaskRule:
    if finding not in TASK_FINDINGS:
        raise NotFound("rule")
    rule = db.session.get(TaskRule, finding)
    if rule is None:
        rule = _default(finding)
        db.session.add(rule)
    before = audit.snapshot(rule, RULE_FIELDS)
    for name in RULE_FIELDS:
        if name in changes:
            setattr(rule, name, changes[name])
    rule.updated_at, rule.updated_by = utcnow(), actor.user_id
    db.session.flush()
    audit.record(actor, "update", "task_rule", finding, before, audit.snapshot(rule, RULE_FIELDS))
    return rule
