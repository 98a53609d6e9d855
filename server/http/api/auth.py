"""Login, logout, the current user and device revocation."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, g, request
from sqlalchemy import select

from server.http.endpoint import endpoint
from server.http.fields import OfficeQuery
from server.models import Device
from server.models.core import MANAGERS, ROLES
from server.people import auth
from server.people.access import users_visible_to
from server.people.schemas import DeviceSchema, LoginAnswerSchema, LoginSchema, MeSchema
from server.platform.errors import NotFound
from server.platform.extensions import db

bp = Blueprint("auth", __name__)


def _limits() -> auth.LoginLimits:
    from datetime import timedelta

    config = current_app.config
    return auth.LoginLimits(
        max_per_user=config["LOGIN_MAX_FAILURES_PER_USER"],
        max_per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        window=timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"]),
    )


@bp.post("/auth/login")
@endpoint(
    "Log in on a device and get its bearer token",
    body=LoginSchema,
    response=LoginAnswerSchema,
    public=True,
    extra_responses={401: "Wrong username or password", 429: "Too many failed logins"},
)
def login(body):
    attempt = auth.count_attempt(body["username"], request.remote_addr or "unknown")
    db.session.commit()  # counted before the password is checked: parallel guesses cannot race
    try:
        issued = auth.login(
            attempt,
            body["password"],
            body["device"]["id"],
            body["device"]["name"],
            limits=_limits(),
            token_days=current_app.config["TOKEN_DAYS"],
        )
    except (auth.BadCredentials, auth.TooManyAttempts):
        db.session.commit()  # a failure stays counted; a refused attempt is not kept
        raise
    db.session.commit()
    return {
        "token": issued.token,
        "expires_at": issued.device.expires_at,
        "device_id": issued.device.id,
        "user": issued.device.user,
    }


@bp.post("/auth/logout")
@endpoint("Revoke the caller's token", status=204, roles=ROLES)
def logout():
    auth.revoke_device(g.device)
    db.session.commit()


@bp.get("/me")
@endpoint("The signed-in user", response=MeSchema)
def me():
    return g.user


@bp.get("/devices")
@endpoint(
    "Devices of the people one may see (admins: all; supervisors: their workers)",
    query=OfficeQuery,
    response=DeviceSchema,
    many=True,
    roles=MANAGERS,
)
def list_devices(query):
    people = select(users_visible_to(g.scope).subquery().c.id)
    return db.session.scalars(
        select(Device).where(Device.user_id.in_(people)).order_by(Device.issued_at.desc())
    ).all()


@bp.post("/devices/<uuid:device_id>/revoke")
@endpoint("Revoke a device's token (a lost phone)", response=DeviceSchema, roles=MANAGERS)
def revoke_device(device_id: uuid.UUID):
    people = select(users_visible_to(g.scope).subquery().c.id)
    device = db.session.scalar(
        select(Device).where(Device.id == device_id, Device.user_id.in_(people))
    )
    if device is None:
        raise NotFound("device")
    auth.revoke_device(device)
    db.session.commit()
    return device
