"""Alerts for supervisors: list, acknowledge with a note, and where the daily digest goes."""

from __future__ import annotations

from flask import Blueprint, g
from marshmallow import Schema, fields, validate

from server.alerts import digest, inbox
from server.http.api import actor, page_of
from server.http.endpoint import endpoint
from server.http.fields import OfficeQuery, Page, PageQuery
from server.models import ALERT_KINDS, Unit
from server.models.core import MANAGERS
from server.platform.extensions import db

bp = Blueprint("alerts", __name__)


class AlertSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(ALERT_KINDS)})
    resident_id = fields.UUID(allow_none=True)
    resident_name = fields.String(attribute="resident.name", allow_none=True)
    unit_id = fields.UUID(allow_none=True)
    worker_id = fields.UUID(allow_none=True)
    worker_name = fields.String(attribute="worker.display_name", allow_none=True)
    device_id = fields.UUID(allow_none=True)
    period = fields.String(allow_none=True)
    detail = fields.Dict(
        metadata={
            "description": "unsynced: last_sync_at; overdue and urgent (a follow-up task): "
            "task_id, title, priority, due_on, assignee_id, assignee_name (and days_overdue)"
        }
    )
    raised_at = fields.AwareDateTime()
    resolved_at = fields.AwareDateTime(allow_none=True)
    acked_at = fields.AwareDateTime(allow_none=True)
    acked_by = fields.UUID(allow_none=True)
    ack_note = fields.String(allow_none=True)


class AlertListQuery(OfficeQuery, PageQuery):
    state = fields.String(load_default="open", validate=validate.OneOf(("open", "resolved", "all")))
    unit_id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(ALERT_KINDS))


class AckSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class DigestAddressSchema(Schema):
    email = fields.Email(required=True, allow_none=True, validate=validate.Length(max=254))


@bp.get("/alerts")
@endpoint(
    "Alerts in one's units, newest first",
    query=AlertListQuery,
    response=Page(AlertSchema),
    roles=MANAGERS,
)
def list_alerts(query):
    if query.get("unit_id") is not None:
        g.scope.get(Unit, query["unit_id"])
    select_ = inbox.filter_alerts(
        inbox.alerts_visible_to(g.scope), query["state"], query.get("unit_id"), query.get("kind")
    )
    return page_of(select_, query["page"], query["per_page"])


@bp.post("/alerts/<int:alert_id>/ack")
@endpoint("Acknowledge an alert, with a note", body=AckSchema, response=AlertSchema, roles=MANAGERS)
def ack_alert(alert_id: int, body):
    alert = inbox.acknowledge(actor(), alert_id, body.get("note"))
    db.session.commit()
    return alert


@bp.get("/alerts/digest-address")
@endpoint(
    "Where one's daily digest e-mail goes (null: none)",
    response=DigestAddressSchema,
    roles=MANAGERS,
)
def get_digest_address():
    return {"email": digest.recipient_address(g.user)}


@bp.put("/alerts/digest-address")
@endpoint(
    "Set or clear where one's daily digest e-mail goes",
    body=DigestAddressSchema,
    response=DigestAddressSchema,
    roles=MANAGERS,
)
def put_digest_address(body):
    digest.set_recipient_address(g.user, body["email"])
    db.session.commit()
    return {"email": digest.recipient_address(g.user)}
