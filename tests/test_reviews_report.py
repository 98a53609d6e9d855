"""The review report: per worker and in total, records made, reviewed, hours from receipt to
the first review (median, p90 against numpy), and how many the first review returned; the
register and visits.csv print each visit's review (docs/reviews.md)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import numpy
import pytest

from server.models import Visit
from server.people.access import Scope
from server.people.audit import Actor
from server.platform.extensions import db
from server.reviews.records import review_record
from tests.casedata import case_payload, record_payload
from tests.reviewdata import returned, review, upload_visit

# (worker, [(hours after receipt, decision), ...], voided): the reviews of each visit in order.
VISITS = [
    ("a", [(2.0, "approved")], False),
    ("a", [(5.0, "returned"), (30.0, "approved")], False),
    ("a", [], False),
    ("a", [(11.5, "returned")], False),
    ("a", [(1.0, "approved")], True),
    ("b", [(48.0, "approved")], False),
    ("b", [], False),
    ("b", [(0.25, "returned")], False),
]


def _actor(person) -> Actor:
    return Actor(user=person.user, device_id=person.device_id, scope=Scope.of(person.user))


@pytest.fixture
def reviewed(api, admin, supervisor_a, worker_a, worker_b, resident_a, resident_b):
    workers = {"a": (worker_a, resident_a), "b": (worker_b, resident_b)}
    made = []
    for who, reviews, voided in VISITS:
        worker, resident = workers[who]
        visit = upload_visit(api, worker, resident)
        received = db.session.get(Visit, uuid.UUID(visit["id"])).received_at
        for hours, decision in reviews:
            review_record(
                _actor(admin),
                "visit",
                uuid.UUID(visit["id"]),
                decision,
                "请改 Correct it" if decision == "returned" else "",
                now=received + timedelta(hours=hours),
            )
        db.session.commit()
        if voided:
            answer = api.post(f"/visits/{visit['id']}/void", as_=admin, json={"reason": "twice"})
            assert answer.status_code == 200
        made.append((who, received, reviews, voided))
    return made


def _expected(made, who: str | None = None) -> dict:
    """The figures, counted here from the table above, apart from the server's code."""
    rows = [row for row in made if not row[3] and (who is None or row[0] == who)]
    firsts = [row[2][0] for row in rows if row[2]]
    hours = [first[0] for first in firsts]
    returned_count = sum(1 for first in firsts if first[1] == "returned")
    return {
        "made": len(rows),
        "reviewed": len(firsts),
        "median_hours": round(float(numpy.median(hours)), 2),
        "p90_hours": round(float(numpy.percentile(hours, 90)), 2),
        "returned": returned_count,
        "returned_share": round(returned_count / len(firsts), 4),
        "reviewed_share": round(len(firsts) / len(rows), 4),
    }


def test_report_figures_match_an_independent_count(api, admin, reviewed):
    answer = api.get("/reports/reviews", as_=admin)
    assert answer.status_code == 200, answer.json
    total = answer.json["total"]
    for name, value in _expected(reviewed).items():
        assert total[name] == pytest.approx(value, abs=0.011), name
    by_name = {row["worker"]["display_name"]: row for row in answer.json["workers"]}
    for who, name in (("a", "Worker.A"), ("b", "Worker.B")):
        for field, value in _expected(reviewed, who).items():
            assert by_name[name][field] == pytest.approx(value, abs=0.011), (name, field)


def test_a_supervisor_reports_on_their_units_only(api, supervisor_a, reviewed):
    answer = api.get("/reports/reviews", as_=supervisor_a)
    assert [row["worker"]["display_name"] for row in answer.json["workers"]] == ["Worker.A"]
    assert answer.json["total"]["made"] == _expected(reviewed, "a")["made"]


def test_case_records_count_to_their_author(api, admin, supervisor_a, worker_a, resident_a):
    case = case_payload(resident_a)
    assert api.post("/cases", as_=worker_a, json=case).status_code == 201
    record = record_payload(case["id"], "intake")
    del record["case_id"]
    assert api.post(f"/cases/{case['id']}/records", as_=worker_a, json=record).status_code == 201
    answer = review(api, supervisor_a, record["id"], "approved", kind="case_record")
    assert answer.status_code == 201
    total = api.get("/reports/reviews", as_=admin).json["total"]
    assert (total["made"], total["reviewed"], total["returned"]) == (1, 1, 0)


def test_the_register_prints_the_review(api, supervisor_a, worker_a, resident_a):
    visit = upload_visit(api, worker_a, resident_a)
    before = api.get(f"/register?visit_id={visit['id']}", as_=supervisor_a).get_data(as_text=True)
    assert "未审核 Not reviewed" in before
    returned(api, supervisor_a, visit["id"])
    after = api.get(f"/register?visit_id={visit['id']}", as_=supervisor_a).get_data(as_text=True)
    assert "已退回 Returned" in after and "Supervisor.A" in after


def test_visits_csv_carries_the_review(api, supervisor_a, worker_a, resident_a):
    returned_visit = upload_visit(api, worker_a, resident_a)
    plain = upload_visit(api, worker_a, resident_a)
    returned(api, supervisor_a, returned_visit["id"], "缺少血压 No reading")
    answer = api.get("/exports/visits.csv", as_=supervisor_a)
    assert answer.status_code == 200
    rows = {
        row["visit_id"]: row
        for row in csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff")))
    }
    row = rows[returned_visit["id"]]
    assert row["review_state"] == "returned" and row["reviewed_by"] == "Supervisor.A"
    assert row["review_comment"] == "缺少血压 No reading" and row["reviewed_at"]
    assert rows[plain["id"]]["review_state"] == "unreviewed"
