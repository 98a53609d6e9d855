"""An office's documents through the API: what is kept, how it is stored and served, who may
upload, list, download and withdraw."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from server.platform.extensions import db
from tests.factsdata import docx_bytes, pdf_bytes, png_bytes, two_offices, upload
from tests.test_backup import _lose_the_database, restore_schema_after  # noqa: F401


@pytest.fixture
def offices(api, admin):
    return two_offices(api, admin)


def test_uploaded_pdf_is_listed_and_served_as_uploaded(api, offices):
    data = pdf_bytes()
    made = upload(api, offices.admin, offices.office, data, dated_on="2026-01-15")
    assert made.status_code == 201, made.json
    assert made.json["content_type"] == "application/pdf"
    assert made.json["byte_size"] == len(data)
    assert made.json["dated_on"] == "2026-01-15"
    listed = api.get(
        f"/offices/{offices.office}/documents?kind=annual_plan&year=2026", as_=offices.admin
    )
    assert [d["id"] for d in listed.json] == [made.json["id"]]
    served = api.get(made.json["file_url"].removeprefix("/api/v1"), as_=offices.supervisor)
    assert served.status_code == 200
    assert served.data == data
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "plan.pdf" in served.headers["Content-Disposition"]
    assert served.mimetype == "application/pdf"


def test_type_is_read_from_the_bytes_not_the_name(api, offices):
    made = upload(
        api,
        offices.admin,
        offices.office,
        png_bytes(),
        file_name="photo.pdf",
        content_type="application/octet-stream",
        kind="staff_introduction",
    )
    assert made.status_code == 201, made.json
    assert made.json["content_type"] == "image/png"


def test_docx_is_kept(api, offices):
    made = upload(
        api, offices.admin, offices.office, docx_bytes(), file_name="计划.docx", content_type=""
    )
    assert made.status_code == 201, made.json
    assert made.json["content_type"].endswith("wordprocessingml.document")
    assert made.json["file_name"] == "计划.docx"
    served = api.get(f"/documents/{made.json['id']}/file", as_=offices.admin)
    assert "filename*=UTF-8''%E8%AE%A1%E5%88%92.docx" in served.headers["Content-Disposition"]


def test_text_file_is_refused_with_its_code(api, offices):
    refused = upload(
        api, offices.admin, offices.office, b"#!/bin/sh\necho hi\n", file_name="plan.pdf"
    )
    assert refused.status_code == 422
    assert refused.json["codes"]["file"][0]["code"] == "file_type"


def test_declared_type_that_the_bytes_deny_is_refused(api, offices):
    refused = upload(
        api, offices.admin, offices.office, png_bytes(), content_type="application/pdf"
    )
    assert refused.status_code == 422
    assert refused.json["codes"]["content_type"][0]["code"] == "file_type"


def test_file_over_the_limit_is_refused_as_too_large(api, app, offices):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    data = pdf_bytes() + b"\0" * 2000
    refused = upload(api, offices.admin, offices.office, data)
    assert refused.status_code == 413
    assert refused.json["code"] == "too_large"


def test_body_far_over_the_limit_is_refused_before_it_is_read(api, app, offices):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    refused = upload(api, offices.admin, offices.office, pdf_bytes() + b"\0" * 200_000)
    assert refused.status_code == 413
    assert refused.json["code"] == "too_large"


def test_document_larger_than_a_json_body_is_kept(api, app, offices):
    data = pdf_bytes() + b"\n%" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1000)
    made = upload(api, offices.admin, offices.office, data)
    assert made.status_code == 201, made.json
    assert made.json["byte_size"] == len(data)


def test_same_bytes_twice_are_one_file(api, app, offices):
    data = png_bytes("blue")
    first = upload(api, offices.admin, offices.office, data, content_type="image/png", title="A")
    second = upload(api, offices.admin, offices.office, data, content_type="image/png", title="B")
    assert first.status_code == second.status_code == 201
    assert first.json["id"] != second.json["id"]
    stored = list((Path(app.config["MEDIA_DIR"]) / "documents").iterdir())
    assert [path.name for path in stored] == [f"{first.json['sha256']}.png"]


def test_withdrawn_document_is_not_current_but_still_served(api, offices):
    made = upload(api, offices.admin, offices.office, pdf_bytes()).json
    withdrawn = api.post(f"/documents/{made['id']}/withdraw", as_=offices.admin)
    assert withdrawn.status_code == 200
    assert withdrawn.json["withdrawn_at"] is not None
    current = api.get(f"/offices/{offices.office}/documents", as_=offices.admin).json
    assert current == []
    everything = api.get(f"/offices/{offices.office}/documents?withdrawn=true", as_=offices.admin)
    assert [d["id"] for d in everything.json] == [made["id"]]
    served = api.get(f"/documents/{made['id']}/file", as_=offices.inspector)
    assert served.status_code == 200


def test_another_offices_admin_finds_nothing(api, offices):
    made = upload(api, offices.admin, offices.office, pdf_bytes()).json
    other = offices.other_admin
    assert upload(api, other, offices.office, pdf_bytes("black")).status_code == 404
    assert api.get(f"/offices/{offices.office}/documents", as_=other).status_code == 404
    assert api.get(f"/documents/{made['id']}/file", as_=other).status_code == 404
    assert api.post(f"/documents/{made['id']}/withdraw", as_=other).status_code == 404


def test_inspector_reads_and_may_not_upload_or_withdraw(api, offices):
    made = upload(api, offices.admin, offices.office, pdf_bytes()).json
    inspector = offices.inspector
    assert api.get(f"/offices/{offices.office}/documents", as_=inspector).status_code == 200
    assert upload(api, inspector, offices.office, pdf_bytes("black")).status_code == 403
    assert api.post(f"/documents/{made['id']}/withdraw", as_=inspector).status_code == 403


def test_supervisor_reads_and_may_not_upload(api, offices):
    assert upload(api, offices.supervisor, offices.office, pdf_bytes()).status_code == 403
    listed = api.get(f"/offices/{offices.office}/documents", as_=offices.supervisor)
    assert listed.status_code == 200


def test_city_admin_uploads_for_any_office(api, admin, offices):
    assert upload(api, admin, offices.other, pdf_bytes()).status_code == 201


def test_json_body_is_refused_as_the_wrong_type(api, offices):
    answer = api.post(
        f"/offices/{offices.office}/documents", as_=offices.admin, json={"kind": "annual_plan"}
    )
    assert answer.status_code == 415


def test_fields_left_empty_are_not_given(api, offices):
    answer = api.post(
        f"/offices/{offices.office}/documents",
        as_=offices.admin,
        data={
            "file": (io.BytesIO(pdf_bytes()), "rules.pdf", "application/pdf"),
            "kind": "rules",
            "title": "Rules on the wall",
            "year": "",
            "dated_on": "",
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.json
    assert (answer.json["year"], answer.json["dated_on"]) == (None, None)
    untitled = upload(api, offices.admin, offices.office, pdf_bytes("red"), title="")
    assert untitled.status_code == 422
    assert untitled.json["codes"]["title"][0]["code"] == "required"


def test_missing_file_names_the_field(api, offices):
    answer = api.post(
        f"/offices/{offices.office}/documents",
        as_=offices.admin,
        data={"kind": "annual_plan", "title": "Plan"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert answer.json["codes"]["file"][0]["code"] == "required"


def test_upload_is_audited(api, offices):
    from sqlalchemy import select

    from server.models import AuditEvent

    made = upload(api, offices.admin, offices.office, pdf_bytes()).json
    api.post(f"/documents/{made['id']}/withdraw", as_=offices.admin)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == made["id"]).order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "withdraw"]


@pytest.mark.usefixtures("restore_schema_after")
def test_backup_brings_back_the_documents_files(api, app, offices, tmp_path):
    import shutil

    data = pdf_bytes("green")
    made = upload(api, offices.admin, offices.office, data).json
    path = tmp_path / "backups" / "rounds.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    shutil.rmtree(app.config["MEDIA_DIR"])  # the disk died: the documents with the database
    _lose_the_database()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    served = api.get(f"/documents/{made['id']}/file", as_=offices.admin)
    assert served.status_code == 200 and served.data == data
