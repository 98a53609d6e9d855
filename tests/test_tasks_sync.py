"""Tasks through POST /api/v1/sync: exactly once, item by item; raised from findings; pulled."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from server.models import SyncConflict, SyncRejection, Task, TaskEvent
from server.platform.extensions import db
from tests.conftest import add_resident, make_person
from tests.taskdata import event_payload, quiet_visit, results_by_id, task_payload, task_sync
from tests.visitdata import visit_payload


def _sync(api, person, **lists):
    return api.post("/sync", json=task_sync(**lists), as_=person)


def _tasks_of_visit(visit_id: str) -> list[Task]:
    query = select(Task).where(Task.visit_id == uuid.UUID(visit_id)).order_by(Task.finding)
    return list(db.session.scalars(query))


def test_replayed_task_is_duplicate(api, worker_a, resident_a):
    task = task_payload(resident_a)
    first = results_by_id(_sync(api, worker_a, tasks=[task]))
    again = results_by_id(_sync(api, worker_a, tasks=[task]))
    assert first[task["id"]] == {"id": task["id"], "kind": "task", "status": "created"}
    assert again[task["id"]]["status"] == "duplicate"
    assert (
        db.session.scalar(select(Task.source).where(Task.id == uuid.UUID(task["id"]))) == "manual"
    )


def test_changed_copy_of_a_task_is_a_conflict(api, worker_a, resident_a):
    task = task_payload(resident_a)
    _sync(api, worker_a, tasks=[task])
    changed = {**task, "title": "Call the daughter"}
    answer = results_by_id(_sync(api, worker_a, tasks=[changed]))
    assert answer[task["id"]]["status"] == "conflict"
    kept = db.session.scalars(select(SyncConflict)).all()
    assert [(c.kind, str(c.record_id)) for c in kept] == [("task", task["id"])]
    stored = db.session.get(Task, uuid.UUID(task["id"]))
    assert stored.title == task["title"]


def test_replayed_event_is_duplicate_and_a_changed_one_a_conflict(api, worker_a, resident_a):
    task = task_payload(resident_a)
    event = event_payload(task["id"], "closed", {"outcome": "Called"})
    _sync(api, worker_a, tasks=[task], events=[event])
    again = results_by_id(_sync(api, worker_a, events=[event]))
    changed = results_by_id(
        _sync(api, worker_a, events=[{**event, "changes": {"outcome": "Not called"}}])
    )
    assert again[event["id"]]["status"] == "duplicate"
    assert changed[event["id"]]["status"] == "conflict"
    kinds = db.session.scalars(select(SyncConflict.kind)).all()
    assert kinds == ["task_event"]
    assert db.session.get(Task, uuid.UUID(task["id"])).outcome == "Called"


def test_event_before_its_task_is_rejected_then_accepted(api, worker_a, resident_a):
    task = task_payload(resident_a)
    event = event_payload(task["id"], "started")
    early = results_by_id(_sync(api, worker_a, events=[event]))
    assert early[event["id"]]["status"] == "rejected"
    assert early[event["id"]]["errors"] == {"task_id": ["not yet received"]}
    rejected = db.session.scalars(select(SyncRejection.kind)).all()
    assert rejected == ["task_event"]
    later = results_by_id(_sync(api, worker_a, tasks=[task], events=[event]))
    assert later[task["id"]]["status"] == "created"
    assert later[event["id"]]["status"] == "created"
    assert db.session.get(Task, uuid.UUID(task["id"])).status == "in_progress"


def test_one_batch_carries_a_visit_its_task_and_a_close_of_an_older_task(api, worker_a, resident_a):
    older = task_payload(resident_a)
    _sync(api, worker_a, tasks=[older])
    visit = quiet_visit(visit_payload(resident_a))
    new = task_payload(resident_a, visit_id=visit["id"])
    close = event_payload(older["id"], "closed", {"outcome": "Done"}, visit_id=visit["id"])
    answer = results_by_id(_sync(api, worker_a, visits=[visit], tasks=[new], events=[close]))
    assert {answer[key]["status"] for key in (visit["id"], new["id"], close["id"])} == {"created"}
    closed = db.session.get(Task, uuid.UUID(older["id"]))
    assert closed.status == "done" and str(closed.closed_visit_id) == visit["id"]


def test_task_naming_a_visit_not_yet_received_is_rejected(api, worker_a, resident_a):
    task = task_payload(resident_a, visit_id=str(uuid.uuid4()))
    answer = results_by_id(_sync(api, worker_a, tasks=[task]))
    assert answer[task["id"]]["errors"] == {"visit_id": ["not yet received"]}


def test_task_for_another_units_resident_is_rejected(api, worker_a, resident_b):
    task = task_payload(resident_b)
    answer = results_by_id(_sync(api, worker_a, tasks=[task]))
    assert answer[task["id"]]["status"] == "rejected"
    assert "resident_id" in answer[task["id"]]["errors"]


def test_bad_task_is_rejected_alone(api, worker_a, resident_a):
    bad = task_payload(resident_a, title="", priority="whenever")
    good = task_payload(resident_a)
    answer = results_by_id(_sync(api, worker_a, tasks=[bad, good]))
    assert answer[bad["id"]]["status"] == "rejected"
    assert set(answer[bad["id"]]["errors"]) == {"title", "priority"}
    assert answer[good["id"]]["status"] == "created"


def test_close_without_outcome_is_rejected(api, worker_a, resident_a):
    task = task_payload(resident_a)
    event = event_payload(task["id"], "closed", {})
    answer = results_by_id(_sync(api, worker_a, tasks=[task], events=[event]))
    assert answer[event["id"]]["status"] == "rejected"
    assert "outcome" in answer[event["id"]]["errors"]["changes"]


def test_worker_cannot_act_on_another_units_task(api, worker_a, worker_b, resident_a):
    task = task_payload(resident_a)
    _sync(api, worker_a, tasks=[task])
    event = event_payload(task["id"], "closed", {"outcome": "Not mine"})
    answer = results_by_id(_sync(api, worker_b, events=[event]))
    assert answer[event["id"]]["status"] == "rejected"
    assert db.session.get(Task, uuid.UUID(task["id"])).status == "open"


# --- raised from findings ---------------------------------------------------------------


def test_finding_raises_one_task_however_often_the_visit_is_resent(api, worker_a, resident_a):
    visit = visit_payload(resident_a)  # an emotional concern, a follow-up asked for
    for _ in range(3):
        _sync(api, worker_a, visits=[visit])
    tasks = _tasks_of_visit(visit["id"])
    assert [(t.finding, t.priority, t.assignee_id) for t in tasks] == [
        ("emotional", "soon", worker_a.user.id),
        ("follow_up", "routine", worker_a.user.id),
    ]
    assert tasks[0].details == visit["observations"]["notes"]
    assert (tasks[1].due_on - tasks[1].created_at.date()).days in (6, 7, 8)  # the week's rule
    events = db.session.scalars(select(TaskEvent.kind).where(TaskEvent.task_id == tasks[0].id))
    assert list(events) == ["created"]


def test_resent_visit_with_other_content_raises_nothing(api, worker_a, resident_a):
    visit = quiet_visit(visit_payload(resident_a))
    _sync(api, worker_a, visits=[visit])
    changed = {**visit, "follow_up": True}
    _sync(api, worker_a, visits=[changed])  # a conflict, never applied
    assert _tasks_of_visit(visit["id"]) == []


def _set_rule(api, admin, finding: str, **values) -> None:
    body = {"enabled": True, "priority": "soon", "due_days": 3, "assign_to": "visiting_worker"}
    answer = api._call("PUT", f"/task-rules/{finding}", json={**body, **values}, as_=admin)
    assert answer.status_code == 200, answer.json


def test_disabled_rule_raises_nothing(api, admin, worker_a, resident_a):
    _set_rule(api, admin, "follow_up", enabled=False)
    visit = visit_payload(resident_a)
    _sync(api, worker_a, visits=[visit])
    assert [t.finding for t in _tasks_of_visit(visit["id"])] == ["emotional"]


def test_unsatisfied_goes_to_the_units_first_supervisor_by_name(
    api, worker_a, supervisor_a, resident_a, ward_a
):
    make_person(api, "zz.supervisor", "supervisor", [ward_a])  # "Zz.Supervisor" sorts last
    visit = quiet_visit(visit_payload(resident_a, satisfaction="unsatisfied", feedback="太吵"))
    _sync(api, worker_a, visits=[visit])
    (task,) = _tasks_of_visit(visit["id"])
    assert (task.finding, task.assignee_id, task.details) == (
        "unsatisfied",
        supervisor_a.user.id,
        "太吵",
    )


def test_unit_without_supervisor_gives_the_visiting_worker(api, worker_a, resident_a):
    visit = quiet_visit(visit_payload(resident_a, satisfaction="unsatisfied"))
    _sync(api, worker_a, visits=[visit])
    (task,) = _tasks_of_visit(visit["id"])
    assert task.assignee_id == worker_a.user.id


def test_supervisor_rule_for_concerns(api, admin, worker_a, supervisor_a, resident_a):
    _set_rule(api, admin, "emotional", assign_to="unit_supervisor", priority="urgent", due_days=0)
    visit = visit_payload(resident_a, follow_up=False)
    _sync(api, worker_a, visits=[visit])
    (task,) = _tasks_of_visit(visit["id"])
    assert (task.assignee_id, task.priority) == (supervisor_a.user.id, "urgent")


# --- the pull ---------------------------------------------------------------------------


def _pull(api, person, cursor=None, **lists):
    answer = api.post("/sync", json=task_sync(cursor=cursor, **lists), as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_pull_carries_tasks_and_removals(api, worker_a, supervisor_a, resident_a):
    cursor = _pull(api, supervisor_a)["cursor"]
    task = task_payload(resident_a, details="带上表格 bring the form")
    _sync(api, worker_a, tasks=[task])
    answer = _pull(api, supervisor_a, cursor)
    assert answer["reset"] is False
    (entry,) = answer["tasks"]
    assert entry == {
        "id": task["id"],
        "resident_id": resident_a["id"],
        "resident_name": resident_a["name"],
        "unit_id": resident_a["unit_id"],
        "title": task["title"],
        "details": task["details"],
        "priority": "soon",
        "status": "open",
        "source": "manual",
        "finding": None,
        "visit_id": None,
        "assignee": {"id": str(worker_a.user.id), "display_name": "Worker.A"},
        "due_on": task["due_on"],
        "created_at": entry["created_at"],
        "updated_at": entry["updated_at"],
    }
    cursor = answer["cursor"]
    _sync(api, worker_a, events=[event_payload(task["id"], "closed", {"outcome": "Done"})])
    closed = _pull(api, supervisor_a, cursor)
    assert closed["tasks"] == [] and closed["removed"]["tasks"] == [task["id"]]
    quiet = _pull(api, supervisor_a, closed["cursor"])
    assert quiet["tasks"] == [] and quiet["removed"]["tasks"] == []


def test_reset_resends_every_open_task_in_scope(api, worker_a, resident_a):
    open_task, closed_task = task_payload(resident_a), task_payload(resident_a)
    close = event_payload(closed_task["id"], "cancelled", {"outcome": "Not needed"})
    _sync(api, worker_a, tasks=[open_task, closed_task], events=[close])
    answer = _pull(api, worker_a, "not a cursor")
    assert answer["reset"] is True
    assert [t["id"] for t in answer["tasks"]] == [open_task["id"]]
    assert answer["removed"]["tasks"] == []


def test_worker_does_not_pull_another_units_tasks(api, worker_a, worker_b, resident_a):
    _sync(api, worker_a, tasks=[task_payload(resident_a)])
    assert _pull(api, worker_b)["tasks"] == []
    assert len(_pull(api, worker_a)["tasks"]) == 1


def test_pull_with_nothing_changed_reads_no_tasks(api, worker_a, resident_a):
    from tests.conftest import statements_run

    _sync(api, worker_a, tasks=[task_payload(resident_a)])
    cursor = _pull(api, worker_a)["cursor"]
    with statements_run() as statements:
        answer = _pull(api, worker_a, cursor)
    assert answer["tasks"] == []
    assert not [s for s in statements if "FROM tasks" in s]


def test_tasks_of_a_colleague_reach_the_units_phones(api, worker_a, resident_a, ward_a):
    colleague = make_person(api, "colleague", "worker", [ward_a])
    cursor = _pull(api, colleague)["cursor"]
    visit = visit_payload(resident_a)
    _sync(api, worker_a, visits=[visit])
    answer = _pull(api, colleague, cursor)
    assert sorted(t["finding"] for t in answer["tasks"]) == ["emotional", "follow_up"]
    assert {t["visit_id"] for t in answer["tasks"]} == {visit["id"]}


def test_resident_of_a_new_ward_is_tasked_in_that_ward(api, admin, worker_a, ward_a):
    resident = add_resident(api, admin, ward_a, name="张伟")
    visit = visit_payload(resident)
    _sync(api, worker_a, visits=[visit])
    assert {str(t.unit_id) for t in _tasks_of_visit(visit["id"])} == {str(ward_a.id)}
