"""The one decorator every API view wears: authenticate, load input by schema, dump the answer.

It also records what it did on the view, so server/http/openapi.py can describe every route from
the same schemas that validate it.

A request is one unit of work, and the handler owns its commit; domain code only flushes.
Authenticating changes nothing durable by itself: it marks the device seen in the request's
session, and the handler's commit carries the mark. A handler that only reads leaves the mark
pending; it is committed once the handler has returned (at most once per SEEN_RESOLUTION a
device). A handler that raises commits nothing: the session is rolled back when the request
ends, the mark with it.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

import orjson
from flask import Response, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError, fields

from server.http.fields import INT64_MAX
from server.models import Device, utcnow
from server.models.core import INSPECTOR, MANAGERS
from server.people.access import Scope
from server.people.auth import device_for_token, why_refused
from server.platform.errors import ApiError, Forbidden, InvalidFields, field_messages
from server.platform.extensions import db
from server.platform.field_codes import coded, schema_codes

SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass
class EndpointDoc:
    summary: str
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    response: type[Schema] | None = None
    many: bool = False
    status: int = 200
    roles: tuple[str, ...] = ()
    public: bool = False
    produces: str = "application/json"
    extra_responses: dict[int, str | tuple[str, type[Schema]]] = field(default_factory=dict)
    # A multipart/form-data body (an upload) instead of JSON, and the setting bounding its file.
    form: type[Schema] | None = None
    form_limit: str | None = None

    def statuses(self, path_params: bool) -> dict[int, str | tuple[str, type[Schema]]]:
        """Every status other than success this operation can answer, and why: derived from
        what the decorator checks, then the view's own `extra_responses` (which win)."""
        found: dict[int, str | tuple[str, type[Schema]]] = {}
        if not self.public:
            found[401] = "Log in again: the token is missing, expired or revoked"
        if self.roles:
            found[403] = "Your role may not do this"
        if path_params or (self.query is not None and not self.public):
            found[404] = "No such record, or not one you may see"
        if self.body is not None:
            found[400] = "The body is not valid JSON (or not valid gzip)"
            found[413] = "The body is larger than the server accepts"
            found[415] = "The body is not sent as application/json"
        if self.form is not None:
            found[400] = "The body is not valid multipart/form-data"
            found[413] = "The file is larger than the server keeps"
            found[415] = "The body is not sent as multipart/form-data"
        if self.body is not None or self.form is not None or self.query is not None or path_params:
            found[422] = "Fields missing or not valid: `errors` names them"
        found.update(self.extra_responses)
        return found


class Unauthorized(ApiError):
    def __init__(self, code: str = "unknown_token") -> None:
        super().__init__(
            401,
            "Log in again: the token is missing, expired or revoked.",
            headers={"WWW-Authenticate": "Bearer"},
            code=code,
        )


def _check_role(role: str, roles: tuple[str, ...]) -> None:
    """An inspector reads what managers read and changes only what names inspectors (a
    sample, the bureau's column of an evaluation); everyone else needs a role listed."""
    reading = request.method in ("GET", "HEAD")
    if role == INSPECTOR:
        if INSPECTOR in roles or (reading and (not roles or set(roles) & set(MANAGERS))):
            return
        raise Forbidden("An inspector reads the offices' records and does not change them.")
    if roles and role not in roles:
        raise Forbidden()


def authenticate() -> tuple[Device, bool]:
    """The device of the bearer token, and whether it was just marked seen (not committed)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    device = device_for_token(token.strip())
    if device is None:
        raise Unauthorized(why_refused(token.strip()))
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > SEEN_RESOLUTION:
        device.last_seen_at = now
        return device, True
    return device, False


def _body_limit() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"] or 2 * 1024 * 1024


def _raw_body() -> bytes:
    """The body as sent, never more than the limit: 413 beyond it.

    With a Content-Length over the limit Werkzeug refuses before reading. A chunked body has
    no length: Werkzeug's own cap would end the stream at the limit and hand back the part
    read as if it were the whole, so the stream is read here, limit + 1 bytes at most.
    """
    limit = _body_limit()
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"The request body is larger than {limit} bytes.")
    stream = request.environ["wsgi.input"] if request.content_length is None else request.stream
    if request.content_length is None and not request.environ.get("wsgi.input_terminated"):
        return b""  # no length and no chunked framing: HTTP says there is no body
    parts, size = [], 0
    while size <= limit:
        part = stream.read(min(64 * 1024, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > limit:
        raise ApiError(413, f"The request body is larger than {limit} bytes.")
    return b"".join(parts)


def _gunzipped(raw: bytes) -> bytes:
    """Phones gzip their batches; inflate within the same size limit as a plain body."""
    limit = _body_limit()
    inflater = zlib.decompressobj(wbits=31)
    try:
        body = inflater.decompress(raw, limit + 1)
    except zlib.error as error:
        raise ApiError(400, "The body is not valid gzip.") from error
    if len(body) > limit or inflater.unconsumed_tail:
        raise ApiError(413, f"The request body is larger than {limit} bytes once inflated.")
    return body


def _json_object() -> dict:
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON with 'Content-Type: application/json'.")
    gzipped = request.headers.get("Content-Encoding", "").lower() == "gzip"
    raw = _raw_body()
    try:  # orjson: a 200-visit batch parses in a fraction of the standard library's time
        data = orjson.loads(_gunzipped(raw) if gzipped else raw)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, "The request body is not valid JSON.") from error
    if not isinstance(data, dict):
        raise ApiError(
            422,
            "The body must be a JSON object.",
            title="Unprocessable Content",
            errors={"_schema": [coded("Expected a JSON object.", "invalid")]},
        )
    return data


# Room in a form's body for its other fields and the parts' headers, beside the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def _form_fields(limit_setting: str) -> dict:
    """A multipart/form-data body's fields and files, its size bounded by the file's setting:
    413 beyond it, before anything is parsed when the length is given."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "Send the body as multipart/form-data.")
    limit = current_app.config[limit_setting] + FORM_OVERHEAD_BYTES
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"The request body is larger than {limit} bytes.", code="too_large")
    request.max_content_length = limit
    # A form sends a field left empty as "": not given, as a JSON body would leave it out.
    given = {name: value for name, value in request.form.to_dict().items() if value != ""}
    return {**given, **request.files.to_dict()}


NUL_MESSAGE = "Text may not contain the NUL character."


def _nul_errors(value, path: str = "") -> dict[str, list[str]]:
    """Where a loaded body holds the NUL character, which PostgreSQL cannot store in text."""
    if isinstance(value, str):
        return {path or "_schema": [coded(NUL_MESSAGE, "invalid")]} if "\x00" in value else {}
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list | tuple)
        else ()
    )
    found: dict[str, list[str]] = {}
    for key, item in items:
        found.update(_nul_errors(item, f"{path}.{key}" if path else str(key)))
    return found


def _path_errors(values: dict) -> dict[str, list[str]]:
    """Path numbers beyond 64 bits: Flask's int converter takes any length, no table can."""
    return {
        name: [coded(f"At most {INT64_MAX}.", "range", min=0, max=INT64_MAX)]
        for name, value in values.items()
        if isinstance(value, int) and not 0 <= value <= INT64_MAX
    }


def _list_keys(schema: Schema) -> frozenset[str]:
    """The query parameters a schema takes as lists: they may be repeated (?unit_id=a&unit_id=b)."""
    return frozenset(
        field.data_key or name
        for name, field in schema.load_fields.items()
        if isinstance(field, fields.List)
    )


def _query_args(list_keys: frozenset[str]) -> dict:
    """The query string as the schema expects it: every value of a list parameter, the first
    of any other."""
    return {
        key: values if key in list_keys else values[0]
        for key, values in request.args.to_dict(flat=False).items()
    }


def _load(schema: Schema, data: dict, **kwargs) -> dict:
    """The schema's load of `data`; a refusal names each field's causes as codes too."""
    try:
        return schema.load(data, **kwargs)
    except ValidationError as error:
        raise InvalidFields(
            field_messages(error.messages), codes=schema_codes(schema, error.messages, data)
        ) from error


def endpoint(
    summary: str,
    *,
    body: type[Schema] | None = None,
    items_checked_alone: bool = False,
    partial: bool = False,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    many: bool = False,
    status: int = 200,
    roles: tuple[str, ...] = (),
    public: bool = False,
    produces: str = "application/json",
    extra_responses: dict[int, str] | None = None,
    form: type[Schema] | None = None,
    form_limit: str | None = None,
):
    doc = EndpointDoc(
        summary, body, query, response, many, status, roles, public, produces, extra_responses or {}
    )
    doc.form, doc.form_limit = form, form_limit
    form_schema = form(unknown="exclude") if form else None
    body_schema = body() if body else None
    query_schema = query(unknown="exclude") if query else None
    list_keys = _list_keys(query_schema) if query_schema is not None else frozenset()
    response_schema = response(many=many) if response else None

    def _answer(result):
        if isinstance(result, Response):
            return result
        if result is None:
            return Response(status=204)
        if response_schema is not None:
            result = response_schema.dump(result)
        return jsonify(result), status

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            seen = False
            if not public:
                g.device, seen = authenticate()
                g.user = g.device.user
                g.scope = Scope.of(g.user)  # once per request, read by every unit check
                _check_role(g.user.role, roles)
            errors = _path_errors(kwargs)
            if errors:
                raise ApiError(422, "Some fields are not valid.", errors=errors)
            if body_schema is not None:
                kwargs["body"] = _load(body_schema, _json_object(), partial=partial)
                # A sync batch checks each record itself: one bad record must not block all.
                errors = {} if items_checked_alone else _nul_errors(kwargs["body"])
                if errors:
                    raise ApiError(422, "Some fields are not valid.", errors=errors)
            if form_schema is not None:
                given = _form_fields(form_limit or "MAX_CONTENT_LENGTH")
                errors = _nul_errors({k: v for k, v in given.items() if isinstance(v, str)})
                if errors:
                    raise ApiError(422, "Some fields are not valid.", errors=errors)
                kwargs["form"] = _load(form_schema, given)
            if query_schema is not None:
                given = _query_args(list_keys)
                errors = _nul_errors(given)  # PostgreSQL cannot compare text holding NUL
                if errors:
                    raise ApiError(422, "Some fields are not valid.", errors=errors)
                kwargs["query"] = _load(query_schema, given)
                if kwargs["query"].get("office_id") is not None and not public:
                    g.scope = g.scope.within_office(kwargs["query"]["office_id"])
            answer = _answer(view(*args, **kwargs))
            if seen:  # the handler returned: the mark joins what it committed, or goes alone
                db.session.commit()
            return answer

        wrapper.api_doc = doc
        return wrapper

    return decorate
