"""CSV exports: BOM, stable headers, the expected rows per role, streamed, a filename."""

import csv
import io

import pytest

from server.reports.exports import COVERAGE_COLUMNS, VISIT_COLUMNS
from tests.test_reports import at, data  # noqa: F401 (the known data set)

RANGE = "from=2025-09-01&to=2025-10-31"


def parse(answer) -> list[dict]:
    body = answer.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_visits_csv_for_an_admin(api, admin, data):  # noqa: F811
    answer = api.get(f"/exports/visits.csv?{RANGE}", as_=admin)
    assert answer.status_code == 200
    assert answer.is_streamed
    assert answer.content_type == "text/csv; charset=utf-8"
    assert (
        answer.headers["Content-Disposition"]
        == 'attachment; filename="rounds-visits_2025-09-01_2025-10-31.csv"'
    )
    assert answer.get_data()[:3] == b"\xef\xbb\xbf"
    rows = parse(answer)
    assert tuple(rows[0]) == VISIT_COLUMNS
    # Every visit of the range, oldest first: the voided one included and marked.
    assert len(rows) == 7 + 5 + 5
    assert rows[0]["visit_id"] == data.visits["A1"]["id"]
    by_id = {row["visit_id"]: row for row in rows}
    a6 = by_id[data.visits["A6"]["id"]]
    assert (a6["obs_living"], a6["feedback"], a6["amendments"]) == (
        "concern",
        "房间太冷 room too cold",
        "1",
    )
    assert a6["resident"] == "张建国" and a6["unit"] == "Ward A 甲病区"
    assert a6["worker"] == "Worker.A2" and a6["satisfaction"] == "unsatisfied"
    assert a6["checked_in_at"] == "2025-10-03 10:00:00+08:00"
    assert a6["visit_date"] == "2025-10-03" and a6["number"] == a6["visit_id"][:8].upper()
    a7 = by_id[data.visits["A7"]["id"]]
    assert a7["voided_at"] and a7["void_reason"] == "recorded twice"
    # Typed text never runs as a spreadsheet formula.
    assert by_id[data.visits["B2"]["id"]]["feedback"] == "'-太吵 too noisy"
    assert sum(row["burst"] == "true" for row in rows) == 5


def test_visits_csv_by_unit_and_by_supervisor(api, admin, supervisor_a, ward_a, ward_b, data):  # noqa: F811
    mine = parse(api.get(f"/exports/visits.csv?{RANGE}", as_=supervisor_a))
    assert {row["unit"] for row in mine} == {"Ward A 甲病区"} and len(mine) == 7
    both = parse(
        api.get(f"/exports/visits.csv?{RANGE}&unit_id={ward_a.id}&unit_id={ward_b.id}", as_=admin)
    )
    assert len(both) == 17
    september = parse(
        api.get(f"/exports/visits.csv?from=2025-09-01&to=2025-09-30&unit_id={ward_b.id}", as_=admin)
    )
    assert len(september) == 2 + 5
    assert api.get(f"/exports/visits.csv?unit_id={ward_b.id}", as_=supervisor_a).status_code == 404


def test_a_followup_handled_shows_in_the_csv(api, supervisor_a, data):  # noqa: F811
    api.post(
        f"/followups/{data.visits['A3']['id']}/handle", json={"note": "done"}, as_=supervisor_a
    )
    rows = parse(api.get(f"/exports/visits.csv?{RANGE}", as_=supervisor_a))
    handled = [row for row in rows if row["followup_note"]]
    assert [(row["visit_id"], row["followup_note"]) for row in handled] == [
        (data.visits["A3"]["id"], "done")
    ]


def test_an_empty_range_is_a_header_only(api, admin, data):  # noqa: F811
    answer = api.get("/exports/visits.csv?from=2020-01-01&to=2020-01-31", as_=admin)
    assert answer.get_data(as_text=True) == "\ufeff" + ",".join(VISIT_COLUMNS) + "\r\n"


def test_coverage_csv(app, api, admin, supervisor_a, data):  # noqa: F811
    from server import coverage

    coverage.refresh(at("2025-09-05", "12:00:00"))
    answer = api.get("/exports/coverage.csv?from=2025-09-01&to=2025-09-07", as_=admin)
    assert answer.status_code == 200
    assert (
        'filename="rounds-coverage_2025-09-01_2025-09-07.csv"'
        in answer.headers["Content-Disposition"]
    )
    rows = parse(answer)
    assert tuple(rows[0]) == COVERAGE_COLUMNS
    assert {row["period"] for row in rows} == {"2025-W36"}
    assert len(rows) == 2 + 5
    by_name = {row["resident"]: row for row in rows}
    assert by_name["王桂英"]["days_visited"] == "2"  # A1 on Monday, A3 on Wednesday
    assert by_name["Client 1"]["days_visited"] == "2"
    mine = parse(api.get("/exports/coverage.csv?from=2025-09-01&to=2025-09-07", as_=supervisor_a))
    assert {row["unit"] for row in mine} == {"Ward A 甲病区"}
    months = parse(
        api.get("/exports/coverage.csv?from=2025-09-01&to=2025-09-07&period=month", as_=admin)
    )
    assert months == []  # the default rule counts weeks: no monthly results


@pytest.mark.parametrize("path", ["/exports/visits.csv", "/exports/coverage.csv"])
def test_workers_may_not_export(api, worker_a, worker_b, path):
    assert api.get(path, as_=worker_a).status_code == 403
    assert api.get(path, as_=worker_b).status_code == 403
    assert api.get(path).status_code == 401
