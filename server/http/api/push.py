"""Web Push for supervisors: the server's public key, and the browsers to notify."""

from __future__ import annotations

from flask import Blueprint, current_app, g
from marshmallow import Schema, fields, validate

from server.http.endpoint import endpoint
from server.models.core import MANAGERS
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.tasks import push

bp = Blueprint("push", __name__)

# Base64url, as browsers give a subscription's keys (PushSubscription.toJSON()).
BASE64URL = validate.Regexp(r"^[A-Za-z0-9_-]+={0,2}$", error="Not base64url.")


class PushKeySchema(Schema):
    public_key = fields.String(
        allow_none=True,
        metadata={
            "description": "The VAPID public key, base64url: applicationServerKey; null when "
            "Web Push is not set up"
        },
    )


class SubscriptionKeys(Schema):
    p256dh = fields.String(required=True, validate=[validate.Length(min=1, max=200), BASE64URL])
    auth = fields.String(required=True, validate=[validate.Length(min=1, max=100), BASE64URL])


class SubscriptionIn(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    keys = fields.Nested(SubscriptionKeys, required=True)


class SubscriptionOut(Schema):
    endpoint = fields.String()
    created_at = fields.AwareDateTime()


class UnsubscribeQuery(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=1000))


def _local_endpoints_allowed() -> bool:
    """Plain-HTTP endpoints on this machine: tests and the development server only."""
    return current_app.testing or current_app.debug


@bp.get("/push/key")
@endpoint(
    "The server's VAPID public key to subscribe with; null when push is not set up",
    response=PushKeySchema,
)
def push_key():
    # A 200 either way: push being off is a fact the app shows by hiding its switch, not an
    # error for the browser's console on every visit to Alerts.
    return {"public_key": push.public_key()}


@bp.post("/push/subscriptions")
@endpoint(
    "Notify this browser of urgent follow-up tasks in one's units (Web Push)",
    body=SubscriptionIn,
    response=SubscriptionOut,
    status=201,
    roles=MANAGERS,
    extra_responses={404: "Web Push is not set up on this server"},
)
def subscribe(body):
    if push.public_key() is None:
        raise ApiError(404, "Web Push is not set up on this server.", code="push_off")
    push.check_endpoint(body["endpoint"], _local_endpoints_allowed())
    keys = body["keys"]
    row = push.subscribe(g.user, body["endpoint"], keys["p256dh"], keys["auth"])
    db.session.commit()
    return row


@bp.delete("/push/subscriptions")
@endpoint(
    "Stop notifying this browser (answers 204 whether or not it was subscribed)",
    query=UnsubscribeQuery,
    status=204,
    roles=MANAGERS,
)
def unsubscribe(query):
    push.unsubscribe(g.user, query["endpoint"])
    db.session.commit()
