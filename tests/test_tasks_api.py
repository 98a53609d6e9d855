"""The office's task API: lists and counts in each role's sight, one task's history, changes,
the rules, and the follow-up a discharge opens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import current_app

from server.platform.clock import today_in
from tests.conftest import add_resident, make_person
from tests.taskdata import event_payload, task_payload, task_sync


def _today() -> date:
    """Today where the institution is: what due dates count from."""
    return today_in(current_app.config["TIMEZONE"])


def _make(api, person, resident, **fields) -> dict:
    body = {
        "resident_id": resident["id"],
        "title": "Call the son",
        "due_on": (date.today() + timedelta(days=3)).isoformat(),
        **fields,
    }
    answer = api.post("/tasks", json=body, as_=person)
    assert answer.status_code == 201, answer.json
    return answer.json


def _ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.json
    return {item["id"] for item in answer.json["items"]}


@pytest.fixture
def two_wards(api, admin, worker_a, worker_b, supervisor_a, resident_a, resident_b, ward_b):
    supervisor_b = make_person(api, "supervisor.b", "supervisor", [ward_b])
    return {
        "a": _make(api, worker_a, resident_a),
        "b": _make(api, worker_b, resident_b),
        "supervisor_b": supervisor_b,
    }


def test_each_role_lists_the_tasks_in_its_sight(
    api, admin, worker_a, worker_b, supervisor_a, two_wards
):
    a, b = two_wards["a"]["id"], two_wards["b"]["id"]
    assert _ids(api.get("/tasks", as_=admin)) == {a, b}
    assert _ids(api.get("/tasks", as_=supervisor_a)) == {a}
    assert _ids(api.get("/tasks", as_=two_wards["supervisor_b"])) == {b}
    assert _ids(api.get("/tasks", as_=worker_a)) == {a}
    assert _ids(api.get("/tasks", as_=worker_b)) == {b}


def test_worker_cannot_see_or_act_on_another_units_task(api, worker_b, two_wards):
    a = two_wards["a"]["id"]
    assert api.get(f"/tasks/{a}", as_=worker_b).status_code == 404
    answer = api.post(
        f"/tasks/{a}/events", json={"kind": "closed", "changes": {"outcome": "x"}}, as_=worker_b
    )
    assert answer.status_code == 404


def test_supervisor_assigns_a_task_to_a_worker_of_the_unit(
    api, supervisor_a, worker_a, worker_b, resident_a
):
    made = _make(api, supervisor_a, resident_a, assignee_id=str(worker_a.user.id))
    assert made["assignee"] == {"id": str(worker_a.user.id), "display_name": "Worker.A"}
    refused = api.post(
        "/tasks",
        json={
            "resident_id": resident_a["id"],
            "title": "x",
            "due_on": date.today().isoformat(),
            "assignee_id": str(worker_b.user.id),
        },
        as_=supervisor_a,
    )
    assert refused.status_code == 422 and "assignee_id" in refused.json["errors"]


def test_close_needs_an_outcome_and_the_history_keeps_every_event(api, worker_a, resident_a):
    task = _make(api, worker_a, resident_a)
    path = f"/tasks/{task['id']}/events"
    refused = api.post(path, json={"kind": "closed", "changes": {}}, as_=worker_a)
    assert refused.status_code == 422 and "outcome" in refused.json["errors"]["changes"]
    api.post(path, json={"kind": "noted", "changes": {"note": "Rang twice"}}, as_=worker_a)
    closed = api.post(path, json={"kind": "closed", "changes": {"outcome": "Done"}}, as_=worker_a)
    assert closed.status_code == 201
    assert (closed.json["status"], closed.json["outcome"]) == ("done", "Done")
    assert [e["kind"] for e in closed.json["events"]] == ["created", "noted", "closed"]
    assert closed.json["events"][2]["actor"]["id"] == str(worker_a.user.id)


def test_worker_may_not_reprioritise(api, worker_a, supervisor_a, resident_a):
    task = _make(api, worker_a, resident_a)
    path = f"/tasks/{task['id']}/events"
    body = {"kind": "reprioritised", "changes": {"priority": "urgent"}}
    assert api.post(path, json=body, as_=worker_a).status_code == 403
    assert api.post(path, json=body, as_=supervisor_a).json["priority"] == "urgent"


def test_list_filters_and_counts(api, worker_a, supervisor_a, resident_a):
    late = _make(api, worker_a, resident_a, due_on=(date.today() - timedelta(days=2)).isoformat())
    soon = _make(api, supervisor_a, resident_a, due_on=date.today().isoformat())
    done = _make(api, worker_a, resident_a)
    api.post(
        f"/tasks/{done['id']}/events",
        json={"kind": "closed", "changes": {"outcome": "Done"}},
        as_=worker_a,
    )
    overdue = api.get("/tasks?due=overdue", as_=supervisor_a)
    assert _ids(overdue) == {late["id"]}
    assert overdue.json["items"][0]["overdue"] is True
    open_only = api.get("/tasks?status=open&status=in_progress&sort=-due", as_=supervisor_a)
    assert [item["id"] for item in open_only.json["items"]] == [soon["id"], late["id"]]
    counts = open_only.json["counts"]
    assert (counts["open"], counts["overdue"], counts["due_this_week"]) == (2, 1, 1)
    by = {row["assignee"]["id"]: (row["open"], row["overdue"]) for row in counts["by_assignee"]}
    assert by == {str(worker_a.user.id): (1, 1), str(supervisor_a.user.id): (1, 0)}
    mine = api.get(f"/tasks?assignee_id={worker_a.user.id}&status=done", as_=supervisor_a)
    assert _ids(mine) == {done["id"]}


def test_rules_are_for_admins(api, admin, supervisor_a):
    assert api.get("/task-rules", as_=supervisor_a).status_code == 403
    listed = api.get("/task-rules", as_=admin).json
    assert [rule["finding"] for rule in listed] == [
        "living",
        "emotional",
        "physical",
        "unsatisfied",
        "follow_up",
    ]
    body = {"enabled": False, "priority": "urgent", "due_days": 1, "assign_to": "unit_supervisor"}
    changed = api._call("PUT", "/task-rules/living", json=body, as_=admin)
    assert changed.status_code == 200 and changed.json["enabled"] is False
    assert api._call("PUT", "/task-rules/nothing", json=body, as_=admin).status_code == 404
    too_late = {**body, "due_days": 91}
    assert api._call("PUT", "/task-rules/living", json=too_late, as_=admin).status_code == 422


# --- discharge ---------------------------------------------------------------------------


def test_discharge_follow_up_stays_in_the_assignees_pull(api, worker_a, supervisor_a, resident_a):
    cursor = api.post("/sync", json=task_sync(), as_=worker_a).json["cursor"]
    answer = api.patch(
        f"/residents/{resident_a['id']}",
        json={
            "status": "discharged",
            "follow_up": {
                "title": "电话回访 Call after a week",
                "assignee_id": str(worker_a.user.id),
            },
        },
        as_=supervisor_a,
    )
    assert answer.status_code == 200, answer.json
    pulled = api.post("/sync", json=task_sync(cursor=cursor), as_=worker_a).json
    assert pulled["removed"]["residents"] == [resident_a["id"]]
    (task,) = pulled["tasks"]
    assert (task["source"], task["resident_name"], task["title"]) == (
        "discharge",
        resident_a["name"],
        "电话回访 Call after a week",
    )
    assert task["due_on"] == (_today() + timedelta(days=7)).isoformat()
    reset = api.post("/sync", json=task_sync(), as_=worker_a).json
    assert [t["id"] for t in reset["tasks"]] == [task["id"]]
    # and the worker closes it from the phone, although the resident left the roster
    close = event_payload(task["id"], "closed", {"outcome": "回访完成 called"})
    result = api.post("/sync", json=task_sync(events=[close]), as_=worker_a).json["results"]
    assert result[0]["status"] == "created"


def test_follow_up_goes_only_with_a_discharge(api, supervisor_a, resident_a):
    answer = api.patch(
        f"/residents/{resident_a['id']}",
        json={"room": "103", "follow_up": {"title": "x"}},
        as_=supervisor_a,
    )
    assert answer.status_code == 422 and "follow_up" in answer.json["errors"]


def test_admin_discharge_gives_the_follow_up_to_the_units_supervisor(
    api, admin, supervisor_a, resident_a
):
    api.patch(
        f"/residents/{resident_a['id']}",
        json={"status": "discharged", "follow_up": {"due_in_days": 2}},
        as_=admin,
    )
    (task,) = api.get("/tasks?source=discharge", as_=admin).json["items"]
    assert task["assignee"]["id"] == str(supervisor_a.user.id)
    assert task["due_on"] == (_today() + timedelta(days=2)).isoformat()


def test_phone_task_shows_in_the_office(api, worker_a, supervisor_a, ward_a, admin):
    resident = add_resident(api, admin, ward_a, name="赵敏")
    task = task_payload(resident)
    api.post("/sync", json=task_sync(tasks=[task]), as_=worker_a)
    detail = api.get(f"/tasks/{task['id']}", as_=supervisor_a)
    assert detail.status_code == 200
    assert detail.json["title"] == task["title"] and detail.json["events"][0]["kind"] == "created"


def test_a_task_id_is_used_once(api, worker_a, resident_a):
    task = _make(api, worker_a, resident_a, id="0b5a3c1e-8d6f-4e1a-9c2b-7f4d5e6a7b8c")
    again = api.post(
        "/tasks",
        json={
            "id": task["id"],
            "resident_id": resident_a["id"],
            "title": "x",
            "due_on": task["due_on"],
        },
        as_=worker_a,
    )
    assert again.status_code == 409 and "id" in again.json["errors"]
