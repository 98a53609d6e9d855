"""Every error leaves the server as application/problem+json; nothing else ever does."""

from __future__ import annotations

import logging

from flask import Flask, Response, json
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from server.platform.field_codes import message_codes, plain_messages

log = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://rounds.invalid/problems/"


class ApiError(Exception):
    """A failure the client can act on: raised by domain code and blueprints alike."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: dict | None = None,
        headers: dict | None = None,
        code: str | None = None,
        codes: dict | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.errors = errors
        # Each field's causes as codes (server/platform/field_codes.py); made from `errors`
        # when not given.
        self.codes = codes
        self.headers = headers or {}
        # A stable name for the cause, for clients that act on it or say it in their language.
        self.code = code


class NotFound(ApiError):
    def __init__(self, what: str = "resource") -> None:
        super().__init__(404, f"No such {what}.")


class Forbidden(ApiError):
    def __init__(self, detail: str = "Your role may not do this.") -> None:
        super().__init__(403, detail)


class Conflict(ApiError):
    def __init__(self, detail: str, errors: dict | None = None) -> None:
        super().__init__(409, detail, errors=errors)


INVALID_FIELDS = "Some fields are missing or not valid."


class InvalidFields(ApiError):
    """A 422 naming fields: `errors` in English, `codes` for the client to say them."""

    def __init__(
        self, errors: dict, *, codes: dict | None = None, detail: str = INVALID_FIELDS
    ) -> None:
        super().__init__(422, detail, title="Unprocessable Content", errors=errors, codes=codes)


def _slug(title: str) -> str:
    return title.lower().replace(" ", "-").replace("'", "")


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
    code: str | None = None,
    codes: dict | None = None,
) -> Response:
    from werkzeug.http import HTTP_STATUS_CODES

    title = title or HTTP_STATUS_CODES.get(status, "Error")
    body = {
        "type": PROBLEM_TYPE_BASE + _slug(title),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if code:
        body["code"] = code
    if errors:
        body["errors"] = plain_messages(errors)
        body["codes"] = codes if codes is not None else message_codes(errors)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


_HTTP_DETAILS = {
    400: "The request body is not valid JSON.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    413: "The request body is larger than the server accepts.",
    415: "Send the body as JSON with 'Content-Type: application/json'.",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def on_api_error(error: ApiError) -> Response:
        _abandon_transaction()
        return problem(
            error.status,
            error.detail,
            title=error.title,
            errors=error.errors,
            headers=error.headers,
            code=error.code,
            codes=error.codes,
        )

    @app.errorhandler(ValidationError)
    def on_validation_error(error: ValidationError) -> Response:
        return problem(
            422,
            INVALID_FIELDS,
            title="Unprocessable Content",
            errors=field_messages(error.messages),
        )

    @app.errorhandler(HTTPException)
    def on_http_error(error: HTTPException) -> Response:
        status = error.code or 500
        detail = _HTTP_DETAILS.get(status) or error.description or ""
        if status == 413 and app.config.get("MAX_CONTENT_LENGTH"):
            detail = f"The request body is larger than {app.config['MAX_CONTENT_LENGTH']} bytes."
        headers = dict(error.get_headers()) if status == 405 else None
        if headers:
            headers.pop("Content-Type", None)
        return problem(status, detail, headers=headers)

    @app.errorhandler(Exception)
    def on_unexpected_error(error: Exception) -> Response:
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS") is not False:
            raise error  # tests see the real traceback
        _abandon_transaction()
        log.exception("unhandled error")
        return problem(500, "Something went wrong on the server; the request was not completed.")


def _abandon_transaction() -> None:
    """A failed request leaves nothing half-written, even if its session lives on."""
    from server.platform.extensions import db

    db.session.rollback()


def field_messages(messages) -> dict:
    """Marshmallow nests messages by field; keep that shape but make sure it is a dict."""
    if isinstance(messages, dict):
        return messages
    return {"_schema": messages if isinstance(messages, list) else [str(messages)]}
