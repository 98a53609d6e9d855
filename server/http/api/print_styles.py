"""The print views' style sheets (server/http/printing.py)."""

from __future__ import annotations

from flask import Blueprint

from server.http.endpoint import endpoint
from server.http.printing import SHEETS, TEMPLATES, stylesheet_response
from server.platform.errors import NotFound

bp = Blueprint("print_styles", __name__)


@bp.get("/print-styles/<name>.css")
@endpoint("The print style of a printable page (A4)", public=True, produces="text/css")
def print_style(name: str):
    if name not in SHEETS:
        raise NotFound("style sheet")
    return stylesheet_response(TEMPLATES / f"{name}.css")
