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
        super().__init__(
            401, "The username or password is wrong.", headers={"WWW-Authenticate": "Bearer"}
        )


@dataclass(frozen=True)
class Attempt:
    """A login attempt, counted (and committed by the caller) before its password is checked."""

    id: int
    username: str
    address: str
    at: datetime


def normalise_username(username: str) -> str:
    return username.strip().lower()


def count_attempt(username: str, address: str) -> Attempt:
    """Count a login attempt against the limit; the caller commits before calling login().

    Counting first, in its own committed row, is what makes the limit hold against parallel
    guesses: the k-th attempt to commit sees at least k attempts, so no more than the limit
    ever reach the password check. Checking first and counting a failure afterwards let 40
    parallel guesses get 19 passwords checked against a limit of 5."""
    username, now = normalise_username(username), utcnow()
    row = LoginFailure(username=username, address=address[:64], at=now)
    db.session.add(row)
    db.session.flush()
    return Attempt(row.id, username, row.address, now)


def _retry_after(limits: LoginLimits, attempt: Attempt) -> int | None:
    """Seconds until the oldest counted attempt expires, when this one is over a limit.

    The limits are per account *and* address, and per address: an attacker from one
    address locks only that address out of an account, never its owner on another."""
    now = attempt.at
    since = now - limits.window
    waits = []
    for conditions, limit in (
        (
            (LoginFailure.username == attempt.username, LoginFailure.address == attempt.address),
            limits.max_per_user,
        ),
        ((LoginFailure.address == attempt.address,), limits.max_per_address),
    ):
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                *conditions, LoginFailure.at > since
            )
        ).one()
        if count > limit and oldest is not None:  # this attempt is among those counted
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
            waits.append(max(1, math.ceil((oldest + limits.window - now).total_seconds())))
    return max(waits) if waits else None


def login(
    attempt: Attempt,
    password: str,
    device_id: uuid.UUID,
    device_name: str,
    limits: LoginLimits,
    token_days: int,
) -> IssuedToken:
    """Check the password of a counted attempt and issue this device a fresh token.

    Over a limit: TooManyAttempts, and the attempt is not kept (hammering while locked does
    not lengthen the lock). A wrong password keeps the attempt as a failure and raises
    BadCredentials. Either way the caller commits before answering."""
    retry_after = _retry_after(limits, attempt)
    if retry_after is not None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.id))
        raise TooManyAttempts(retry_after)
    now = attempt.at
    user = db.session.scalar(select(User).where(User.username == attempt.username))
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and valid and user.active):
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - limits.window * 4))
        db.session.flush()
        raise BadCredentials()
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.username == attempt.username, LoginFailure.address == attempt.address
        )
    )
    return issue_token(user, device_id, device_name, token_days, now)


# How many ids derived from the phone's id a login tries before it takes a random one.
_DERIVED_DEVICE_IDS = 8


def _device_ids_for(user: User, device_id: uuid.UUID) -> list[uuid.UUID]:
    """The phone's id, then ids derived from it for this person, one after the other.

    A device id belongs to the person who first registered it. On a phone shared by two
    workers the second gets an id derived from the phone's and their own, the same at each
    login, so each keeps one device row on that phone; a revoked device stays revoked and its
    owner's next login on that phone takes the next id of the chain."""
    ids = [device_id]
    for _ in range(_DERIVED_DEVICE_IDS):
        ids.append(uuid.uuid5(ids[-1], str(user.id)))
    return ids


def _usable_device(user: User, device_id: uuid.UUID) -> tuple[uuid.UUID, Device | None]:
    """The id this login's device gets, and its row when it exists already (never another
    person's device, never a revoked one)."""
    candidates = _device_ids_for(user, device_id)
    held = {
        device.id: device
        for device in db.session.scalars(select(Device).where(Device.id.in_(candidates)))
    }
    for candidate in candidates:
        device = held.get(candidate)
        if device is None:
            return candidate, None
        if device.user_id == user.id and device.revoked_at is None:
            return candidate, device
    return uuid.uuid4(), None


def issue_token(
    user: User, device_id: uuid.UUID, device_name: str, token_days: int, now: datetime
) -> IssuedToken:
    """One token per device: logging in again on a phone replaces its token.

    The device is the phone's own id unless another person holds it or it was revoked: then
    an id of this person's (see _device_ids_for), answered with the token. Nobody's login
    takes over another's device or lifts a revocation."""
    token = secrets.token_urlsafe(32)
    device_id, device = _usable_device(user, device_id)
    if device is None:
        device = Device(id=device_id, user_id=user.id, user=user)
        db.session.add(device)
    device.name = device_name
    device.token_hash = hash_token(token)
    device.issued_at = now
    device.expires_at = now + timedelta(days=token_days)
    db.session.flush()
    return IssuedToken(token=token, device=device)


# Every API request asks for its device, the person and their units (their scope): in one
# query, not one for the device and person and another for the units. Built once, with the
# token's hash bound at execution, so its cache key is not worked out again on each request.
_DEVICE_WITH_USER_AND_UNITS = (
    select(Device)
    .options(joinedload(Device.user).joinedload(User.units))
    .where(Device.token_hash == bindparam("token_hash"))
)


def device_for_token(token: str) -> Device | None:
    """The live device holding this token, or None when unknown, revoked, expired or inactive."""
    device = (
        db.session.scalars(_DEVICE_WITH_USER_AND_UNITS, {"token_hash": hash_token(token)})
        .unique()
        .one_or_none()
    )
    if device is None or not device.is_live(utcnow()) or not device.user.active:
        return None
    return device


def why_refused(token: str) -> str:
    """Why a token opens nothing: device_revoked (the office signed the phone out, or the
    account was closed), session_expired, or unknown_token. Read only after a refusal, so the
    phone can forget what a revoked device holds and keep everything after a mere expiry."""
    device = (
        db.session.scalars(_DEVICE_WITH_USER_AND_UNITS, {"token_hash": hash_token(token)})
        .unique()
        .one_or_none()
    )
    if device is None:
        return "unknown_token"
    if device.revoked_at is not None or not device.user.active:
        return "device_revoked"
    return "session_expired"


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
