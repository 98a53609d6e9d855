"""Making tasks and applying their events: the rules of docs/tasks.md, below the API."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server.models import AuditEvent, Task, TaskEvent
from server.people.audit import Actor
from server.platform.extensions import db
from server.roster.changes import current_change_number
from server.tasks.records import NewTask, TaskProblem, TaskTaken, apply_event, create_task


def _new(resident: dict, **fields) -> NewTask:
    values = {"title": "Call the son", "due_on": date.today() + timedelta(days=3), **fields}
    return NewTask(resident_id=uuid.UUID(resident["id"]), **values)


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def task(worker_a, resident_a) -> Task:
    made = create_task(Actor(worker_a.user), _new(resident_a))
    db.session.commit()
    return made


def test_created_task_has_its_created_event_a_change_number_and_an_audit(worker_a, resident_a):
    before = current_change_number()
    task = create_task(Actor(worker_a.user), _new(resident_a))
    db.session.commit()
    assert task.status == "open" and task.source == "manual"
    assert task.assignee_id == worker_a.user.id  # nobody named: the sender
    assert task.change_seq == before + 1
    assert [event.kind for event in task.events] == ["created"]
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "task")).all()
    assert [(a.action, a.entity_id) for a in audited] == [("create", str(task.id))]


def test_worker_cannot_raise_a_task_for_another_units_resident(worker_a, resident_b):
    with pytest.raises(TaskProblem) as refused:
        create_task(Actor(worker_a.user), _new(resident_b))
    assert "resident_id" in refused.value.errors


def test_worker_hands_a_task_only_to_a_supervisor_of_the_unit(
    api, worker_a, supervisor_a, resident_a, ward_a
):
    from tests.conftest import make_person

    colleague = make_person(api, "colleague", "worker", [ward_a])
    with pytest.raises(TaskProblem) as refused:
        create_task(Actor(worker_a.user), _new(resident_a, assignee_id=colleague.user.id))
    assert "assignee_id" in refused.value.errors
    task = create_task(Actor(worker_a.user), _new(resident_a, assignee_id=supervisor_a.user.id))
    assert task.assignee_id == supervisor_a.user.id


def test_supervisor_may_hand_a_task_to_any_worker_of_the_unit(
    worker_a, supervisor_a, worker_b, resident_a
):
    task = create_task(Actor(supervisor_a.user), _new(resident_a, assignee_id=worker_a.user.id))
    assert task.assignee_id == worker_a.user.id
    with pytest.raises(TaskProblem):
        create_task(Actor(supervisor_a.user), _new(resident_a, assignee_id=worker_b.user.id))


def test_close_needs_an_outcome(task, worker_a):
    with pytest.raises(TaskProblem) as refused:
        apply_event(task, "closed", {"outcome": "  "}, Actor(worker_a.user), _now())
    assert list(refused.value.errors["changes"]) == ["outcome"]
    assert task.status == "open"


def test_close_records_its_outcome_and_its_visit(task, worker_a):
    visit_id = uuid.uuid4()
    at = _now()
    apply_event(task, "closed", {"outcome": "Called"}, Actor(worker_a.user), at, visit_id)
    assert (task.status, task.outcome, task.closed_by) == ("done", "Called", worker_a.user.id)
    assert task.closed_visit_id == visit_id and task.closed_at == at


def test_event_on_a_closed_task_is_recorded_but_changes_nothing(task, worker_a):
    actor = Actor(worker_a.user)
    apply_event(task, "closed", {"outcome": "Called"}, actor, _now())
    seq = task.change_seq
    new_due = date.today() + timedelta(days=9)
    event = apply_event(task, "rescheduled", {"due_on": new_due}, actor, _now())
    assert task.due_on != new_due and task.change_seq == seq
    assert event.changes["applied"] is False
    assert db.session.get(TaskEvent, event.id) is not None


def test_second_close_is_kept_as_a_note(task, worker_a, supervisor_a):
    apply_event(task, "closed", {"outcome": "First"}, Actor(worker_a.user), _now())
    second = apply_event(task, "closed", {"outcome": "Second"}, Actor(supervisor_a.user), _now())
    assert task.outcome == "First" and task.closed_by == worker_a.user.id
    assert second.kind == "noted" and second.changes["note"] == "Second"


def test_reopened_task_is_open_again(task, worker_a):
    actor = Actor(worker_a.user)
    apply_event(task, "cancelled", {"outcome": "Moved away"}, actor, _now())
    apply_event(task, "reopened", {"note": "Came back"}, actor, _now())
    assert task.status == "open" and task.outcome is None and task.closed_at is None


def test_started_then_reassigned_to_the_supervisor(task, worker_a, supervisor_a):
    actor = Actor(worker_a.user)
    apply_event(task, "started", {}, actor, _now())
    apply_event(task, "reassigned", {"assignee_id": supervisor_a.user.id}, actor, _now())
    db.session.commit()
    assert task.status == "in_progress" and task.assignee_id == supervisor_a.user.id
    assert [event.kind for event in task.events][-2:] == ["started", "reassigned"]


def test_worker_of_another_unit_cannot_act_on_the_task(task, worker_b):
    with pytest.raises(TaskProblem) as refused:
        apply_event(task, "closed", {"outcome": "x"}, Actor(worker_b.user), _now())
    assert refused.value.status == 404


def test_worker_may_not_change_the_priority(task, worker_a, supervisor_a):
    with pytest.raises(TaskProblem):
        apply_event(task, "reprioritised", {"priority": "urgent"}, Actor(worker_a.user), _now())
    apply_event(task, "reprioritised", {"priority": "urgent"}, Actor(supervisor_a.user), _now())
    assert task.priority == "urgent"


def test_a_taken_task_id_is_told_without_breaking_the_transaction(worker_a, resident_a):
    task_id = uuid.uuid4()
    create_task(Actor(worker_a.user), _new(resident_a, id=task_id))
    with pytest.raises(TaskTaken):
        create_task(Actor(worker_a.user), _new(resident_a, id=task_id, title="Other"))
    db.session.commit()  # the first copy stays, and the transaction carries on
    assert db.session.get(Task, task_id).title == "Call the son"
