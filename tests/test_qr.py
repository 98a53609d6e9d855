"""QR codes: images that decode to the resident's URL, rotation windows, look-up, access."""

import io
import re
import uuid
from datetime import timedelta

import numpy as np
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from server.models import AuditEvent, Resident, ResidentToken
from server.platform.extensions import db
from server.roster import qr

PUBLIC_URL = "https://rounds.example.org"
# The small label's code is 30 mm wide (labels.css): as printed at 300 dpi and shown at 96 dpi.
PRINT_SIZES_PX = (round(30 / 25.4 * 300), round(30 / 25.4 * 96))


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def svg_matrix(svg: str) -> np.ndarray:
    """Rasterise our SVG at one pixel per module: its white square, then each dark run."""
    n = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert f'<rect width="{n}" height="{n}" fill="#fff"/>' in svg
    dark = np.zeros((n, n), dtype=bool)
    path = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", path)
    assert "".join(f"M{x} {y}h{w}v1h-{w2}z" for x, y, w, w2 in runs) == path
    for x, y, width, _ in runs:
        dark[int(y), int(x) : int(x) + int(width)] = True
    return dark


def to_image(dark: np.ndarray, pixels_per_module: int = 10) -> Image.Image:
    grey = np.where(dark, 0, 255).astype(np.uint8)
    return Image.fromarray(np.kron(grey, np.ones((pixels_per_module,) * 2, dtype=np.uint8)))


def png_matrix(image: Image.Image, n: int) -> np.ndarray:
    """Sample a PNG code at each module's centre (the code is centred in the image)."""
    grey = np.asarray(image.convert("L"))
    box = image.width // n
    offset = (image.width - box * n) // 2
    centres = offset + box * np.arange(n) + box // 2
    return grey[np.ix_(centres, centres)] < 128


@pytest.fixture
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL
    return PUBLIC_URL


def test_svg_decodes_to_exactly_the_residents_url(api, admin, resident_a, public_url):
    answer = api.get(f"/residents/{resident_a['id']}/qr.svg", as_=admin)
    assert answer.status_code == 200
    assert answer.mimetype == "image/svg+xml"
    dark = svg_matrix(answer.get_data(as_text=True))
    assert decode(to_image(dark)) == [f"{PUBLIC_URL}/r/{resident_a['qr_token']}"]


def test_png_decodes_and_matches_the_svg_module_for_module(api, admin, resident_a, public_url):
    svg = api.get(f"/residents/{resident_a['id']}/qr.svg", as_=admin).get_data(as_text=True)
    dark = svg_matrix(svg)
    for size in (128, 512, 2048):
        answer = api.get(f"/residents/{resident_a['id']}/qr.png?size={size}", as_=admin)
        assert answer.mimetype == "image/png"
        image = Image.open(io.BytesIO(answer.data))
        assert image.size == (size, size)
        assert decode(image) == [f"{PUBLIC_URL}/r/{resident_a['qr_token']}"]
        assert (png_matrix(image, len(dark)) == dark).all()


def test_code_keeps_its_quiet_zone_and_uses_level_m():
    dark = np.array(qr.module_matrix(f"{PUBLIC_URL}/r/{'x' * 22}"))
    border = qr.QUIET_ZONE
    assert border == 4
    assert not dark[:border].any() and not dark[-border:].any()
    assert not dark[:, :border].any() and not dark[:, -border:].any()
    result = zxingcpp.read_barcodes(to_image(dark))[0]
    assert result.ec_level == "M"


@pytest.mark.parametrize("pixels", PRINT_SIZES_PX)
def test_print_size_render_still_decodes(api, admin, resident_a, public_url, pixels):
    svg = api.get(f"/residents/{resident_a['id']}/qr.svg", as_=admin).get_data(as_text=True)
    sharp = to_image(svg_matrix(svg), 20)
    # Area-averaged down to the label's size: modules no longer fall on whole pixels.
    small = sharp.resize((pixels, pixels), Image.Resampling.BOX)
    assert decode(small) == [f"{PUBLIC_URL}/r/{resident_a['qr_token']}"]


def test_without_a_public_url_the_code_holds_the_requests_host(api, admin, resident_a):
    answer = api.get(f"/residents/{resident_a['id']}/qr.png", as_=admin)
    image = Image.open(io.BytesIO(answer.data))
    assert image.size == (512, 512)
    assert decode(image) == [f"http://localhost/r/{resident_a['qr_token']}"]


def test_png_size_is_bounded(api, admin, resident_a):
    for size in (10, 5000, "big"):
        answer = api.get(f"/residents/{resident_a['id']}/qr.png?size={size}", as_=admin)
        assert answer.status_code == 422
        assert "size" in answer.json["errors"]


def test_images_follow_the_residents_access_rules(
    api, admin, supervisor_a, worker_a, worker_b, resident_a
):
    for kind in ("svg", "png"):
        path = f"/residents/{resident_a['id']}/qr.{kind}"
        assert api.get(path, as_=admin).status_code == 200
        assert api.get(path, as_=supervisor_a).status_code == 200
        assert api.get(path, as_=worker_a).status_code == 200
        assert api.get(path, as_=worker_b).status_code == 404
        assert api.get(path).status_code == 401
        assert "private" in api.get(path, as_=worker_a).headers["Cache-Control"]


def test_rotation_issues_a_new_token_and_closes_the_old_window(api, admin, resident_a):
    old = resident_a["qr_token"]
    seq_before = db.session.get(Resident, uuid.UUID(resident_a["id"])).change_seq
    db.session.expire_all()
    answer = api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin)
    assert answer.status_code == 200
    new = answer.json["qr_token"]
    assert new != old and len(new) >= 22
    assert answer.json["id"] == resident_a["id"] and answer.json["name"] == resident_a["name"]

    resident = db.session.get(Resident, uuid.UUID(resident_a["id"]))
    assert resident.qr_token == new
    assert resident.change_seq > seq_before
    old_row, new_row = db.session.get(ResidentToken, old), db.session.get(ResidentToken, new)
    assert old_row.valid_until is not None and new_row.valid_until is None
    assert new_row.valid_from == old_row.valid_until
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rotate_qr")).one()
    assert event.entity_id == resident_a["id"] and event.user_id == admin.user.id
    assert event.after == {"qr_token": new}


def test_old_label_verifies_visits_made_before_rotation_only(api, app, admin, resident_a):
    from server.visits.presence import token_status

    api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin)
    old = db.session.get(ResidentToken, resident_a["qr_token"])
    rotated_at = old.valid_until

    class Scan:
        def __init__(self, token, at):
            self.qr_token, self.checked_in_at = token.token, at
            self.resident_id = token.resident_id

    before = old.valid_from + (rotated_at - old.valid_from) / 2
    assert token_status(Scan(old, before), old) == "rotated"
    assert token_status(Scan(old, rotated_at), old) == "not_this_resident"
    assert token_status(Scan(old, rotated_at + timedelta(minutes=1)), old) == "not_this_resident"


def test_rotating_twice_leaves_one_open_window(api, admin, resident_a):
    for _ in range(2):
        assert api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin).status_code == 200
    rows = db.session.scalars(
        select(ResidentToken).where(ResidentToken.resident_id == uuid.UUID(resident_a["id"]))
    ).all()
    assert len(rows) == 3
    assert sum(row.valid_until is None for row in rows) == 1


def test_who_may_rotate(api, admin, supervisor_a, worker_a, resident_a, resident_b):
    assert api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=worker_a).status_code == 403
    assert api.post(f"/residents/{resident_b['id']}/qr/rotate", as_=supervisor_a).status_code == 404
    assert api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=supervisor_a).status_code == 200
    assert api.post(f"/residents/{resident_b['id']}/qr/rotate", as_=admin).status_code == 200
    assert api.post(f"/residents/{resident_b['id']}/qr/rotate").status_code == 401


def lookup(api, person, token):
    answer = api.get("/qr/lookup", query_string={"token": token}, as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_lookup_of_a_current_code_names_the_resident(api, worker_a, resident_a):
    token = resident_a["qr_token"]
    expected = {"status": "current", "resident_id": resident_a["id"]}
    assert lookup(api, worker_a, token) == expected
    assert lookup(api, worker_a, f"https://anywhere.example/r/{token}") == expected
    assert lookup(api, worker_a, f" {PUBLIC_URL}/r/{token}/ ") == expected


def test_lookup_of_another_units_code_names_no_one(api, worker_b, admin, resident_a):
    assert lookup(api, worker_b, resident_a["qr_token"]) == {
        "status": "other_unit",
        "resident_id": None,
    }
    assert lookup(api, admin, resident_a["qr_token"])["status"] == "current"


def test_lookup_of_a_rotated_or_unknown_code(api, admin, supervisor_a, worker_a, resident_a):
    api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin)
    for person in (worker_a, supervisor_a, admin):
        assert lookup(api, person, resident_a["qr_token"]) == {
            "status": "rotated",
            "resident_id": None,
        }
    for text in (
        "not-a-token",
        f"{PUBLIC_URL}/r/",
        "https://example.com/other",
        "a b",
        "'; drop table residents; --",
        "x" * 300,
    ):
        assert lookup(api, worker_a, text) == {"status": "unknown", "resident_id": None}


def test_lookup_needs_a_signed_in_user_and_a_token(api, worker_a, resident_a):
    assert api.get(f"/qr/lookup?token={resident_a['qr_token']}").status_code == 401
    answer = api.get("/qr/lookup", as_=worker_a)
    assert answer.status_code == 422 and "token" in answer.json["errors"]


def test_qr_landing_page_is_the_same_for_rotated_valid_and_unknown_tokens(
    app, client, api, admin, resident_a, tmp_path
):
    (tmp_path / "index.html").write_text("<!doctype html><title>Rounds</title>")
    app.config["PWA_DIST"] = str(tmp_path)
    api.post(f"/residents/{resident_a['id']}/qr/rotate", as_=admin)
    current = db.session.get(Resident, uuid.UUID(resident_a["id"])).qr_token
    pages = {
        client.get(f"/r/{token}").data
        for token in (current, resident_a["qr_token"], "unknown-token")
    }
    assert len(pages) == 1
    assert resident_a["name"].encode() not in pages.pop()
