"""Files and offices for the tests of an office's facts: a real PDF and PNG made by Pillow, a
DOCX as Word writes its parts, and two offices with their admins and an inspector."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from PIL import Image

from tests import orgdata
from tests.conftest import Api, Person


def png_bytes(colour: str = "red", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 30), colour).save(buffer, "PDF")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@dataclass
class Offices:
    district: str
    office: str
    other: str
    admin: Person  # of `office`
    other_admin: Person  # of `other`
    supervisor: Person  # of `office`
    inspector: Person  # of the district


def two_offices(api: Api, city_admin: Person) -> Offices:
    district = orgdata.district(api, city_admin, "Facts district")
    office = orgdata.office(api, city_admin, district, "Facts office")
    other = orgdata.office(api, city_admin, district, "Other office")
    unit = orgdata.unit(api, city_admin, office, "Facts ward")
    return Offices(
        district=district,
        office=office,
        other=other,
        admin=orgdata.person(api, city_admin, "factsadmin", "admin", office),
        other_admin=orgdata.person(api, city_admin, "otheradmin", "admin", other),
        supervisor=orgdata.person(
            api, city_admin, "factssupervisor", "supervisor", office, (unit["id"],)
        ),
        inspector=orgdata.person(api, city_admin, "factsinspector", "inspector", district),
    )


def upload(
    api: Api,
    as_: Person,
    office_id: str,
    data: bytes,
    *,
    file_name: str = "plan.pdf",
    content_type: str = "application/pdf",
    kind: str = "annual_plan",
    year: int | None = 2026,
    title: str = "Annual plan",
    dated_on: str | None = None,
):
    form: dict = {"file": (io.BytesIO(data), file_name, content_type), "kind": kind, "title": title}
    if year is not None:
        form["year"] = str(year)
    if dated_on is not None:
        form["dated_on"] = dated_on
    return api.post(
        f"/offices/{office_id}/documents",
        as_=as_,
        data=form,
        content_type="multipart/form-data",
    )
