"""The printable case file: the intake as the service register form (老年服务工作登记表),
then each assessment, plan version (with its signature), contact, review, the closure with
its evaluation, referral and signature, and the sign-off — A4, bilingual (docs/cases.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from server.cases.schemas import SERVICE_CODES
from server.models import Case, CaseRecord, Visit
from server.platform.extensions import db
from server.reports.register import RATINGS, SEXES
from server.reports.scope import unit_names
from server.visits.signatures import to_svg

STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "case_file.css"
STAGES = {
    "intake": "接案 Intake",
    "assessment": "预估 Assessment",
    "intervention": "介入 Intervention",
    "closing": "结案 Closing",
    "archived": "归档 Archived",
}
SOURCES = {
    "round_finding": "巡视发现 Round finding",
    "referral": "转介 Referral",
    "resident_request": "本人求助 Resident's request",
    "family_request": "家属求助 Family's request",
}
DOMAINS = {
    "physical": "身体 Physical",
    "emotional": "情绪 Emotional",
    "social": "社会 Social",
    "living": "生活 Living",
    "economic": "经济 Economic",
    "spiritual": "精神 Spiritual",
}
SEVERITIES = {
    "none": "无 None",
    "mild": "轻 Mild",
    "moderate": "中 Moderate",
    "severe": "重 Severe",
}
RISKS = {
    "self_harm": "自伤 Self-harm",
    "abuse": "虐待 Abuse",
    "fall": "跌倒 Fall",
    "isolation": "孤立 Isolation",
}
MODES = {
    "visit": "探访 Visit",
    "phone": "电话 Phone",
    "wechat": "微信 WeChat",
    "sms": "短信 SMS",
    "family_meeting": "家庭会议 Family meeting",
    "case_conference": "个案会议 Case conference",
}
GOAL_STATUSES = {
    "not_started": "未开始 Not started",
    "in_progress": "进行中 In progress",
    "achieved": "已达成 Achieved",
    "dropped": "已放弃 Dropped",
}
REASONS = {
    "goals_met": "目标达成 Goals met",
    "client_request": "服务对象要求 Client's request",
    "moved": "迁出 Moved away",
    "deceased": "离世 Deceased",
    "referred": "转介 Referred",
}
SATISFACTION = {value: f"{zh} {en}" for value, zh, en in RATINGS}


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _signature(record: CaseRecord) -> dict | None:
    signature = record.signature
    if not signature:
        return None
    svg = None
    if signature.get("strokes"):
        svg = to_svg(
            signature["strokes"],
            signature["width"],
            signature["height"],
            title=f"服务对象签名 Client's signature {str(record.id)[:8]}",
        )
    return {
        "signer": signature.get("signer"),
        "name": signature.get("signer_name") or "",
        "reason": signature.get("reason") or "",
        "svg": svg,
    }


def _goals_named(records: list[CaseRecord]) -> dict[str, str]:
    """Every goal's text by id, the latest version's wording."""
    return {
        goal["id"]: goal["text"]
        for record in records
        if record.kind == "plan"
        for goal in record.body.get("goals", [])
    }


def _visit_date(visit_id: str | None, zone: ZoneInfo) -> str:
    """When the visit a contact names was made (the body holds its id as text)."""
    try:
        visit = db.session.get(Visit, uuid.UUID(visit_id)) if visit_id else None
    except ValueError:
        visit = None
    return _when(visit.checked_in_at, zone) if visit is not None else ""


def _entry(record: CaseRecord, zone: ZoneInfo, goals: dict[str, str]) -> dict:
    body = record.body
    entry = {
        "kind": record.kind,
        "version": record.version,
        "at": _when(record.at, zone),
        "author": record.author.display_name,
        "body": body,
        "signature": _signature(record),
    }
    if record.kind == "assessment":
        entry["needs"] = [
            {
                **need,
                "domain": DOMAINS.get(need["domain"]),
                "severity": SEVERITIES.get(need["severity"]),
            }
            for need in body.get("needs", [])
        ]
        entry["risks"] = [RISKS.get(risk, risk) for risk in body.get("risks", [])]
    elif record.kind == "plan":
        entry["services"] = [f"{SERVICE_CODES.get(code, '')} {code}" for code in body["services"]]
        entry["goal_text"] = {goal["id"]: goal["text"] for goal in body["goals"]}
    elif record.kind == "contact":
        entry["mode"] = MODES.get(body.get("mode"), "")
        entry["visit_at"] = _visit_date(body.get("visit_id"), zone)
        entry["goals"] = [goals.get(goal_id, goal_id) for goal_id in body.get("goal_ids", [])]
    elif record.kind in ("review", "closure"):
        items = body.get("progress") if record.kind == "review" else body.get("evaluation")
        entry["progress"] = [
            {
                "goal": goals.get(item["goal_id"], item["goal_id"]),
                "status": GOAL_STATUSES.get(item["status"], ""),
                "note": item.get("note", ""),
            }
            for item in items or []
        ]
        if record.kind == "closure":
            entry["reason"] = REASONS.get(body.get("reason"), "")
            entry["satisfaction"] = SATISFACTION.get(body.get("satisfaction"), "")
    return entry


def file_of(case: Case, zone_name: str) -> dict:
    """Everything the case file prints, as plain text and SVGs."""
    zone = ZoneInfo(zone_name)
    resident, worker = case.resident, case.worker
    records = list(case.records)
    goals = _goals_named(records)
    entries = [_entry(record, zone, goals) for record in records]
    intake = next((e for e in entries if e["kind"] == "intake"), None)
    register = (intake or {}).get("body", {}).get("register", {})
    return {
        "title": f"个案档案 Case file · {resident.name}",
        "number": str(case.id)[:8],
        "stage": STAGES.get(case.stage, case.stage),
        "source": SOURCES.get(case.source, case.source),
        "source_note": case.source_note,
        "opened": _when(case.opened_at, zone),
        "closed": _when(case.closed_at, zone),
        "archived": _when(case.archived_at, zone),
        "purged": _when(case.purged_at, zone),
        "worker": {
            "name": worker.display_name,
            "unit": register.get("office") or unit_names([case.unit_id]).get(case.unit_id, ""),
            "phone": register.get("worker_phone") or worker.phone or "",
        },
        "client": {
            "name": resident.name,
            "sex": SEXES.get(resident.sex or "", ""),
            "phone": register.get("client_phone") or resident.phone or "",
            "place": register.get("address") or resident.address or resident.room or "",
        },
        "intake": intake,
        "records": [e for e in entries if e["kind"] != "intake"],
    }
