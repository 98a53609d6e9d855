"""A refused sync item says why as codes, as the API's problems do, so the phone tells the
worker in their own language (docs/api-contract.md, "Field codes")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.taskdata import event_payload, results_by_id, task_sync
from tests.visitdata import sync_body, visit_payload


def _only_result(answer) -> dict:
    assert answer.status_code == 200, answer.json
    [result] = answer.json["results"]
    return result


def test_a_visit_refused_by_its_schema_names_each_fields_code(api, worker_a, resident_a):
    bad = visit_payload(resident_a, satisfaction="ecstatic", service_given="x" * 5000)
    result = _only_result(api.post("/sync", json=sync_body([bad]), as_=worker_a))
    assert result["status"] == "rejected"
    codes = result["codes"]
    assert set(codes) == set(result["errors"])
    assert codes["satisfaction"][0]["code"] == "one_of"
    assert codes["satisfaction"][0]["choices"] == [
        "satisfied",
        "basically_satisfied",
        "unsatisfied",
    ]
    assert codes["service_given"][0]["code"] == "length"
    assert codes["service_given"][0]["message"] == result["errors"]["service_given"][0]


def test_a_visit_for_a_resident_of_another_unit_is_out_of_scope(api, worker_a, resident_b):
    result = _only_result(
        api.post("/sync", json=sync_body([visit_payload(resident_b)]), as_=worker_a)
    )
    assert result["codes"]["resident_id"][0]["code"] == "out_of_scope"


def test_a_check_in_from_too_far_back_is_too_old_with_its_days(api, worker_a, resident_a):
    old = datetime.now(UTC) - timedelta(days=200)
    visit = visit_payload(resident_a, when=old)
    result = _only_result(api.post("/sync", json=sync_body([visit]), as_=worker_a))
    assert result["codes"]["checked_in_at"] == [
        {"code": "too_old", "days": 90, "message": result["errors"]["checked_in_at"][0]}
    ]


def test_an_event_before_its_task_is_not_yet_received_in_words_and_code(api, worker_a, resident_a):
    event = event_payload("3b1f0f3e-8d7a-4a53-9f7e-2f0a0c9a1d01", "noted", {"note": "seen"})
    answer = api.post("/sync", json=task_sync(events=[event]), as_=worker_a)
    result = results_by_id(answer)[event["id"]]
    assert result["errors"] == {"task_id": ["not yet received"]}
    assert result["codes"]["task_id"][0]["code"] == "not_yet_received"


def test_an_accepted_item_carries_no_codes(api, worker_a, resident_a):
    result = _only_result(
        api.post("/sync", json=sync_body([visit_payload(resident_a)]), as_=worker_a)
    )
    assert result["status"] == "created" and "codes" not in result
