"""Passwords, device tokens and the login rate limit; nothing here knows about HTTP.

Like all domain code, nothing here commits: the caller (a handler, a command) does.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from server.models import Device, LoginFailure, User, utcnow
from server.platform.errors import ApiError
from server.platform.extensions import db

_hasher = PasswordHasher()
# Tests and benchmarks create many users; a light argon2 keeps them fast while exercising the
# same code. Chosen by the app's PASSWORD_HASH_FAST, which they set and no ROUNDS_* variable can.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Verified when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password")


def hash_password(password: str) -> str:
    fast = current_app.config.get("PASSWORD_HASH_FAST", False)
    return (_fast_hasher if fast else _hasher).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is as safe as a slow KDF and far cheaper."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LoginLimits:
    max_per_user: int
    max_per_address: int
    window: timedelta


@dataclass(frozen=True)
class IssuedToken:
    token: str
    device: Device


class TooManyAttempts(ApiError):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            429,
            f"Too many failed logins. Try again in {minutes} minute(s).",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class BadCredentials(ApiError):
    def __init__(self) -> None:
        super().__init__(401, "The username or password is wrong.",
                         headers={"WWW-Authenticate": "Bearer"})


def _retry_after(limits: LoginLimits, username: str, address: str, now: datetime) -> int | None:
    """Seconds until the oldest counted failure expires, when a limit is reached."""
    since = now - limits.window
    waits = []
    for column, value, limit in (
        (LoginFailure.username, username, limits.max_per_user),
        (LoginFailure.address, address, limits.max_per_address),
    ):
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                column == value, LoginFailure.at > since
            )
        ).one()
        if count >= limit and oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
            waits.append(max(1, math.ceil((oldest + limits.window - now).total_seconds())))
    return max(waits) if waits else None


def login(
    username: str,
    password: str,
    device_id: uuid.UUID,
    device_name: str,
    address: str,
    limits: LoginLimits,
    token_days: int,
) -> IssuedToken:
    """Check the password and issue this device a fresh token (replacing its old one).

    A wrong password adds a counted failure and raises BadCredentials: the caller commits
    before answering, so that the failure counts although the login does not succeed."""
    username = username.strip().lower()
    now = utcnow()
    retry_after = _retry_after(limits, username, address, now)
    if retry_after is not None:
        raise TooManyAttempts(retry_after)
    user = db.session.scalar(select(User).where(User.username == username))
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and valid and user.active):
        db.session.add(LoginFailure(username=username, address=address, at=now))
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - limits.window * 4))
        db.session.flush()
        raise BadCredentials()
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    return issue_token(user, device_id, device_name, token_days, now)


def issue_token(
    user: User, device_id: uuid.UUID, device_name: str, token_days: int, now: datetime
) -> IssuedToken:
    """One token per device: logging in again on a phone replaces its token."""
    token = secrets.token_urlsafe(32)
    device = db.session.get(Device, device_id)
    if device is None:
        device = Device(id=device_id, user_id=user.id)
        db.session.add(device)
    device.user_id = user.id
    device.name = device_name
    device.token_hash = hash_token(token)
    device.issued_at = now
    device.expires_at = now + timedelta(days=token_days)
    device.revoked_at = None
    db.session.flush()
    return IssuedToken(token=token, device=device)


# Every API request asks for its device, the person and their units (their scope): in one
# query, not one for the device and person and another for the units. Built once, with the
# token's hash bound at execution, so its cache key is not worked out again on each request.
_DEVICE_WITH_USER_AND_UNITS = select(Device).options(
    joinedload(Device.user).joinedload(User.units)).where(
    Device.token_hash == bindparam("token_hash"))


def device_for_token(token: str) -> Device | None:
    """The live device holding this token, or None when unknown, revoked, expired or inactive."""
    device = db.session.scalars(_DEVICE_WITH_USER_AND_UNITS,
                                {"token_hash": hash_token(token)}).unique().one_or_none()
    if device is None or not device.is_live(utcnow()) or not device.user.active:
        return None
    return device


def revoke_device(device: Device) -> None:
    device.revoked_at = utcnow()


def revoke_user_devices(user_id: uuid.UUID) -> int:
    """Sign a person out everywhere (a lost phone, a deactivated account)."""
    result = db.session.execute(
        update(Device)
        .where(Device.user_id == user_id, or_(Device.revoked_at.is_(None)))
        .values(revoked_at=utcnow())
    )
    return result.rowcount
