"""The meetings API by role: who records, who edits, who sees which meetings; what a meeting
must be; the tasks it raises, once (docs/meetings.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import make_person
from tests.meetingdata import edit_body, local_today, put, record, recorded


@pytest.fixture
def worker_a2(api, ward_a):
    return make_person(api, "worker.a2", "worker", [ward_a])


@pytest.fixture
def supervisor_b(api, ward_b):
    return make_person(api, "supervisor.b", "supervisor", [ward_b])


def _ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.json
    return {item["id"] for item in answer.json["items"]}


# --- recording ------------------------------------------------------------------------------


def test_supervisor_records_group_meeting_with_resident_and_task(
    api, supervisor_a, worker_a, worker_a2, resident_a, ward_a
):
    due = (local_today() + timedelta(days=7)).isoformat()
    meeting = recorded(
        api,
        supervisor_a,
        [worker_a, worker_a2],
        unit_id=str(ward_a.id),
        discussed=[{"resident_id": resident_a["id"], "note": "夜间起床多 Up often at night"}],
        tasks=[
            {
                "resident_id": resident_a["id"],
                "title": "床边加护栏 Bed rail",
                "assignee_id": str(worker_a.user.id),
                "due_on": due,
            }
        ],
    )
    assert meeting["kind"] == "group"
    assert meeting["supervisor_id"] == str(supervisor_a.user.id)
    assert set(meeting["participants"]) == {str(worker_a.user.id), str(worker_a2.user.id)}
    assert meeting["discussed"][0]["resident_name"] == "王桂英"
    [task] = meeting["tasks"]
    assert task["status"] == "open" and task["assignee"]["id"] == str(worker_a.user.id)
    board = api.get("/tasks", as_=supervisor_a, query_string={"source": "meeting"})
    assert [t["id"] for t in board.json["items"]] == [task["id"]]
    assert board.json["items"][0]["source"] == "meeting"


def test_replayed_meeting_is_refused_and_raises_no_second_task(
    api, supervisor_a, worker_a, resident_a
):
    task = {"resident_id": resident_a["id"], "title": "复查 Check again", "due_on": "2099-01-01"}
    first = recorded(api, supervisor_a, [worker_a], tasks=[task])
    again = record(api, supervisor_a, [worker_a], id=first["id"], tasks=[task])
    assert again.status_code == 409
    board = api.get("/tasks", as_=supervisor_a, query_string={"source": "meeting"})
    assert board.json["total"] == 1
    assert board.json["items"][0]["assignee"]["id"] == str(supervisor_a.user.id)


def test_task_for_resident_outside_the_units_is_refused_with_no_meeting(
    api, supervisor_a, worker_a, resident_b
):
    task = {"resident_id": resident_b["id"], "title": "x", "due_on": "2099-01-01"}
    answer = record(api, supervisor_a, [worker_a], tasks=[task])
    assert answer.status_code == 422 and "resident_id" in answer.json["errors"]["tasks"]["0"]
    assert api.get("/meetings", as_=supervisor_a).json["total"] == 0


def test_individual_meeting_has_exactly_one_participant(api, supervisor_a, worker_a, worker_a2):
    answer = record(api, supervisor_a, [worker_a, worker_a2], kind="individual")
    assert answer.status_code == 422 and answer.json["errors"]["participants"]


def test_group_meeting_needs_at_least_two_participants(api, supervisor_a, worker_a):
    answer = record(api, supervisor_a, [worker_a], kind="group")
    assert answer.status_code == 422 and answer.json["errors"]["participants"]


def test_participant_from_another_unit_is_refused(api, supervisor_a, worker_a, worker_b):
    answer = record(api, supervisor_a, [worker_a, worker_b])
    assert answer.status_code == 422 and answer.json["errors"]["participants"]


def test_supervisor_is_not_a_participant_of_their_own_meeting(api, supervisor_a, worker_a):
    answer = record(api, supervisor_a, [worker_a, supervisor_a])
    assert answer.status_code == 422 and answer.json["errors"]["participants"]


def test_meeting_in_the_future_is_refused(api, supervisor_a, worker_a):
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    answer = record(api, supervisor_a, [worker_a], held_on=tomorrow)
    assert answer.status_code == 422 and answer.json["errors"]["held_on"]


def test_meeting_held_today_is_recorded(api, supervisor_a, worker_a):
    answer = record(api, supervisor_a, [worker_a], held_on=local_today().isoformat())
    assert answer.status_code == 201, answer.json


def test_resident_discussed_outside_the_units_is_refused(api, supervisor_a, worker_a, resident_b):
    discussed = [{"resident_id": resident_b["id"], "note": ""}]
    answer = record(api, supervisor_a, [worker_a], discussed=discussed)
    assert answer.status_code == 422 and answer.json["errors"]["discussed"]


def test_discussed_item_names_a_resident_or_a_case(api, supervisor_a, worker_a):
    answer = record(api, supervisor_a, [worker_a], discussed=[{"note": "?"}])
    assert answer.status_code == 422


def test_worker_may_not_record_a_meeting(api, worker_a, worker_a2):
    assert record(api, worker_a, [worker_a2]).status_code == 403


def test_supervisor_records_only_meetings_they_hold(api, supervisor_a, admin, worker_a):
    answer = record(api, supervisor_a, [worker_a], supervisor_id=str(admin.user.id))
    assert answer.status_code == 422 and answer.json["errors"]["supervisor_id"]


def test_admin_records_a_supervisors_meeting_and_must_name_them(
    api, admin, supervisor_a, worker_a, worker_b
):
    assert record(api, admin, [worker_a]).status_code == 422
    meeting = recorded(api, admin, [worker_a, worker_b], supervisor_id=str(supervisor_a.user.id))
    assert meeting["supervisor"]["id"] == str(supervisor_a.user.id)
    assert meeting["id"] in _ids(api.get("/meetings", as_=supervisor_a))


# --- who sees which -------------------------------------------------------------------------


def test_who_sees_which_meetings(
    api, admin, supervisor_a, supervisor_b, worker_a, worker_a2, worker_b, ward_a
):
    with_a = recorded(api, supervisor_a, [worker_a], unit_id=str(ward_a.id))["id"]
    with_a2 = recorded(api, supervisor_a, [worker_a2])["id"]
    in_b = recorded(api, supervisor_b, [worker_b])["id"]
    assert _ids(api.get("/meetings", as_=admin)) == {with_a, with_a2, in_b}
    assert _ids(api.get("/meetings", as_=supervisor_a)) == {with_a, with_a2}
    assert _ids(api.get("/meetings", as_=supervisor_b)) == {in_b}
    assert _ids(api.get("/meetings", as_=worker_a)) == {with_a}
    assert _ids(api.get("/meetings", as_=worker_b)) == {in_b}
    assert api.get(f"/meetings/{with_a}", as_=worker_a).status_code == 200
    assert api.get(f"/meetings/{with_a}", as_=worker_a2).status_code == 404
    assert api.get(f"/meetings/{with_a}", as_=supervisor_b).status_code == 404


def test_supervisor_sees_a_meeting_of_another_unit_they_took_part_in(
    api, admin, supervisor_a, supervisor_b, worker_b
):
    meeting = recorded(
        api,
        admin,
        [supervisor_a, worker_b],
        supervisor_id=str(supervisor_b.user.id),
    )
    assert api.get(f"/meetings/{meeting['id']}", as_=supervisor_a).status_code == 200


def test_meetings_filtered_by_person_kind_and_resident(
    api, supervisor_a, worker_a, worker_a2, resident_a
):
    talked = recorded(
        api,
        supervisor_a,
        [worker_a, worker_a2],
        discussed=[{"resident_id": resident_a["id"], "note": ""}],
    )["id"]
    alone = recorded(api, supervisor_a, [worker_a2])["id"]

    def listed(**query):
        return _ids(api.get("/meetings", as_=supervisor_a, query_string=query))

    assert listed(user_id=str(worker_a.user.id)) == {talked}
    assert listed(kind="individual") == {alone}
    assert listed(resident_id=resident_a["id"]) == {talked}
    assert listed(to=(local_today() - timedelta(days=5)).isoformat()) == set()


# --- editing ------------------------------------------------------------------------------


def test_supervisor_edits_their_meeting_but_not_its_tasks(
    api, supervisor_a, worker_a, worker_a2, resident_a
):
    task = {"resident_id": resident_a["id"], "title": "复查", "due_on": "2099-01-01"}
    meeting = recorded(api, supervisor_a, [worker_a], tasks=[task])
    body = edit_body(
        meeting, kind="group", participants=[str(worker_a.user.id), str(worker_a2.user.id)]
    )
    answer = put(api, supervisor_a, meeting["id"], {**body, "decisions": "改为每日 Daily now"})
    assert answer.status_code == 200, answer.json
    assert (
        answer.json["decisions"] == "改为每日 Daily now" and len(answer.json["participants"]) == 2
    )
    assert [t["id"] for t in answer.json["tasks"]] == [t["id"] for t in meeting["tasks"]]


def test_edit_keeps_the_rules_of_a_meeting(api, supervisor_a, worker_a):
    meeting = recorded(api, supervisor_a, [worker_a])
    answer = put(api, supervisor_a, meeting["id"], edit_body(meeting, kind="group"))
    assert answer.status_code == 422 and answer.json["errors"]["participants"]


def test_only_the_meetings_supervisor_or_an_admin_edits_it(
    api, admin, supervisor_a, worker_a, ward_a
):
    colleague = make_person(api, "supervisor.a2", "supervisor", [ward_a])
    meeting = recorded(api, supervisor_a, [worker_a], unit_id=str(ward_a.id))
    body = edit_body(meeting, topics="改")
    assert api.get(f"/meetings/{meeting['id']}", as_=colleague).json["can_edit"] is False
    assert put(api, colleague, meeting["id"], body).status_code == 403
    assert put(api, worker_a, meeting["id"], body).status_code == 403
    by_admin = put(api, admin, meeting["id"], body)
    assert by_admin.status_code == 200 and by_admin.json["topics"] == "改"
    assert by_admin.json["supervisor_id"] == str(supervisor_a.user.id)


def test_another_units_supervisor_cannot_edit_what_they_cannot_see(
    api, supervisor_a, supervisor_b, worker_a
):
    meeting = recorded(api, supervisor_a, [worker_a])
    assert put(api, supervisor_b, meeting["id"], edit_body(meeting)).status_code == 404


def test_a_case_discussed_names_its_resident(api, supervisor_a, worker_a, resident_a, ward_a):
    from tests.casedata import case_payload
    from tests.conftest import add_resident

    case = api.post("/cases", as_=worker_a, json=case_payload(resident_a)).json
    meeting = recorded(
        api, supervisor_a, [worker_a], discussed=[{"case_id": case["id"], "note": "进展"}]
    )
    assert meeting["discussed"][0]["resident_id"] == resident_a["id"]
    listed = api.get("/meetings", as_=supervisor_a, query_string={"resident_id": resident_a["id"]})
    assert _ids(listed) == {meeting["id"]}
    other = add_resident(api, supervisor_a, ward_a, name="张伟")
    wrong = [{"case_id": case["id"], "resident_id": other["id"], "note": ""}]
    answer = record(api, supervisor_a, [worker_a], discussed=wrong)
    assert answer.status_code == 422 and answer.json["errors"]["discussed"]


def test_the_list_reads_as_many_statements_for_five_meetings_as_for_one(
    api, supervisor_a, worker_a, worker_a2, resident_a
):
    from tests.conftest import statements_run

    discussed = [{"resident_id": resident_a["id"], "note": ""}]

    def statements_for_list() -> int:
        with statements_run() as statements:
            assert api.get("/meetings", as_=supervisor_a).status_code == 200
        return len(statements)

    recorded(api, supervisor_a, [worker_a, worker_a2], discussed=discussed)
    one = statements_for_list()
    for _ in range(4):
        recorded(api, supervisor_a, [worker_a, worker_a2], discussed=discussed)
    assert statements_for_list() == one


def test_a_participant_who_left_since_does_not_lock_the_meeting(
    api, admin, supervisor_a, worker_a, worker_a2
):
    meeting = recorded(api, supervisor_a, [worker_a, worker_a2])
    left = api.patch(f"/users/{worker_a2.user.id}", as_=admin, json={"active": False})
    assert left.status_code == 200, left.json
    answer = put(api, supervisor_a, meeting["id"], edit_body(meeting, topics="补记 Added"))
    assert answer.status_code == 200, answer.json
    again = record(api, supervisor_a, [worker_a, worker_a2])
    assert again.status_code == 422 and again.json["errors"]["participants"]
