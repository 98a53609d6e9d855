"""A sample as the inspector reads and prints it: the draw (seed, who, when) and each drawn
record with what the callback or the check needs (docs/sampling.md)."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.inspection.sampling import checked_counts
from server.models import Organisation, Resident, User, Visit
from server.models.inspection import Sample, SampleItem
from server.platform.extensions import db
from server.reports.register import RATINGS

OUTCOME_WORDS = {
    "confirmed": "属实 Confirmed",
    "discrepancy": "不符 Discrepancy",
    "unreachable": "未能联系 Unreachable",
}
SATISFACTION_WORDS = {code: f"{zh} {en}" for code, zh, en in RATINGS}
KIND_WORDS = {"visits": "服务记录抽查 Visits", "residents": "长者回访 Residents"}


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": user.id, "display_name": user.display_name}


def _office_names(office_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not office_ids:
        return {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(office_ids))
    )
    return {row.id: row.name for row in rows}


def summary(sample: Sample, office_name: str, checked: int) -> dict:
    """A sample as a list shows it."""
    return {
        "id": sample.id,
        "office_id": sample.office_id,
        "office_name": office_name,
        "kind": sample.kind,
        "period_start": sample.period_start,
        "period_end": sample.period_end,
        "size": sample.size,
        "population": sample.population,
        "drawn": len(sample.items),
        "checked": checked,
        "seed": sample.seed,
        "drawn_by": _person(sample.drawer),
        "drawn_at": sample.drawn_at,
        "note": sample.note,
    }


def summaries(samples: list[Sample]) -> list[dict]:
    names = _office_names({sample.office_id for sample in samples})
    counts = checked_counts([sample.id for sample in samples])
    return [
        summary(sample, names.get(sample.office_id, ""), counts.get(sample.id, 0))
        for sample in samples
    ]


def _visit_part(visit: Visit) -> dict:
    return {
        "visit_id": visit.id,
        "visit_date": visit.visit_date,
        "visit_kind": visit.kind,
        "worker": _person(visit.worker),
        "service_given": visit.service_given,
        "satisfaction": visit.satisfaction,
        "register_url": f"/api/v1/register?visit_id={visit.id}",
    }


def _resident_part(resident: Resident) -> dict:
    return {
        "resident": {
            "id": resident.id,
            "name": resident.name,
            "unit_name": resident.unit.name,
            "room": resident.room,
            "phone": resident.phone,
            "address": resident.address,
        }
    }


def _checkers(items: list[SampleItem]) -> dict[uuid.UUID, User]:
    ids = {item.checked_by for item in items if item.checked_by is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def item_document(item: SampleItem, visit: Visit | None, resident: Resident, checker) -> dict:
    return {
        "position": item.position,
        **(_visit_part(visit) if visit is not None else {"visit_id": None}),
        **_resident_part(resident),
        "outcome": item.outcome,
        "note": item.note,
        "checked_by": _person(checker),
        "checked_at": item.checked_at,
    }


def item_of(item: SampleItem) -> dict:
    """One item as the checklist shows it (the answer to checking it)."""
    visit = db.session.get(Visit, item.visit_id) if item.visit_id else None
    resident = db.session.get(Resident, item.resident_id)
    checker = db.session.get(User, item.checked_by) if item.checked_by else None
    return item_document(item, visit, resident, checker)


def detail(sample: Sample) -> dict:
    """The sample with every item in drawn order."""
    items = sample.items
    visits = {}
    visit_ids = [item.visit_id for item in items if item.visit_id is not None]
    if visit_ids:
        visits = {v.id: v for v in db.session.scalars(select(Visit).where(Visit.id.in_(visit_ids)))}
    resident_ids = {item.resident_id for item in items}
    residents = {}
    if resident_ids:
        query = select(Resident).where(Resident.id.in_(resident_ids))
        residents = {r.id: r for r in db.session.scalars(query)}
    checkers = _checkers(items)
    checked = sum(1 for item in items if item.outcome is not None)
    document = summary(sample, _office_names({sample.office_id}).get(sample.office_id, ""), checked)
    document["items"] = [
        item_document(
            item,
            visits.get(item.visit_id) if item.visit_id else None,
            residents[item.resident_id],
            checkers.get(item.checked_by),
        )
        for item in items
    ]
    return document


def printable(document: dict, zone: str) -> dict:
    """What the A4 checklist prints: the draw in local time and the words of each outcome."""
    drawn_at = document["drawn_at"].astimezone(ZoneInfo(zone))
    return {
        **document,
        "kind_words": KIND_WORDS[document["kind"]],
        "drawn_at_local": drawn_at.strftime("%Y-%m-%d %H:%M"),
        "items": [
            {
                **item,
                "outcome_words": OUTCOME_WORDS.get(item["outcome"] or "", ""),
                "satisfaction_words": SATISFACTION_WORDS.get(item.get("satisfaction") or "", ""),
            }
            for item in document["items"]
        ],
    }
