"""The demo's other coverage rules: a few home-visit clients of the rural area are seen six
times a year or every fortnight, so the board's yearly and every-N-days views and the phone's
"6 a year, 2 so far" have someone to show (docs/coverage.md)."""

from __future__ import annotations

from sqlalchemy import select

from server.coverage.policies import load_policies, replace_policies
from server.models import Resident, Unit
from server.platform.extensions import db

SIX_A_YEAR = {"required": 6, "period": "year"}
EVERY_FORTNIGHT = {"required": 1, "period": "days", "every_days": 14}


def _rule(rule) -> dict:
    every = {"every_days": rule.every_days} if rule.period == "days" else {}
    return {"required": rule.required, "period": rule.period, **every}


def give_other_rules() -> int:
    """Two clients of the area on 6 visits a year and two on a visit every 14 days, besides
    the rules there are; answer how many residents' rules that moved. Flushes; the caller
    commits, and the next refresh judges them."""
    clients = _area_clients()
    if not clients:
        return 0
    policies = load_policies()
    own = {resident_id: _rule(rule) for resident_id, rule in policies.residents.items()}
    for resident_id, rule in zip(
        clients, [SIX_A_YEAR, SIX_A_YEAR, EVERY_FORTNIGHT, EVERY_FORTNIGHT], strict=False
    ):
        own[resident_id] = rule
    return replace_policies(
        None,
        {
            "default": _rule(policies.default),
            "care_levels": [
                {"care_level": level, **_rule(rule)}
                for level, rule in sorted(policies.care_levels.items())
            ],
            "residents": [{"resident_id": key, **rule} for key, rule in own.items()],
        },
    )


def _area_clients() -> list:
    return list(
        db.session.scalars(
            select(Resident.id)
            .join(Unit, Unit.id == Resident.unit_id)
            .where(Unit.kind == "area", Resident.status == "active")
            .order_by(Resident.name, Resident.id)
            .limit(4)
        )
    )
