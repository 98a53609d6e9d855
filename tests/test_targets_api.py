"""The office's targets: everyone reads them, admins set them (audited), and the satisfaction
report judges by them and names the setting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from server.models import AuditEvent
from server.targets.settings import Targets, targets_document
from tests.visitdata import sync_body, visit_payload

DEFAULTS = targets_document(Targets())


def _put(api, person, **body):
    return api._call("PUT", "/targets", as_=person, json=body)


def test_everyone_reads_the_defaults(api, admin, supervisor_a, worker_a):
    for person in (admin, supervisor_a, worker_a):
        answer = api.get("/targets", as_=person)
        assert answer.status_code == 200, answer.json
        assert answer.json == {**DEFAULTS, "updated": {}}


def test_only_an_admin_sets_the_targets(api, admin, supervisor_a, worker_a):
    for person in (supervisor_a, worker_a):
        assert _put(api, person, satisfaction_target=0.9).status_code == 403
    answer = _put(api, admin, satisfaction_target=0.9, basically_counts_as_satisfied=False)
    assert answer.status_code == 200, answer.json
    assert answer.json["satisfaction_target"] == 0.9
    assert answer.json["basically_counts_as_satisfied"] is False
    assert answer.json["activities_per_month"] == DEFAULTS["activities_per_month"]
    assert set(answer.json["updated"]) == {"satisfaction_target", "basically_counts_as_satisfied"}
    assert answer.json["updated"]["satisfaction_target"]["updated_by"]["id"] == str(admin.user.id)
    assert api.get("/targets", as_=worker_a).json["satisfaction_target"] == 0.9


def test_a_change_of_targets_is_audited(api, admin):
    _put(api, admin, reception_days_per_month=2, meetings_per_month=2)
    event = AuditEvent.query.filter_by(entity="targets").one()
    # Only what changed: meetings were 2 already.
    assert (event.before, event.after) == (
        {"reception_days_per_month": 1},
        {"reception_days_per_month": 2},
    )
    assert event.user_id == admin.user.id


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"satisfaction_target": 1.5},
        {"satisfaction_target": -0.1},
        {"activities_per_month": 32},
        {"activities_per_month": 1.5},
        {"basically_counts_as_satisfied": "yes"},
        {"unknown_target": 1},
    ],
)
def test_targets_out_of_bounds_are_refused(api, admin, body):
    answer = _put(api, admin, **body)
    assert answer.status_code == 422, answer.json
    assert api.get("/targets", as_=admin).json == {**DEFAULTS, "updated": {}}


# --- the satisfaction report by the targets --------------------------------------------------

# Ratings per worker: (satisfied, basically satisfied, unsatisfied).
RATINGS = {"a": (8, 1, 1), "b": (2, 2, 1)}


@pytest.fixture
def rated(api, worker_a, worker_b, resident_a, resident_b):
    start = datetime.now(UTC) - timedelta(days=2)
    for name, worker, resident in (("a", worker_a, resident_a), ("b", worker_b, resident_b)):
        kinds = ["satisfied", "basically_satisfied", "unsatisfied"]
        ratings = [kind for kind, n in zip(kinds, RATINGS[name], strict=True) for _ in range(n)]
        visits = [
            visit_payload(resident, when=start + timedelta(hours=n), satisfaction=rating)
            for n, rating in enumerate(ratings)
        ]
        answer = api.post("/sync", json=sync_body(visits), as_=worker)
        assert answer.status_code == 200, answer.json
        assert {r["status"] for r in answer.json["results"]} == {"created"}


def _expected(counts: tuple[int, int, int], target: str, basically: bool) -> tuple:
    """The share and the verdict, worked out here on whole numbers."""
    satisfied, basically_satisfied, unsatisfied = counts
    rated = satisfied + basically_satisfied + unsatisfied
    good = satisfied + (basically_satisfied if basically else 0)
    return good / rated, Fraction(good, rated) >= Fraction(target)


@pytest.mark.parametrize(
    ("target", "basically"), [("0.8", True), ("0.9", True), ("0.8", False), ("0.9", False)]
)
def test_the_satisfaction_report_judges_by_the_targets(api, admin, rated, target, basically):
    _put(api, admin, satisfaction_target=float(target), basically_counts_as_satisfied=basically)
    report = api.get("/reports/satisfaction", as_=admin).json
    assert report["target"] == {
        "satisfaction_target": float(target),
        "basically_counts_as_satisfied": basically,
    }
    workers = {row["worker"]["display_name"]: row for row in report["workers"]}
    for name, display in (("a", "Worker.A"), ("b", "Worker.B")):
        share, meets = _expected(RATINGS[name], target, basically)
        assert workers[display]["satisfied_share"] == pytest.approx(share)
        assert workers[display]["meets_target"] is meets
    both = tuple(sum(column) for column in zip(*RATINGS.values(), strict=True))
    share, meets = _expected(both, target, basically)
    assert report["total"]["satisfied_share"] == pytest.approx(share)
    assert report["total"]["meets_target"] is meets
