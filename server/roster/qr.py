"""Residents' QR codes: the URL they hold, their images, rotation, look-up and label sheets.

A code holds `<public URL>/r/<token>`: an opaque random token and nothing personal. Callers
pass the base URL in (the setting, or the request's host), so nothing here reads a request.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import select, update

from server.models import Resident, ResidentToken, Unit
from server.people import audit
from server.people.access import Scope
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.roster.changes import next_change_number
from server.roster.residents import new_qr_token

# M restores 15% of a damaged code. At a fixed label size it keeps modules ~10% larger than Q,
# which matters more for a phone at arm's length in poor light than Q's extra damage tolerance.
ERROR_CORRECTION = ERROR_CORRECT_M
# The quiet zone the QR standard asks for, in modules: part of every image, never cropped.
QUIET_ZONE = 4
# A token as new_qr_token() makes it (base64url); anything else cannot be one of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
_IN_URL = re.compile(r"/r/([^/?#]+)/?(?:[?#].*)?$")


def code_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/r/{token}"


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code


def module_matrix(data: str) -> list[list[bool]]:
    """The code's modules, quiet zone included: True is dark."""
    return _code(data).get_matrix()


def svg(data: str) -> str:
    """A crisp SVG: one path of dark runs on a white square, one user unit per module.

    No XML prolog, so the same text works as a file and inline in a label sheet; its default
    size (8 px a module) is overridden by CSS where it is printed.
    """
    matrix = module_matrix(data)
    n = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{n * 8}" '
        f'height="{n * 8}" shape-rendering="crispEdges" role="img" aria-label="QR code">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def png(data: str, size: int) -> bytes:
    """A PNG of `size` pixels a side (more if the code needs it): whole pixels per module."""
    code = _code(data)
    code.box_size = max(1, size // (code.modules_count + 2 * QUIET_ZONE))
    rendered = code.make_image().get_image().convert("L")
    side = max(size, rendered.width)
    if side != rendered.width:
        # Pad with white: the quiet zone only grows.
        canvas = Image.new("L", (side, side), 255)
        offset = (side - rendered.width) // 2
        canvas.paste(rendered, (offset, offset))
        rendered = canvas
    out = io.BytesIO()
    rendered.save(out, format="PNG", optimize=True)
    return out.getvalue()


def parse_token(text: str) -> str | None:
    """The token in a scanned text: a full `…/r/<token>` URL (any host) or a bare token."""
    text = text.strip()
    match = _IN_URL.search(text)
    candidate = match.group(1) if match else text
    return candidate if _TOKEN.fullmatch(candidate) else None


def rotate_token(actor: audit.Actor, resident: Resident, now: datetime) -> Resident:
    """Close the current token's window at `now` and give the resident a new token.

    Visits checked in before `now` with the old token still verify (presence.token_status).
    """
    # Lock the resident's row: two rotations at once must not leave two open windows.
    old = db.session.scalar(
        select(Resident.qr_token).where(Resident.id == resident.id).with_for_update()
    )
    db.session.execute(
        update(ResidentToken)
        .where(ResidentToken.resident_id == resident.id, ResidentToken.valid_until.is_(None))
        .values(valid_until=now)
    )
    resident.qr_token = new_qr_token()
    db.session.add(ResidentToken(token=resident.qr_token, resident_id=resident.id, valid_from=now))
    # Phones pull the new token with their next sync.
    resident.change_seq = next_change_number()
    audit.record(
        actor,
        "rotate_qr",
        "resident",
        resident.id,
        {"qr_token": old},
        {"qr_token": resident.qr_token},
    )
    return resident


def lookup(scope: Scope, text: str) -> tuple[str, uuid.UUID | None]:
    """What a scanned code means to this person: (status, resident id if current and theirs)."""
    token = parse_token(text)
    row = db.session.get(ResidentToken, token) if token else None
    if row is None:
        return "unknown", None
    resident = db.session.get(Resident, row.resident_id)
    if not scope.includes(resident.unit_id):
        return "other_unit", None
    if row.valid_until is not None:
        return "rotated", None
    return "current", resident.id


@dataclass(frozen=True)
class Layout:
    """A sheet of labels: its grid on A4 (the sizes themselves live in labels.css)."""

    name: str
    columns: int
    rows: int

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    # 63.5 x 33.9 mm, the common 24-up A4 label stock: beds and doors.
    "small": Layout("small", 3, 8),
    # 105 x 148.5 mm cards, a quarter of A4 each: kept at home by clients.
    "large": Layout("large", 2, 2),
}


def residents_for_labels(
    scope: Scope, unit_id: uuid.UUID | None, resident_ids: list[uuid.UUID]
) -> list[Resident]:
    """A unit's active residents, or the chosen ones; 404 for anything the person may not see."""
    if unit_id is None and not resident_ids:
        raise ApiError(
            422,
            "Choose a unit or some residents.",
            errors={"unit_id": [coded("Give unit_id or resident_id.", "required")]},
        )
    chosen: dict[uuid.UUID, Resident] = {}
    if unit_id is not None:
        unit = scope.get(Unit, unit_id)
        query = select(Resident).where(Resident.unit_id == unit.id, Resident.status == "active")
        chosen.update((r.id, r) for r in db.session.scalars(query))
    for resident_id in resident_ids:
        chosen[resident_id] = scope.get(Resident, resident_id)
    return sorted(chosen.values(), key=lambda r: (r.unit.name, r.room or "", r.name, str(r.id)))


def sheets(items: list, per_sheet: int) -> list[list]:
    return [items[start : start + per_sheet] for start in range(0, len(items), per_sheet)]
