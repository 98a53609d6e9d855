"""Coverage policies: the default rule, a care level's, a resident's own; admins replace them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import CoveragePolicy, CoverageState, utcnow

DEFAULT_RULE_REQUIRED = 2
DEFAULT_RULE_PERIOD = "week"


@dataclass(frozen=True)
class Rule:
    required: int
    period: str


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


def load_policies() -> Policies:
    policies = Policies(Rule(DEFAULT_RULE_REQUIRED, DEFAULT_RULE_PERIOD), {}, {})
    for row in db.session.scalars(select(CoveragePolicy)):
        rule = Rule(row.required, row.period)
        if row.key == "default":
            policies.default = rule
        elif row.resident_id is not None:
            policies.residents[row.resident_id] = rule
        elif row.care_level is not None:
            policies.care_levels[row.care_level] = rule
    return policies


def replace_policies(user_id: uuid.UUID | None, document: dict) -> None:
    """Replace every policy with the document's; the next refresh recomputes open periods."""
    now = utcnow()
    db.session.execute(delete(CoveragePolicy))
    rows = [CoveragePolicy(key="default", required=document["default"]["required"],
                           period=document["default"]["period"])]
    rows += [CoveragePolicy(key=f"care_level:{item['care_level']}", care_level=item["care_level"],
                            required=item["required"], period=item["period"])
             for item in document.get("care_levels", [])]
    rows += [CoveragePolicy(key=f"resident:{item['resident_id']}",
                            resident_id=item["resident_id"], required=item["required"],
                            period=item["period"])
             for item in document.get("residents", [])]
    for row in rows:
        row.updated_at, row.updated_by = now, user_id
    db.session.add_all(rows)
    # Forget which periods were fully evaluated: the next refresh re-reads every resident.
    db.session.execute(update(CoverageState).values(periods=[]))
