"""The print views take their style from files: the site's policy refuses inline styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.http.printing import SHEETS

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "server" / "templates").glob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_print_view_carries_an_inline_style(template):
    text = template.read_text(encoding="utf-8")
    assert "<style" not in text and " style=" not in text
    assert 'rel="stylesheet" href="{{ stylesheet }}"' in text


@pytest.mark.parametrize("name", SHEETS)
def test_each_print_style_is_served_as_css(client, name):
    answer = client.get(f"/api/v1/print-styles/{name}.css")
    assert answer.status_code == 200 and answer.mimetype == "text/css"
    assert "@page" in answer.get_data(as_text=True)


def test_an_unknown_print_style_is_not_found(client):
    assert client.get("/api/v1/print-styles/nothing.css").status_code == 404
