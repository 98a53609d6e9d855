"""The print views' style sheets: files of their own, because the site's policy allows no inline
style (in a page the app opens from a blob too)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, url_for

from server.http.endpoint import endpoint
from server.platform.errors import NotFound

bp = Blueprint("print_styles", __name__)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The print views that take their style from here (the older ones have routes of their own).
SHEETS = ("activity", "evaluation_form", "sample")


def stylesheet_response(path: Path) -> Response:
    response = Response(path.read_text(encoding="utf-8"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def stylesheet_url(name: str) -> str:
    return url_for("api.print_styles.print_style", name=name)


@bp.get("/print-styles/<name>.css")
@endpoint("The print style of a printable page (A4)", public=True, produces="text/css")
def print_style(name: str):
    if name not in SHEETS:
        raise NotFound("style sheet")
    return stylesheet_response(TEMPLATES / f"{name}.css")
