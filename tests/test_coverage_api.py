"""The coverage board, its history and the policies, asked for by the people who use them."""

from __future__ import annotations

import importlib
import uuid
from datetime import date

import pytest
from sqlalchemy import select, update

from server.coverage import roster_coverage
from server.coverage.board import BOARD_SORTS
from server.coverage.evaluate import RESIDENT_COLUMNS
from server.models import CoverageState, Resident
from server.platform.extensions import db
from tests.conftest import add_resident, make_person, statements_run
from tests.test_coverage_support import (
    at,
    counts_of_the_stored_results,
    kept_counts,
    refresh,
    result,
    set_policies,
    sync_visit,
    void,
)

# server.coverage.board is also the name of the board function: import the module itself.
board_module = importlib.import_module("server.coverage.board")
walked_rows = board_module._walked_rows


@pytest.fixture
def board(app, api, admin, worker_a, ward_a, ward_b):
    """Ward A: one resident visited twice this week, one not at all; ward B: one resident."""
    app.config["TIMEZONE"] = "Asia/Shanghai"
    seen = add_resident(api, admin, ward_a, name="王桂英", admitted_on="2026-01-05")
    unseen = add_resident(api, admin, ward_a, name="李秀英", admitted_on="2026-01-05")
    other = add_resident(api, admin, ward_b, name="Arthur Lee", admitted_on="2026-01-05")
    sync_visit(api, worker_a, seen, "2026-11-16T09:00+08:00")
    sync_visit(api, worker_a, seen, "2026-11-18T09:00+08:00")
    refresh("2026-11-21T09:00+08:00")
    return {"seen": seen, "unseen": unseen, "other": other}


def test_board_answers_the_documented_shape(api, supervisor_a, worker_a, board, ward_a):
    answer = api.get("/coverage?week=2026-W47", as_=supervisor_a)
    assert answer.status_code == 200
    body = answer.json
    assert body["period"] == "2026-W47" and body["evaluated_at"]
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 50)
    assert body["units"] == [
        {
            "unit_id": str(ward_a.id),
            "residents": 2,
            "met": 1,
            "on_track": 0,
            "at_risk": 1,
            "missed": 0,
        }
    ]
    rows = {row["name"]: row for row in body["residents"]}
    assert set(rows) == {"王桂英", "李秀英"}  # ward B is not the supervisor's
    assert rows["王桂英"] == {
        "resident_id": board["seen"]["id"],
        "name": "王桂英",
        "unit_id": str(ward_a.id),
        "required": 2,
        "days_visited": 2,
        "last_visit_at": "2026-11-18T01:00:00+00:00",
        "status": "met",
        "last_visit_by": {
            "id": str(worker_a.user.id),
            "display_name": "Worker.A",
            "username": "worker.a",
        },
    }
    assert rows["李秀英"]["status"] == "at_risk" and rows["李秀英"]["last_visit_at"] is None
    assert rows["李秀英"]["last_visit_by"] is None


def test_admin_sees_every_unit_and_may_filter(api, admin, board, ward_b):
    everything = api.get("/coverage?week=2026-W47", as_=admin).json
    assert len(everything["units"]) == 2 and len(everything["residents"]) == 3
    one = api.get(f"/coverage?week=2026-W47&unit_id={ward_b.id}", as_=admin).json
    assert [row["name"] for row in one["residents"]] == ["Arthur Lee"]


def test_a_worker_sees_their_units_and_not_others(api, worker_a, worker_b, board, ward_a):
    mine = api.get("/coverage?week=2026-W47", as_=worker_a).json
    assert {row["unit_id"] for row in mine["residents"]} == {str(ward_a.id)}
    assert api.get(f"/coverage?unit_id={ward_a.id}", as_=worker_b).status_code == 404
    theirs = api.get("/coverage?week=2026-W47", as_=worker_b).json
    assert [row["name"] for row in theirs["residents"]] == ["Arthur Lee"]


@pytest.mark.parametrize(
    "query",
    [
        "week=2026-48",
        "week=2026-W54",
        "month=2026-13",
        "week=2026-W47&month=2026-11",
        "unit_id=nope",
    ],
)
def test_bad_periods_are_refused(api, supervisor_a, query):
    assert api.get(f"/coverage?{query}", as_=supervisor_a).status_code == 422


@pytest.fixture
def crowd(app, api, admin, supervisor_a, worker_a, ward_a, ward_b):
    """Ward A on Saturday of 2026-W47 under a rule of 2 a week (Dan: 3), one of each status:

    Ada met (Mon by Worker.A, Wed by Worker.A2; a Thursday visit voided), Bea on track (Tue,
    Worker.A), Eve on track (Thu, Worker.A2), Cal at risk (never visited), Gus at risk (seen
    the week before, by Worker.A), Abe at risk but one day short (seen this morning, by
    Worker.A2: only Sunday is left), Dan missed (needs 3, two days left). Ward B: Fay at risk.
    """
    app.config["TIMEZONE"] = "Asia/Shanghai"
    worker_a2 = make_person(api, "worker.a2", "worker", [ward_a])
    people = {
        name: add_resident(api, admin, ward_a, name=name, admitted_on="2026-01-05")
        for name in ("Gus", "Eve", "Dan", "Cal", "Bea", "Ada", "Abe")
    }
    people["Fay"] = add_resident(api, admin, ward_b, name="Fay", admitted_on="2026-01-05")
    set_policies(api, admin, residents=[(people["Dan"]["id"], 3, "week")])
    sync_visit(api, worker_a, people["Gus"], "2026-11-12T10:00+08:00")
    sync_visit(api, worker_a, people["Ada"], "2026-11-16T09:00+08:00")
    sync_visit(api, worker_a2, people["Ada"], "2026-11-18T09:00+08:00")
    void(api, supervisor_a, sync_visit(api, worker_a, people["Ada"], "2026-11-19T09:00+08:00"))
    sync_visit(api, worker_a, people["Bea"], "2026-11-17T15:30+08:00")
    sync_visit(api, worker_a2, people["Eve"], "2026-11-19T11:00+08:00")
    sync_visit(api, worker_a2, people["Abe"], "2026-11-21T08:00+08:00")
    refresh("2026-11-21T09:00+08:00")
    return {
        "people": people,
        "ids": {name: person["id"] for name, person in people.items()},
        "worker_a": worker_a,
        "worker_a2": worker_a2,
    }


def names(api, person, query: str = "") -> list[str]:
    answer = api.get(f"/coverage?week=2026-W47{query}", as_=person)
    assert answer.status_code == 200, answer.json
    return [row["name"] for row in answer.json["residents"]]


def test_missed_and_at_risk_come_first_by_default(api, supervisor_a, crowd, ward_a):
    body = api.get("/coverage?week=2026-W47", as_=supervisor_a).json
    assert [
        (row["name"], row["status"], row["days_visited"], row["required"])
        for row in body["residents"]
    ] == [
        ("Dan", "missed", 0, 3),
        ("Cal", "at_risk", 0, 2),
        ("Gus", "at_risk", 0, 2),
        ("Abe", "at_risk", 1, 2),
        ("Bea", "on_track", 1, 2),
        ("Eve", "on_track", 1, 2),
        ("Ada", "met", 2, 2),
    ]
    assert (body["total"], body["page"], body["per_page"]) == (7, 1, 50)
    assert body["units"] == [
        {
            "unit_id": str(ward_a.id),
            "residents": 7,
            "met": 1,
            "on_track": 2,
            "at_risk": 3,
            "missed": 1,
        }
    ]
    assert names(api, supervisor_a, "&sort=priority") == [
        "Dan",
        "Cal",
        "Gus",
        "Abe",
        "Bea",
        "Eve",
        "Ada",
    ]


def test_the_board_says_who_made_the_last_visit(api, supervisor_a, crowd):
    rows = {
        row["name"]: row
        for row in api.get("/coverage?week=2026-W47", as_=supervisor_a).json["residents"]
    }
    a, a2 = crowd["worker_a"].user, crowd["worker_a2"].user
    worker = {"id": str(a.id), "display_name": "Worker.A", "username": "worker.a"}
    worker2 = {"id": str(a2.id), "display_name": "Worker.A2", "username": "worker.a2"}
    # Ada's Thursday visit was voided: Wednesday's, by Worker.A2, is her last.
    assert rows["Ada"]["last_visit_at"] == "2026-11-18T01:00:00+00:00"
    assert rows["Ada"]["last_visit_by"] == worker2
    assert rows["Bea"]["last_visit_at"] == "2026-11-17T07:30:00+00:00"
    assert rows["Bea"]["last_visit_by"] == worker
    assert rows["Eve"]["last_visit_by"] == worker2
    assert rows["Abe"]["last_visit_at"] == "2026-11-21T00:00:00+00:00"
    assert rows["Abe"]["last_visit_by"] == worker2
    # Seen only the week before: that visit is the last one, and so is its worker.
    assert rows["Gus"]["last_visit_at"] == "2026-11-12T02:00:00+00:00"
    assert rows["Gus"]["last_visit_by"] == worker
    assert rows["Cal"]["last_visit_at"] is None and rows["Cal"]["last_visit_by"] is None


def test_the_visitor_is_of_the_visit_the_board_counted(api, supervisor_a, crowd):
    """Between two refreshes the board shows its last count: "last visit" and "by" name the
    same visit, and a visit voided since names nobody."""

    def row(name: str) -> dict:
        body = api.get("/coverage?week=2026-W47&sort=name", as_=supervisor_a).json
        return next(item for item in body["residents"] if item["name"] == name)

    visit = sync_visit(api, crowd["worker_a2"], crowd["people"]["Bea"], "2026-11-21T09:30+08:00")
    assert row("Bea")["last_visit_at"] == "2026-11-17T07:30:00+00:00"
    assert row("Bea")["last_visit_by"]["username"] == "worker.a"
    refresh("2026-11-21T10:00+08:00")
    assert row("Bea")["last_visit_at"] == "2026-11-21T01:30:00+00:00"
    assert row("Bea")["last_visit_by"]["username"] == "worker.a2"
    void(api, supervisor_a, visit)
    assert row("Bea")["last_visit_by"] is None
    refresh("2026-11-21T10:30+08:00")
    assert row("Bea")["last_visit_at"] == "2026-11-17T07:30:00+00:00"
    assert row("Bea")["last_visit_by"]["username"] == "worker.a"


def test_the_visitor_of_an_earlier_week(api, supervisor_a, crowd):
    worker = {
        "id": str(crowd["worker_a"].user.id),
        "display_name": "Worker.A",
        "username": "worker.a",
    }
    # The week before, Ada had not been visited yet; Gus had, by Worker.A.
    refresh("2026-11-14T09:00+08:00")
    before = {
        row["name"]: row
        for row in api.get("/coverage?week=2026-W46", as_=supervisor_a).json["residents"]
    }
    assert before["Ada"]["last_visit_by"] is None
    assert before["Gus"]["last_visit_by"] == worker


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Abe", "Ada", "Bea", "Cal", "Dan", "Eve", "Gus"]),
        ("-name", ["Gus", "Eve", "Dan", "Cal", "Bea", "Ada", "Abe"]),
        ("last_visit", ["Cal", "Dan", "Gus", "Bea", "Ada", "Eve", "Abe"]),
        ("-last_visit", ["Abe", "Eve", "Ada", "Bea", "Gus", "Cal", "Dan"]),
        ("days_visited", ["Cal", "Dan", "Gus", "Abe", "Bea", "Eve", "Ada"]),
        ("-days_visited", ["Ada", "Abe", "Bea", "Eve", "Cal", "Dan", "Gus"]),
    ],
)
def test_the_board_sorts_on_the_server(api, supervisor_a, crowd, sort, expected):
    assert names(api, supervisor_a, f"&sort={sort}") == expected


def test_the_board_pages_and_counts_the_whole_unit(api, supervisor_a, crowd, ward_a):
    second = api.get("/coverage?week=2026-W47&per_page=2&page=2", as_=supervisor_a).json
    assert [row["name"] for row in second["residents"]] == ["Gus", "Abe"]
    assert (second["total"], second["page"], second["per_page"]) == (7, 2, 2)
    assert second["units"][0]["residents"] == 7
    assert names(api, supervisor_a, "&per_page=2&page=3") == ["Bea", "Eve"]
    assert names(api, supervisor_a, "&per_page=2&page=4") == ["Ada"]
    beyond = api.get("/coverage?week=2026-W47&per_page=2&page=5", as_=supervisor_a).json
    assert beyond["residents"] == [] and beyond["total"] == 7


@pytest.mark.parametrize("query", ["", "&status=at_risk&status=on_track"])
def test_priority_pages_of_every_size_add_up_to_the_whole_list(api, supervisor_a, crowd, query):
    whole = names(api, supervisor_a, query)
    for size in range(1, len(whole) + 1):
        pages = [
            names(api, supervisor_a, f"{query}&per_page={size}&page={number}")
            for number in range(1, len(whole) // size + 3)
        ]
        assert [name for page in pages for name in page] == whole, size


@pytest.mark.parametrize("query", ["", "&status=at_risk&status=on_track"])
@pytest.mark.parametrize("sort", BOARD_SORTS)
def test_walking_residents_by_name_pages_as_the_sort_does(
    monkeypatch, api, admin, ward_a, supervisor_a, crowd, sort, query
):
    """A large group is read by walking residents in name order, and a page deeper than the
    walk may go is sorted by the database again. Forced on for every group, a resident or
    two at a time, every page of every sort is the page the database's sort gives, namesakes
    included, and so is every page of a walk cut short."""
    for _ in range(2):
        add_resident(api, admin, ward_a, name="Bea", admitted_on="2026-01-05")
    refresh("2026-11-21T09:00+08:00")

    def every_page(person) -> list[list[str]]:
        return [
            names(api, person, f"&sort={sort}{query}&per_page={size}&page={number}")
            for size in (1, 3, 50)
            for number in range(1, 11 // size + 3)
        ]

    people = (supervisor_a, admin)
    sorted_pages = [every_page(person) for person in people]
    walks = []
    monkeypatch.setattr(board_module, "WALK_FROM", 1)
    monkeypatch.setattr(board_module, "WALK_CHUNK", (1, 2))
    monkeypatch.setattr(
        board_module, "_walked_rows", lambda *args: walks.append(args) or walked_rows(*args)
    )
    assert [every_page(person) for person in people] == sorted_pages
    assert walks
    monkeypatch.setattr(board_module, "WALK_AT_MOST", 4)
    assert [every_page(person) for person in people] == sorted_pages


def test_the_board_filters_by_status(api, supervisor_a, crowd, ward_a):
    body = api.get("/coverage?week=2026-W47&status=at_risk&status=missed", as_=supervisor_a).json
    assert [row["name"] for row in body["residents"]] == ["Dan", "Cal", "Gus", "Abe"]
    assert body["total"] == 4
    # The unit counts still cover every status.
    assert body["units"] == [
        {
            "unit_id": str(ward_a.id),
            "residents": 7,
            "met": 1,
            "on_track": 2,
            "at_risk": 3,
            "missed": 1,
        }
    ]
    assert names(api, supervisor_a, "&status=on_track&sort=-name") == ["Eve", "Bea"]
    paged = api.get(
        "/coverage?week=2026-W47&status=at_risk&per_page=1&page=2", as_=supervisor_a
    ).json
    assert [row["name"] for row in paged["residents"]] == ["Gus"] and paged["total"] == 3


def test_each_role_sees_its_own_units_on_the_board(
    api, admin, worker_a, worker_b, supervisor_a, crowd, ward_a, ward_b
):
    everything = api.get("/coverage?week=2026-W47&status=at_risk", as_=admin).json
    assert [row["name"] for row in everything["residents"]] == ["Cal", "Fay", "Gus", "Abe"]
    assert everything["total"] == 4 and len(everything["units"]) == 2
    assert names(api, worker_a) == ["Dan", "Cal", "Gus", "Abe", "Bea", "Eve", "Ada"]
    theirs = api.get("/coverage?week=2026-W47", as_=worker_b).json
    assert [row["name"] for row in theirs["residents"]] == ["Fay"] and theirs["total"] == 1
    assert [unit["unit_id"] for unit in theirs["units"]] == [str(ward_b.id)]
    for person, other in ((supervisor_a, ward_b), (worker_b, ward_a)):
        assert api.get(f"/coverage?week=2026-W47&unit_id={other.id}", as_=person).status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=late", "status"),
        ("status=met&status=nope", "status"),
        ("sort=age", "sort"),
        ("sort=-priority", "sort"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
    ],
)
def test_bad_board_parameters_are_refused(api, supervisor_a, query, field):
    answer = api.get(f"/coverage?week=2026-W47&{query}", as_=supervisor_a)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert field in answer.json["errors"]


def test_a_late_visit_moves_the_counts_of_its_closed_week(api, worker_a, supervisor_a, board):
    """The board's counts of a closed week follow a visit synced after the week closed."""
    refresh("2026-11-24T09:00+08:00")  # closes 2026-W47
    before = api.get("/coverage?week=2026-W47&sort=days_visited", as_=supervisor_a).json
    sync_visit(api, worker_a, board["unseen"], "2026-11-20T10:00+08:00")
    refresh("2026-11-24T09:30+08:00")
    after = api.get("/coverage?week=2026-W47&sort=days_visited", as_=supervisor_a).json
    assert [(row["name"], row["days_visited"]) for row in before["residents"]] == [
        ("李秀英", 0),
        ("王桂英", 2),
    ]
    assert [(row["name"], row["days_visited"]) for row in after["residents"]] == [
        ("李秀英", 1),
        ("王桂英", 2),
    ]
    assert kept_counts() == counts_of_the_stored_results()


def test_a_pass_leaves_unchanged_rows_alone_and_the_board_says_when_it_counted(
    api, admin, worker_a, supervisor_a, board
):
    """A full pass judges everyone again; rows it finds as they were are not rewritten, so
    their evaluated_at is when their values last changed, while the board's is the last pass."""
    db.session.execute(update(CoverageState).values(periods=[]))  # as after a new default
    db.session.commit()
    assert refresh("2026-11-21T09:30+08:00")["full"] is True
    assert result(board["seen"], "2026-W47").evaluated_at == at("2026-11-21T09:00+08:00")
    board_at = api.get("/coverage?week=2026-W47", as_=supervisor_a).json["evaluated_at"]
    assert board_at == "2026-11-21T01:30:00+00:00"

    sync_visit(api, worker_a, board["unseen"], "2026-11-21T10:00+08:00")
    refresh("2026-11-21T10:15+08:00")
    assert result(board["unseen"], "2026-W47").evaluated_at == at("2026-11-21T10:15+08:00")
    assert result(board["seen"], "2026-W47").evaluated_at == at("2026-11-21T09:00+08:00")
    assert kept_counts() == counts_of_the_stored_results()


def test_a_refresh_that_changes_no_result_does_not_count_again(api, worker_a, supervisor_a, board):
    """The visits of the last run are read again through the overlap and judged as they were:
    the board's counts are not regrouped (100,000 rows a week), only counted as of now."""

    def recounts(statements: list[str]) -> int:
        return sum("INSERT INTO coverage_counts" in statement for statement in statements)

    with statements_run() as statements:
        answer = refresh("2026-11-21T09:15+08:00")
    assert answer["evaluated"] > 0  # the board's two visits, read again
    assert recounts(statements) == 0
    board_at = api.get("/coverage?week=2026-W47", as_=supervisor_a).json["evaluated_at"]
    assert board_at == "2026-11-21T01:15:00+00:00"
    assert kept_counts() == counts_of_the_stored_results()

    sync_visit(api, worker_a, board["unseen"], "2026-11-21T09:20+08:00")
    with statements_run() as statements:
        refresh("2026-11-21T09:30+08:00")
    assert recounts(statements) == 1
    assert kept_counts() == counts_of_the_stored_results()


def test_history_gives_the_share_met_per_unit_and_week(api, supervisor_a, board, ward_a):
    answer = api.get("/coverage/history?weeks=3", as_=supervisor_a)
    assert answer.status_code == 200
    body = answer.json
    assert len(body["weeks"]) == 3
    assert [unit["unit_id"] for unit in body["units"]] == [str(ward_a.id)]
    by_week = {week["period"]: week for week in body["units"][0]["weeks"]}
    assert by_week["2026-W47"] == {"period": "2026-W47", "residents": 2, "met": 1, "share_met": 0.5}


def test_history_of_weeks_without_results_has_no_share(app, api, supervisor_a, ward_a):
    body = api.get("/coverage/history?weeks=2", as_=supervisor_a).json
    assert all(week["share_met"] is None for week in body["units"][0]["weeks"])


def test_policies_default_to_two_a_week(api, worker_a):
    assert api.get("/coverage/policies", as_=worker_a).json == {
        "default": {"required": 2, "period": "week"},
        "care_levels": [],
        "residents": [],
    }


def test_only_admins_change_policies(api, admin, supervisor_a, resident_a):
    body = {
        "default": {"required": 3, "period": "week"},
        "care_levels": [{"care_level": "home", "required": 1, "period": "month"}],
        "residents": [{"resident_id": resident_a["id"], "required": 1, "period": "week"}],
    }
    assert api._call("PUT", "/coverage/policies", json=body, as_=supervisor_a).status_code == 403
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 200
    assert answer.json == body
    assert api.get("/coverage/policies", as_=supervisor_a).json == body


def test_a_supervisor_sees_overrides_of_their_units_only(api, admin, supervisor_a, resident_b):
    set_policies(api, admin, residents=[(resident_b["id"], 1, "week")])
    assert api.get("/coverage/policies", as_=supervisor_a).json["residents"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"default": {"required": 8, "period": "week"}},
        {"default": {"required": 2, "period": "fortnight"}},
        {
            "default": {"required": 2},
            "care_levels": [{"care_level": "a", "required": 1}, {"care_level": "a", "required": 2}],
        },
        {
            "default": {"required": 2},
            "residents": [{"resident_id": "00000000-0000-4000-8000-000000000000", "required": 1}],
        },
        {"care_levels": []},
    ],
)
def test_bad_policies_are_refused(api, admin, body):
    answer = api._call("PUT", "/coverage/policies", json=body, as_=admin)
    assert answer.status_code == 422, answer.json


def test_the_phone_count_follows_the_policy(app, api, admin, worker_a, ward_a):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    set_policies(api, admin, care_levels=[("full_care", 3, "week"), ("home", 1, "month")])
    resident = add_resident(api, admin, ward_a, care_level="full_care", admitted_on="2026-01-05")
    client = add_resident(api, admin, ward_a, care_level="home", admitted_on="2026-01-05")
    sync_visit(api, worker_a, resident, "2026-11-17T09:00+08:00")
    sync_visit(api, worker_a, resident, "2026-11-17T10:00+08:00")
    rows = db.session.execute(
        select(*RESIDENT_COLUMNS).where(
            Resident.id.in_([uuid.UUID(resident["id"]), uuid.UUID(client["id"])])
        )
    ).all()
    counts = roster_coverage(rows, date(2026, 11, 19))
    assert counts[uuid.UUID(resident["id"])]["week"] == "2026-W47"
    assert counts[uuid.UUID(resident["id"])]["required"] == 3
    assert counts[uuid.UUID(resident["id"])]["days_visited"] == 1
    assert counts[uuid.UUID(client["id"])] == {
        "week": "2026-11",
        "required": 1,
        "days_visited": 0,
        "last_visit_at": None,
    }


def test_the_phone_count_names_the_last_visit_even_one_before_this_period(
    app, api, admin, supervisor_a, worker_a, ward_a
):
    """Days come from this week and month; the last visit may be older, and a voided one
    is not it."""
    app.config["TIMEZONE"] = "Asia/Shanghai"
    seen_in_october = add_resident(api, admin, ward_a, admitted_on="2026-01-05")
    seen_this_week = add_resident(api, admin, ward_a, admitted_on="2026-01-05")
    never_seen = add_resident(api, admin, ward_a, admitted_on="2026-01-05")
    sync_visit(api, worker_a, seen_in_october, "2026-10-20T09:00+08:00")
    void(api, supervisor_a, sync_visit(api, worker_a, seen_in_october, "2026-11-18T09:00+08:00"))
    sync_visit(api, worker_a, seen_this_week, "2026-10-20T09:00+08:00")
    sync_visit(api, worker_a, seen_this_week, "2026-11-17T09:00+08:00")
    sync_visit(api, worker_a, seen_this_week, "2026-11-17T10:00+08:00")
    ids = [uuid.UUID(r["id"]) for r in (seen_in_october, seen_this_week, never_seen)]
    rows = db.session.execute(select(*RESIDENT_COLUMNS).where(Resident.id.in_(ids))).all()

    counts = roster_coverage(rows, date(2026, 11, 19))

    assert [(counts[i]["days_visited"], counts[i]["last_visit_at"]) for i in ids] == [
        (0, at("2026-10-20T09:00+08:00")),
        (1, at("2026-11-17T10:00+08:00")),
        (0, None),
    ]
