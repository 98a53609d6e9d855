"""Cases and case records over POST /api/v1/sync: exactly once, item by item, and the pull's
cases under the roster cursor (docs/cases.md, "Sync")."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from server.models import Case, CaseRecord, SyncConflict, SyncRejection, Task
from server.platform.extensions import db
from tests.casedata import body_of, case_payload, case_sync, record_payload
from tests.taskdata import results_by_id
from tests.visitdata import visit_payload


def _sync(api, person, **lists):
    answer = api.post("/sync", as_=person, json=case_sync(**lists))
    assert answer.status_code == 200, answer.json
    return answer


def _results(api, person, **lists) -> dict:
    return results_by_id(_sync(api, person, **lists))


def _pull(api, person, cursor=None) -> dict:
    return _sync(api, person, cursor=cursor).json


def _history(case: dict, *kinds: str) -> list[dict]:
    """The records of these kinds; a closure without a plan evaluates no goal."""
    planned = "plan" in kinds
    return [
        record_payload(case["id"], kind)
        if kind != "closure" or planned
        else record_payload(case["id"], kind, body_of("closure", evaluation=[]))
        for kind in kinds
    ]


def test_one_batch_opens_a_case_and_records_its_first_steps(api, worker_a, resident_a):
    case = case_payload(resident_a)
    records = _history(case, "intake", "assessment", "plan")
    results = _results(api, worker_a, cases=[case], records=records)
    assert results[case["id"]] == {"id": case["id"], "kind": "case", "status": "created"}
    assert [results[r["id"]]["status"] for r in records] == ["created"] * 3
    assert {results[r["id"]]["kind"] for r in records} == {"case_record"}
    assert db.session.get(Case, uuid.UUID(case["id"])).stage == "intervention"


def test_replayed_case_and_record_are_duplicates(api, worker_a, resident_a):
    case = case_payload(resident_a)
    records = _history(case, "intake")
    _sync(api, worker_a, cases=[case], records=records)
    again = _results(api, worker_a, cases=[case], records=records)
    assert again[case["id"]]["status"] == "duplicate"
    assert again[records[0]["id"]]["status"] == "duplicate"
    assert len(db.session.scalars(select(CaseRecord)).all()) == 1


def test_changed_copy_of_a_case_or_record_is_a_conflict(api, worker_a, resident_a):
    case = case_payload(resident_a)
    record = record_payload(case["id"], "intake")
    _sync(api, worker_a, cases=[case], records=[record])
    changed_case = {**case, "source_note": "另一个版本"}
    changed_record = {**record, "body": body_of("intake", consent={"given": True, "by": "family"})}
    results = _results(api, worker_a, cases=[changed_case], records=[changed_record])
    assert results[case["id"]]["status"] == "conflict"
    assert results[record["id"]]["status"] == "conflict"
    kinds = sorted(c.kind for c in db.session.scalars(select(SyncConflict)))
    assert kinds == ["case", "case_record"]


def test_record_before_its_case_is_rejected_then_accepted(api, worker_a, resident_a):
    case = case_payload(resident_a)
    record = record_payload(case["id"], "intake")
    early = _results(api, worker_a, records=[record])[record["id"]]
    assert early["status"] == "rejected" and early["errors"] == {"case_id": ["not yet received"]}
    rejection = db.session.scalars(select(SyncRejection)).one()
    assert rejection.kind == "case_record"
    later = _results(api, worker_a, cases=[case], records=[record])
    assert later[record["id"]]["status"] == "created"


def test_archived_case_rejects_records(api, worker_a, supervisor_a, resident_a):
    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case], records=_history(case, "intake", "assessment", "closure"))
    _sync(api, supervisor_a, records=_history(case, "signoff"))
    late = record_payload(case["id"], "contact", body_of("contact", goal_ids=[]))
    result = _results(api, worker_a, records=[late])[late["id"]]
    assert result["status"] == "rejected"
    assert result["errors"] == {"case_id": ["archived: read-only"]}


def test_worker_cannot_sign_off_over_sync(api, worker_a, resident_a):
    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case], records=_history(case, "intake", "assessment", "closure"))
    signoff = record_payload(case["id"], "signoff")
    assert _results(api, worker_a, records=[signoff])[signoff["id"]]["status"] == "rejected"


def test_case_for_a_resident_of_another_unit_is_rejected(api, worker_b, resident_a):
    case = case_payload(resident_a)
    assert _results(api, worker_b, cases=[case])[case["id"]]["status"] == "rejected"


def test_bad_items_are_rejected_alone(api, worker_a, resident_a):
    case = case_payload(resident_a)
    bad = {**record_payload(case["id"], "intake"), "body": {"register": {"problems": "x" * 5000}}}
    answer = _sync(api, worker_a, cases=[case, {"id": 3}], records=[bad, "nonsense"])
    statuses = [(r["id"], r["status"]) for r in answer.json["results"]]
    assert statuses == [
        (case["id"], "created"),
        ("", "rejected"),
        (bad["id"], "rejected"),
        ("", "rejected"),
    ]


def test_plan_steps_become_tasks_once_however_often_resent(api, worker_a, resident_a):
    case = case_payload(resident_a)
    records = _history(case, "intake", "assessment", "plan")
    for _ in range(3):
        _sync(api, worker_a, cases=[case], records=records)
    tasks = db.session.scalars(select(Task).where(Task.case_id == uuid.UUID(case["id"]))).all()
    assert len(tasks) == 1 and tasks[0].source == "case"


def test_risk_flag_raises_an_urgent_task_in_the_pull(api, worker_a, resident_a):
    case = case_payload(resident_a)
    assessment = record_payload(case["id"], "assessment", body_of("assessment", risks=["fall"]))
    answer = _sync(
        api, worker_a, cases=[case], records=[record_payload(case["id"], "intake"), assessment]
    ).json
    assert [t["priority"] for t in answer["tasks"]] == ["urgent"]


def test_contact_finds_a_visit_of_the_same_batch(api, worker_a, resident_a):
    case = case_payload(resident_a)
    visit = visit_payload(resident_a)
    contact = record_payload(
        case["id"], "contact", body_of("contact", mode="visit", visit_id=visit["id"], goal_ids=[])
    )
    records = [record_payload(case["id"], "intake"), contact]
    results = _results(api, worker_a, cases=[case], records=records, visits=[visit])
    assert results[contact["id"]]["status"] == "created"


def test_pull_carries_changed_cases_with_their_records(api, worker_a, resident_a, ward_a):
    from tests.conftest import make_person

    colleague = make_person(api, "colleague", "worker", [ward_a])
    cursor = _pull(api, colleague)["cursor"]
    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case], records=_history(case, "intake", "assessment", "plan"))
    answer = _pull(api, colleague, cursor)
    (entry,) = answer["cases"]
    assert entry["id"] == case["id"] and entry["stage"] == "intervention"
    assert entry["resident_name"] == resident_a["name"]
    assert [r["kind"] for r in entry["records"]] == ["intake", "assessment", "plan"]
    plan = entry["records"][2]
    assert plan["signed"] == {"signer": "resident", "signer_name": "王秀英"}
    assert "strokes" not in str(plan)


def test_archived_case_is_removed_from_the_pull(api, worker_a, supervisor_a, resident_a):
    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case], records=_history(case, "intake", "assessment", "closure"))
    cursor = _pull(api, worker_a)["cursor"]
    _sync(api, supervisor_a, records=_history(case, "signoff"))
    answer = _pull(api, worker_a, cursor)
    assert answer["cases"] == [] and answer["removed"]["cases"] == [case["id"]]


def test_reset_resends_every_open_case(api, worker_a, resident_a):
    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case], records=_history(case, "intake"))
    first = _pull(api, worker_a)
    again = _pull(api, worker_a)  # no cursor: a reset
    assert again["reset"] is True
    assert [c["id"] for c in again["cases"]] == [c["id"] for c in first["cases"]] == [case["id"]]


def test_case_of_another_unit_is_not_pulled(api, worker_a, worker_b, resident_a):
    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case])
    assert _pull(api, worker_b)["cases"] == []


def test_pull_with_nothing_changed_reads_no_cases(api, worker_a, resident_a):
    from tests.conftest import statements_run

    case = case_payload(resident_a)
    _sync(api, worker_a, cases=[case])
    cursor = _pull(api, worker_a)["cursor"]
    with statements_run() as statements:
        answer = _pull(api, worker_a, cursor)
    assert answer["cases"] == []
    assert not [s for s in statements if "FROM cases" in s]


def test_too_many_cases_is_refused(api, worker_a, resident_a, app):
    limit = app.config["SYNC_MAX_VISITS"]
    answer = api.post(
        "/sync", as_=worker_a, json=case_sync(cases=[case_payload(resident_a)] * (limit + 1))
    )
    assert answer.status_code == 413
