"""The OpenAPI document is valid and describes every route of the app."""

import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid_openapi_3(api):
    document = api.get("/api/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_route_appears_in_the_document(app, api):
    paths = api.get("/api/openapi.json").json["paths"]
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in paths, path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], (method, path)


def test_schemas_describe_requests_and_answers(api):
    document = api.get("/api/openapi.json").json
    login = document["paths"]["/api/v1/auth/login"]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("Login")
    residents = document["paths"]["/api/v1/residents"]["get"]
    assert {p["name"] for p in residents["parameters"]} >= {
        "unit_id",
        "status",
        "q",
        "page",
        "per_page",
    }


def test_the_sync_exchange_names_the_schema_of_each_item(api):
    schemas = api.get("/api/openapi.json").json["components"]["schemas"]
    envelope = schemas["SyncRequest"]["properties"]
    assert envelope["visits"]["items"] == {"$ref": "#/components/schemas/VisitIn"}
    assert envelope["amendments"]["items"] == {"$ref": "#/components/schemas/AmendmentIn"}
    assert {"signature", "observations", "checked_in_at"} <= set(schemas["VisitIn"]["properties"])
    assert "SignatureIn" in schemas and "strokes" in schemas["SignatureIn"]["properties"]
