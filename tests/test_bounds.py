"""Input bounds: a value beyond what the server can compute with is a 422 naming the field, a
body beyond the limit is a 413 however it is framed, a stream fails before its first byte,
and the OpenAPI document declares every status an operation can answer."""

from __future__ import annotations

import gzip
import io
import json
import random

import pytest

from server import create_app
from tests.conftest import TestConfig

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/visits?page=9223372036854775807", "page"),
        (f"/residents?page={HUGE}", "page"),
        ("/residents?per_page=0", "per_page"),
        ("/coverage?week=9999-W52", "week"),
        ("/coverage?week=2026-W54", "week"),
        ("/coverage?month=0001-01", "month"),
        ("/coverage?month=2026-13", "month"),
        ("/exports/visits.csv?to=0001-01-01", "to"),
        ("/exports/coverage.csv?from=9999-12-01&to=9999-12-31", "from"),
        ("/reports/satisfaction?to=0001-01-15", "to"),
        ("/reports/activity?to=0001-01-10", "to"),
        ("/reports/satisfaction/unsatisfied?from=2000-01-01&to=9999-01-01", "to"),
        ("/followups?from=1999-12-31", "from"),
        ("/visits?from=0001-01-01", "from"),
        (f"/alerts?page={HUGE}", "page"),
    ],
)
def test_out_of_range_query_values_are_422_naming_the_field(api, admin, path, field):
    answer = api.get(path, as_=admin)
    assert answer.status_code == 422, answer.data
    assert answer.mimetype == "application/problem+json"
    assert field in answer.json["errors"]


def test_a_path_number_beyond_64_bits_is_422_naming_it(api, admin):
    answer = api.post(f"/alerts/{HUGE}/ack", json={}, as_=admin)
    assert answer.status_code == 422
    assert "alert_id" in answer.json["errors"]
    assert api.post("/alerts/9223372036854775807/ack", json={}, as_=admin).status_code == 404


def test_a_nul_character_in_the_query_is_422(api, admin):
    answer = api.get("/residents?q=a%00b", as_=admin)
    assert answer.status_code == 422
    assert "q" in answer.json["errors"]


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+08:00", "9999-12-31T20:00:00-10:00", "1999-12-31T23:59:59Z"]
)
def test_an_instant_outside_the_bounded_years_is_refused_by_the_schema(moment):
    from marshmallow import ValidationError

    from server.visits.schemas import SyncRequestSchema

    with pytest.raises(ValidationError) as refused:
        SyncRequestSchema().load({"device_time": moment})
    assert "device_time" in refused.value.messages


def test_a_resident_date_outside_the_bounds_is_422(api, admin, resident_a):
    answer = api.patch(
        f"/residents/{resident_a['id']}", json={"admitted_on": "0001-01-01"}, as_=admin
    )
    assert answer.status_code == 422
    assert "admitted_on" in answer.json["errors"]


def test_a_csv_export_prepares_its_rows_before_the_first_byte(api, app, supervisor_a, monkeypatch):
    """A failure in preparing is an error answer, never a 200 that breaks off mid-stream."""
    from server.reports import exports

    class Boom(Exception):
        pass

    def fail(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(exports, "period_labels", fail)
    monkeypatch.setattr(exports, "in_range", fail)
    for name in ("visits", "coverage"):
        with pytest.raises(Boom):  # raised by the request itself, not by reading the body
            api.get(f"/exports/{name}.csv", as_=supervisor_a, buffered=False)


def test_a_csv_export_at_the_edge_of_the_bounds_answers_whole(api, supervisor_a):
    answer = api.get("/exports/coverage.csv?from=2100-12-01&to=2100-12-31", as_=supervisor_a)
    assert answer.status_code == 200
    assert answer.data.decode("utf-8-sig").startswith("period,")


# --- bodies over the limit -------------------------------------------------------------


def _chunked(api, person, body: bytes, **headers):
    """A body sent with no Content-Length (Transfer-Encoding: chunked), as gunicorn and
    Werkzeug's server hand it on: de-chunked, the stream marked as ending by itself."""
    return api.client.open(
        "/api/v1/units",
        method="POST",
        input_stream=io.BytesIO(body),
        environ_overrides={"wsgi.input_terminated": True},
        headers={
            **person.headers,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
            **headers,
        },
    )


@pytest.fixture
def small_limit(app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    return 1000


def _over(limit: int) -> bytes:
    return json.dumps({"name": "x" * (limit + 10)}).encode()


def test_a_chunked_body_over_the_limit_is_413_not_cut(api, admin, small_limit):
    answer = _chunked(api, admin, _over(small_limit))
    assert answer.status_code == 413
    assert answer.mimetype == "application/problem+json"


def test_a_gzipped_chunked_body_over_the_limit_is_413(api, admin, small_limit):
    noise = random.Random(19).randbytes(1000)  # does not compress
    body = gzip.compress(json.dumps({"name": noise.hex()}).encode())
    assert len(body) > small_limit
    answer = _chunked(api, admin, body, **{"Content-Encoding": "gzip"})
    assert answer.status_code == 413


def test_a_gzipped_body_that_inflates_over_the_limit_is_413(api, admin, small_limit):
    body = gzip.compress(_over(small_limit * 50))
    assert len(body) < small_limit
    answer = _chunked(api, admin, body, **{"Content-Encoding": "gzip"})
    assert answer.status_code == 413


def test_a_body_with_a_length_over_the_limit_is_413(api, admin, small_limit):
    answer = api.post(
        "/units", data=_over(small_limit), as_=admin, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413


def test_a_chunked_body_within_the_limit_is_read_whole(api, admin, small_limit):
    answer = _chunked(api, admin, json.dumps({"name": "Ward C"}).encode())
    assert answer.status_code == 201, answer.json
    assert answer.json["name"] == "Ward C"


# --- the document declares what an operation answers ----------------------------------


@pytest.fixture
def document(api):
    return api.get("/api/openapi.json").json


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_with_query_parameters_declares_422(document):
    for path, method, operation in _operations(document):
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "422" in operation["responses"], (method, path)


def test_every_operation_with_a_body_declares_400_413_415_and_422(document):
    for path, method, operation in _operations(document):
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= operation["responses"].keys(), (method, path)


def test_authenticated_operations_declare_401_and_role_checked_ones_403(document):
    ack = document["paths"]["/api/v1/alerts/{alert_id}/ack"]["post"]["responses"]
    assert {"401", "403", "404", "422"} <= ack.keys()
    assert "401" not in document["paths"]["/healthz"]["get"]["responses"]


def test_path_numbers_are_declared_within_64_bits(document):
    (param,) = document["paths"]["/api/v1/alerts/{alert_id}/ack"]["post"]["parameters"]
    assert param["schema"]["maximum"] == 2**63 - 1


def test_the_health_check_is_declared_as_its_json_report(document):
    responses = document["paths"]["/healthz"]["get"]["responses"]
    for status in ("200", "503"):
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Health"}
    properties = document["components"]["schemas"]["Health"]["properties"]
    assert {"status", "database", "migrations", "coverage"} <= properties.keys()


# --- absolute addresses come from the setting, not the Host header --------------------


def test_outside_development_the_app_refuses_to_start_without_a_public_url(
    database_url, monkeypatch
):
    class Production(TestConfig):
        TESTING = False

    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("ROUNDS_PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="ROUNDS_PUBLIC_URL"):
        create_app(Production(database_url))
    monkeypatch.setenv("ROUNDS_PUBLIC_URL", "https://rounds.example.org")
    assert create_app(Production(database_url)).config["PUBLIC_URL"] == "https://rounds.example.org"


def test_a_public_url_that_is_not_an_absolute_address_is_refused(database_url, monkeypatch):
    monkeypatch.setenv("ROUNDS_PUBLIC_URL", "rounds.example.org")
    with pytest.raises(RuntimeError, match="ROUNDS_PUBLIC_URL"):
        create_app(TestConfig(database_url))


def test_print_stylesheets_are_linked_relative_to_the_host_asked(api, supervisor_a, resident_a):
    evil = {"Host": "evil.example"}
    sheet = api.get(
        f"/labels?resident_id={resident_a['id']}", as_=supervisor_a, headers=evil
    ).data.decode()
    assert "evil.example" not in sheet
    assert 'href="/api/v1/labels.css"' in sheet
