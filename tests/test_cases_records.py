"""Opening cases and recording their steps: the stage rules of docs/cases.md, below the API."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from server.cases.records import CaseProblem, NewCase, NewRecord, add_record, open_case
from server.cases.schemas import CaseRecordInSchema
from server.cases.tasks import task_id_for
from server.models import Case, Task
from server.platform.extensions import db
from tests.casedata import body_of, record_payload
from tests.taskmaking import actor_of


def _open(person, resident) -> Case:
    case = open_case(
        actor_of(person), NewCase(resident_id=uuid.UUID(resident["id"]), source="referral")
    )
    db.session.commit()
    return case


def _record(person, case: Case, kind: str, body: dict | None = None, **overrides):
    data = CaseRecordInSchema().load(record_payload(str(case.id), kind, body, **overrides))
    new = NewRecord(
        kind=data["kind"],
        body=data["body"],
        at=data["at"],
        signature=data["signature"],
        id=data["id"],
    )
    record = add_record(actor_of(person), db.session.get(Case, case.id), new)
    db.session.commit()
    return record


def _through(person, case: Case, *kinds: str) -> None:
    for kind in kinds:
        _record(person, case, kind)


@pytest.fixture
def case(worker_a, resident_a) -> Case:
    return _open(worker_a, resident_a)


def test_opened_case_is_at_intake_with_its_worker(case, worker_a):
    assert case.stage == "intake" and case.worker_id == worker_a.user.id
    assert case.change_seq > 0 and case.last_contact_at is None


def test_intake_moves_to_assessment_and_counts_as_contact(case, worker_a):
    record = _record(worker_a, case, "intake")
    case = db.session.get(Case, case.id)
    assert case.stage == "assessment" and case.last_contact_at == record.at
    assert record.version == 1


def test_intake_is_recorded_once(case, worker_a):
    _record(worker_a, case, "intake")
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "intake")
    assert refused.value.status == 409


@pytest.mark.parametrize("kind", ["assessment", "contact", "closure", "plan"])
def test_steps_before_the_intake_are_refused(case, worker_a, kind):
    with pytest.raises(CaseProblem):
        _record(worker_a, case, kind)


def test_plan_needs_an_assessment(case, worker_a):
    _record(worker_a, case, "intake")
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "plan")
    assert "kind" in refused.value.errors


def test_plan_needs_the_clients_signature(case, worker_a):
    _through(worker_a, case, "intake", "assessment")
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "plan", signature=None)
    assert "signature" in refused.value.errors


def test_plan_moves_to_intervention_and_sets_the_review(case, worker_a):
    _through(worker_a, case, "intake", "assessment")
    plan = _record(worker_a, case, "plan")
    case = db.session.get(Case, case.id)
    assert case.stage == "intervention"
    assert (case.review_due_on - plan.at.date()).days == 28


def test_reassessment_keeps_intervention_and_counts_versions(case, worker_a):
    _through(worker_a, case, "intake", "assessment", "plan")
    again = _record(worker_a, case, "assessment")
    assert again.version == 2 and db.session.get(Case, case.id).stage == "intervention"


def test_review_needs_a_plan_and_sets_the_next_review(case, worker_a):
    _through(worker_a, case, "intake", "assessment")
    with pytest.raises(CaseProblem):
        _record(worker_a, case, "review")
    _record(worker_a, case, "plan")
    review = _record(worker_a, case, "review")
    assert (db.session.get(Case, case.id).review_due_on - review.at.date()).days == 28


def test_contact_naming_an_unknown_goal_is_refused(case, worker_a):
    _through(worker_a, case, "intake", "assessment", "plan")
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "contact", body_of("contact", goal_ids=["nope"]))
    assert "goal_ids" in refused.value.errors["body"]


def test_closure_moves_to_closing_and_refuses_more_but_the_signoff(case, worker_a):
    _through(worker_a, case, "intake", "assessment", "plan", "closure")
    case = db.session.get(Case, case.id)
    assert case.stage == "closing" and case.closed_at is not None and case.review_due_on is None
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "contact")
    assert refused.value.status == 409


def test_only_a_supervisor_of_the_unit_signs_off(case, worker_a, supervisor_a):
    _through(worker_a, case, "intake", "assessment", "plan", "closure")
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "signoff")
    assert refused.value.status == 403
    _record(supervisor_a, case, "signoff")
    case = db.session.get(Case, case.id)
    assert case.stage == "archived" and case.archived_at is not None


def test_signoff_needs_the_closure(case, worker_a, supervisor_a):
    _record(worker_a, case, "intake")
    with pytest.raises(CaseProblem):
        _record(supervisor_a, case, "signoff")


def test_archived_case_refuses_records(case, worker_a, supervisor_a):
    _through(worker_a, case, "intake", "assessment", "plan", "closure")
    _record(supervisor_a, case, "signoff")
    with pytest.raises(CaseProblem) as refused:
        _record(supervisor_a, case, "review")
    assert refused.value.status == 409
    assert refused.value.errors == {"case_id": ["archived: read-only"]}


def test_worker_of_another_unit_cannot_record(case, worker_a, worker_b):
    with pytest.raises(CaseProblem) as refused:
        _record(worker_b, case, "intake")
    assert refused.value.status == 404


def test_worker_of_another_unit_cannot_open_a_case(worker_b, resident_a):
    with pytest.raises(CaseProblem):
        _open(worker_b, resident_a)


def test_bodies_are_checked_by_kind(case, worker_a):
    with pytest.raises(CaseProblem) as refused:
        _record(worker_a, case, "intake", {"register": {"problems": "x" * 2001}})
    assert "body" in refused.value.errors


def test_plan_steps_become_tasks_once(case, worker_a):
    _through(worker_a, case, "intake", "assessment")
    plan = _record(worker_a, case, "plan")
    task = db.session.get(Task, task_id_for(plan.id, "s1"))
    assert task.source == "case" and task.case_id == case.id
    assert task.assignee_id == worker_a.user.id
    # A new version keeping the step raises nothing; a new step raises its own task.
    steps = [
        *body_of("plan")["steps"],
        {"id": "s2", "title": "探访家属", "goal_id": "g1", "due_on": "2030-01-01"},
    ]
    second = _record(worker_a, case, "plan", body_of("plan", steps=steps))
    case_tasks = db.session.scalars(select(Task).where(Task.case_id == case.id)).all()
    assert sorted(t.id for t in case_tasks) == sorted([task.id, task_id_for(second.id, "s2")])


def test_risk_flag_raises_an_urgent_task(case, worker_a):
    _record(worker_a, case, "intake")
    record = _record(worker_a, case, "assessment", body_of("assessment", risks=["self_harm"]))
    task = db.session.get(Task, task_id_for(record.id, "self_harm"))
    assert task.priority == "urgent" and task.urgent_notified_at is None
    assert task.assignee_id == worker_a.user.id


def test_closure_follow_up_opens_a_task(case, worker_a):
    _through(worker_a, case, "intake", "assessment", "plan")
    follow_up = {"title": "一个月后回访", "due_in_days": 30, "assignee_id": None}
    closure = _record(worker_a, case, "closure", body_of("closure", follow_up=follow_up))
    task = db.session.get(Task, task_id_for(closure.id, "follow_up"))
    assert task.title == "一个月后回访" and (task.due_on - closure.at.date()).days == 30


def test_closure_without_a_signature_says_why(case, worker_a):
    from tests.casedata import signature

    _through(worker_a, case, "intake", "assessment", "plan")
    closure = _record(
        worker_a,
        case,
        "closure",
        body_of("closure", reason="deceased"),
        signature=signature("none"),
    )
    assert closure.signature["signer"] == "none"


def test_risk_task_notifies_the_units_supervisors(case, worker_a, supervisor_a):
    from server.models import Alert, utcnow
    from server.tasks.escalation import raise_urgent

    _record(worker_a, case, "intake")
    record = _record(worker_a, case, "assessment", body_of("assessment", risks=["abuse"]))
    raise_urgent(utcnow())
    db.session.commit()
    task = db.session.get(Task, task_id_for(record.id, "abuse"))
    assert task.urgent_notified_at is not None
    alert = db.session.scalars(select(Alert).where(Alert.kind == "urgent")).one()
    assert alert.detail["task_id"] == str(task.id)
