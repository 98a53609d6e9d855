"""Supervisor reports, with exact numbers on a small known data set made through the real
sync API (the `data` fixture, also used by test_exports and test_register).

Ward A: worker_a and a colleague (worker.a2); ward B: worker_b. Times are 10:00 and later in
Asia/Shanghai, September and October 2025.

| name | who        | day        | resident | id by  | flags (after amendments)  | rating     |
|------|------------|------------|----------|--------|---------------------------|------------|
| A1   | worker_a   | 2025-09-01 | a1       | qr     | -                         | satisfied  |
| A2   | worker_a   | 2025-09-01 | a2       | manual | emotional                 | basically  |
| A3   | worker_a   | 2025-09-03 | a1       | qr     | follow_up                 | unsatisfied|
| A4   | worker_a   | 2025-09-08 | a2       | qr     | -                         | (none)     |
| A5   | colleague  | 2025-10-02 | a1       | manual | physical, amended away    | satisfied  |
| A6   | colleague  | 2025-10-03 | a2       | qr     | living, added by amendment| unsatisfied|
| A7   | worker_a   | 2025-10-06 | a1       | qr     | emotional; VOIDED         | satisfied  |
| B1   | worker_b   | 2025-09-02 | b1       | qr     | follow_up                 | satisfied  |
| B2   | worker_b   | 2025-09-04 | b1       | manual | -                         | unsatisfied|
| B3-5 | worker_b   | 2025-10-06…08 | b1    | qr     | -                         | s, s, basically |
| burst| worker_b   | 2025-09-10 | b1…b5    | manual | - (5 residents in 40 s)   | (none)     |
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import add_resident, make_person
from tests.visitdata import sync_body, visit_payload

ZONE = ZoneInfo("Asia/Shanghai")
OK = {"living": "ok", "emotional": "ok", "physical": "ok", "notes": ""}


def at(day: str, clock: str = "10:00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZONE)


def observations(**concerns) -> dict:
    return {**OK, **{name: "concern" for name in concerns}, "notes": concerns.get("notes", "")}


def push(api, person, visits, amendments=()):
    # The known data set dates from 2025, beyond the check-in horizon of a server running
    # today: this server takes visits from any time back.
    api.client.application.config["CHECK_IN_HORIZON_DAYS"] = 365 * 100
    answer = api.post("/sync", json=sync_body(visits, amendments), as_=person)
    assert answer.status_code == 200, answer.json
    assert {r["status"] for r in answer.json["results"]} == {"created"}, answer.json
    return answer.json


def amend(api, person, visit, changes, reason):
    push(
        api,
        person,
        [],
        [{"id": str(uuid.uuid4()), "visit_id": visit["id"], "changes": changes, "reason": reason}],
    )


class Data:
    """The visits by name (payloads as sent), the residents, the people."""

    def __init__(self, **kwargs) -> None:
        self.__dict__.update(kwargs)


@pytest.fixture
def data(app, api, admin, supervisor_a, worker_a, worker_b, ward_a, ward_b) -> Data:
    app.config["TIMEZONE"] = "Asia/Shanghai"
    colleague = make_person(api, "worker.a2", "worker", [ward_a])
    answer = api.patch(f"/users/{worker_a.user.id}", json={"phone": "13800000001"}, as_=admin)
    assert answer.status_code == 200, answer.json
    since = {"admitted_on": "2025-01-01"}
    a1 = add_resident(
        api, admin, ward_a, name="王桂英", room="102-2", sex="female", phone="0571-1234", **since
    )
    a2 = add_resident(api, admin, ward_a, name="张建国", room="103-1", sex="male", **since)
    b = [
        add_resident(api, admin, ward_b, name=f"Client {n}", room=f"20{n}", **since)
        for n in range(1, 6)
    ]

    def visit(
        resident, when, *, by="qr", obs=None, follow_up=False, rating=None, feedback="", **extra
    ):
        payload = visit_payload(
            resident,
            when=when,
            observations=obs or dict(OK),
            follow_up=follow_up,
            satisfaction=rating,
            feedback=feedback,
            identified_by=by,
            **extra,
        )
        if by == "manual":
            payload["qr_token"] = None
        return payload

    v = {}
    v["A1"] = visit(a1, at("2025-09-01"), rating="satisfied", feedback="很好 very good")
    v["A2"] = visit(
        a2,
        at("2025-09-01", "10:30:00"),
        by="manual",
        obs=observations(emotional=1, notes="情绪低落 low mood"),
        rating="basically_satisfied",
    )
    v["A3"] = visit(
        a1,
        at("2025-09-03"),
        follow_up=True,
        rating="unsatisfied",
        feedback="饭菜太咸 food too salty",
    )
    v["A4"] = visit(a2, at("2025-09-08"))
    push(api, worker_a, [v["A1"], v["A2"], v["A3"], v["A4"]])

    v["A5"] = visit(
        a1, at("2025-10-02"), by="manual", obs=observations(physical=1), rating="satisfied"
    )
    v["A6"] = visit(a2, at("2025-10-03"), rating="unsatisfied", feedback="冷")
    push(api, colleague, [v["A5"], v["A6"]])
    # Older than a worker may correct: the supervisor amends.
    amend(api, supervisor_a, v["A5"], {"observations": {"physical": "ok"}}, "not this resident")
    amend(
        api,
        supervisor_a,
        v["A6"],
        {"observations": {"living": "concern"}, "feedback": "房间太冷 room too cold"},
        "forgot the heating",
    )

    v["A7"] = visit(a1, at("2025-10-06"), obs=observations(emotional=1), rating="satisfied")
    push(api, worker_a, [v["A7"]])
    answer = api.post(
        f"/visits/{v['A7']['id']}/void", json={"reason": "recorded twice"}, as_=supervisor_a
    )
    assert answer.status_code == 200

    v["B1"] = visit(b[0], at("2025-09-02"), follow_up=True, rating="satisfied")
    v["B2"] = visit(
        b[0], at("2025-09-04"), by="manual", rating="unsatisfied", feedback="-太吵 too noisy"
    )
    v["B3"] = visit(b[0], at("2025-10-06"), rating="satisfied")
    v["B4"] = visit(b[0], at("2025-10-07"), rating="satisfied")
    v["B5"] = visit(b[0], at("2025-10-08"), rating="basically_satisfied")
    burst = [
        visit(r, at("2025-09-10") + timedelta(seconds=10 * n), by="manual") for n, r in enumerate(b)
    ]
    push(api, worker_b, [v["B1"], v["B2"], v["B3"], v["B4"], v["B5"], *burst])
    return Data(visits=v, burst=burst, a1=a1, a2=a2, b=b, colleague=colleague)


# --- follow-ups ----------------------------------------------------------------------------


def ids(answer) -> list[str]:
    return [item["visit_id"] for item in answer.json["items"]]


def test_followups_apply_amendments_leave_out_voided_newest_first(api, admin, data):
    v = data.visits
    answer = api.get("/followups?status=all", as_=admin)
    assert answer.status_code == 200, answer.json
    assert ids(answer) == [v["A6"]["id"], v["A3"]["id"], v["B1"]["id"], v["A2"]["id"]]
    assert answer.json["total"] == 4
    first = answer.json["items"][0]
    assert first["concerns"] == ["living"]
    assert first["amended"] is True
    assert first["feedback"] == "房间太冷 room too cold"
    assert first["resident"]["name"] == "张建国"
    assert first["unit"]["name"] == "Ward A 甲病区"
    assert first["worker"]["display_name"] == "Worker.A2"
    assert first["handled"] is None
    concerns = {item["visit_id"]: item["concerns"] for item in answer.json["items"]}
    assert concerns[v["A2"]["id"]] == ["emotional"]
    assert concerns[v["A3"]["id"]] == ["follow_up"]


def test_followups_page_and_sort_on_the_server(api, admin, data):
    v = data.visits
    page2 = api.get("/followups?status=all&per_page=3&page=2", as_=admin)
    assert ids(page2) == [v["A2"]["id"]] and page2.json["total"] == 4
    oldest = api.get("/followups?status=all&sort=checked_in_at&per_page=2", as_=admin)
    assert ids(oldest) == [v["A2"]["id"], v["B1"]["id"]]
    dated = api.get("/followups?status=all&from=2025-09-02&to=2025-09-30", as_=admin)
    assert ids(dated) == [v["A3"]["id"], v["B1"]["id"]]


def test_supervisor_sees_own_units_and_filters_by_unit(api, supervisor_a, admin, ward_b, data):
    v = data.visits
    mine = api.get("/followups?status=all", as_=supervisor_a)
    assert ids(mine) == [v["A6"]["id"], v["A3"]["id"], v["A2"]["id"]]
    assert api.get(f"/followups?unit_id={ward_b.id}", as_=supervisor_a).status_code == 404
    ward = api.get(f"/followups?status=all&unit_id={ward_b.id}", as_=admin)
    assert ids(ward) == [v["B1"]["id"]]


def test_handle_a_followup_once_with_a_note(api, supervisor_a, data):
    v = data.visits
    path = f"/followups/{v['A3']['id']}/handle"
    answer = api.post(path, json={"note": "厨房已调整 told the kitchen"}, as_=supervisor_a)
    assert answer.status_code == 201, answer.json
    assert answer.json["handled"]["note"] == "厨房已调整 told the kitchen"
    assert answer.json["handled"]["by"]["display_name"] == "Supervisor.A"
    again = api.post(path, json={"note": "again"}, as_=supervisor_a)
    assert again.status_code == 409
    assert ids(api.get("/followups", as_=supervisor_a)) == [v["A6"]["id"], v["A2"]["id"]]
    handled = api.get("/followups?status=handled", as_=supervisor_a)
    assert ids(handled) == [v["A3"]["id"]]
    assert handled.json["items"][0]["handled"]["note"] == "厨房已调整 told the kitchen"


def test_handle_refuses_what_is_not_a_followup_and_outsiders(api, supervisor_a, worker_a, data):
    v = data.visits
    note = {"note": "seen"}
    assert (
        api.post(f"/followups/{v['A1']['id']}/handle", json=note, as_=supervisor_a).status_code
        == 422
    )
    assert (
        api.post(f"/followups/{v['A5']['id']}/handle", json=note, as_=supervisor_a).status_code
        == 422
    )  # its concern was amended away
    assert (
        api.post(f"/followups/{v['A7']['id']}/handle", json=note, as_=supervisor_a).status_code
        == 422
    )  # voided
    assert (
        api.post(f"/followups/{v['B1']['id']}/handle", json=note, as_=supervisor_a).status_code
        == 404
    )
    assert (
        api.post(f"/followups/{v['A2']['id']}/handle", json=note, as_=worker_a).status_code == 403
    )
    assert (
        api.post(
            f"/followups/{v['A2']['id']}/handle", json={"note": ""}, as_=supervisor_a
        ).status_code
        == 422
    )
    assert (
        api.post(f"/followups/{uuid.uuid4()}/handle", json=note, as_=supervisor_a).status_code
        == 404
    )


# --- satisfaction --------------------------------------------------------------------------


def score(satisfied, basically, unsatisfied, meets):
    rated = satisfied + basically + unsatisfied
    return {
        "satisfied": satisfied,
        "basically_satisfied": basically,
        "unsatisfied": unsatisfied,
        "rated": rated,
        "share": pytest.approx((satisfied + basically) / rated),
        "satisfied_share": pytest.approx((satisfied + basically) / rated),
        "meets_target": meets,
    }


def without(row: dict, key: str) -> dict:
    return {k: value for k, value in row.items() if k != key}


def test_satisfaction_per_unit_worker_and_month_against_the_target(api, admin, data):
    answer = api.get("/reports/satisfaction?from=2025-09-01&to=2025-10-31", as_=admin)
    assert answer.status_code == 200, answer.json
    report = answer.json
    assert report["target"] == {"satisfaction_target": 0.8, "basically_counts_as_satisfied": True}
    assert (report["from"], report["to"]) == ("2025-09-01", "2025-10-31")
    # A4 is not rated and A7 is voided: ten rated visits.
    assert report["total"] == score(5, 2, 3, False)
    units = {row["unit"]["name"]: without(row, "unit") for row in report["units"]}
    assert units == {
        "Ward A 甲病区": score(2, 1, 2, False),
        "Ward B 乙病区": score(3, 1, 1, True),
    }  # exactly 80% meets the target
    workers = {row["worker"]["display_name"]: without(row, "worker") for row in report["workers"]}
    assert workers == {
        "Worker.A": score(1, 1, 1, False),
        "Worker.A2": score(1, 0, 1, False),
        "Worker.B": score(3, 1, 1, True),
    }
    assert [without(row, "month") for row in report["months"]] == [
        score(2, 1, 2, False),
        score(3, 1, 1, True),
    ]
    assert [row["month"] for row in report["months"]] == ["2025-09", "2025-10"]


def test_satisfaction_sorts_and_shows_empty_months(api, admin, supervisor_a, data):
    worst = api.get(
        "/reports/satisfaction?from=2025-08-01&to=2025-10-31&sort=share", as_=admin
    ).json
    assert [row["worker"]["display_name"] for row in worst["workers"]] == [
        "Worker.A2",
        "Worker.A",
        "Worker.B",
    ]
    assert worst["months"][0] == {
        "month": "2025-08",
        "satisfied": 0,
        "basically_satisfied": 0,
        "unsatisfied": 0,
        "rated": 0,
        "share": None,
        "satisfied_share": None,
        "meets_target": None,
    }
    mine = api.get("/reports/satisfaction?from=2025-09-01&to=2025-10-31", as_=supervisor_a).json
    assert mine["total"] == score(2, 1, 2, False)
    assert [row["unit"]["name"] for row in mine["units"]] == ["Ward A 甲病区"]


def test_unsatisfied_visits_listed_with_their_comments(api, admin, supervisor_a, data):
    v = data.visits
    answer = api.get("/reports/satisfaction/unsatisfied?from=2025-09-01&to=2025-10-31", as_=admin)
    assert ids(answer) == [v["A6"]["id"], v["B2"]["id"], v["A3"]["id"]]
    assert [item["feedback"] for item in answer.json["items"]] == [
        "房间太冷 room too cold",
        "-太吵 too noisy",
        "饭菜太咸 food too salty",
    ]
    mine = api.get(
        "/reports/satisfaction/unsatisfied?from=2025-09-01&to=2025-10-31", as_=supervisor_a
    )
    assert ids(mine) == [v["A6"]["id"], v["A3"]["id"]] and mine.json["total"] == 2


# --- worker activity -----------------------------------------------------------------------


def test_activity_per_worker_per_day_and_week(api, admin, data):
    answer = api.get("/reports/activity?from=2025-09-01&to=2025-09-14", as_=admin)
    assert answer.status_code == 200, answer.json
    report = answer.json
    assert report["weeks"] == ["2025-W36", "2025-W37"]
    assert len(report["days"]) == 14 and report["days"][0] == "2025-09-01"
    rows = {row["worker"]["display_name"]: row for row in report["items"]}
    assert list(rows) == ["Worker.A", "Worker.A2", "Worker.B"]
    a = rows["Worker.A"]
    assert (a["visits"], a["qr"], a["manual"], a["share_qr"], a["burst"], a["days_active"]) == (
        4,
        3,
        1,
        0.75,
        0,
        3,
    )
    assert a["per_day"] == [2, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert a["per_week"] == [3, 1]
    assert rows["Worker.A2"]["visits"] == 0 and rows["Worker.A2"]["share_qr"] is None
    b = rows["Worker.B"]
    assert (b["visits"], b["qr"], b["manual"], b["burst"]) == (7, 1, 6, 5)
    assert b["per_day"][9] == 5 and b["per_week"] == [2, 5]


def test_activity_voided_visits_do_not_count_and_supervisor_scope(api, supervisor_a, data):
    report = api.get(
        "/reports/activity?from=2025-10-01&to=2025-10-31&sort=-visits", as_=supervisor_a
    ).json
    rows = [(row["worker"]["display_name"], row["visits"]) for row in report["items"]]
    assert rows == [("Worker.A2", 2), ("Worker.A", 0)]  # A7 was voided
    assert report["total"] == 2
    paged = api.get(
        "/reports/activity?from=2025-10-01&to=2025-10-31&sort=-visits&per_page=1&page=2",
        as_=supervisor_a,
    ).json
    assert [row["worker"]["display_name"] for row in paged["items"]] == ["Worker.A"]


def test_devices_last_sync_and_stale(api, admin, supervisor_a, worker_b, data):
    from server.models import Device, utcnow
    from server.platform.extensions import db

    device = db.session.get(Device, worker_b.device_id)
    device.last_sync_at = utcnow() - timedelta(days=5)
    db.session.commit()
    report = api.get("/reports/devices", as_=admin).json
    assert report["stale_days"] == 3 and report["stale"] == 1
    first = report["items"][0]
    assert first["id"] == str(worker_b.device_id)
    assert (first["stale"], first["days_since_sync"], first["active"]) == (True, 5, True)
    assert {row["worker"]["username"] for row in report["items"]} == {
        "worker.a",
        "worker.a2",
        "worker.b",
    }
    assert api.get("/reports/devices?stale_days=7", as_=admin).json["stale"] == 0
    only = api.get("/reports/devices?only_stale=true", as_=admin).json
    assert [row["id"] for row in only["items"]] == [str(worker_b.device_id)]
    mine = api.get("/reports/devices", as_=supervisor_a).json
    assert {row["worker"]["username"] for row in mine["items"]} == {"worker.a", "worker.a2"}
    assert mine["stale"] == 0
    api.post(f"/devices/{worker_b.device_id}/revoke", as_=admin)
    revoked = api.get("/reports/devices", as_=admin).json
    assert revoked["stale"] == 0 and revoked["items"][-1]["active"] is False


# --- access --------------------------------------------------------------------------------

REPORTS = (
    "/followups",
    "/reports/satisfaction",
    "/reports/satisfaction/unsatisfied",
    "/reports/activity",
    "/reports/devices",
)


@pytest.mark.parametrize("path", REPORTS)
def test_workers_get_403_and_strangers_401(api, worker_a, worker_b, data, path):
    assert api.get(path, as_=worker_a).status_code == 403
    assert api.get(path, as_=worker_b).status_code == 403
    assert api.get(path).status_code == 401


@pytest.mark.parametrize("path", REPORTS)
def test_supervisor_asking_for_another_unit_gets_404(api, supervisor_a, ward_b, data, path):
    assert api.get(f"{path}?unit_id={ward_b.id}", as_=supervisor_a).status_code == 404


def test_bad_ranges_are_422(api, admin, data):
    assert (
        api.get("/reports/satisfaction?from=2025-10-01&to=2025-09-01", as_=admin).status_code == 422
    )
    assert api.get("/reports/activity?from=2024-01-01&to=2025-09-01", as_=admin).status_code == 422
    assert api.get("/followups?status=maybe", as_=admin).status_code == 422
