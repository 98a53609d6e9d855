"""The roster half of a sync: incremental, paged, scoped, with this week's counts."""

from server.platform.extensions import db
from server.roster.residents import token_fingerprint
from tests.conftest import add_resident, make_person
from tests.test_coverage_support import set_policies
from tests.visitdata import sync_body, visit_payload


def pull(api, person, cursor=None, visits=()):
    answer = api.post("/sync", json=sync_body(visits, cursor=cursor), as_=person)
    assert answer.status_code == 200, answer.json
    return answer.json


def pull_all(api, person, cursor=None):
    """Follow `more` pages; answer (residents by id, removed ids, last cursor, pages)."""
    residents, removed, pages = {}, set(), 0
    while True:
        page = pull(api, person, cursor)
        pages += 1
        residents.update({r["id"]: r for r in page["residents"]})
        removed |= set(page["removed"]["residents"])
        cursor = page["cursor"]
        if not page["more"]:
            return residents, removed, cursor, pages


def test_first_pull_is_a_full_roster_of_my_units(api, worker_a, ward_a, resident_a, resident_b):
    answer = pull(api, worker_a)
    assert answer["reset"] is True
    assert [r["id"] for r in answer["residents"]] == [resident_a["id"]]
    assert answer["units"] == [
        {"id": str(ward_a.id), "name": ward_a.name, "kind": "ward", "supervisors": []}
    ]
    entry = answer["residents"][0]
    assert entry["qr_hash"] == token_fingerprint(resident_a["qr_token"])
    assert "qr_token" not in entry
    assert entry["coverage"]["required"] == 2
    assert entry["coverage"]["days_visited"] == 0
    assert "address" not in entry  # empty fields are left out


def test_nothing_changed_means_an_empty_answer(api, worker_a, resident_a):
    cursor = pull(api, worker_a)["cursor"]
    again = pull(api, worker_a, cursor)
    assert again["reset"] is False
    assert again["residents"] == [] and again["units"] == []
    assert again["removed"] == {
        "residents": [],
        "units": [],
        "tasks": [],
        "cases": [],
        "reviews": [],
        "activities": [],
    }
    assert again["tasks"] == []


def test_changes_since_the_cursor_come_alone(api, admin, worker_a, ward_a, resident_a):
    cursor = pull(api, worker_a)["cursor"]
    newcomer = add_resident(api, admin, ward_a, name="周文华")
    api.patch(f"/residents/{resident_a['id']}", json={"room": "309"}, as_=admin)
    answer = pull(api, worker_a, cursor)
    assert sorted(r["id"] for r in answer["residents"]) == sorted(
        [newcomer["id"], resident_a["id"]]
    )


def test_a_colleagues_visit_updates_my_count(api, worker_a, ward_a, resident_a):
    colleague = make_person(api, "colleague", "worker", [ward_a])
    cursor = pull(api, worker_a)["cursor"]
    pull(api, colleague, visits=[visit_payload(resident_a)])
    answer = pull(api, worker_a, cursor)
    assert answer["residents"][0]["coverage"]["days_visited"] == 1
    assert answer["residents"][0]["coverage"]["last_visit_at"] is not None


def test_my_own_sync_answers_my_new_count(api, worker_a, resident_a):
    cursor = pull(api, worker_a)["cursor"]
    answer = pull(api, worker_a, cursor, visits=[visit_payload(resident_a)])
    assert answer["residents"][0]["coverage"]["days_visited"] == 1


def test_discharged_resident_comes_in_removed(api, admin, worker_a, resident_a):
    cursor = pull(api, worker_a)["cursor"]
    api.patch(f"/residents/{resident_a['id']}", json={"status": "discharged"}, as_=admin)
    answer = pull(api, worker_a, cursor)
    assert answer["residents"] == []
    assert answer["removed"]["residents"] == [resident_a["id"]]


def test_resident_moved_to_another_unit_comes_in_removed(api, admin, worker_a, ward_b, resident_a):
    cursor = pull(api, worker_a)["cursor"]
    api.patch(f"/residents/{resident_a['id']}", json={"unit_id": str(ward_b.id)}, as_=admin)
    assert pull(api, worker_a, cursor)["removed"]["residents"] == [resident_a["id"]]


def test_unit_taken_away_means_full_resend_and_removed_unit(
    api, admin, worker_a, ward_a, ward_b, resident_a, resident_b
):
    cursor = pull(api, worker_a)["cursor"]
    api.patch(f"/users/{worker_a.user.id}", json={"unit_ids": [str(ward_b.id)]}, as_=admin)
    answer = pull(api, worker_a, cursor)
    assert answer["reset"] is True
    assert answer["removed"]["units"] == [str(ward_a.id)]
    assert [r["id"] for r in answer["residents"]] == [resident_b["id"]]


def test_unknown_cursor_means_full_resend_not_an_error(api, worker_a, resident_a):
    for cursor in ("garbage!", "eyJ2Ijo5fQ", ""):
        answer = pull(api, worker_a, cursor)
        assert answer["reset"] is True
        assert [r["id"] for r in answer["residents"]] == [resident_a["id"]]


def test_large_rosters_come_in_pages(api, app, admin, worker_a, ward_a):
    app.config["SYNC_PAGE_SIZE"] = 4
    ids = {add_resident(api, admin, ward_a, name=f"Resident {n}")["id"] for n in range(10)}
    residents, _, cursor, pages = pull_all(api, worker_a)
    assert set(residents) == ids
    assert pages == 3
    changed = add_resident(api, admin, ward_a, name="Late arrival")
    residents, _, _, _ = pull_all(api, worker_a, cursor)
    assert set(residents) == {changed["id"]}


def test_changes_during_paging_are_not_lost(api, app, admin, worker_a, ward_a):
    app.config["SYNC_PAGE_SIZE"] = 3
    made = [add_resident(api, admin, ward_a, name=f"R{n}") for n in range(7)]
    first = pull(api, worker_a)
    assert first["more"] is True
    api.patch(f"/residents/{made[0]['id']}", json={"room": "999"}, as_=admin)
    seen = {r["id"]: r for r in first["residents"]}
    cursor = first["cursor"]
    while True:
        page = pull(api, worker_a, cursor)
        seen.update({r["id"]: r for r in page["residents"]})
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert len(seen) == 7
    assert seen[made[0]["id"]]["room"] == "999"


def test_rotated_token_reaches_the_phone(api, admin, worker_a, resident_a):
    from server.models import Resident
    from server.roster.changes import next_change_number
    from server.roster.residents import new_qr_token

    cursor = pull(api, worker_a)["cursor"]
    resident = db.session.get(Resident, __import__("uuid").UUID(resident_a["id"]))
    resident.qr_token = new_qr_token()
    resident.change_seq = next_change_number()
    db.session.commit()
    answer = pull(api, worker_a, cursor)
    assert answer["residents"][0]["qr_hash"] == token_fingerprint(resident.qr_token)


def test_token_fingerprint_is_what_a_phone_computes():
    # The PWA hashes a scanned token with SubtleCrypto; this pins the same recipe.
    assert token_fingerprint("abc") == "ungWv48Bz-o"


def test_a_changed_rule_reaches_the_phones(api, admin, worker_a, ward_a):
    # Admitted long ago, so that the rule is not pro-rated for an admission this week.
    resident_a = add_resident(api, admin, ward_a, name="王桂英", admitted_on="2025-01-06")
    cursor = pull(api, worker_a)["cursor"]
    set_policies(api, admin, residents=[(resident_a["id"], 3, "week")])
    answer = pull(api, worker_a, cursor)
    assert [(r["id"], r["coverage"]["required"]) for r in answer["residents"]] == [
        (resident_a["id"], 3)
    ]
    set_policies(api, admin, residents=[(resident_a["id"], 3, "week")])  # the same again
    assert pull(api, worker_a, answer["cursor"])["residents"] == []


def test_a_units_entry_names_its_active_supervisors(api, worker_a, supervisor_a, ward_a):
    unit = pull(api, worker_a)["units"][0]
    assert unit["supervisors"] == [
        {"id": str(supervisor_a.user.id), "display_name": supervisor_a.user.display_name}
    ]


def test_a_supervisor_given_the_unit_reaches_the_phone_at_its_next_pull(
    api, admin, worker_a, ward_a, ward_b
):
    cursor = pull(api, worker_a)["cursor"]
    lee = make_person(api, "lee", "supervisor", units=[ward_b])
    assert pull(api, worker_a, cursor)["units"] == []  # another unit's supervisor: nothing

    moved = api.patch(f"/users/{lee.user.id}", json={"unit_ids": [str(ward_a.id)]}, as_=admin)
    assert moved.status_code == 200, moved.json
    again = pull(api, worker_a, cursor)

    assert [s["id"] for s in again["units"][0]["supervisors"]] == [str(lee.user.id)]
    gone = api.patch(f"/users/{lee.user.id}", json={"active": False}, as_=admin)
    assert gone.status_code == 200, gone.json
    assert pull(api, worker_a, again["cursor"])["units"][0]["supervisors"] == []
