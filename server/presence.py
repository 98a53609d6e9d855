"""Presence signals: how a visit's resident was identified and whether the worker was there.

They are recorded for supervisors and never reject a visit.
"""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import ResidentToken, Visit


def token_status(visit: Visit) -> str | None:
    """current, rotated (valid when the visit was made, replaced since), or not_this_resident."""
    if not visit.qr_token:
        return None
    token = db.session.scalar(select(ResidentToken).where(ResidentToken.token == visit.qr_token))
    if token is None or token.resident_id != visit.resident_id:
        return "not_this_resident"
    if token.valid_from > visit.checked_in_at:
        return "not_this_resident"
    if token.valid_until is None:
        return "current"
    if visit.checked_in_at < token.valid_until:
        return "rotated"
    return "not_this_resident"


def assess_batch(visits: list[Visit]) -> None:
    """Fill each new visit's `presence` before the batch commits."""
    for visit in visits:
        visit.presence = {"identified_by": visit.identified_by, "token": token_status(visit)}
