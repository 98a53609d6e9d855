"""The JSON API under /api/v1: one blueprint per resource."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g

from server.people.audit import Actor
from server.platform.extensions import db


def actor() -> Actor:
    return Actor(user=g.user, device_id=g.device.id, scope=g.scope)


def setting(name: str):
    return current_app.config[name]


def page_of(query, page: int, per_page: int) -> dict:
    result = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return {"items": result.items, "page": page, "per_page": per_page, "total": result.total}


def register_api(app: Flask) -> None:
    from server.http.api import (
        activities,
        alerts,
        auth,
        cases,
        conflicts,
        coverage,
        evaluations,
        exports,
        meetings,
        office_rules,
        offices,
        organisations,
        print_styles,
        push,
        qr,
        reception,
        reports,
        residents,
        reviews,
        rollup,
        samples,
        sync,
        targets,
        tasks,
        units,
        users,
        visits,
    )

    api = Blueprint("api", __name__, url_prefix="/api/v1")
    for module in (
        auth,
        organisations,
        units,
        residents,
        users,
        qr,
        sync,
        conflicts,
        visits,
        coverage,
        alerts,
        reports,
        exports,
        tasks,
        cases,
        reviews,
        push,
        meetings,
        targets,
        reception,
        office_rules,
        activities,
        print_styles,
        rollup,
        samples,
        evaluations,
        offices,
    ):
        api.register_blueprint(module.bp)
    app.register_blueprint(api)
