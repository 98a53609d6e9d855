"""Residents through the API: defaults, filters, pages, discharge and the audit trail."""

from datetime import date

from sqlalchemy import select

from server.models import AuditEvent, ResidentToken
from server.platform.clock import today_in
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import set_policies


def test_new_resident_gets_defaults_and_an_opaque_token(api, app, admin, ward_a):
    resident = add_resident(api, admin, ward_a, name="张玉兰")
    assert resident["status"] == "active"
    assert resident["admitted_on"] == today_in(app.config["TIMEZONE"]).isoformat()
    assert resident["status_since"] == resident["admitted_on"]
    assert len(resident["qr_token"]) >= 22
    assert "张" not in resident["qr_token"]
    token = db.session.get(ResidentToken, resident["qr_token"])
    assert str(token.resident_id) == resident["id"] and token.valid_until is None


def test_list_filters_by_unit_status_and_text(api, admin, ward_a, ward_b):
    add_resident(api, admin, ward_a, name="王秀英", room="101")
    add_resident(api, admin, ward_a, name="Margaret Wong", room="102")
    add_resident(api, admin, ward_b, name="王建国", room="201")
    gone = add_resident(api, admin, ward_a, name="李德福", room="103")
    api.patch(f"/residents/{gone['id']}", json={"status": "deceased"}, as_=admin)

    def names(**params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return sorted(r["name"] for r in api.get(f"/residents?{query}", as_=admin).json["items"])

    assert names(unit_id=ward_a.id) == ["Margaret Wong", "李德福", "王秀英"]
    assert names(q="王") == ["王建国", "王秀英"]
    assert names(q="margaret") == ["Margaret Wong"]
    assert names(q="10") == ["Margaret Wong", "李德福", "王秀英"]
    assert names(status="deceased") == ["李德福"]


def test_list_pages_with_total(api, admin, ward_a):
    for number in range(7):
        add_resident(api, admin, ward_a, name=f"Resident {number}")
    page = api.get("/residents?per_page=3&page=3", as_=admin).json
    assert (page["total"], page["page"], page["per_page"]) == (7, 3, 3)
    assert [r["name"] for r in page["items"]] == ["Resident 6"]


def test_per_page_is_bounded(api, admin):
    answer = api.get("/residents?per_page=500", as_=admin)
    assert answer.status_code == 422
    assert "per_page" in answer.json["errors"]


def test_discharge_is_a_status_change_dated_today(api, app, admin, resident_a):
    answer = api.patch(f"/residents/{resident_a['id']}", json={"status": "discharged"}, as_=admin)
    assert answer.status_code == 200
    assert answer.json["status"] == "discharged"
    assert answer.json["status_since"] == today_in(app.config["TIMEZONE"]).isoformat()
    assert api.get(f"/residents/{resident_a['id']}", as_=admin).status_code == 200


def test_every_change_is_audited_with_before_and_after(api, admin, resident_a):
    set_policies(api, admin, care_levels=[("full_care", 3, "week")])
    api.patch(
        f"/residents/{resident_a['id']}",
        json={"room": "305-1", "care_level": "full_care"},
        as_=admin,
    )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == resident_a["id"]).order_by(AuditEvent.id)
    ).all()
    assert [event.action for event in events] == ["create", "update"]
    update = events[1]
    assert update.before == {"care_level": None, "room": "102-2"}
    assert update.after == {"care_level": "full_care", "room": "305-1"}
    assert update.user_id == admin.user.id
    assert update.device_id == admin.device_id


def test_unit_and_user_changes_are_audited(api, admin, ward_a):
    api.patch(f"/units/{ward_a.id}", json={"name": "Ward A1"}, as_=admin)
    created = api.post(
        "/users",
        json={
            "username": "new.worker",
            "role": "worker",
            "password": "long enough 1",
            "unit_ids": [str(ward_a.id)],
        },
        as_=admin,
    ).json
    entities = {(e.entity, e.action) for e in db.session.scalars(select(AuditEvent))}
    assert ("unit", "update") in entities and ("user", "create") in entities
    user_event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_id == created["id"]))
    assert "password" not in str(user_event.after)


def test_explicit_admission_date_is_kept(api, admin, ward_a):
    resident = add_resident(api, admin, ward_a, admitted_on="2026-01-05")
    assert resident["admitted_on"] == "2026-01-05"
    assert date.fromisoformat(resident["status_since"]) == date(2026, 1, 5)


def test_moving_to_an_unknown_unit_is_422(api, admin, resident_a):
    answer = api.patch(
        f"/residents/{resident_a['id']}",
        json={"unit_id": "00000000-0000-4000-8000-000000000000"},
        as_=admin,
    )
    assert answer.status_code == 422
    assert answer.json["errors"] == {"unit_id": ["No such unit."]}


def test_a_care_level_that_no_rule_defines_is_refused(api, admin, ward_a, resident_a):
    """A typo would silently give the resident the default rule."""
    set_policies(api, admin, care_levels=[("full_care", 3, "week")])
    answer = api.patch(f"/residents/{resident_a['id']}", json={"care_level": "ful_care"}, as_=admin)
    assert answer.status_code == 422
    assert "full_care" in answer.json["errors"]["care_level"][0]
    made = api.post(
        "/residents",
        json={"name": "陈凤英", "unit_id": str(ward_a.id), "care_level": "semi"},
        as_=admin,
    )
    assert made.status_code == 422
    cleared = api.patch(f"/residents/{resident_a['id']}", json={"care_level": ""}, as_=admin)
    assert cleared.status_code == 200 and cleared.json["care_level"] is None
