"""An office's documents (annual plan, staff introduction, rules, finance, evidence): checking
the bytes are a file type we keep, storing the file once per content, finding it to serve, and
withdrawing it.

A file is `<ROUNDS_MEDIA_DIR>/documents/<sha256>.<ext>`: the same bytes uploaded twice are one
file under two rows. It is written under a temporary name and renamed before its row is
flushed, so a failed request leaves at most an orphan file, never a row without its file. A
document is never deleted: withdrawing it stamps `withdrawn_at`, and whoever reaches the office
may still download it (the evaluation of a past year points at what was current then).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from server.models import OFFICE, OfficeDocument, Organisation, utcnow
from server.people import audit
from server.people.access import Scope
from server.platform.errors import ApiError, InvalidFields, NotFound
from server.platform.extensions import db
from server.platform.field_codes import coded
from server.platform.media import path_of, store

PDF, JPEG, PNG, WEBP = "application/pdf", "image/jpeg", "image/png", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", DOCX: "docx", XLSX: "xlsx"}
# What a browser may say of a file it does not know: the bytes decide.
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")
AUDITED = ("office_id", "kind", "year", "title", "file_name", "sha256", "dated_on")
FILE_NAME_MAX = 200


@dataclass(frozen=True)
class Checked:
    content_type: str
    sha256: str
    data: bytes


def _zip_kind(data: bytes) -> str | None:
    """A DOCX or an XLSX is a ZIP whose parts say which it is; only the directory is read,
    nothing is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, among those kept, or None: never the name's word."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _too_large(size: int, limit: int) -> ApiError:
    return ApiError(
        413,
        f"The file is {size} bytes; at most {limit} are kept.",
        code="too_large",
        errors={"file": [coded(f"At most {limit} bytes.", "too_large", max=limit)]},
    )


def check(data: bytes, declared: str, max_bytes: int) -> Checked:
    """The file if it is within the limit and its bytes are a PDF, JPEG, PNG, WebP, DOCX or
    XLSX; a declared type naming another of these is refused rather than believed."""
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data:
        raise InvalidFields({"file": [coded("The file is empty.", "required")]})
    found = sniff(data)
    if found is None:
        raise InvalidFields(
            {"file": [coded("Upload a PDF, JPEG, PNG, WebP, DOCX or XLSX file.", "file_type")]}
        )
    stated = (declared or "").split(";")[0].strip().lower()
    if stated in EXTENSIONS and stated != found:
        raise InvalidFields(
            {"content_type": [coded(f"The file is {found}, not {stated}.", "file_type")]}
        )
    return Checked(found, hashlib.sha256(data).hexdigest(), data)


def storage_key(sha256: str, content_type: str) -> str:
    """Named by its bytes: the same file uploaded twice is one file."""
    return f"documents/{sha256}.{EXTENSIONS[content_type]}"


def _store_once(media_dir: str, key: str, data: bytes) -> None:
    """Write the file atomically, unless it is there already (the same bytes, by its name)."""
    final = path_of(media_dir, key)
    if final.is_file() and final.stat().st_size == len(data):
        return
    store(media_dir, key, data)


def clean_file_name(name: str, content_type: str) -> str:
    """The name to offer on download: its last path part, no control characters, bounded;
    a name lost on the way is `document.<ext>`."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    if not base:
        base = f"document.{EXTENSIONS[content_type]}"
    if len(base) > FILE_NAME_MAX:
        _, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        base = base[: FILE_NAME_MAX - len(keep) - 1] + ("." + keep if keep else "")
    return base


def office_in_reach(scope: Scope, office_id: uuid.UUID) -> Organisation:
    """The office, or 404 when there is none of that id or it lies outside one's reach."""
    office = db.session.get(Organisation, office_id)
    if office is None or office.kind != OFFICE or not scope.includes_office(office_id):
        raise NotFound("office")
    return office


def store_document(
    actor: audit.Actor,
    office_id: uuid.UUID,
    *,
    kind: str,
    year: int | None,
    title: str,
    file_name: str,
    content_type: str,
    data: bytes,
    dated_on: date | None = None,
    media_dir: str | None = None,
    max_bytes: int | None = None,
) -> OfficeDocument:
    """Keep a document of an office one reaches: the file first, then its row (flushed)."""
    office_in_reach(actor.scope, office_id)
    config = current_app.config
    checked = check(data, content_type, max_bytes or config["DOCUMENT_MAX_BYTES"])
    key = storage_key(checked.sha256, checked.content_type)
    _store_once(media_dir or config["MEDIA_DIR"], key, checked.data)
    document = OfficeDocument(
        office_id=office_id,
        kind=kind,
        year=year,
        title=title,
        file_name=clean_file_name(file_name, checked.content_type),
        content_type=checked.content_type,
        byte_size=len(checked.data),
        sha256=checked.sha256,
        storage_key=key,
        dated_on=dated_on,
        uploaded_by=actor.user_id,
        uploaded_at=utcnow(),
    )
    db.session.add(document)
    db.session.flush()
    audit.record(
        actor, "create", "office_document", document.id, None, audit.snapshot(document, AUDITED)
    )
    return document


def document_in_sight(scope: Scope, document_id: uuid.UUID) -> OfficeDocument:
    """The document, withdrawn or not, or 404 when its office lies outside one's reach."""
    document = db.session.get(OfficeDocument, document_id)
    if document is None or not scope.includes_office(document.office_id):
        raise NotFound("document")
    return document


def documents_of(
    scope: Scope,
    office_id: uuid.UUID,
    *,
    kind: str | None = None,
    year: int | None = None,
    withdrawn: bool = False,
) -> list[OfficeDocument]:
    """The office's documents, newest upload first: the current ones, or with `withdrawn`
    the withdrawn ones too."""
    office_in_reach(scope, office_id)
    query = select(OfficeDocument).where(OfficeDocument.office_id == office_id)
    if kind is not None:
        query = query.where(OfficeDocument.kind == kind)
    if year is not None:
        query = query.where(OfficeDocument.year == year)
    if not withdrawn:
        query = query.where(OfficeDocument.withdrawn_at.is_(None))
    query = query.order_by(OfficeDocument.uploaded_at.desc(), OfficeDocument.id)
    return list(db.session.scalars(query))


def withdraw(actor: audit.Actor, document: OfficeDocument) -> OfficeDocument:
    """No longer current; kept, and still served. Withdrawing twice changes nothing."""
    if document.withdrawn_at is None:
        document.withdrawn_at = utcnow()
        db.session.flush()
        audit.record(
            actor,
            "withdraw",
            "office_document",
            document.id,
            {"withdrawn_at": None},
            {"withdrawn_at": document.withdrawn_at.isoformat()},
        )
    return document


def file_of(document: OfficeDocument, media_dir: str) -> Path:
    """The stored file of a document, or 404 when it is missing from the media directory."""
    path = path_of(media_dir, document.storage_key)
    if not path.is_file():
        raise NotFound("document file")
    return path


def plan_facts(office_id: uuid.UUID, year: int) -> dict:
    """The year's annual plans (not withdrawn) and the staff introduction as posted by the
    year's end: the latest not withdrawn, dated (or else uploaded) on or before 31 December."""
    plans = select(OfficeDocument).where(
        OfficeDocument.office_id == office_id,
        OfficeDocument.kind == "annual_plan",
        OfficeDocument.year == year,
        OfficeDocument.withdrawn_at.is_(None),
    )
    introductions = select(OfficeDocument).where(
        OfficeDocument.office_id == office_id,
        OfficeDocument.kind == "staff_introduction",
        OfficeDocument.withdrawn_at.is_(None),
    )
    year_end = date(year, 12, 31)
    posted = [
        d
        for d in db.session.scalars(introductions)
        if (d.dated_on or d.uploaded_at.date()) <= year_end
    ]
    latest = max(posted, key=lambda d: (d.uploaded_at, str(d.id)), default=None)
    return {
        "annual_plans": list(db.session.scalars(plans.order_by(OfficeDocument.uploaded_at.desc()))),
        "staff_introduction": latest,
    }
