"""Label sheets: which residents, how many per A4 sheet, codes that decode, access and CSP."""

import re

import pytest
import zxingcpp

from server.http.api.qr import LABELS_CSS
from tests.conftest import add_resident
from tests.test_qr import svg_matrix, to_image


def labels(html: str) -> list[dict]:
    """Each label on the page: its name, unit, place and the URL its inline code decodes to."""
    found = []
    for block in re.findall(r'<article class="label">(.*?)</article>', html, re.S):
        svg = re.search(r"<svg.*?</svg>", block, re.S).group(0)
        decoded = [r.text for r in zxingcpp.read_barcodes(to_image(svg_matrix(svg)))]
        text = dict(re.findall(r'<p class="(name|unit|place)">(.*?)</p>', block))
        found.append({**text, "url": decoded[0] if decoded else None})
    return found


def sheets(html: str) -> list[int]:
    """How many labels each sheet holds."""
    parts = html.split('<section class="sheet"')[1:]
    return [part.count('<article class="label">') for part in parts]


@pytest.fixture
def ward_of_25(api, admin, ward_a):
    return [
        add_resident(api, admin, ward_a, name=f"Resident {n:02}", room=f"{100 + n}")
        for n in range(25)
    ]


def test_unit_sheet_small_labels_three_by_eight(api, app, admin, ward_a, ward_of_25):
    app.config["PUBLIC_URL"] = "https://rounds.example.org"
    answer = api.get(f"/labels?unit_id={ward_a.id}", as_=admin)
    assert answer.status_code == 200
    assert answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    assert sheets(html) == [24, 1]
    assert 'class="layout-small"' in html
    printed = labels(html)
    assert [label["name"] for label in printed] == [r["name"] for r in ward_of_25]
    assert printed[0] == {
        "name": "Resident 00",
        "unit": "Ward A 甲病区",
        "place": "100",
        "url": f"https://rounds.example.org/r/{ward_of_25[0]['qr_token']}",
    }
    assert all(
        label["url"].endswith(r["qr_token"]) for label, r in zip(printed, ward_of_25, strict=True)
    )


def test_large_cards_two_by_two_show_the_village_for_home_visits(api, admin):
    from server.people.audit import SYSTEM
    from server.platform.extensions import db
    from server.roster.units import create_unit

    village = create_unit(SYSTEM, "Dongcun 东村", "area")
    db.session.commit()
    for n in range(5):
        add_resident(api, admin, village, name=f"Client {n}", room=None, address=f"东村 {n} 号")
    html = api.get(f"/labels?unit_id={village.id}&layout=large", as_=admin).get_data(as_text=True)
    assert 'class="layout-large"' in html
    assert sheets(html) == [4, 1]
    assert labels(html)[2]["place"] == "东村 2 号"


def test_chosen_residents_across_units(api, admin, resident_a, resident_b):
    answer = api.get(
        f"/labels?resident_id={resident_a['id']}&resident_id={resident_b['id']}"
        f"&resident_id={resident_a['id']}",
        as_=admin,
    )
    assert answer.status_code == 200
    assert sorted(label["name"] for label in labels(answer.get_data(as_text=True))) == sorted(
        [resident_a["name"], resident_b["name"]]
    )


def test_unit_sheet_leaves_out_residents_who_left(api, admin, ward_a, resident_a):
    gone = add_resident(api, admin, ward_a, name="Discharged")
    api.patch(f"/residents/{gone['id']}", json={"status": "discharged"}, as_=admin)
    html = api.get(f"/labels?unit_id={ward_a.id}", as_=admin).get_data(as_text=True)
    assert [label["name"] for label in labels(html)] == [resident_a["name"]]


def test_names_are_escaped(api, admin, ward_a):
    add_resident(api, admin, ward_a, name="<b>Bobby</b>")
    html = api.get(f"/labels?unit_id={ward_a.id}", as_=admin).get_data(as_text=True)
    assert "<b>Bobby" not in html and "&lt;b&gt;Bobby" in html


def test_who_may_print_which_sheets(
    api, admin, supervisor_a, worker_a, worker_b, ward_a, ward_b, resident_a, resident_b
):
    def status(person, query):
        return api.get(f"/labels?{query}", as_=person).status_code

    assert status(admin, f"unit_id={ward_b.id}") == 200
    assert status(supervisor_a, f"unit_id={ward_a.id}") == 200
    assert status(supervisor_a, f"unit_id={ward_b.id}") == 404
    assert status(worker_a, f"unit_id={ward_a.id}") == 200
    assert status(worker_a, f"resident_id={resident_a['id']}") == 200
    assert status(worker_a, f"unit_id={ward_b.id}") == 404
    assert status(worker_a, f"resident_id={resident_b['id']}") == 404
    assert status(worker_a, f"resident_id={resident_a['id']}&resident_id={resident_b['id']}") == 404
    assert status(worker_b, f"unit_id={ward_a.id}") == 404
    assert api.get(f"/labels?unit_id={ward_a.id}").status_code == 401


def test_bad_sheet_requests(api, admin, ward_a):
    assert api.get("/labels", as_=admin).status_code == 422
    assert api.get(f"/labels?unit_id={ward_a.id}&layout=huge", as_=admin).status_code == 422
    answer = api.get(f"/labels?resident_id={ward_a.id}&resident_id=nope", as_=admin)
    assert answer.status_code == 422 and "resident_id" in answer.json["errors"]


def test_page_obeys_the_content_security_policy(api, admin, ward_a, resident_a):
    answer = api.get(f"/labels?unit_id={ward_a.id}", as_=admin)
    csp = answer.headers["Content-Security-Policy"]
    assert "style-src 'self'" in csp
    html = answer.get_data(as_text=True)
    assert "<style" not in html and "style=" not in html and "<script" not in html
    link = re.search(r'<link rel="stylesheet" href="([^"]+)">', html).group(1)
    assert link == "/api/v1/labels.css"  # relative: the Host header chooses nothing
    css = api.get("/labels.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert css.get_data(as_text=True) == LABELS_CSS.read_text(encoding="utf-8")


def test_print_css_sizes_a4_sheets_in_millimetres():
    css = LABELS_CSS.read_text(encoding="utf-8")
    assert re.search(r"@page\s*{\s*size: A4;", css)
    assert "break-after: page" in css
    assert "grid-template-columns: repeat(3, 63.5mm)" in css
    assert "grid-template-rows: repeat(8, 33.9mm)" in css
    assert "grid-template-columns: repeat(2, 105mm)" in css
    # The small grid fits the page: 3 x 63.5 + 2 x 2.5 + 2 x 7.25 = 210; 8 x 33.9 + 2 x 12.9 = 297.
    assert "padding: 12.9mm 7.25mm 12.8mm" in css
