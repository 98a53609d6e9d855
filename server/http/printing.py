"""The print views' style sheets: files of their own beside their templates, because the site's
policy allows no inline style (in a page the app opens from a blob too)."""

from __future__ import annotations

from pathlib import Path

from flask import Response, url_for

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# The print views served by `GET /api/v1/print-styles/<name>.css` (the older ones have routes
# of their own, which answer through `stylesheet_response` too).
SHEETS = ("activity", "evaluation_form", "sample")


def stylesheet_response(path: Path) -> Response:
    response = Response(path.read_text(encoding="utf-8"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def stylesheet_url(name: str) -> str:
    return url_for("api.print_styles.print_style", name=name)
