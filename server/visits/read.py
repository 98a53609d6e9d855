"""Reading visits (with their amendments applied) and voiding them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select

from server.models import Visit, utcnow
from server.people import audit
from server.people.access import Scope
from server.platform.errors import ApiError, Forbidden
from server.reports import day_counts

AMENDABLE = ("observations", "service_given", "follow_up", "feedback")


def visits_query(
    scope: Scope,
    unit_id=None,
    resident_id=None,
    worker_id=None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select:
    query = scope.filter(select(Visit), Visit.unit_id)
    if unit_id is not None:
        query = query.where(Visit.unit_id == unit_id)
    if resident_id is not None:
        query = query.where(Visit.resident_id == resident_id)
    if worker_id is not None:
        query = query.where(Visit.worker_id == worker_id)
    if date_from is not None:
        query = query.where(Visit.visit_date >= date_from)
    if date_to is not None:
        query = query.where(Visit.visit_date <= date_to)
    return query.order_by(Visit.checked_in_at.desc(), Visit.id)


def original_content(visit: Visit) -> dict:
    return {
        "observations": {
            "living": visit.obs_living,
            "emotional": visit.obs_emotional,
            "physical": visit.obs_physical,
            "notes": visit.obs_notes,
        },
        "service_given": visit.service_given,
        "follow_up": visit.follow_up,
        "feedback": visit.feedback,
    }


def current_content(visit: Visit) -> dict:
    """The visit as it reads now: the original with every amendment applied in order."""
    content = original_content(visit)
    for amendment in visit.amendments:
        for name, value in amendment.changes.items():
            if name == "observations":
                content["observations"] = {**content["observations"], **value}
            elif name in AMENDABLE:
                content[name] = value
    return content


def void_visit(actor: audit.Actor, visit: Visit, reason: str) -> Visit:
    """A supervisor's void: the visit stays readable and stops counting."""
    user = actor.user
    if not actor.scope.manages(visit.unit_id):
        raise Forbidden("Only an admin or a supervisor of this unit may void a visit.")
    # Taken out of the report counts first; False when a concurrent void came first.
    if visit.voided_at is not None or not day_counts.voiding(visit):
        raise ApiError(409, "This visit is voided already.")
    visit.voided_at = utcnow()
    visit.voided_by = user.id
    visit.void_reason = reason
    audit.record(
        actor, "void", "visit", visit.id, {"voided": False}, {"voided": True, "reason": reason}
    )
    return visit


def visit_view(visit: Visit) -> dict:
    """The shape the visits API answers (see VisitOutSchema)."""
    content = current_content(visit)
    location = None
    if visit.lat is not None and visit.lon is not None:
        location = {"lat": visit.lat, "lon": visit.lon, "accuracy_m": visit.accuracy_m}
    return {
        "id": visit.id,
        "resident_id": visit.resident_id,
        "resident_name": visit.resident.name,
        "unit_id": visit.unit_id,
        "worker": {"id": visit.worker.id, "display_name": visit.worker.display_name},
        "device_id": visit.device_id,
        "kind": visit.kind,
        "checked_in_at": visit.checked_in_at,
        "checked_out_at": visit.checked_out_at,
        "received_at": visit.received_at,
        "visit_date": visit.visit_date,
        "identified_by": visit.identified_by,
        "location": location,
        **content,
        "satisfaction": visit.satisfaction,
        "signature": {
            "signer": visit.signer,
            "signer_name": visit.signer_name,
            "reason": visit.signer_reason,
            "width": visit.signature_width,
            "height": visit.signature_height,
            "strokes": len(visit.signature_strokes),
            "svg": f"/api/v1/visits/{visit.id}/signature.svg",
        },
        "content_hash": visit.content_hash,
        "presence": visit.presence or {},
        "voided": None
        if visit.voided_at is None
        else {"at": visit.voided_at, "by": visit.voided_by, "reason": visit.void_reason},
        "original": original_content(visit) if visit.amendments else None,
        "amendments": [
            {
                "id": a.id,
                "changes": a.changes,
                "reason": a.reason,
                "created_at": a.created_at,
                "author": {"id": a.author.id, "display_name": a.author.display_name},
            }
            for a in visit.amendments
        ],
    }
