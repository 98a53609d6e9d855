"""The office's monthly rules (activities, reception days), judged like coverage, for the
coverage board's strip (docs/office-rules.md)."""

from __future__ import annotations

from flask import Blueprint, g

from server.coverage.periods import Period
from server.http.api import setting
from server.http.endpoint import endpoint
from server.models.core import MANAGERS
from server.platform.clock import today_in
from server.supervision.office_rules import office_rules
from server.supervision.reception_schemas import OfficeRulesQuery, OfficeRulesSchema
from server.targets.settings import current_targets

bp = Blueprint("office_rules", __name__)


@bp.get("/coverage/office")
@endpoint(
    "The office's monthly rules for a month (default: this month): distinct days with an "
    "activity and with a reception day, against the targets",
    query=OfficeRulesQuery,
    response=OfficeRulesSchema,
    roles=MANAGERS,
)
def office(query):
    today = today_in(setting("TIMEZONE"))
    month = Period.parse(query["month"]) if query["month"] else Period.of("month", today)
    return office_rules(g.scope, query["unit_id"], month, today, current_targets())
