"""The OpenAPI 3 document, built from the routes and the schemas that validate them."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from server.http.fields import INT64_MAX, ProblemSchema

_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>")
_PARAM_TYPES = {
    "uuid": {"type": "string", "format": "uuid"},
    "int": {"type": "integer", "format": "int64", "minimum": 0, "maximum": INT64_MAX},
    None: {"type": "string"},
    "string": {"type": "string"},
    "path": {"type": "string"},
    "asset": {"type": "string"},
}


def _openapi_path(rule: str) -> tuple[str, list[dict]]:
    params = [
        {"name": m["name"], "in": "path", "required": True, "schema": _PARAM_TYPES[m["conv"]]}
        for m in _CONVERTER.finditer(rule)
    ]
    return _CONVERTER.sub(r"{\g<name>}", rule), params


def _operation(doc, path_params: list[dict]) -> dict:
    operation: dict = {"summary": doc.summary, "parameters": list(path_params), "responses": {}}
    if doc.query is not None:
        operation["parameters"].append({"in": "query", "schema": doc.query})
    if doc.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": doc.body}},
        }
    if doc.form is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": doc.form}},
        }
    if doc.status == 204:
        operation["responses"]["204"] = {"description": "Done"}
    else:
        content = (
            {"schema": {"type": "array", "items": doc.response} if doc.many else doc.response}
            if doc.response
            else {"schema": {"type": "object" if doc.produces == "application/json" else "string"}}
        )
        operation["responses"][str(doc.status)] = {
            "description": "OK",
            "content": {doc.produces: content},
        }
    for status, answer in sorted(doc.statuses(bool(path_params)).items()):
        if isinstance(answer, tuple):  # a description and the JSON schema of its body
            description, schema = answer
            content = {"application/json": {"schema": schema}}
        else:
            description, content = answer, {"application/problem+json": {"schema": "Problem"}}
        operation["responses"][str(status)] = {"description": description, "content": content}
    if not doc.public:
        operation["security"] = [{"bearer": []}]
    return operation


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="Rounds API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Offline-first field visits: sync, roster, coverage."},
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        doc = getattr(view, "api_doc", None)
        if doc is None:
            raise LookupError(f"route {rule.rule} has no API description")
        path, params = _openapi_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(doc, params)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return _describe_sync_items(spec)


def _describe_sync_items(spec: APISpec) -> dict:
    """A sync carries its items as raw JSON (each is validated on its own, so one bad record
    never blocks the rest); the document still names the schema each item must follow."""
    from server.activities.schemas import ActivityInSchema, PhotoInSchema
    from server.cases.schemas import CaseInSchema, CaseRecordInSchema
    from server.reviews.schemas import ReviewReplyInSchema
    from server.tasks.schemas import TaskEventInSchema, TaskInSchema
    from server.visits.schemas import AmendmentInSchema, VisitInSchema

    spec.components.schema("VisitIn", schema=VisitInSchema)
    spec.components.schema("AmendmentIn", schema=AmendmentInSchema)
    spec.components.schema("TaskIn", schema=TaskInSchema)
    spec.components.schema("TaskEventIn", schema=TaskEventInSchema)
    spec.components.schema("CaseIn", schema=CaseInSchema)
    spec.components.schema("CaseRecordIn", schema=CaseRecordInSchema)
    spec.components.schema("ReviewReplyIn", schema=ReviewReplyInSchema)
    spec.components.schema("ActivityIn", schema=ActivityInSchema)
    spec.components.schema("ActivityPhotoIn", schema=PhotoInSchema)
    document = spec.to_dict()
    envelope = document["components"]["schemas"]["SyncRequest"]["properties"]
    envelope["visits"]["items"] = {"$ref": "#/components/schemas/VisitIn"}
    envelope["amendments"]["items"] = {"$ref": "#/components/schemas/AmendmentIn"}
    envelope["tasks"]["items"] = {"$ref": "#/components/schemas/TaskIn"}
    envelope["task_events"]["items"] = {"$ref": "#/components/schemas/TaskEventIn"}
    envelope["cases"]["items"] = {"$ref": "#/components/schemas/CaseIn"}
    envelope["case_records"]["items"] = {"$ref": "#/components/schemas/CaseRecordIn"}
    envelope["review_replies"]["items"] = {"$ref": "#/components/schemas/ReviewReplyIn"}
    envelope["activities"]["items"] = {"$ref": "#/components/schemas/ActivityIn"}
    envelope["activity_photos"]["items"] = {"$ref": "#/components/schemas/ActivityPhotoIn"}
    return document
