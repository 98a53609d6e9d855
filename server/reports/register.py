"""The printable visit register: the service register form (老年服务工作登记表), one page per
visit, with the resident's signature drawn from its strokes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from server.models import Resident, User, Visit
from server.people.access import Scope
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.reports.scope import in_range, in_scope, short_id, unit_names
from server.reviews.read import latest_reviews, state_of
from server.visits.read import current_content
from server.visits.signatures import to_svg

TITLE = "老年服务工作登记表 Service register"
# A range prints at most this many pages; beyond it the supervisor narrows the range.
MAX_PAGES = 1000
BATCH = 200
# What a page prints of the resident and the worker: not their unit, nor the worker's units.
PAGE_LOADS = (
    joinedload(Visit.resident).lazyload(Resident.unit),
    joinedload(Visit.worker).lazyload(User.units),
)

SEXES = {"female": "女 Female", "male": "男 Male", "other": "其他 Other"}
KINDS = {"round": "巡视 Round", "home_visit": "上门探访 Home visit"}
OBSERVATIONS = (
    ("living", "生活状况", "Living conditions"),
    ("emotional", "情绪", "Emotional"),
    ("physical", "身体状况", "Physical"),
)
VALUES = {"ok": "正常 OK", "concern": "有问题 Concern"}
REVIEW_STATES = {
    "unreviewed": "未审核 Not reviewed",
    "approved": "已通过 Approved",
    "returned": "已退回 Returned",
    "answered": "已回复待审 Answered, waiting for review",
}
RATINGS = (
    ("satisfied", "满意", "Satisfied"),
    ("basically_satisfied", "基本满意", "Basically satisfied"),
    ("unsatisfied", "不满意", "Unsatisfied"),
)


def one_visit(scope: Scope, visit_id: uuid.UUID) -> Visit:
    return scope.get(Visit, visit_id)


def _time(value: datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(zone).strftime("%H:%M")


def review_line(review, zone: ZoneInfo) -> dict:
    """What a page prints of the visit's latest review: its state and who reviewed it."""
    return {
        "state": state_of(review),
        "label": REVIEW_STATES[state_of(review)],
        "reviewer": review.reviewer.display_name if review is not None else "",
        "at": review.reviewed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if review else "",
    }


def page(
    visit: Visit, zone_name: str, units: dict | None = None, reviews: dict | None = None
) -> dict:
    """Everything one register page prints, as plain text and one SVG."""
    zone = ZoneInfo(zone_name)
    units = units if units is not None else unit_names([visit.unit_id])
    reviews = reviews if reviews is not None else latest_reviews("visit", [visit.id])
    content = current_content(visit)
    resident, worker = visit.resident, visit.worker
    unit = units.get(visit.unit_id, "")
    place = resident.address or " ".join(part for part in (unit, resident.room) if part)
    signature = None
    if visit.signer != "none" and visit.signature_strokes:
        signature = to_svg(
            visit.signature_strokes,
            visit.signature_width,
            visit.signature_height,
            title=f"服务对象签名 Client's signature {short_id(visit.id)}",
        )
    return {
        "number": short_id(visit.id),
        "visit_id": str(visit.id),
        "date": visit.visit_date.isoformat(),
        "time": "-".join(
            t for t in (_time(visit.checked_in_at, zone), _time(visit.checked_out_at, zone)) if t
        ),
        "kind": KINDS.get(visit.kind, visit.kind),
        "worker": {"name": worker.display_name, "unit": unit, "phone": worker.phone or ""},
        "client": {
            "name": resident.name,
            "sex": SEXES.get(resident.sex or "", ""),
            "phone": resident.phone or "",
            "place": place,
        },
        "observations": [
            {
                "zh": zh,
                "en": en,
                "value": content["observations"][name],
                "label": VALUES.get(content["observations"][name], ""),
            }
            for name, zh, en in OBSERVATIONS
        ],
        "notes": content["observations"]["notes"],
        "service_given": content["service_given"],
        "follow_up": content["follow_up"],
        "ratings": [
            {"value": value, "zh": zh, "en": en, "chosen": visit.satisfaction == value}
            for value, zh, en in RATINGS
        ],
        "rated": visit.satisfaction is not None,
        "feedback": content["feedback"],
        "signer": visit.signer,
        "signer_name": visit.signer_name or "",
        "signer_reason": visit.signer_reason or "",
        "signature_svg": signature,
        "amendments": [a.reason for a in visit.amendments],
        "review": review_line(reviews.get(visit.id), zone),
        "voided": None
        if visit.voided_at is None
        else {
            "at": visit.voided_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "reason": visit.void_reason or "",
        },
    }


def pages(units, date_from, date_to, zone_name: str) -> Iterator[dict]:
    """The pages of a date range, oldest first; 422 beyond MAX_PAGES (counted first)."""
    where = in_range(in_scope(select(Visit.id), units), date_from, date_to)
    count = db.session.scalar(select(func.count()).select_from(where.subquery()))
    if count > MAX_PAGES:
        raise ApiError(
            422,
            f"{count} visits in this range: print at most {MAX_PAGES} at "
            "once. Choose a shorter range or fewer units.",
        )
    query = (
        in_range(in_scope(select(Visit), units), date_from, date_to)
        .order_by(Visit.checked_in_at, Visit.id)
        .execution_options(yield_per=BATCH)
        .options(*PAGE_LOADS)
    )

    def generate() -> Iterator[dict]:
        names: dict = {}
        for partition in db.session.execute(query).scalars().partitions():
            names.update(unit_names({v.unit_id for v in partition} - set(names)))
            reviews = latest_reviews("visit", [v.id for v in partition])
            for visit in partition:
                yield page(visit, zone_name, names, reviews)

    return generate()
