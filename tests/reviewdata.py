"""Reviewing records and answering them as the office and the phone do (docs/reviews.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tests.visitdata import sync_body, visit_payload


def upload_visit(api, worker, resident: dict, **overrides) -> dict:
    """One visit sent from the worker's phone; the answer's visit."""
    visit = visit_payload(resident, **overrides)
    answer = api.post("/sync", json=sync_body([visit]), as_=worker)
    assert answer.json["results"][0]["status"] == "created", answer.json
    return visit


def review(api, person, record_id: str, decision: str, comment: str = "", kind: str = "visit"):
    return api.post(
        "/reviews",
        as_=person,
        json={
            "record_kind": kind,
            "record_id": record_id,
            "decision": decision,
            "comment": comment,
        },
    )


def returned(api, person, record_id: str, comment: str = "请补充血压数值 Add the reading") -> dict:
    answer = review(api, person, record_id, "returned", comment)
    assert answer.status_code == 201, answer.json
    return answer.json


def reply_payload(review_id: str, body: str = "已补充 Added", amendment_id=None, **more) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "review_id": review_id,
        "body": body,
        "amendment_id": amendment_id,
        "at": datetime.now(UTC).isoformat(),
        **more,
    }


def amendment_payload(visit_id: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "visit_id": visit_id,
        "changes": {"service_given": "测血压 130/85 blood pressure 130/85"},
        "reason": "补充血压数值 reading added",
    }


def reply_sync(replies=(), amendments=(), cursor=None) -> dict:
    return {**sync_body((), amendments, cursor=cursor), "review_replies": list(replies)}
