"""A returned record on its author's phone, and the phone's answers: the pull carries the
author's returned records and drops them once answered or superseded, and each reply is
stored exactly once (docs/reviews.md)."""

from __future__ import annotations

import uuid

import pytest

from server.models import RecordReview, ReviewReply
from server.platform.extensions import db
from tests.conftest import make_person
from tests.reviewdata import (
    amendment_payload,
    reply_payload,
    reply_sync,
    returned,
    review,
    upload_visit,
)
from tests.visitdata import sync_body


@pytest.fixture
def visit(api, worker_a, resident_a) -> dict:
    return upload_visit(api, worker_a, resident_a)


def _sync(api, person, body) -> dict:
    answer = api.post("/sync", as_=person, json=body)
    assert answer.status_code == 200, answer.json
    return answer.json


def _results(answer: dict, kind: str = "review_reply") -> list[dict]:
    return [result for result in answer["results"] if result["kind"] == kind]


def test_returned_visit_reaches_its_author_only(api, worker_a, supervisor_a, ward_a, visit):
    colleague = make_person(api, "colleague.a", "worker", [ward_a])
    made = returned(api, supervisor_a, visit["id"], "请补充 Add the reading")
    pulled = _sync(api, worker_a, sync_body())["reviews"]
    assert [entry["id"] for entry in pulled] == [made["id"]]
    entry = pulled[0]
    assert entry["record_id"] == visit["id"] and entry["comment"] == "请补充 Add the reading"
    assert entry["reviewer"]["display_name"] == "Supervisor.A"
    assert entry["record_at"] and entry["resident_name"]
    assert _sync(api, colleague, sync_body())["reviews"] == []
    assert _sync(api, supervisor_a, sync_body())["reviews"] == []


def test_approved_visit_never_reaches_the_phone(api, worker_a, supervisor_a, visit):
    assert review(api, supervisor_a, visit["id"], "approved").status_code == 201
    assert _sync(api, worker_a, sync_body())["reviews"] == []


def test_reply_answers_and_the_review_leaves_the_phone(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    cursor = _sync(api, worker_a, sync_body())["cursor"]
    answer = _sync(api, worker_a, reply_sync([reply_payload(made["id"])], cursor=cursor))
    assert [r["status"] for r in _results(answer)] == ["created"]
    assert answer["reviews"] == [] and answer["removed"]["reviews"] == [made["id"]]
    state = api.get(f"/reviews?record_kind=visit&record_id={visit['id']}", as_=supervisor_a)
    assert state.json["state"] == "answered"
    assert state.json["reviews"][0]["replies"][0]["body"] == "已补充 Added"
    # A reset sends only open reviews: nothing now.
    assert _sync(api, worker_a, sync_body())["reviews"] == []


def test_a_later_review_supersedes_the_returned_one(api, worker_a, supervisor_a, admin, visit):
    made = returned(api, supervisor_a, visit["id"])
    cursor = _sync(api, worker_a, sync_body())["cursor"]
    assert review(api, admin, visit["id"], "approved").status_code == 201
    answer = _sync(api, worker_a, sync_body(cursor=cursor))
    assert answer["reviews"] == [] and answer["removed"]["reviews"] == [made["id"]]


def test_replayed_reply_is_duplicate(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    reply = reply_payload(made["id"])
    _sync(api, worker_a, reply_sync([reply]))
    again = _sync(api, worker_a, reply_sync([reply]))
    assert [r["status"] for r in _results(again)] == ["duplicate"]
    assert db.session.query(ReviewReply).count() == 1


def test_same_id_other_content_is_conflict(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    reply = reply_payload(made["id"])
    _sync(api, worker_a, reply_sync([reply]))
    changed = {**reply, "body": "换了说法 Said otherwise"}
    answer = _sync(api, worker_a, reply_sync([changed]))
    assert [r["status"] for r in _results(answer)] == ["conflict"]


def test_reply_to_anothers_record_is_not_yours(api, worker_a, supervisor_a, ward_a, visit):
    colleague = make_person(api, "colleague.a", "worker", [ward_a])
    made = returned(api, supervisor_a, visit["id"])
    answer = _sync(api, colleague, reply_sync([reply_payload(made["id"])]))
    [result] = _results(answer)
    assert result["status"] == "rejected" and result["errors"] == {"review_id": ["not yours"]}


def test_reply_says_something(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    answer = _sync(api, worker_a, reply_sync([reply_payload(made["id"], body=" ")]))
    [result] = _results(answer)
    assert result["status"] == "rejected" and "body" in result["errors"]


def test_reply_with_its_amendment_in_one_batch(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    amendment = amendment_payload(visit["id"])
    reply = reply_payload(made["id"], body="", amendment_id=amendment["id"])
    answer = _sync(api, worker_a, reply_sync([reply], [amendment]))
    assert [r["status"] for r in _results(answer)] == ["created"]
    replies = api.get(f"/reviews?record_kind=visit&record_id={visit['id']}", as_=supervisor_a)
    assert replies.json["reviews"][0]["replies"][0]["amendment_id"] == amendment["id"]


def test_amendment_not_yet_received_then_accepted(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    amendment = amendment_payload(visit["id"])
    reply = reply_payload(made["id"], amendment_id=amendment["id"])
    first = _sync(api, worker_a, reply_sync([reply]))
    [result] = _results(first)
    assert result["status"] == "rejected"
    assert result["errors"] == {"amendment_id": ["not yet received"]}
    second = _sync(api, worker_a, reply_sync([reply], [amendment]))
    assert [r["status"] for r in _results(second)] == ["created"]
    db.session.expire_all()
    assert db.session.get(RecordReview, uuid.UUID(made["id"])).answered_at


def test_amendment_of_another_visit_is_refused(api, worker_a, supervisor_a, resident_a, visit):
    other = upload_visit(api, worker_a, resident_a)
    made = returned(api, supervisor_a, visit["id"])
    amendment = amendment_payload(other["id"])
    reply = reply_payload(made["id"], amendment_id=amendment["id"])
    answer = _sync(api, worker_a, reply_sync([reply], [amendment]))
    [result] = _results(answer)
    assert result["status"] == "rejected" and "amendment_id" in result["errors"]


def test_a_later_reply_is_kept_and_answered_stays_first(api, worker_a, supervisor_a, visit):
    made = returned(api, supervisor_a, visit["id"])
    _sync(api, worker_a, reply_sync([reply_payload(made["id"], body="一")]))
    db.session.expire_all()
    first = db.session.get(RecordReview, uuid.UUID(made["id"])).answered_at
    _sync(api, worker_a, reply_sync([reply_payload(made["id"], body="二")]))
    db.session.expire_all()
    held = db.session.get(RecordReview, uuid.UUID(made["id"]))
    assert held.answered_at == first and [r.body for r in held.replies] == ["一", "二"]
