"""Building cases and case records as a phone would send them (docs/cases.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from tests.visitdata import signature_strokes, sync_body


def _now() -> str:
    return (datetime.now(UTC) - timedelta(minutes=1)).isoformat()


def signature(signer: str = "resident", **overrides) -> dict:
    return {
        "signer": signer,
        "signer_name": "王秀英" if signer != "none" else None,
        "reason": "deceased" if signer == "none" else None,
        "width": 600,
        "height": 200,
        "encoding": "absolute",
        "strokes": [] if signer == "none" else signature_strokes(60, 2),
        **overrides,
    }


def case_payload(resident: dict, **overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "resident_id": resident["id"],
        "source": "resident_request",
        "source_note": "",
        "visit_id": None,
        "opened_at": _now(),
        "worker_id": None,
        **overrides,
    }


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


BODIES = {
    "intake": {
        "register": {
            "office": "东区社工站",
            "worker_phone": "13800000000",
            "client_phone": "13900000000",
            "address": "3号楼201",
            "problems": "独居 近来情绪低落 Lives alone, low mood lately",
        },
        "consent": {"given": True, "by": "resident", "name": "王秀英"},
    },
    "assessment": {
        "needs": [{"domain": "emotional", "severity": "moderate", "priority": 1, "notes": "孤独"}],
        "risks": [],
        "summary": "需要精神慰藉 Needs emotional support",
    },
    "plan": {
        "goals": [{"id": "g1", "text": "每周参加活动 Joins an activity weekly", "measure": "签到"}],
        "steps": [{"id": "s1", "title": "介绍兴趣小组 Introduce the group", "goal_id": "g1"}],
        "services": ["emotional_support", "group_work"],
        "review_every_weeks": 4,
        "agreed": {"signer": "resident", "signer_name": "王秀英"},
    },
    "contact": {"mode": "phone", "visit_id": None, "goal_ids": ["g1"], "summary": "电话问候"},
    "review": {"progress": [{"goal_id": "g1", "status": "in_progress"}], "summary": "有进步"},
    "closure": {
        "reason": "goals_met",
        "evaluation": [{"goal_id": "g1", "status": "achieved", "note": "每周参加"}],
        "summary": "目标达成 Goals met",
        "satisfaction": "satisfied",
        "referral": None,
        "follow_up": None,
    },
    "signoff": {"note": "同意结案 Agreed"},
}


def body_of(kind: str, **overrides) -> dict:
    body = {**BODIES[kind], **overrides}
    if kind == "plan" and "steps" not in overrides:
        body["steps"] = [{**step, "due_on": in_days(7)} for step in body["steps"]]
    return body


def record_payload(case_id: str, kind: str, body: dict | None = None, **overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "case_id": case_id,
        "kind": kind,
        "at": _now(),
        "body": body if body is not None else body_of(kind),
        "signature": signature() if kind in ("plan", "closure") else None,
        **overrides,
    }


def case_sync(cases=(), records=(), cursor=None, **lists) -> dict:
    return {
        **sync_body((), cursor=cursor),
        "cases": list(cases),
        "case_records": list(records),
        **lists,
    }
