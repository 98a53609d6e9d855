"""The evaluation through the API: opening it, the three columns in order and by the right
roles, notes against the computed points, evidence, grades, the year's list, the history, an
item's records and the printable form (docs/evaluation.md)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from server.evaluation.table import BY_CODE, COMPUTED, MANUAL, grade_of
from server.models import AuditEvent
from server.platform.clock import today_in
from server.platform.extensions import db
from tests import evaluationdata as data


@pytest.fixture
def town(api, admin, app):
    return data.town(api, admin, app)


@pytest.fixture
def year(app) -> int:
    return today_in(app.config["TIMEZONE"]).year - 1


def _open(api, town, year, as_=None):
    answer = api.put(f"/offices/{town.east}/evaluations/{year}", as_=as_ or town.office_admin)
    assert answer.status_code in (200, 201), answer.json
    return answer.json


def _score(api, evaluation, item, column, person, points, note=""):
    return api.put(
        f"/evaluations/{evaluation['id']}/scores/{item}/{column}",
        as_=person,
        json={"points": points, "note": note},
    )


def _fill_manual(api, evaluation, person, points=None):
    for code in MANUAL:
        value = BY_CODE[code].points if points is None else points[code]
        answer = _score(api, evaluation, code, "self", person, value)
        assert answer.status_code == 200, answer.json


def _submit(api, evaluation, column, person, note=""):
    return api.post(
        f"/evaluations/{evaluation['id']}/submissions/{column}", as_=person, json={"note": note}
    )


def test_opening_twice_gives_the_same_evaluation(api, town, year):
    first = api.put(f"/offices/{town.east}/evaluations/{year}", as_=town.office_admin)
    again = api.put(f"/offices/{town.east}/evaluations/{year}", as_=town.north_inspector)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json["id"] == again.json["id"]
    assert [item["code"] for item in first.json["items"]] == list(BY_CODE)
    assert first.json["status"] == "open" and first.json["grade"] is None
    assert first.json["district"]["id"] == town.north
    hinted = {item["code"]: item["hints"] for item in first.json["items"] if item["hints"]}
    assert list(hinted) == ["process"]
    assert hinted["process"]["records"] == 0 and hinted["process"]["reviewed_share"] is None


def test_the_columns_are_entered_in_order_by_their_roles(api, town, year):
    evaluation = _open(api, town, year)
    # Review before self is handed in: refused; self by the district: refused.
    assert _score(api, evaluation, "premises", "review", town.north_inspector, 8).status_code == 409
    assert _score(api, evaluation, "premises", "self", town.north_inspector, 8).status_code == 403
    _fill_manual(api, evaluation, town.office_admin)
    assert _submit(api, evaluation, "review", town.north_inspector).status_code == 409
    handed = _submit(api, evaluation, "self", town.office_admin, "自评完成")
    assert handed.status_code == 201, handed.json
    # Every manual item full, every computed one as the (empty) data has it: 0.
    manual = sum(BY_CODE[code].points for code in MANUAL)
    assert handed.json["total"] == manual and handed.json["grade"] == grade_of(manual)
    # Fixed once handed in.
    assert _score(api, evaluation, "premises", "self", town.office_admin, 4).status_code == 409
    assert _submit(api, evaluation, "self", town.office_admin).status_code == 409
    # The office's admin may not review; the district's inspector does.
    assert _score(api, evaluation, "premises", "review", town.office_admin, 6).status_code == 403
    assert _score(api, evaluation, "premises", "review", town.north_inspector, 6).status_code == 200
    assert _submit(api, evaluation, "assessment", town.city_inspector).status_code == 409
    reviewed = _submit(api, evaluation, "review", town.north_inspector)
    assert reviewed.status_code == 201 and reviewed.json["total"] == manual - 2
    # The district may not assess; the city does, and its grade is the one shown.
    assert (
        _score(api, evaluation, "sign_board", "assessment", town.north_inspector, 4).status_code
        == 403
    )
    assert (
        _score(api, evaluation, "sign_board", "assessment", town.city_inspector, 4).status_code
        == 200
    )
    assessed = _submit(api, evaluation, "assessment", town.city_inspector, "考核完成")
    assert assessed.status_code == 201 and assessed.json["total"] == manual - 6
    shown = api.get(f"/evaluations/{evaluation['id']}", as_=town.city_inspector).json
    assert shown["status"] == "assessment" and shown["grade"] == grade_of(manual - 6)
    assert shown["columns"]["assessment"]["submitted"]["note"] == "考核完成"
    assert not any(column["may_enter"] for column in shown["columns"].values())
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == evaluation["id"])
    ).all()
    assert actions.count("submit") == 3 and "create" in actions


def test_the_wrong_districts_inspector_sees_nothing_and_a_supervisor_is_refused(api, town, year):
    evaluation = _open(api, town, year)
    path = f"/evaluations/{evaluation['id']}"
    assert api.get(path, as_=town.south_inspector).status_code == 404
    assert _score(api, evaluation, "premises", "review", town.south_inspector, 8).status_code == 404
    opened = api.put(f"/offices/{town.east}/evaluations/{year}", as_=town.south_inspector)
    assert opened.status_code == 404
    assert api.get(path, as_=town.supervisor).status_code == 403
    assert _score(api, evaluation, "premises", "self", town.supervisor, 8).status_code == 403
    assert api.get(f"/evaluations?year={year}", as_=town.supervisor).status_code == 403


def test_self_needs_every_manual_item_scored(api, town, year):
    evaluation = _open(api, town, year)
    _score(api, evaluation, "premises", "self", town.office_admin, 8)
    answer = _submit(api, evaluation, "self", town.office_admin)
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == set(MANUAL) - {"premises"}


def test_points_within_the_item_in_half_points_and_a_note_when_off_the_computed(api, town, year):
    evaluation = _open(api, town, year)
    assert _score(api, evaluation, "premises", "self", town.office_admin, 9).status_code == 422
    assert _score(api, evaluation, "premises", "self", town.office_admin, 7.3).status_code == 422
    assert _score(api, evaluation, "premises", "self", town.office_admin, 7.5).status_code == 200
    # The data gives 0 for the visits: other points need a note saying why.
    refused = _score(api, evaluation, "visits", "self", town.office_admin, 6)
    assert refused.status_code == 422 and "note" in refused.json["errors"]
    noted = _score(api, evaluation, "visits", "self", town.office_admin, 6, "走访记录在纸质台账")
    assert noted.status_code == 200
    cell = next(i for i in noted.json["items"] if i["code"] == "visits")["cells"]["self"]
    assert cell["points"] == 6 and cell["computed"] == 0 and cell["note"] == "走访记录在纸质台账"
    assert _score(api, evaluation, "nonsense", "self", town.office_admin, 1).status_code == 404
    assert _score(api, evaluation, "premises", "nonsense", town.office_admin, 1).status_code == 404


@pytest.mark.parametrize(
    ("total", "grade"), [(69.5, "fail"), (70, "pass"), (84.5, "pass"), (85, "model")]
)
def test_the_grade_follows_the_total(api, town, year, total, grade):
    """The manual items are 40 points; the rest (computed, here 0) are entered with a note."""
    evaluation = _open(api, town, year)
    left = total
    for code in list(MANUAL) + list(COMPUTED):
        points = min(BY_CODE[code].points, left)
        left -= points
        note = "" if code in MANUAL or points == 0 else "纸质记录"
        answer = _score(api, evaluation, code, "self", town.office_admin, points, note)
        assert answer.status_code == 200, answer.json
    handed = _submit(api, evaluation, "self", town.office_admin)
    assert handed.json["total"] == total and handed.json["grade"] == grade


def test_evidence_is_one_of_the_offices_evidence_documents(api, admin, town, year):
    evaluation = _open(api, town, year)
    photo = data.office_document(api, town.east, "evidence", town.office_admin)
    plan = data.office_document(api, town.east, "annual_plan", town.office_admin, year)
    elsewhere = data.office_document(api, town.west, "evidence", admin)
    base = f"/evaluations/{evaluation['id']}/evidence/sign_board"
    attached = api.post(f"{base}/{photo}", as_=town.office_admin)
    assert attached.status_code == 201
    item = next(i for i in attached.json["items"] if i["code"] == "sign_board")
    assert [e["document_id"] for e in item["evidence"]] == [photo]
    assert api.post(f"{base}/{plan}", as_=town.office_admin).status_code == 422
    assert api.post(f"{base}/{elsewhere}", as_=town.office_admin).status_code == 404
    assert api.post(f"{base}/{photo}", as_=town.north_inspector).status_code == 403
    removed = api.client.delete(f"/api/v1{base}/{photo}", headers=town.office_admin.headers)
    assert removed.status_code == 200
    assert next(i for i in removed.json["items"] if i["code"] == "sign_board")["evidence"] == []


def test_the_city_inspector_lists_every_office_of_the_year(api, town, year):
    evaluation = _open(api, town, year)
    listed = api.get(f"/evaluations?year={year}", as_=town.city_inspector)
    assert listed.status_code == 200
    rows = {row["office"]["id"]: row for row in listed.json["items"]}
    assert rows[town.east]["evaluation_id"] == evaluation["id"]
    assert rows[town.east]["status"] == "open"
    assert rows[town.west]["status"] == "not_started" and rows[town.west]["evaluation_id"] is None
    assert rows[town.west]["district"]["id"] == town.south
    north = api.get(f"/evaluations?year={year}&district_id={town.north}", as_=town.city_inspector)
    assert {row["office"]["id"] for row in north.json["items"]} == {town.east}
    district = api.get(f"/evaluations?year={year}", as_=town.north_inspector).json["items"]
    assert {row["office"]["id"] for row in district} == {town.east}
    office = api.get(f"/evaluations?year={year}", as_=town.office_admin).json["items"]
    assert [row["office"]["id"] for row in office] == [town.east]


def test_the_history_lists_each_years_evaluation(api, town, year):
    older = api.put(f"/offices/{town.east}/evaluations/{year - 1}", as_=town.office_admin).json
    newer = _open(api, town, year)
    history = api.get(f"/offices/{town.east}/evaluations", as_=town.city_inspector)
    assert [row["year"] for row in history.json] == [year, year - 1]
    assert [row["evaluation_id"] for row in history.json] == [newer["id"], older["id"]]
    assert api.get(f"/offices/{town.east}/evaluations", as_=town.south_inspector).status_code == 404


def test_an_items_records_are_the_ones_counted(api, admin, town, year):
    person = data.resident(api, admin, town.ward, "长者", date(year - 1, 1, 1))
    idle = data.resident(api, admin, town.ward, "未服务", date(year - 1, 1, 1))
    visits = [
        data.visit_on(person, date(year, 1, 5)),
        data.visit_on(person, date(year, 1, 5), seed=3, service_given=""),
        data.visit_on(person, date(year, 2, 7)),
    ]
    data.sync_visits(api, town.worker, visits)
    evaluation = _open(api, town, year)
    path = f"/evaluations/{evaluation['id']}/items"
    days = api.get(f"{path}/visits/records", as_=town.city_inspector).json
    assert days["total"] == 2 and days["value"]["points"] == 2
    assert [row["on"] for row in days["items"]] == [f"{year}-02-07", f"{year}-01-05"]
    incomplete = api.get(f"{path}/ledgers_complete/records", as_=town.city_inspector).json
    assert [row["id"] for row in incomplete["items"]] == [visits[1]["id"]]
    assert incomplete["items"][0]["detail"] == "service"
    without = api.get(f"{path}/service_files/records?per_page=1", as_=town.city_inspector).json
    assert without["total"] == 1 and without["items"][0]["resident_id"] == idle["id"]
    assert api.get(f"{path}/premises/records", as_=town.city_inspector).status_code == 404


def test_the_form_prints_the_paper_layout_with_figures_and_links(api, town, year):
    evaluation = _open(api, town, year)
    _fill_manual(api, evaluation, town.office_admin)
    _submit(api, evaluation, "self", town.office_admin, "自评完成")
    page = api.get(f"/evaluations/{evaluation['id']}/form", as_=town.city_inspector)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for heading in ("考核内容", "考核标准", "分值", "自评分", "审核分", "考核分", "合计"):
        assert heading in html
    assert f"/#/evaluation/{evaluation['id']}/visits" in html
    assert html.count('data-item="') == len(BY_CODE)
    assert "自评完成" in html and "不合格" in html
    assert "天数 days 0" in html  # the visits' figures, named
