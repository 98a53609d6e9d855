"""Cases and case records from phones: exactly once, item by item, as tasks are.

A case's or a record's id is its idempotency key: the same id with the same content hash is a
`duplicate`, with other content a `conflict` kept in sync_conflicts (kind `case` or
`case_record`), one the rules refuse is `rejected` and logged in sync_rejections. Cases come
before records, in the order sent, so one batch may open a case and record its first steps; a
record whose case the server does not hold yet is rejected, and the phone sends it again.
"""

from __future__ import annotations

from marshmallow import ValidationError

from server.cases.records import (
    CaseProblem,
    CaseTaken,
    NewCase,
    NewRecord,
    add_record,
    open_case,
)
from server.cases.schemas import CaseInSchema, CaseRecordInSchema
from server.models import Case, CaseRecord
from server.people.audit import Actor
from server.platform.extensions import db
from server.platform.field_codes import not_yet_received
from server.visits.ingest import (
    ItemResult,
    SyncContext,
    _record_id,
    _reject,
    _same_or_conflict,
    _unprocessable,
    canonical_hash,
)

case_in_schema = CaseInSchema()
record_in_schema = CaseRecordInSchema()


def ingest_cases(raw_cases: list, raw_records: list, ctx: SyncContext) -> list[dict]:
    """One result per case, then one per record, in the order sent."""
    if not raw_cases and not raw_records:
        return []
    actor = Actor(user=ctx.user, device_id=ctx.device_id, scope=ctx.scope)
    results = [
        _judged(raw, "case", lambda raw: _ingest_case(raw, actor, ctx), ctx) for raw in raw_cases
    ]
    results += [
        _judged(raw, "case_record", lambda raw: _ingest_record(raw, actor, ctx), ctx)
        for raw in raw_records
    ]
    return [result.as_dict() for result in results]


def _judged(raw, kind: str, judge, ctx: SyncContext) -> ItemResult:
    """The item's result; any failure judging it is its rejection alone, never the batch's.
    Every rule is checked before the first row is written."""
    try:
        return judge(raw)
    except ValidationError as error:
        schema = case_in_schema if kind == "case" else record_in_schema
        return _reject(ctx, _record_id(raw), kind, error.messages, schema=schema, raw=raw)
    except CaseProblem as problem:
        return _reject(ctx, _record_id(raw), kind, problem.errors)
    except Exception:
        record_id = _record_id(raw)
        return _reject(ctx, record_id, kind, _unprocessable(record_id, kind))


def _held(model, record_id) -> str | None:
    row = db.session.get(model, record_id)
    return None if row is None else row.content_hash


def _ingest_case(raw, actor: Actor, ctx: SyncContext) -> ItemResult:
    data = case_in_schema.load(raw if isinstance(raw, dict) else {})
    digest = canonical_hash(data)
    held = _held(Case, data["id"])
    if held is not None:
        return _same_or_conflict(data["id"], digest, held, raw, "case", ctx)
    try:
        open_case(actor, NewCase(**data), now=ctx.now, content_hash=digest)
    except CaseTaken:  # a concurrent request stored the same id first
        return _same_or_conflict(data["id"], digest, _held(Case, data["id"]), raw, "case", ctx)
    return ItemResult(str(data["id"]), "case", "created")


def _ingest_record(raw, actor: Actor, ctx: SyncContext) -> ItemResult:
    data = record_in_schema.load(raw if isinstance(raw, dict) else {})
    digest = canonical_hash(data)
    held = _held(CaseRecord, data["id"])
    if held is not None:
        return _same_or_conflict(data["id"], digest, held, raw, "case_record", ctx)
    case = db.session.get(Case, data["case_id"])
    if case is None:
        raise CaseProblem({"case_id": [not_yet_received()]})
    new = NewRecord(
        kind=data["kind"],
        body=data["body"],
        at=data["at"],
        signature=data["signature"],
        id=data["id"],
    )
    try:
        add_record(actor, case, new, now=ctx.now, content_hash=digest)
    except CaseTaken:
        held = _held(CaseRecord, data["id"])
        return _same_or_conflict(data["id"], digest, held, raw, "case_record", ctx)
    return ItemResult(str(data["id"]), "case_record", "created")
