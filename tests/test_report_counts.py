"""The per-day counts the reports add up stay exactly what counting the visits gives.

Every step goes through the real API (sync, amendments, voids, handling); after each, the
`visit_day_counts` table is compared with a slow reference that reads every visit as the
reports define it (amendments applied, voided visits left out), and the follow-up totals
with the lists they count. Migration 0005's backfill is checked against the same reference.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from server.models import FlaggedAmendment, FollowUpHandled, Visit, VisitDayCount
from server.models.reporting import COUNTS
from server.platform.extensions import db
from server.reports.day_counts import rebuild
from server.visits.read import current_content
from tests.conftest import add_resident, make_person
from tests.test_reports import OK, amend, at, observations, push
from tests.visitdata import sync_body, visit_payload


def reference() -> tuple[dict, set]:
    """Counts per (unit, day, worker) from the visits themselves, the slow way, and the
    amended visits that flag a follow-up (with what the list reads of them)."""
    handled = set(db.session.scalars(select(FollowUpHandled.visit_id)))
    counts: dict = defaultdict(Counter)
    amended = set()
    db.session.expire_all()
    for visit in db.session.scalars(select(Visit).where(Visit.voided_at.is_(None))):
        content = current_content(visit)
        flagged = content["follow_up"] or "concern" in (
            content["observations"][name] for name in ("living", "emotional", "physical")
        )
        if flagged and visit.amendments:
            amended.add((visit.id, visit.unit_id, visit.visit_date, visit.checked_in_at))
        row = counts[(visit.unit_id, visit.visit_date, visit.worker_id)]
        row["visits"] += 1
        row["qr"] += visit.identified_by == "qr"
        row["burst"] += bool(visit.presence.get("burst"))
        if visit.satisfaction:
            row[visit.satisfaction] += 1
        row["flagged"] += bool(flagged)
        row["flagged_handled"] += bool(flagged and visit.id in handled)
    return {key: {name: row[name] for name in COUNTS} for key, row in counts.items()}, amended


def stored() -> tuple[dict, set]:
    """The tables as kept, rows fallen to all zeros left out (readers skip them)."""
    db.session.expire_all()
    rows = {}
    for row in db.session.scalars(select(VisitDayCount)):
        numbers = {name: getattr(row, name) for name in COUNTS}
        if any(numbers.values()):
            rows[(row.unit_id, row.visit_date, row.worker_id)] = numbers
    listed = {
        (row.visit_id, row.unit_id, row.visit_date, row.checked_in_at)
        for row in db.session.scalars(select(FlaggedAmendment))
    }
    return rows, listed


def listed(api, person, query: str, per_page: int) -> tuple[list, int]:
    """Every follow-up a query lists, page after page, and the total it answered."""
    items, page = [], 1
    while True:
        answer = api.get(f"/followups?{query}&per_page={per_page}&page={page}", as_=person)
        assert answer.status_code == 200, answer.json
        items += [item["visit_id"] for item in answer.json["items"]]
        if len(answer.json["items"]) < per_page:
            return items, answer.json["total"]
        page += 1


def followup_lists_agree(api, person) -> None:
    """Each status's total is exactly the number of visits its pages list; small pages, in
    either order, list the same visits as one large page (amended ones merged in)."""
    for status in ("open", "handled", "all"):
        items, total = listed(api, person, f"status={status}", 200)
        assert total == len(items) == len(set(items)), status
    everything, _ = listed(api, person, "status=all", 200)
    assert listed(api, person, "status=all", 2)[0] == everything
    oldest_first = listed(api, person, "status=all&sort=checked_in_at", 2)[0]
    assert oldest_first == everything[::-1]


def check(api, admin) -> dict:
    """The kept tables equal the reference; answers the counts alone."""
    expected = reference()
    assert stored() == expected
    followup_lists_agree(api, admin)
    return expected[0]


@pytest.fixture
def people(app, api, admin, supervisor_a, worker_a, worker_b, ward_a, ward_b):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    since = {"admitted_on": "2025-01-01"}
    return {
        "colleague": make_person(api, "worker.a2", "worker", [ward_a]),
        "a": [
            add_resident(api, admin, ward_a, name=f"甲 {n}", room=f"10{n}", **since)
            for n in range(3)
        ],
        "b": [
            add_resident(api, admin, ward_b, name=f"乙 {n}", room=f"20{n}", **since)
            for n in range(6)
        ],
    }


def visit(resident, when, *, by="qr", obs=None, follow_up=False, rating=None):
    payload = visit_payload(
        resident,
        when=when,
        observations=obs or dict(OK),
        follow_up=follow_up,
        satisfaction=rating,
        identified_by=by,
    )
    if by == "manual":
        payload["qr_token"] = None
    return payload


def test_counts_follow_ingest_amendments_handling_and_voids(
    api, admin, supervisor_a, worker_a, worker_b, people
):
    a, b = people["a"], people["b"]
    assert check(api, admin) == {}

    # Ingest: flags, ratings, QR and manual, two workers on one day, a burst of five.
    v = {
        "plain": visit(a[0], at("2025-09-01"), rating="satisfied"),
        "concern": visit(
            a[1],
            at("2025-09-01", "11:00:00"),
            by="manual",
            obs=observations(emotional=1),
            rating="basically_satisfied",
        ),
        "asked": visit(a[2], at("2025-09-01", "12:00:00"), follow_up=True, rating="unsatisfied"),
        "unrated": visit(a[0], at("2025-09-02"), obs=observations(living=1, physical=1)),
        "late": visit(a[1], at("2025-09-02", "23:30:00"), rating="unsatisfied"),
    }
    push(api, worker_a, list(v.values()))
    colleague = visit(
        a[2], at("2025-09-01", "15:00:00"), rating="satisfied", obs=observations(physical=1)
    )
    push(api, people["colleague"], [colleague])
    burst = [
        visit(r, at("2025-09-10") + timedelta(seconds=8 * n), by="manual", rating="satisfied")
        for n, r in enumerate(b[:5])
    ]
    push(api, worker_b, burst)
    counts = check(api, admin)
    assert sum(row["burst"] for row in counts.values()) == 5
    assert sum(row["flagged"] for row in counts.values()) == 4

    # A replayed batch and a second version of a stored id count nothing more.
    again = api.post("/sync", json=sync_body(list(v.values())), as_=worker_a)
    assert {r["status"] for r in again.json["results"]} == {"duplicate"}
    other = {**v["plain"], "satisfaction": "unsatisfied"}
    clash = api.post("/sync", json=sync_body([other]), as_=worker_a)
    assert clash.json["results"][0]["status"] == "conflict"
    assert check(api, admin) == counts

    # Handling: a flagged visit counts among the handled; an unsatisfied one that flags
    # nothing is handled without entering the follow-up counts.
    for name in ("concern", "asked", "late"):
        answer = api.post(
            f"/followups/{v[name]['id']}/handle", json={"note": "done"}, as_=supervisor_a
        )
        assert answer.status_code == 201, answer.json
    assert (
        api.post(
            f"/followups/{v['asked']['id']}/handle", json={"note": "again"}, as_=supervisor_a
        ).status_code
        == 409
    )
    counts = check(api, admin)
    assert sum(row["flagged_handled"] for row in counts.values()) == 2

    # Amendments: clear a handled flag, raise one on a handled unflagged visit, change only
    # the text of a flagged one, clear one of two concerns (still flagged), then add back.
    amend(api, supervisor_a, v["concern"], {"observations": {"emotional": "ok"}}, "wrong")
    amend(api, supervisor_a, v["late"], {"follow_up": True}, "asked after all")
    amend(api, supervisor_a, v["asked"], {"feedback": "饭菜太咸"}, "comment")
    amend(api, supervisor_a, v["unrated"], {"observations": {"living": "ok"}}, "one only")
    check(api, admin)
    amend(api, supervisor_a, v["concern"], {"observations": {"physical": "concern"}}, "this")
    amend(api, supervisor_a, v["unrated"], {"observations": {"physical": "ok"}}, "none")
    amend(
        api,
        supervisor_a,
        v["plain"],
        {"follow_up": True, "observations": {"living": "concern"}},
        "both",
    )
    push(
        api,
        supervisor_a,
        [],
        [
            {
                "id": str(uuid.uuid4()),
                "visit_id": v["plain"]["id"],
                "changes": {"follow_up": False},
                "reason": "one of two",
            },
            {
                "id": str(uuid.uuid4()),
                "visit_id": colleague["id"],
                "changes": {"observations": {"physical": "ok"}},
                "reason": "in one batch",
            },
        ],
    )
    counts = check(api, admin)
    assert sum(row["flagged"] for row in counts.values()) == 4
    assert sum(row["flagged_handled"] for row in counts.values()) == 3

    # Voids: a handled flagged visit, an amended one, a burst member; twice is refused.
    for payload in (v["late"], v["plain"], burst[2]):
        answer = api.post(f"/visits/{payload['id']}/void", json={"reason": "twice"}, as_=admin)
        assert answer.status_code == 200, answer.json
    assert (
        api.post(f"/visits/{v['late']['id']}/void", json={"reason": "again"}, as_=admin).status_code
        == 409
    )
    # A voided visit can be neither corrected nor handled: the counts stay as they are.
    rejected = api.post(
        "/sync",
        json=sync_body(
            [],
            [
                {
                    "id": str(uuid.uuid4()),
                    "visit_id": v["plain"]["id"],
                    "changes": {"follow_up": False},
                    "reason": "too late",
                }
            ],
        ),
        as_=supervisor_a,
    )
    assert rejected.json["results"][0]["status"] == "rejected"
    assert (
        api.post(
            f"/followups/{v['plain']['id']}/handle", json={"note": "x"}, as_=supervisor_a
        ).status_code
        == 422
    )
    counts = check(api, admin)
    assert sum(row["visits"] for row in counts.values()) == 11 - 3
    assert sum(row["burst"] for row in counts.values()) == 4


def test_reports_read_the_counts(api, admin, supervisor_a, worker_a, people):
    """Satisfaction, activity and follow-up totals follow a void and an amendment."""
    a = people["a"]
    first = visit(a[0], at("2025-09-01"), rating="satisfied", obs=observations(living=1))
    second = visit(a[1], at("2025-09-01", "11:00:00"), rating="unsatisfied", by="manual")
    push(api, worker_a, [first, second])
    query = "?from=2025-09-01&to=2025-09-01"

    def figures():
        sat = api.get(f"/reports/satisfaction{query}", as_=admin).json
        act = api.get(f"/reports/activity{query}", as_=admin).json
        mine = next(row for row in act["items"] if row["worker"]["username"] == "worker.a")
        followups = api.get(f"/followups{query}", as_=supervisor_a).json["total"]
        return (
            sat["total"]["rated"],
            sat["total"]["unsatisfied"],
            len(sat["workers"]),
            mine["visits"],
            mine["qr"],
            followups,
        )

    assert figures() == (2, 1, 1, 2, 1, 1)
    amend(api, supervisor_a, first, {"observations": {"living": "ok"}}, "not so")
    assert figures() == (2, 1, 1, 2, 1, 0)
    assert (
        api.post(f"/visits/{second['id']}/void", json={"reason": "x"}, as_=admin).status_code == 200
    )
    assert figures() == (1, 0, 1, 1, 1, 0)
    assert (
        api.post(f"/visits/{first['id']}/void", json={"reason": "x"}, as_=admin).status_code == 200
    )
    # Nothing rated or visited left: the worker is listed with zeros, no unit or worker row.
    assert figures() == (0, 0, 0, 0, 0, 0)
    assert check(api, admin) == {}


def test_rebuild_and_migration_backfill_count_what_was_kept(
    app, api, admin, supervisor_a, worker_a, people
):
    a = people["a"]
    visits = [
        visit(
            a[n % 3],
            at("2025-10-01") + timedelta(hours=n),
            rating="satisfied",
            obs=observations(living=1) if n % 2 else None,
            follow_up=n == 4,
        )
        for n in range(6)
    ]
    push(api, worker_a, visits)
    amend(api, supervisor_a, visits[1], {"observations": {"living": "ok"}}, "no")
    amend(api, supervisor_a, visits[2], {"follow_up": True}, "yes")
    assert (
        api.post(
            f"/followups/{visits[2]['id']}/handle", json={"note": "ok"}, as_=supervisor_a
        ).status_code
        == 201
    )
    assert (
        api.post(f"/visits/{visits[3]['id']}/void", json={"reason": "x"}, as_=admin).status_code
        == 200
    )
    expected = check(api, admin)
    assert sum(row["flagged"] for row in expected.values()) == 3

    db.session.query(VisitDayCount).delete()
    db.session.query(FlaggedAmendment).delete()
    rebuild()
    db.session.commit()
    assert stored() == reference()
    assert len(reference()[1]) == 1

    db.session.remove()
    downgrade(revision="0004")
    upgrade()
    assert check(api, admin) == expected
