"""Sync ingest: visits per second with realistic signatures, replays, bytes on the wire,
first roster pulls, and the classic one-form-per-record upload for comparison.

Run: `python -m bench.sync_ingest [sqlite|postgresql]`. Prints figures; asserts nothing.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw

from bench.common import database, make_app, postgres_available
from server.coverage.policies import replace_policies
from server.people.audit import SYSTEM
from server.people.users import create_user
from server.platform.extensions import db
from server.roster.residents import create_resident
from server.roster.units import create_unit
from tests.visitdata import signature_strokes, visit_payload

VISITS = 10_000
BATCH = 200
POINTS = 400
# The care levels the seeded residents have, defined by the rules as an institution's would be.
RULES = {
    "default": {"required": 2, "period": "week"},
    "care_levels": [
        {"care_level": level, "required": required, "period": "week"}
        for level, required in (("self_care", 2), ("semi_care", 2), ("full_care", 3))
    ],
    "residents": [],
}


def _seed(app, residents: int) -> list[dict]:
    with app.app_context():
        replace_policies(None, RULES)
        unit = create_unit(SYSTEM, "Bench ward", "ward")
        made = []
        for number in range(residents):
            resident = create_resident(
                SYSTEM,
                {
                    "unit_id": unit.id,
                    "name": f"住户{number:05d}",
                    "room": f"{number // 4:04d}",
                    "care_level": ("self_care", "semi_care", "full_care")[number % 3],
                    "birth_year": 1930 + number % 30,
                    "sex": ("female", "male")[number % 2],
                },
                datetime.now(UTC).date(),
            )
            made.append({"id": str(resident.id), "qr_token": resident.qr_token})
        create_user(
            SYSTEM,
            {
                "username": "bench",
                "role": "worker",
                "password": "plum-bench-7",
                "unit_ids": [unit.id],
            },
        )
        db.session.commit()
    return made


def _login(client) -> dict:
    answer = client.post(
        "/api/v1/auth/login",
        json={
            "username": "bench",
            "password": "plum-bench-7",
            "device": {"id": str(uuid.uuid4()), "name": "bench"},
        },
    )
    return {
        "Authorization": f"Bearer {answer.json['token']}",
        "Accept-Encoding": "gzip",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }


def _batches(residents: list[dict]) -> list[bytes]:
    start = datetime.now(UTC) - timedelta(days=3)
    bodies = []
    for first in range(0, VISITS, BATCH):
        visits = [
            visit_payload(
                residents[n % len(residents)],
                points=POINTS,
                seed=n,
                when=start + timedelta(seconds=20 * n),
            )
            for n in range(first, first + BATCH)
        ]
        body = {
            "device_time": datetime.now(UTC).isoformat(),
            "cursor": None,
            "visits": visits,
            "amendments": [],
        }
        bodies.append(
            gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
        )
    return bodies


def _push(client, headers, bodies) -> tuple[float, dict]:
    """Send every batch as a phone would: each request carries the cursor of the last answer."""
    statuses: dict[str, int] = {}
    cursor, seconds = None, 0.0
    for body in bodies:
        if cursor is not None:  # the phone's own work: not timed
            envelope = json.loads(gzip.decompress(body))
            envelope["cursor"] = cursor
            body = gzip.compress(json.dumps(envelope).encode(), compresslevel=1)
        started = time.perf_counter()
        answer = client.post("/api/v1/sync", data=body, headers=headers)
        seconds += time.perf_counter() - started
        assert answer.status_code == 200, answer.data[:300]
        page = json.loads(gzip.decompress(answer.data))
        cursor = page["cursor"]
        for result in page["results"]:
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    return seconds, statuses


def _roster_pull_bytes(client, headers) -> tuple[int, int]:
    headers = {k: v for k, v in headers.items() if k != "Content-Encoding"}
    cursor, total, pages = None, 0, 0
    while True:
        body = {"device_time": datetime.now(UTC).isoformat(), "cursor": cursor, "visits": []}
        answer = client.post("/api/v1/sync", json=body, headers=headers)
        total += len(answer.data)
        pages += 1
        page = json.loads(gzip.decompress(answer.data))
        cursor = page["cursor"]
        if not page["more"]:
            return total, pages


def _classic_form_bytes(residents: list[dict], samples: int = 200) -> float:
    """One multipart POST per record: an XML form instance plus a PNG of the signature."""
    total = 0
    for n in range(samples):
        visit = visit_payload(residents[n % len(residents)], points=POINTS, seed=n)
        xml = (
            "<data>"
            + "".join(
                f"<{key}>{escape(str(value))}</{key}>"
                for key, value in visit.items()
                if key != "signature"
            )
            + "</data>"
        )
        image = Image.new("1", (600, 200), 1)
        draw = ImageDraw.Draw(image)
        for stroke in signature_strokes(POINTS, seed=n):
            draw.line(list(zip(stroke[0::2], stroke[1::2], strict=True)), fill=0, width=3)
        png = io.BytesIO()
        image.save(png, "PNG", optimize=True)
        boundary = "----form" + uuid.uuid4().hex
        parts = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="xml_submission_file";'
            f' filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n{xml}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="signature.png"; '
            'filename="signature.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        total += len(parts) + len(png.getvalue()) + len(f"\r\n--{boundary}--\r\n")
    return total / samples


def run(kind: str) -> dict:
    logging.disable(logging.INFO)
    figures = {}
    with database(kind) as url:
        app = make_app(url)
        residents = _seed(app, 2000)
        client = app.test_client()
        headers = _login(client)
        size, pages = _roster_pull_bytes(client, headers)
        figures["roster_2000_gzip_bytes"], figures["roster_2000_pages"] = size, pages
        bodies = _batches(residents)
        figures["upload_gzip_bytes_per_visit"] = sum(map(len, bodies)) / VISITS
        seconds, statuses = _push(client, headers, bodies)
        figures["ingest_visits_per_s"] = VISITS / seconds
        figures["ingest_statuses"] = statuses
        seconds, statuses = _push(client, headers, bodies)
        figures["replay_visits_per_s"] = VISITS / seconds
        figures["replay_statuses"] = statuses
        figures["classic_bytes_per_visit"] = _classic_form_bytes(residents)
        figures["classic_requests_per_visit"] = 1
        figures["rounds_requests_per_visit"] = 1 / BATCH
        _seed_more = _seed_extra(app, 8000)
        size, pages = _roster_pull_bytes(client, _login(client))
        figures["roster_10000_gzip_bytes"], figures["roster_10000_pages"] = size, pages
        del _seed_more
        with app.app_context():
            db.engine.dispose()
    return figures


def _seed_extra(app, count: int) -> None:
    with app.app_context():
        from sqlalchemy import select

        from server.models import Unit

        unit = db.session.scalar(select(Unit))
        for number in range(count):
            create_resident(
                SYSTEM,
                {
                    "unit_id": unit.id,
                    "name": f"Resident {number:05d}",
                    "room": f"B{number // 4:04d}",
                    "care_level": "semi_care",
                    "birth_year": 1940 + number % 20,
                },
                datetime.now(UTC).date(),
            )
        db.session.commit()


def report(kind: str, figures: dict) -> str:
    return "\n".join(
        [
            f"sync ingest on {kind}: {VISITS} visits, ~{POINTS}-point signatures, "
            f"batches of {BATCH}",
            f"  ingest            {figures['ingest_visits_per_s']:8.0f} visits/s  "
            f"{figures['ingest_statuses']}",
            f"  replay            {figures['replay_visits_per_s']:8.0f} visits/s  "
            f"{figures['replay_statuses']}",
            f"  upload, gzip      {figures['upload_gzip_bytes_per_visit']:8.0f} bytes/visit",
            f"  classic form+PNG  {figures['classic_bytes_per_visit']:8.0f} bytes/visit, "
            f"1 request/visit (Rounds: {figures['rounds_requests_per_visit']:.3f})",
            f"  roster 2,000      {figures['roster_2000_gzip_bytes']:8d} bytes gzip in "
            f"{figures['roster_2000_pages']} pages",
            f"  roster 10,000     {figures['roster_10000_gzip_bytes']:8d} bytes gzip in "
            f"{figures['roster_10000_pages']} pages",
        ]
    )


def main(argv: list[str]) -> None:
    kinds = argv or ["sqlite"] + (["postgresql"] if postgres_available() else [])
    for kind in kinds:
        print(report(kind, run(kind)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
