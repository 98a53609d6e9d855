"""The office's case API: lists with counts, one case, opening and recording, who may sign
off, the signature, the case file, and the retention's export and purge (docs/cases.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server.models import AuditEvent, Case
from server.platform.extensions import db
from tests.casedata import body_of, case_payload, record_payload
from tests.conftest import make_person
from tests.test_coverage_support import sync_visit


def _open(api, person, resident, **overrides) -> dict:
    answer = api.post("/cases", as_=person, json=case_payload(resident, **overrides))
    assert answer.status_code == 201, answer.json
    return answer.json


def _record(api, person, case_id: str, kind: str, body=None, **overrides):
    payload = record_payload(case_id, kind, body, **overrides)
    del payload["case_id"]
    return api.post(f"/cases/{case_id}/records", as_=person, json=payload)


def _through(api, person, case_id: str, *kinds: str) -> None:
    for kind in kinds:
        answer = _record(api, person, case_id, kind)
        assert answer.status_code == 201, answer.json


def _whole_case(api, worker, supervisor, resident) -> dict:
    case = _open(api, worker, resident)
    _through(api, worker, case["id"], "intake", "assessment", "plan", "contact", "review")
    referral = {"organisation": "街道社工站", "contact": "李老师", "note": "长期跟进"}
    closure = body_of("closure", reason="referred", referral=referral)
    assert _record(api, worker, case["id"], "closure", closure).status_code == 201
    assert _record(api, supervisor, case["id"], "signoff").status_code == 201
    return case


def test_open_case_and_record_its_steps(api, worker_a, resident_a):
    case = _open(api, worker_a, resident_a)
    assert case["stage"] == "intake" and case["records"] == []
    answer = _record(api, worker_a, case["id"], "intake")
    assert answer.status_code == 201 and answer.json["stage"] == "assessment"
    assert [r["kind"] for r in answer.json["records"]] == ["intake"]


def test_step_out_of_order_is_refused(api, worker_a, resident_a):
    case = _open(api, worker_a, resident_a)
    answer = _record(api, worker_a, case["id"], "plan")
    assert answer.status_code == 422 and answer.json["errors"]["kind"]


def test_worker_of_another_unit_gets_404(api, worker_a, worker_b, resident_a):
    case = _open(api, worker_a, resident_a)
    assert api.get(f"/cases/{case['id']}", as_=worker_b).status_code == 404
    assert _record(api, worker_b, case["id"], "intake").status_code == 404
    assert api.get(f"/cases/{case['id']}/file", as_=worker_b).status_code == 404


def test_worker_of_another_unit_cannot_open_a_case(api, worker_b, resident_a):
    answer = api.post("/cases", as_=worker_b, json=case_payload(resident_a))
    assert answer.status_code == 422


def test_only_supervisors_of_the_unit_and_admins_sign_off(
    api, worker_a, supervisor_a, admin, resident_a, ward_b
):
    other = make_person(api, "supervisor.b", "supervisor", [ward_b])
    case = _open(api, worker_a, resident_a)
    _through(api, worker_a, case["id"], "intake", "assessment", "plan", "closure")
    assert _record(api, worker_a, case["id"], "signoff").status_code == 403
    assert _record(api, other, case["id"], "signoff").status_code == 404
    answer = _record(api, admin, case["id"], "signoff")
    assert answer.status_code == 201 and answer.json["stage"] == "archived"


def test_archived_case_refuses_records_with_409(api, worker_a, supervisor_a, resident_a):
    case = _whole_case(api, worker_a, supervisor_a, resident_a)
    answer = _record(api, supervisor_a, case["id"], "contact")
    assert answer.status_code == 409
    assert answer.json["errors"] == {"case_id": ["archived: read-only"]}


def test_list_counts_stages_reviews_due_and_caseload(api, worker_a, supervisor_a, resident_a):
    fresh = _open(api, worker_a, resident_a)
    planned = _open(api, worker_a, resident_a)
    last_month = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    for kind in ("intake", "assessment", "plan"):
        answer = _record(api, worker_a, planned["id"], kind, at=last_month)
        assert answer.status_code == 201, answer.json
    answer = api.get("/cases", as_=supervisor_a)
    assert answer.status_code == 200
    counts = answer.json["counts"]
    assert counts["by_stage"]["intake"] == 1 and counts["by_stage"]["intervention"] == 1
    assert counts["review_due"] == 1
    assert counts["no_contact"] == 2  # one never contacted, one 40 days ago
    assert counts["caseload"] == [
        {"worker": {"id": str(worker_a.user.id), "display_name": "Worker.A"}, "open": 2}
    ]
    due = api.get("/cases?attention=review_due", as_=supervisor_a).json
    assert [c["id"] for c in due["items"]] == [planned["id"]] and due["items"][0]["review_due"]
    intake = api.get("/cases?stage=intake", as_=supervisor_a).json
    assert [c["id"] for c in intake["items"]] == [fresh["id"]]


def test_case_shows_signatures_by_address(api, worker_a, resident_a):
    case = _open(api, worker_a, resident_a)
    _through(api, worker_a, case["id"], "intake", "assessment", "plan")
    plan = api.get(f"/cases/{case['id']}", as_=worker_a).json["records"][2]
    assert plan["signed"]["signer"] == "resident"
    svg = api.get(plan["signature_url"].removeprefix("/api/v1"), as_=worker_a)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<path" in svg.data or b"<polyline" in svg.data


def test_case_file_holds_every_step(api, worker_a, supervisor_a, resident_a):
    case = _whole_case(api, worker_a, supervisor_a, resident_a)
    answer = api.get(f"/cases/{case['id']}/file", as_=supervisor_a)
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    for text in (
        "老年服务工作登记表",
        "独居",  # the intake's problems
        "需求预估",
        "服务计划",
        "精神慰藉",
        "介入记录",
        "检讨",
        "成效评估",
        "街道社工站",  # the referral
        "督导审核",
        "<svg",
    ):
        assert text in html, text


def test_export_is_for_admins_and_holds_the_strokes(api, worker_a, supervisor_a, admin, resident_a):
    case = _whole_case(api, worker_a, supervisor_a, resident_a)
    assert api.get(f"/cases/{case['id']}/export", as_=supervisor_a).status_code == 403
    exported = api.get(f"/cases/{case['id']}/export", as_=admin).json
    plan = next(r for r in exported["records"] if r["kind"] == "plan")
    assert plan["signature"]["strokes"]


def test_purge_refuses_before_the_retention(api, worker_a, supervisor_a, admin, resident_a):
    case = _whole_case(api, worker_a, supervisor_a, resident_a)
    answer = api.post(f"/cases/{case['id']}/purge", as_=admin)
    assert answer.status_code == 409


def test_purge_refuses_an_open_case(api, worker_a, admin, resident_a):
    case = _open(api, worker_a, resident_a)
    assert api.post(f"/cases/{case['id']}/purge", as_=admin).status_code == 409


def test_purge_blanks_text_and_signatures_after_the_retention(
    api, app, worker_a, supervisor_a, admin, resident_a
):
    case = _whole_case(api, worker_a, supervisor_a, resident_a)
    app.config["CASE_RETENTION_DAYS"] = 0
    assert api.post(f"/cases/{case['id']}/purge", as_=supervisor_a).status_code == 403
    answer = api.post(f"/cases/{case['id']}/purge", as_=admin)
    assert answer.status_code == 200, answer.json
    records = {r["kind"]: r for r in answer.json["records"]}
    assert records["intake"]["body"]["register"]["problems"] == ""
    assert records["plan"]["body"]["services"] == ["emotional_support", "group_work"]
    assert records["plan"]["signed"] is None and records["plan"]["signature_url"] is None
    assert records["closure"]["body"]["referral"]["organisation"] == ""
    assert answer.json["stage"] == "archived" and answer.json["purged_at"]
    stored = db.session.get(Case, uuid.UUID(case["id"]))
    assert stored.purged_at is not None
    audit = AuditEvent.query.filter_by(action="purge", entity="case").one()
    assert audit.entity_id == case["id"]
    assert api.post(f"/cases/{case['id']}/purge", as_=admin).status_code == 409


def test_responsible_worker_of_another_unit_sees_the_case(
    api, worker_a, supervisor_a, ward_a, resident_a, ward_b
):
    helper = make_person(api, "worker.ab", "worker", [ward_a, ward_b])
    case = _open(api, worker_a, resident_a, worker_id=str(helper.user.id))
    assert case["worker"]["id"] == str(helper.user.id)
    assert api.get(f"/cases/{case['id']}", as_=helper).status_code == 200


def test_admin_opens_a_case_naming_its_worker(api, admin, worker_a, resident_a):
    answer = api.post("/cases", as_=admin, json=case_payload(resident_a))
    assert answer.status_code == 422 and "worker_id" in answer.json["errors"]
    case = _open(api, admin, resident_a, worker_id=str(worker_a.user.id))
    assert case["worker"]["id"] == str(worker_a.user.id)


def test_case_file_of_a_case_just_opened(api, worker_a, resident_a):
    case = _open(api, worker_a, resident_a)
    answer = api.get(f"/cases/{case['id']}/file", as_=worker_a)
    assert answer.status_code == 200
    assert "未接案" in answer.get_data(as_text=True)
    assert api.get("/case-file.css").status_code == 200


def test_replayed_case_id_is_refused_with_409(api, worker_a, resident_a):
    payload = case_payload(resident_a)
    assert api.post("/cases", as_=worker_a, json=payload).status_code == 201
    assert api.post("/cases", as_=worker_a, json=payload).status_code == 409


def test_case_file_dates_a_contact_made_by_a_visit(api, worker_a, resident_a):
    case = _open(api, worker_a, resident_a)
    _through(api, worker_a, case["id"], "intake", "assessment", "plan")
    visit_id = sync_visit(api, worker_a, resident_a, "2026-11-24T10:00:00+08:00")
    contact = body_of("contact", mode="visit", visit_id=visit_id)
    assert _record(api, worker_a, case["id"], "contact", contact).status_code == 201

    answer = api.get(f"/cases/{case['id']}/file", as_=worker_a)

    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert '巡视 <span class="en">visit</span> 2026-11-24' in answer.get_data(as_text=True)
