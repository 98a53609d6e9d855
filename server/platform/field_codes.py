"""Why each field was refused, as a code with its parameters, beside the English message.

A problem's `errors` say in English what is wrong with each field; its `codes` say the same
in a form a client can put in its user's language: `{"display_name": [{"code": "length",
"min": 1, "max": 120, "message": "Length must be between 1 and 120."}]}`, nested as `errors`
is nested. The codes are listed in docs/api-contract.md ("Field codes").

Marshmallow keeps only the message of a refusal, and messages are configurable per field, so
the code is never read from the message: `schema_codes` takes the field the message belongs
to, runs its deserialisation and each of its validators again on the value sent, and names
the code after the validator's class (Length, Range, OneOf, Email) or the step (required,
unknown, a value of the wrong type or format, a pattern) whose message it is. A message none of them
gave (a schema-level check) is `invalid`.

Domain code names its own codes by raising with `coded(message, code, **params)` messages.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields, missing, validate

INVALID = "invalid"


class CodedMessage(str):
    """A message that carries its code: still a plain string wherever `errors` is read."""

    code: str
    params: dict

    def __new__(cls, message: str, code: str, **params) -> CodedMessage:
        made = super().__new__(cls, message)
        made.code = code
        made.params = params
        return made


def coded(message: str, code: str, **params) -> CodedMessage:
    """A field's message with the code (and parameters) a client says it with."""
    return CodedMessage(message, code, **params)


def not_yet_received() -> CodedMessage:
    """A sync item naming a record the server does not hold yet: the phone sends it again (it
    reads the English words, which stay as they were)."""
    return coded("not yet received", "not_yet_received")


def _plain(value):
    """A parameter as JSON can carry it."""
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def _entry(message, code: str, **params) -> dict:
    found = {"code": code}
    found.update({name: _plain(value) for name, value in params.items() if value is not None})
    found["message"] = str(message)
    return found


def message_codes(messages) -> dict | list:
    """Codes for messages that carry their own (`coded`), `invalid` for any other: the
    shape of `messages` kept, a bare message or list put under `_schema`."""
    if isinstance(messages, Mapping):
        return {str(key): message_codes(value) for key, value in messages.items()}
    if isinstance(messages, str):
        messages = [messages]
    if not isinstance(messages, list | tuple):
        return [_entry(messages, INVALID)]
    return [
        message_codes(item)
        if isinstance(item, Mapping)
        else _entry(item, item.code, **item.params)
        if isinstance(item, CodedMessage)
        else _entry(item, INVALID)
        for item in messages
    ]


def plain_messages(messages):
    """`errors` as JSON shows them: coded messages as the plain strings they are."""
    if isinstance(messages, Mapping):
        return {str(key): plain_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [plain_messages(item) for item in messages]
    return str(messages) if isinstance(messages, str) else messages


# --- marshmallow: the code of each message, from the field and validator that gave it --------

_DATES = (fields.Date, fields.DateTime, fields.Time, fields.TimeDelta)
_COLLECTIONS = (fields.List, fields.Tuple, fields.Dict)


def _type_code(field: fields.Field) -> str:
    """The code of a value the field could not read: its type or format is wrong."""
    if isinstance(field, fields.Email):
        return "email"
    if isinstance(field, _DATES):
        return "date"
    if isinstance(field, fields.Number) and not isinstance(field, fields.Boolean):
        return "number"
    return INVALID


def _validator_entry(field: fields.Field, validator, value, message) -> dict:
    """The code of a message one validator gave, named from the validator's class."""
    if isinstance(validator, validate.Length):
        if isinstance(field, _COLLECTIONS):
            if validator.max is not None and len(value) > validator.max:
                return _entry(message, "too_many", max=validator.max)
            return _entry(message, "too_few", min=validator.min or validator.equal)
        return _entry(
            message, "length", min=validator.min, max=validator.max, equal=validator.equal
        )
    if isinstance(validator, validate.Range):
        return _entry(message, "range", min=validator.min, max=validator.max)
    if isinstance(validator, validate.OneOf | validate.ContainsOnly):
        return _entry(message, "one_of", choices=list(validator.choices))
    if isinstance(validator, validate.Email):
        return _entry(message, "email")
    if isinstance(validator, validate.Regexp):
        return _entry(message, "pattern")
    code = getattr(validator, "error_code", None)
    return _entry(message, code or INVALID)


def _flat(messages) -> list:
    if isinstance(messages, Mapping):
        return [item for value in messages.values() for item in _flat(value)]
    if isinstance(messages, list | tuple):
        return [item for value in messages for item in _flat(value)]
    return [messages]


def _known_entries(field: fields.Field, raw, data) -> list[dict]:
    """Every (message, code) this field gives for this value: the messages of its required
    and null checks, of reading the value, and of each validator that refuses it."""
    known = [
        _entry(field.error_messages.get("required", ""), "required"),
        _entry(field.error_messages.get("null", ""), "required"),
    ]
    if raw is missing or raw is None:
        return known
    try:
        value = field._deserialize(raw, None, data)
    except ValidationError as error:
        return known + [_entry(message, _type_code(field)) for message in _flat(error.messages)]
    except Exception:  # a value the field cannot even read: its messages say "invalid"
        return known
    for validator in field.validators:
        try:
            validator(value)
        except ValidationError as error:
            known += [
                _validator_entry(field, validator, value, message)
                for message in _flat(error.messages)
            ]
        except Exception:
            continue
    return known


def _field_codes(field: fields.Field | None, raw, data, messages, unknown: str):
    """The codes of one field's messages (a list, or a dict for nested and list fields)."""
    if isinstance(messages, Mapping):
        return _nested_codes(field, raw, messages, unknown)
    listed = list(messages) if isinstance(messages, list | tuple) else [messages]
    known = [_entry(unknown, "unknown")] if field is None else _known_entries(field, raw, data)
    by_message = {}
    for item in known:
        by_message.setdefault(item["message"], item)
    return [
        message_codes(item)
        if isinstance(item, Mapping)
        else _entry(item, item.code, **item.params)
        if isinstance(item, CodedMessage)
        else by_message.get(str(item)) or _entry(item, INVALID)
        for item in listed
    ]


def _item(raw, index):
    if isinstance(raw, list | tuple) and isinstance(index, int) and 0 <= index < len(raw):
        return raw[index]
    return missing


def _nested_codes(field: fields.Field | None, raw, messages: Mapping, unknown: str) -> dict:
    """Messages nested under a field: a nested schema's, or a list's by index."""
    if isinstance(field, fields.Nested):
        nested = field.schema
        if field.many or (messages and all(isinstance(key, int) for key in messages)):
            return {
                str(key): schema_codes(nested, value, _item(raw, key))
                if isinstance(value, Mapping)
                else _field_codes(None, missing, None, value, unknown)
                for key, value in messages.items()
            }
        return schema_codes(nested, messages, raw)
    if isinstance(field, fields.List):
        return {
            str(key): _field_codes(field.inner, _item(raw, key), raw, value, unknown)
            if isinstance(key, int)
            else _field_codes(field, raw, None, value, unknown)
            for key, value in messages.items()
        }
    return message_codes(messages)


def schema_codes(schema: Schema | None, messages, data) -> dict:
    """The codes of a schema's refusal of `data`, in the shape of its `messages`."""
    if schema is None:
        return message_codes(messages)
    if not isinstance(messages, Mapping):
        return {"_schema": message_codes(messages)}
    by_key = {field.data_key or name: field for name, field in schema.load_fields.items()}
    unknown = schema.error_messages.get("unknown", "Unknown field.")
    given = data if isinstance(data, Mapping) else {}
    found = {}
    for key, value in messages.items():
        field = by_key.get(key)
        if key == "_schema" or (field is None and key not in given):
            found[str(key)] = message_codes(value)
            continue
        found[str(key)] = _field_codes(field, given.get(key, missing), given, value, unknown)
    return found
