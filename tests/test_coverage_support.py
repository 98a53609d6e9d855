"""Helpers for the coverage tests: visits arrive through the real sync, time is given."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select

from server import coverage
from server.models import Alert, CoverageCount, CoverageResult
from server.platform.extensions import db
from tests.visitdata import sync_body, visit_payload


def at(text: str) -> datetime:
    """An RFC 3339 instant: at("2026-11-22T23:59+08:00")."""
    return datetime.fromisoformat(text)


def sync_visit(api, worker, resident: dict, when: str) -> str:
    """Upload one visit checked in at `when`, as the worker's phone would; return its id."""
    visit = visit_payload(resident, when=at(when))
    answer = api.post("/sync", json=sync_body([visit]), as_=worker)
    assert answer.status_code == 200, answer.json
    assert answer.json["results"][0]["status"] == "created", answer.json["results"]
    return visit["id"]


def void(api, supervisor, visit_id: str) -> None:
    answer = api.post(f"/visits/{visit_id}/void", json={"reason": "recorded twice"}, as_=supervisor)
    assert answer.status_code == 200, answer.json


def refresh(when: str) -> dict:
    """A refresh as the job makes it: committed."""
    answer = coverage.refresh(at(when))
    db.session.commit()
    return answer


def result(resident: dict, period: str) -> CoverageResult | None:
    db.session.expire_all()
    return db.session.scalar(
        select(CoverageResult).where(
            CoverageResult.resident_id == uuid.UUID(resident["id"]), CoverageResult.period == period
        )
    )


def summary(resident: dict, period: str) -> tuple | None:
    row = result(resident, period)
    return None if row is None else (row.required, row.days_visited, row.status)


def open_alerts(resident: dict | None = None) -> list[tuple[str, str]]:
    db.session.expire_all()
    query = select(Alert.kind, Alert.period).where(Alert.resolved_at.is_(None))
    if resident is not None:
        query = query.where(Alert.resident_id == uuid.UUID(resident["id"]))
    return sorted(db.session.execute(query).all())


def set_policies(api, admin, default=(2, "week"), care_levels=(), residents=()) -> None:
    body = {
        "default": {"required": default[0], "period": default[1]},
        "care_levels": [
            {"care_level": level, "required": n, "period": period}
            for level, n, period in care_levels
        ],
        "residents": [
            {"resident_id": rid, "required": n, "period": period} for rid, n, period in residents
        ],
    }
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 200, answer.json


def kept_counts(leaving_out: Collection[str] = ()) -> dict:
    return {
        (c.period, c.unit_id, c.status, c.shortfall, c.days_visited, c.never_visited): c.residents
        for c in db.session.scalars(select(CoverageCount))
        if c.period not in leaving_out
    }


def counts_of_the_stored_results(leaving_out: Collection[str] = ()) -> dict:
    """What the board's counts must be: the stored results, counted here in Python (but not
    of the periods `leaving_out`: a period being prepared is counted once it starts)."""
    counts: dict = {}
    for r in db.session.scalars(select(CoverageResult)):
        if r.period in leaving_out:
            continue
        key = (
            r.period,
            r.unit_id,
            r.status,
            r.required - r.days_visited,
            r.days_visited,
            r.last_visit_at is None,
        )
        counts[key] = counts.get(key, 0) + 1
    return counts
