"""Reviewing records at the office: who may review, who sees what, and what a visit and a
case record carry of their review (docs/reviews.md)."""

from __future__ import annotations

import uuid

import pytest

from tests.casedata import case_payload, record_payload
from tests.conftest import make_person
from tests.reviewdata import returned, review, upload_visit


@pytest.fixture
def visit(api, worker_a, resident_a) -> dict:
    return upload_visit(api, worker_a, resident_a)


@pytest.fixture
def supervisor_b(api, ward_b):
    return make_person(api, "supervisor.b", "supervisor", [ward_b])


def test_units_supervisor_approves_a_visit(api, supervisor_a, visit):
    answer = review(api, supervisor_a, visit["id"], "approved")
    assert answer.status_code == 201, answer.json
    assert answer.json["decision"] == "approved" and answer.json["state"] == "approved"
    assert answer.json["reviewer"]["display_name"] == "Supervisor.A"


def test_admin_returns_a_visit_with_a_comment(api, admin, visit):
    answer = review(api, admin, visit["id"], "returned", "缺少血压 No reading")
    assert answer.status_code == 201 and answer.json["state"] == "returned"
    assert answer.json["comment"] == "缺少血压 No reading"


def test_returned_needs_a_comment(api, supervisor_a, visit):
    answer = review(api, supervisor_a, visit["id"], "returned", "  ")
    assert answer.status_code == 422 and answer.json["errors"]["comment"]


def test_another_units_supervisor_sees_no_such_record(api, supervisor_b, visit):
    assert review(api, supervisor_b, visit["id"], "approved").status_code == 404
    query = f"/reviews?record_kind=visit&record_id={visit['id']}"
    assert api.get(query, as_=supervisor_b).status_code == 404


def test_worker_never_reviews(api, worker_a, visit):
    assert review(api, worker_a, visit["id"], "approved").status_code == 403


def test_own_record_is_refused(api, ward_a, resident_a):
    supervisor = make_person(api, "visiting.supervisor", "supervisor", [ward_a])
    own = upload_visit(api, supervisor, resident_a)
    answer = review(api, supervisor, own["id"], "approved")
    assert answer.status_code == 409 and answer.json["code"] == "own_record"


def test_voided_visit_is_refused(api, supervisor_a, visit):
    void = api.post(f"/visits/{visit['id']}/void", as_=supervisor_a, json={"reason": "twice"})
    assert void.status_code == 200
    assert review(api, supervisor_a, visit["id"], "approved").status_code == 409


def test_latest_review_decides_and_every_review_is_kept(api, supervisor_a, admin, visit):
    returned(api, supervisor_a, visit["id"])
    assert review(api, admin, visit["id"], "approved").status_code == 201
    answer = api.get(f"/reviews?record_kind=visit&record_id={visit['id']}", as_=supervisor_a)
    assert answer.status_code == 200
    assert answer.json["state"] == "approved"
    assert [r["decision"] for r in answer.json["reviews"]] == ["returned", "approved"]


def test_the_visit_carries_its_latest_review(api, supervisor_a, worker_a, visit):
    assert api.get(f"/visits/{visit['id']}", as_=supervisor_a).json["review"] is None
    returned(api, supervisor_a, visit["id"], "写清楚 Say more")
    one = api.get(f"/visits/{visit['id']}", as_=supervisor_a).json["review"]
    assert one["state"] == "returned" and one["comment"] == "写清楚 Say more"
    listed = api.get("/visits", as_=worker_a).json["items"]
    assert [v["review"]["state"] for v in listed] == ["returned"]


def test_the_worker_reads_the_reviews_of_their_record(api, supervisor_a, worker_a, visit):
    returned(api, supervisor_a, visit["id"])
    answer = api.get(f"/reviews?record_kind=visit&record_id={visit['id']}", as_=worker_a)
    assert answer.status_code == 200 and answer.json["state"] == "returned"


def _case_record(api, worker, resident) -> tuple[str, str]:
    case = case_payload(resident)
    opened = api.post("/cases", as_=worker, json=case)
    assert opened.status_code == 201, opened.json
    record = record_payload(case["id"], "intake")
    del record["case_id"]
    made = api.post(f"/cases/{case['id']}/records", as_=worker, json=record)
    assert made.status_code == 201, made.json
    return case["id"], record["id"]


def test_a_case_record_is_reviewed_and_the_case_page_shows_it(
    api, worker_a, supervisor_a, resident_a
):
    case_id, record_id = _case_record(api, worker_a, resident_a)
    answer = review(api, supervisor_a, record_id, "returned", "补充同意书", kind="case_record")
    assert answer.status_code == 201, answer.json
    records = api.get(f"/cases/{case_id}", as_=supervisor_a).json["records"]
    assert records[0]["review"]["state"] == "returned"
    assert records[0]["review"]["comment"] == "补充同意书"


def test_a_purged_case_record_is_not_reviewed(api, admin, worker_a, resident_a):
    from server.models import Case, utcnow
    from server.platform.extensions import db

    case_id, record_id = _case_record(api, worker_a, resident_a)
    case = db.session.get(Case, uuid.UUID(case_id))
    case.purged_at = utcnow()
    db.session.commit()
    answer = review(api, admin, record_id, "approved", kind="case_record")
    assert answer.status_code == 409


def test_queue_lists_what_waits_with_counts(api, supervisor_a, worker_a, resident_a, visit):
    approved = upload_visit(api, worker_a, resident_a)
    assert review(api, supervisor_a, approved["id"], "approved").status_code == 201
    answer = api.get("/reviews/queue", as_=supervisor_a)
    assert answer.status_code == 200, answer.json
    assert [item["record_id"] for item in answer.json["items"]] == [visit["id"]]
    assert answer.json["counts"] == {"unreviewed": 1, "approved": 1, "returned": 0, "answered": 0}
    item = answer.json["items"][0]
    assert item["state"] == "unreviewed" and item["resident"]["name"] == resident_a["name"]
    assert item["what"].startswith("测血压")
    done = api.get("/reviews/queue?state=approved", as_=supervisor_a).json["items"]
    assert [item["record_id"] for item in done] == [approved["id"]]


def test_queue_is_for_managers_of_their_units(api, worker_a, supervisor_b, visit):
    assert api.get("/reviews/queue", as_=worker_a).status_code == 403
    assert api.get("/reviews/queue", as_=supervisor_b).json["items"] == []
