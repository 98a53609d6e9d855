"""Reading visits: amendments applied and listed, voids, signatures as SVG, access rules."""

import uuid
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from tests.visitdata import signature_strokes, sync_body, visit_payload


def record(api, person, resident, **overrides) -> dict:
    visit = visit_payload(resident, **overrides)
    answer = api.post("/sync", json=sync_body([visit]), as_=person)
    assert answer.json["results"][0]["status"] == "created", answer.json
    return visit


def amend(api, person, visit, changes, reason="typo", amendment_id=None):
    amendment = {
        "id": amendment_id or str(uuid.uuid4()),
        "visit_id": visit["id"],
        "changes": changes,
        "reason": reason,
    }
    answer = api.post("/sync", json=sync_body(amendments=[amendment]), as_=person)
    return amendment, answer.json["results"][0]


def test_visit_reads_back_as_recorded(api, worker_a, resident_a):
    visit = record(api, worker_a, resident_a)
    read = api.get(f"/visits/{visit['id']}", as_=worker_a).json
    assert read["observations"] == visit["observations"]
    assert read["service_given"] == visit["service_given"]
    assert read["satisfaction"] == "satisfied"
    assert read["worker"]["id"] == str(worker_a.user.id)
    assert read["signature"]["signer"] == "resident"
    assert read["presence"]["identified_by"] == "qr"
    assert read["amendments"] == [] and read["original"] is None and read["voided"] is None


def test_amendment_applies_on_read_and_keeps_the_original(api, worker_a, resident_a):
    visit = record(api, worker_a, resident_a)
    amendment, result = amend(
        api,
        worker_a,
        visit,
        {"observations": {"physical": "concern"}, "follow_up": False},
        reason="forgot the bruise",
    )
    assert result["status"] == "created"
    read = api.get(f"/visits/{visit['id']}", as_=worker_a).json
    assert read["observations"]["physical"] == "concern"
    assert read["observations"]["emotional"] == "concern"
    assert read["follow_up"] is False
    assert read["original"]["observations"]["physical"] == "ok"
    assert read["amendments"][0]["reason"] == "forgot the bruise"
    assert read["amendments"][0]["id"] == amendment["id"]


def test_replayed_amendment_is_duplicate_and_changed_one_conflict(api, worker_a, resident_a):
    visit = record(api, worker_a, resident_a)
    amendment, _ = amend(api, worker_a, visit, {"feedback": "ok"})
    _, again = amend(api, worker_a, visit, {"feedback": "ok"}, amendment_id=amendment["id"])
    assert again["status"] == "duplicate"
    _, other = amend(api, worker_a, visit, {"feedback": "else"}, amendment_id=amendment["id"])
    assert other["status"] == "conflict"


def test_amendment_before_its_visit_is_rejected_then_accepted(api, worker_a, resident_a):
    visit = visit_payload(resident_a)
    amendment = {
        "id": str(uuid.uuid4()),
        "visit_id": visit["id"],
        "changes": {"feedback": "later"},
        "reason": "x",
    }
    early = api.post("/sync", json=sync_body(amendments=[amendment]), as_=worker_a).json
    assert early["results"][0]["status"] == "rejected"
    assert "send it first" in early["results"][0]["errors"]["visit_id"][0]
    both = api.post("/sync", json=sync_body([visit], [amendment]), as_=worker_a).json
    assert [r["status"] for r in both["results"]] == ["created", "created"]


def test_amendment_needs_a_reason_and_a_change(api, worker_a, resident_a):
    visit = record(api, worker_a, resident_a)
    _, no_reason = amend(api, worker_a, visit, {"feedback": "x"}, reason="")
    assert "reason" in no_reason["errors"]
    _, nothing = amend(api, worker_a, visit, {})
    assert nothing["status"] == "rejected"
    _, not_amendable = amend(api, worker_a, visit, {"satisfaction": "unsatisfied"})
    assert not_amendable["status"] == "rejected"


def test_only_the_author_or_a_supervisor_amends(api, worker_a, supervisor_a, ward_a, resident_a):
    from tests.conftest import make_person

    visit = record(api, worker_a, resident_a)
    colleague = make_person(api, "colleague", "worker", [ward_a])
    assert amend(api, colleague, visit, {"feedback": "x"})[1]["status"] == "rejected"
    assert amend(api, supervisor_a, visit, {"feedback": "x"})[1]["status"] == "created"


def test_old_visits_are_corrected_by_supervisors_only(api, worker_a, supervisor_a, resident_a):
    old = datetime.now(UTC) - timedelta(days=15)
    visit = record(api, worker_a, resident_a, when=old)
    _, by_worker = amend(api, worker_a, visit, {"feedback": "x"})
    assert "supervisor" in by_worker["errors"]["visit_id"][0]
    assert amend(api, supervisor_a, visit, {"feedback": "x"})[1]["status"] == "created"


def test_supervisor_voids_with_a_reason_and_it_stays_readable(
    api, worker_a, supervisor_a, resident_a
):
    visit = record(api, worker_a, resident_a)
    answer = api.post(
        f"/visits/{visit['id']}/void", json={"reason": "recorded twice"}, as_=supervisor_a
    )
    assert answer.status_code == 200
    assert answer.json["voided"]["reason"] == "recorded twice"
    assert api.get(f"/visits/{visit['id']}", as_=worker_a).json["voided"] is not None
    again = api.post(f"/visits/{visit['id']}/void", json={"reason": "x"}, as_=supervisor_a)
    assert again.status_code == 409


def test_voided_visit_no_longer_counts_on_the_roster(api, worker_a, supervisor_a, resident_a):
    visit = record(api, worker_a, resident_a)
    api.post(f"/visits/{visit['id']}/void", json={"reason": "wrong resident"}, as_=supervisor_a)
    roster = api.post("/sync", json=sync_body(), as_=worker_a).json
    assert roster["residents"][0]["coverage"]["days_visited"] == 0


def test_workers_cannot_void_and_void_needs_a_reason(api, worker_a, supervisor_a, resident_a):
    visit = record(api, worker_a, resident_a)
    assert (
        api.post(f"/visits/{visit['id']}/void", json={"reason": "x"}, as_=worker_a).status_code
        == 403
    )
    assert (
        api.post(f"/visits/{visit['id']}/void", json={"reason": ""}, as_=supervisor_a).status_code
        == 422
    )


def test_signature_svg_draws_every_stroke(api, worker_a, resident_a):
    visit = record(api, worker_a, resident_a)
    answer = api.get(f"/visits/{visit['id']}/signature.svg", as_=worker_a)
    assert answer.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(answer.data)
    paths = root.findall(".//{http://www.w3.org/2000/svg}path")
    assert len(paths) == len(signature_strokes(40))
    first = signature_strokes(40)[0]
    assert paths[0].get("d").startswith(f"M{first[0]} {first[1]} L{first[2]} {first[3]}")


def test_visits_of_another_unit_are_404(api, worker_a, worker_b, resident_a):
    visit = record(api, worker_a, resident_a)
    assert api.get(f"/visits/{visit['id']}", as_=worker_b).status_code == 404
    assert api.get(f"/visits/{visit['id']}/signature.svg", as_=worker_b).status_code == 404
    assert api.get("/visits", as_=worker_b).json["total"] == 0


def test_visit_list_filters(api, worker_a, supervisor_a, resident_a, admin, ward_a):
    from tests.conftest import add_resident

    other = add_resident(api, admin, ward_a, name="陈明德")
    monday = datetime(2026, 11, 16, 2, tzinfo=UTC)
    record(api, worker_a, resident_a, when=monday)
    record(api, worker_a, other, when=monday + timedelta(days=3))
    listed = api.get(f"/visits?resident_id={resident_a['id']}", as_=supervisor_a).json
    assert listed["total"] == 1
    ranged = api.get("/visits?from=2026-11-18&to=2026-11-22", as_=supervisor_a).json
    assert [v["resident_id"] for v in ranged["items"]] == [other["id"]]
    by_worker = api.get(f"/visits?worker_id={worker_a.user.id}", as_=supervisor_a).json
    assert by_worker["total"] == 2
