"""Coverage policies: the default rule, a care level's, a resident's own; admins replace them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select, update

from server.coverage.periods import current_periods
from server.models import CoveragePolicy, CoverageState, Resident, utcnow
from server.platform.clock import today_in
from server.platform.extensions import db
from server.roster.changes import mark_residents_changed

DEFAULT_RULE_REQUIRED = 2
DEFAULT_RULE_PERIOD = "week"


@dataclass(frozen=True)
class Rule:
    required: int
    period: str  # "week", "month", "year", or "days" (a visit at least every `every_days`)
    every_days: int | None = None


@dataclass
class Policies:
    default: Rule
    care_levels: dict[str, Rule]
    residents: dict[uuid.UUID, Rule]

    def rule_for(self, resident_id: uuid.UUID, care_level: str | None) -> Rule:
        """The resident's own override, else their care level's, else the default."""
        if resident_id in self.residents:
            return self.residents[resident_id]
        if care_level is not None and care_level in self.care_levels:
            return self.care_levels[care_level]
        return self.default


# Plain rows, from a query built once: read on every sync that names residents, and there may
# be a rule for each.
_policies = CoveragePolicy.__table__
_ALL_POLICIES = select(
    _policies.c.key,
    _policies.c.resident_id,
    _policies.c.care_level,
    _policies.c.required,
    _policies.c.period,
    _policies.c.every_days,
)


def load_policies() -> Policies:
    policies = Policies(Rule(DEFAULT_RULE_REQUIRED, DEFAULT_RULE_PERIOD), {}, {})
    for row in db.session.execute(_ALL_POLICIES):
        rule = Rule(row.required, row.period, row.every_days if row.period == "days" else None)
        if row.key == "default":
            policies.default = rule
        elif row.resident_id is not None:
            policies.residents[row.resident_id] = rule
        elif row.care_level is not None:
            policies.care_levels[row.care_level] = rule
    return policies


# A change that moves more residents' rules than this is judged by a full pass.
FEW_MOVED = 5_000


def replace_policies(user_id: uuid.UUID | None, document: dict) -> int:
    """Replace every policy with the document's; return how many residents' rules it moved.

    Those residents take a new roster change number: the phones pull their new requirement,
    and the next refresh judges them again like any resident whose record changed. When many
    moved (a new default), the next refresh judges everyone instead, in one pass.
    """
    now = utcnow()
    before = load_policies()
    db.session.execute(delete(CoveragePolicy))
    rows = [
        CoveragePolicy(
            key="default",
            **_rule_columns(document["default"]),
        )
    ]
    rows += [
        CoveragePolicy(
            key=f"care_level:{item['care_level']}",
            care_level=item["care_level"],
            **_rule_columns(item),
        )
        for item in document.get("care_levels", [])
    ]
    rows += [
        CoveragePolicy(
            key=f"resident:{item['resident_id']}",
            resident_id=item["resident_id"],
            **_rule_columns(item),
        )
        for item in document.get("residents", [])
    ]
    for row in rows:
        row.updated_at, row.updated_by = now, user_id
    db.session.add_all(rows)
    db.session.flush()
    moved = _residents_moved(before, load_policies())
    mark_residents_changed(moved)
    if len(moved) > FEW_MOVED:
        # Forget which periods were fully evaluated: the next refreshes re-read every
        # resident, from the first (a full pass under way starts over).
        db.session.execute(
            update(CoverageState).values(periods=[], full_labels=None, full_after=None)
        )
    return len(moved)


def set_resident_rule(user_id: uuid.UUID | None, resident_id: uuid.UUID, rule: dict | None) -> int:
    """Give one resident a rule of their own (None: take it away), every other rule kept: what
    an office's admin may change, where replacing every rule is the city's. Answers how many
    residents' rules it moved (0 or 1), who then take a new roster change number."""
    before = load_policies()
    key = f"resident:{resident_id}"
    db.session.execute(delete(CoveragePolicy).where(CoveragePolicy.key == key))
    if rule is not None:
        db.session.add(
            CoveragePolicy(
                key=key,
                resident_id=resident_id,
                updated_at=utcnow(),
                updated_by=user_id,
                **_rule_columns({"every_days": None, **rule}),
            )
        )
    db.session.flush()
    moved = _residents_moved(before, load_policies())
    mark_residents_changed(moved)
    return len(moved)


def _rule_columns(item: dict) -> dict:
    """A rule's columns: an every-N-days rule keeps its N, and asks for one visit each gap."""
    if item["period"] == "days":
        return {"required": 1, "period": "days", "every_days": item["every_days"]}
    return {"required": item["required"], "period": item["period"], "every_days": None}


def _residents_moved(before: Policies, after: Policies) -> list[uuid.UUID]:
    """Residents in care this month or week whose rule differs between the two."""
    if before == after:
        return []
    first = min(
        period.start
        for period in current_periods(today_in(current_app.config["TIMEZONE"], utcnow())).values()
    )
    rows = db.session.execute(
        select(Resident.id, Resident.care_level).where(Resident.in_care_since(first))
    )
    return [
        resident_id
        for resident_id, care_level in rows
        if before.rule_for(resident_id, care_level) != after.rule_for(resident_id, care_level)
    ]
