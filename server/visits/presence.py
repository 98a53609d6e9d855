"""Presence signals: how a visit's resident was identified and whether the worker was there.

A printed code identifies the resident; it does not prove the worker stood there (a photo of
a label scans anywhere). So each new visit gets signals a supervisor can read, and none of
them ever rejects a visit. Stored on Visit.presence at receipt, never recomputed:

    {"identified_by": "qr" | "manual",
     "token": "current" | "rotated" | "not_this_resident" | None,   # None: no token sent
     "distance_m": int | None,   # home visits: visit location to the resident's home
     "burst": bool}              # part of a run of check-ins too fast to be real visits
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import bindparam, select

from server.models import Resident, ResidentToken, Visit
from server.platform.extensions import db

# A burst: one worker checking in with at least BURST_RESIDENTS distinct residents within
# BURST_WINDOW. Real rounds take minutes per resident; five in a minute is a list ticked off
# (or labels photographed and scanned in a row), not five people seen.
BURST_RESIDENTS = 5
BURST_WINDOW = timedelta(seconds=60)
# A label cannot be scanned before it exists, so a check-in shortly before a token's window
# opens is a phone clock running behind (a new resident's first round, a freshly rotated
# label), not a forged scan. The end of a window gets no such grace: it is what rotation is for.
CLOCK_GRACE = timedelta(minutes=10)
EARTH_RADIUS_M = 6_371_008.8  # the mean radius: metres of error are far below GPS accuracy


def token_status(visit: Visit, token: ResidentToken | None) -> str | None:
    """current, rotated (valid when the visit was made, replaced since), or not_this_resident."""
    if not visit.qr_token:
        return None
    if token is None or token.resident_id != visit.resident_id:
        return "not_this_resident"
    if visit.checked_in_at < token.valid_from - CLOCK_GRACE:
        return "not_this_resident"
    if token.valid_until is None:
        return "current"
    if visit.checked_in_at < token.valid_until:
        return "rotated"
    return "not_this_resident"


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _home_distance(visit: Visit, homes: dict[uuid.UUID, tuple]) -> int | None:
    home = homes.get(visit.resident_id)
    if visit.kind != "home_visit" or visit.lat is None or visit.lon is None or home is None:
        return None
    if home[0] is None or home[1] is None:
        return None
    return round(distance_m(visit.lat, visit.lon, home[0], home[1]))


def burst_members(checkins: list[tuple]) -> set:
    """The ids of check-ins, (id, resident_id, checked_in_at), that fall in a burst window."""
    checkins = sorted(checkins, key=lambda item: item[2])
    members: set = set()
    end = 0
    for start, (_, _, started_at) in enumerate(checkins):
        end = max(end, start)
        while end < len(checkins) and checkins[end][2] - started_at <= BURST_WINDOW:
            end += 1
        window = checkins[start:end]
        if len({resident_id for _, resident_id, _ in window}) >= BURST_RESIDENTS:
            members.update(visit_id for visit_id, _, _ in window)
    return members


# A worker's stored check-ins around a batch (ix_visits_worker_id_checked_in_at serves it; the
# batch itself is added from memory). Every push runs it: built once (docs/sync.md).
_visits = Visit.__table__
_WORKER_CHECKINS = select(_visits.c.id, _visits.c.resident_id, _visits.c.checked_in_at).where(
    _visits.c.worker_id == bindparam("worker"),
    _visits.c.checked_in_at.between(bindparam("first"), bindparam("last")),
)


def _bursts(visits: list[Visit]) -> set:
    """Ids of the new visits in a burst, counting the worker's stored visits around them."""
    by_worker: dict[uuid.UUID, list[Visit]] = defaultdict(list)
    for visit in visits:
        by_worker[visit.worker_id].append(visit)
    members: set = set()
    for worker_id, new in by_worker.items():
        first = min(v.checked_in_at for v in new) - BURST_WINDOW
        last = max(v.checked_in_at for v in new) + BURST_WINDOW
        stored = db.session.execute(
            _WORKER_CHECKINS, {"worker": worker_id, "first": first, "last": last}
        ).all()
        checkins = {row[0]: tuple(row) for row in stored}
        checkins.update((v.id, (v.id, v.resident_id, v.checked_in_at)) for v in new)
        members |= burst_members(list(checkins.values()))
    return members


def assess_batch(visits: list[Visit]) -> None:
    """Fill each new visit's `presence` before the batch commits (a few queries per batch)."""
    if not visits:
        return
    sent = {v.qr_token for v in visits if v.qr_token}
    tokens = (
        {
            t.token: t
            for t in db.session.scalars(select(ResidentToken).where(ResidentToken.token.in_(sent)))
        }
        if sent
        else {}
    )
    home_ids = {v.resident_id for v in visits if v.kind == "home_visit" and v.lat is not None}
    homes = (
        {
            row[0]: (row[1], row[2])
            for row in db.session.execute(
                select(Resident.id, Resident.home_lat, Resident.home_lon).where(
                    Resident.id.in_(home_ids)
                )
            )
        }
        if home_ids
        else {}
    )
    in_burst = _bursts(visits)
    for visit in visits:
        visit.presence = {
            "identified_by": visit.identified_by,
            "token": token_status(visit, tokens.get(visit.qr_token)),
            "distance_m": _home_distance(visit, homes),
            "burst": visit.id in in_burst,
        }
