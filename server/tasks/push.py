"""Web Push: a supervisor's browsers are told of a new urgent task in their units within
minutes, even with the app closed.

A browser subscribes (`POST /api/v1/push/subscriptions`) with the endpoint its push service
gave it and the keys to encrypt for it; a message is encrypted (aes128gcm, RFC 8291) and
signed with the institution's VAPID key (RFC 8292) by pywebpush. Without ROUNDS_VAPID_PRIVATE_KEY
and ROUNDS_VAPID_SUBJECT nothing is sent and `public_key()` is None (the app hides the switch).

A push service that answers 404 or 410 has forgotten the subscription: it is deleted. Any other
failure is counted on the subscription and logged, and never stops the job that sends.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select

from server.models import PushSubscription, User, user_units, utcnow
from server.models.core import SUPERVISOR
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.tasks.escalation import UrgentNotice

log = logging.getLogger(__name__)

# A push service that takes longer than this is counted as a failure: the job goes on.
SEND_TIMEOUT_SECONDS = 10
# How long a push service keeps an undelivered message for a browser that is offline.
TTL_SECONDS = 12 * 3600
GONE = (404, 410)
LOCAL_HOSTS = ("127.0.0.1",)
SUBJECT_SCHEMES = ("mailto:", "https://")


@dataclass(frozen=True)
class VapidSettings:
    private_key: str
    public_key: str
    subject: str


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _public_key_of(vapid: Vapid02) -> str:
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(raw)


def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair, (private, public), each base64url as the settings take them."""
    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(private), _public_key_of(vapid)


def vapid_settings() -> VapidSettings | None:
    """The VAPID_* settings (server/platform/config.py); None when push is off, or when they
    cannot sign (logged: a bad key must not fail the jobs that push)."""
    config = current_app.config
    private, subject = config.get("VAPID_PRIVATE_KEY"), config.get("VAPID_SUBJECT")
    if not private or not subject:
        return None
    if not subject.startswith(SUBJECT_SCHEMES):
        log.error("ROUNDS_VAPID_SUBJECT must start with mailto: or https://: push is off")
        return None
    try:
        derived = _public_key_of(Vapid02.from_string(private))
    except Exception:  # py_vapid raises whatever its parsing meets
        log.error("ROUNDS_VAPID_PRIVATE_KEY is not a VAPID private key: push is off")
        return None
    public = config.get("VAPID_PUBLIC_KEY") or derived
    if public != derived:
        log.error("ROUNDS_VAPID_PUBLIC_KEY does not match the private key: push is off")
        return None
    return VapidSettings(private, public, subject)


def public_key() -> str | None:
    """The key a browser subscribes with (applicationServerKey), or None when push is off."""
    settings = vapid_settings()
    return None if settings is None else settings.public_key


def check_endpoint(endpoint: str, allow_local: bool) -> None:
    """Push services are reached over HTTPS; plain HTTP only to this machine in development
    and tests, so a subscription can never make the server call an arbitrary address."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return
    if allow_local and parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return
    raise ApiError(
        422,
        "A push endpoint must be an https:// address.",
        errors={"endpoint": ["must be an https:// address"]},
    )


def subscribe(user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep this browser's subscription for the person; an endpoint already known (the same
    browser, or another person signing in on it) is taken over with its new keys."""
    row = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth)
        db.session.add(row)
    else:
        row.user_id, row.p256dh, row.auth, row.failures = user.id, p256dh, auth, 0
    db.session.flush()
    return row


def unsubscribe(user: User, endpoint: str) -> bool:
    """Forget one of the person's subscriptions; whether there was one."""
    result = db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint
        )
    )
    return bool(result.rowcount)


def _supervisors_by_unit(unit_ids: set[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    rows = db.session.execute(
        select(user_units.c.unit_id, User.id)
        .join(User, User.id == user_units.c.user_id)
        .where(
            user_units.c.unit_id.in_(unit_ids),
            User.role == SUPERVISOR,
            User.active.is_(True),
        )
    ).all()
    supervisors: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for unit_id, user_id in rows:
        supervisors[unit_id].add(user_id)
    return supervisors


def payload_of(notice: UrgentNotice) -> str:
    """What the service worker shows: a title, a line, and the task's page to open."""
    return json.dumps(
        {
            "title": f"Urgent follow-up 紧急跟进任务: {notice.resident_name}",
            "body": notice.title,
            "url": f"/#/tasks/{notice.task_id}",
            "task_id": str(notice.task_id),
        },
        ensure_ascii=False,
    )


def _send_one(subscription: PushSubscription, data: str, settings: VapidSettings) -> str:
    """Send one message; 'sent', 'gone' (the subscription is deleted) or 'failed'."""
    try:
        webpush(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data,
            vapid_private_key=settings.private_key,
            vapid_claims={"sub": settings.subject},
            timeout=SEND_TIMEOUT_SECONDS,
            ttl=TTL_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE:
            db.session.delete(subscription)
            return "gone"
        return _failed(subscription, f"push service answered {status}")
    except (requests.RequestException, ValueError, TypeError) as error:
        # Unreachable, timed out, or keys the browser sent that do not encrypt.
        return _failed(subscription, type(error).__name__)
    subscription.last_sent_at, subscription.failures = utcnow(), 0
    return "sent"


def _failed(subscription: PushSubscription, reason: str) -> str:
    subscription.failures += 1
    subscription.detail = {**(subscription.detail or {}), "last_error": reason}
    log.warning(
        "push to subscription %s failed (%s); %d failures",
        subscription.id,
        reason,
        subscription.failures,
    )
    return "failed"


def push_urgent(notices: list[UrgentNotice]) -> dict:
    """Send each new urgent task to every subscription of its unit's supervisors. Flushes
    the subscriptions' marks; never raises for a push service's failure."""
    counts = {"sent": 0, "gone": 0, "failed": 0}
    settings = vapid_settings()
    if settings is None or not notices:
        return {**counts, "skipped": settings is None and bool(notices)}
    supervisors = _supervisors_by_unit({notice.unit_id for notice in notices})
    for notice in notices:
        user_ids = supervisors.get(notice.unit_id)
        if not user_ids:
            continue
        subscriptions = db.session.scalars(
            select(PushSubscription).where(PushSubscription.user_id.in_(user_ids))
        ).all()
        data = payload_of(notice)
        for subscription in subscriptions:
            counts[_send_one(subscription, data, settings)] += 1
        db.session.flush()
    return counts
