"""Accepting visits and amendments from phones: exactly once, item by item, durable first.

A record's id is its idempotency key. The same id with the same content is a `duplicate`
(success: the phone may forget it); the same id with other content is a `conflict`, kept aside
and never applied. Each item is validated on its own, so one bad record never blocks the rest.
Callers commit before they answer: nothing is acknowledged that is not stored.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import orjson
from marshmallow import Schema, ValidationError
from sqlalchemy import JSON, String, bindparam, cast, func, literal_column, select
from sqlalchemy.sql.dml import Insert

from server.models import Amendment, Device, Resident, SyncConflict, SyncRejection, User, Visit
from server.models.core import WORKER
from server.people.access import Scope
from server.platform.clock import local_date
from server.platform.extensions import db
from server.platform.field_codes import coded, message_codes, schema_codes
from server.platform.sqlparts import insert_or_on_conflict
from server.reports import day_counts
from server.roster.changes import mark_residents_changed
from server.visits import presence
from server.visits.schemas import AmendmentInSchema, load_visit, visit_in_schema

log = logging.getLogger(__name__)

MAX_AHEAD = timedelta(minutes=10)
# The server's clock bounds check-ins too (ROUNDS_CHECK_IN_MAX_AHEAD_SECONDS,
# ROUNDS_CHECK_IN_HORIZON_DAYS): a phone whose clock is years off cannot vouch for itself.
DEFAULT_AHEAD_OF_SERVER = timedelta(minutes=10)
DEFAULT_HORIZON = timedelta(days=90)
# How stale a device's last sync may be shown (the unsynced alert waits days), and the clock
# skew that network delay alone makes between two syncs.
SYNC_RESOLUTION = timedelta(minutes=1)
SKEW_JITTER_SECONDS = 2
# Workers may correct their own visits for this long; supervisors and admins always.
WORKER_AMENDMENT_DAYS = 14

amendment_in_schema = AmendmentInSchema()

# Every push runs these: built once, values bound at execution (docs/sync.md, "CPU per sync").
_visits, _residents = Visit.__table__, Resident.__table__
_STORED_HASHES = select(_visits.c.id, _visits.c.raw_hash, _visits.c.content_hash).where(
    _visits.c.id.in_(bindparam("ids", expanding=True))
)
_RESIDENT_UNITS = select(_residents.c.id, _residents.c.unit_id).where(
    _residents.c.id.in_(bindparam("ids", expanding=True))
)


@dataclass
class ItemResult:
    id: str
    kind: str
    status: str
    errors: dict = field(default_factory=dict)
    # Each refused field's cause as a code, in the shape of `errors` (platform/field_codes.py):
    # what the phone says in its user's language.
    codes: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        answer = {"id": self.id, "kind": self.kind, "status": self.status}
        if self.errors:
            answer["errors"] = self.errors
        if self.codes:
            answer["codes"] = self.codes
        return answer


@dataclass
class SyncContext:
    """Who is syncing, from where, and the clocks involved; `scope` is the request's, or
    worked out from the user when none is given (the demo data)."""

    user: User
    device_id: uuid.UUID | None
    device_time: datetime
    now: datetime
    zone: str
    scope: Scope | None = None
    # How far ahead of the server's clock a check-in or check-out may be, and how far back
    # a check-in may lie (a late visit beyond it is rejected).
    ahead_of_server: timedelta = DEFAULT_AHEAD_OF_SERVER
    horizon: timedelta = DEFAULT_HORIZON

    def __post_init__(self) -> None:
        if self.scope is None:
            self.scope = Scope.of(self.user)


def canonical_hash(record: dict) -> str:
    """SHA-256 of the loaded record in a canonical JSON form (UTC times, absolute strokes)."""
    utc = {
        key: value.astimezone(UTC) if isinstance(value, datetime) else value
        for key, value in record.items()
    }
    return hashlib.sha256(orjson.dumps(utc, option=orjson.OPT_SORT_KEYS)).hexdigest()


def raw_hash(raw: Any) -> str | None:
    """SHA-256 of an item as sent: a phone's retry sends the very same JSON."""
    try:
        return hashlib.sha256(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)).hexdigest()
    except (orjson.JSONEncodeError, TypeError):
        return None


def _raw_uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw["id"])
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _record_id(raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"][:40]
    return ""


def _insert_ignoring_duplicates(model, rows: list[dict]) -> set:
    """Insert rows whose id is new; answer the ids actually inserted.

    ON CONFLICT DO NOTHING makes two racing requests with the same batch safe: on PostgreSQL
    the second waits for the first to commit, then skips its rows instead of failing.
    """
    if not rows:
        return set()
    if db.session.get_bind().dialect.name == "postgresql":
        statement = _insert_from_json(model.__table__.name, tuple(rows[0]))
        return set(db.session.scalars(statement, {"rows": orjson.dumps(rows).decode()}))
    statement = (
        insert_or_on_conflict(model)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(model.id)
    )
    return set(db.session.scalars(statement, rows).all())


@functools.cache
def _insert_from_json(table_name: str, columns: tuple[str, ...]) -> Insert:
    """PostgreSQL: the rows go as one JSON parameter that the server unpacks into the table's
    row type (json_populate_recordset), and ON CONFLICT skips ids already stored.

    Bound one value at a time, a batch of 20 visits is 700 parameters: psycopg parses such a
    statement again in Python on every call (it caches only short ones) and SQLAlchemy
    processes every value, several milliseconds of CPU per batch. The stored values are the
    same: orjson writes UUIDs, dates and aware times in ISO form, and JSON columns as the
    engine's own serializer does. Built once per table and columns, its cache key with it.
    """
    table = db.metadata.tables[table_name]
    targets = [table.c[name] for name in columns]
    given = (
        func.json_populate_recordset(
            literal_column(f"NULL::{table.name}"),
            cast(bindparam("rows", type_=String), JSON),
        )
        .table_valued(*(column.name for column in targets), with_ordinality="ordinality")
        .alias("given")
    )
    # In the order given (sorted by id by the caller), so racing batches lock alike.
    unpacked = select(*(given.c[column.name] for column in targets)).order_by(given.c.ordinality)
    return (
        insert_or_on_conflict(table)
        .from_select(targets, unpacked)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(table.c.id)
    )


def _visit_row(
    data: dict, resident_unit: uuid.UUID, ctx: SyncContext, digest: str, raw_digest: str | None
) -> dict:
    observations, signature, location = data["observations"], data["signature"], data["location"]
    return {
        "id": data["id"],
        "resident_id": data["resident_id"],
        "unit_id": resident_unit,
        "worker_id": ctx.user.id,
        "device_id": ctx.device_id,
        "kind": data["kind"],
        "checked_in_at": data["checked_in_at"],
        "checked_out_at": data["checked_out_at"],
        "visit_date": local_date(data["checked_in_at"], ctx.zone),
        "received_at": ctx.now,
        "identified_by": data["identified_by"],
        "qr_token": data["qr_token"],
        "lat": location["lat"] if location else None,
        "lon": location["lon"] if location else None,
        "accuracy_m": location["accuracy_m"] if location else None,
        "obs_living": observations["living"],
        "obs_emotional": observations["emotional"],
        "obs_physical": observations["physical"],
        "obs_notes": observations["notes"],
        "service_given": data["service_given"],
        "follow_up": data["follow_up"],
        "satisfaction": data["satisfaction"],
        "feedback": data["feedback"],
        "signer": signature["signer"],
        "signer_name": signature["signer_name"],
        "signer_reason": signature["reason"],
        "signature_width": signature["width"],
        "signature_height": signature["height"],
        "signature_strokes": signature["strokes"],
        "content_hash": digest,
        "raw_hash": raw_digest or "",
        "presence": {},
    }


def _reject(
    ctx: SyncContext,
    record_id: str,
    kind: str,
    errors: dict,
    *,
    schema: Schema | None = None,
    raw: Any = None,
) -> ItemResult:
    """The item's rejection, kept for supervisors. With the schema that refused it (and what was
    sent), each field's code is found as the API's problems find theirs; without, domain checks
    name theirs (`coded` messages) and any other is `invalid`."""
    codes = schema_codes(schema, errors, raw) if schema is not None else message_codes(errors)
    db.session.add(
        SyncRejection(
            record_id=record_id,
            kind=kind,
            user_id=ctx.user.id,
            device_id=ctx.device_id,
            errors=errors,
            received_at=ctx.now,
        )
    )
    return ItemResult(record_id, kind, "rejected", errors, codes)


def _resident_problem(resident, scope: Scope) -> dict | None:
    if resident is None:
        return {
            "resident_id": [coded("No such resident: check the roster is up to date.", "not_found")]
        }
    if not scope.includes(resident.unit_id):
        return {
            "resident_id": [
                coded(
                    "This resident is not in your units any more; ask your "
                    "supervisor to record the visit or reassign the resident.",
                    "out_of_scope",
                )
            ]
        }
    return None


def _clock_problem(data: dict, ctx: SyncContext) -> dict | None:
    """A check-in ahead of the phone's clock or of the server's, or older than the horizon."""
    checked_in, checked_out = data["checked_in_at"], data["checked_out_at"]
    if checked_in > ctx.device_time + MAX_AHEAD:
        return {
            "checked_in_at": [
                coded(
                    "The check-in is more than 10 minutes ahead of the phone's "
                    "clock: check the phone's date and time.",
                    "ahead_of_phone",
                    minutes=int(MAX_AHEAD.total_seconds() // 60),
                )
            ]
        }
    latest = ctx.now + ctx.ahead_of_server
    if checked_in > latest:
        return {
            "checked_in_at": [
                coded(
                    "The check-in is ahead of the server's clock: check the phone's date and time.",
                    "ahead_of_server",
                )
            ]
        }
    if checked_out is not None and checked_out > latest:
        return {
            "checked_out_at": [
                coded(
                    "The check-out is ahead of the server's clock: check the phone's date and "
                    "time.",
                    "ahead_of_server",
                )
            ]
        }
    if checked_in < ctx.now - ctx.horizon:
        return {
            "checked_in_at": [
                coded(
                    f"The check-in is more than {ctx.horizon.days} days old: "
                    "the server takes no visit from that far back. Check the "
                    "phone's date and time, or ask your supervisor.",
                    "too_old",
                    days=ctx.horizon.days,
                )
            ]
        }
    return None


def _unprocessable(record_id: str, kind: str) -> dict:
    """Errors for an item whose judging raised: logged, and rejected alone."""
    log.exception("sync: %s %s could not be judged; rejected", kind, record_id or "(no id)")
    return {
        "_item": [
            coded(
                "The server could not process this record; it was logged for the administrator.",
                "unprocessable",
            )
        ]
    }


def ingest_visits(
    raw_visits: list, ctx: SyncContext, created: list[dict] | None = None
) -> tuple[list[ItemResult], set]:
    """Store new visits; answer one result per item and the residents whose counts changed.

    The rows of the visits this call created are added to `created` when it is given (the
    tasks their findings raise read them)."""
    loaded: list[tuple[int, dict, str]] = []
    results: list[ItemResult | None] = [None] * len(raw_visits)
    raw_digests = [raw_hash(raw) for raw in raw_visits]
    claimed = [_raw_uuid(raw) for raw in raw_visits]
    # One read of the stored hashes serves both checks: an id that validates is the one
    # claimed, so the content hashes of the loaded visits are among these rows too.
    stored = (
        {
            row.id: (row.raw_hash, row.content_hash)
            for row in db.session.execute(
                _STORED_HASHES, {"ids": sorted({c for c in claimed if c})}
            )
        }
        if any(claimed)
        else {}
    )
    for index, raw in enumerate(raw_visits):
        if claimed[index] in stored and stored[claimed[index]][0] == raw_digests[index]:
            results[index] = ItemResult(str(claimed[index]), "visit", "duplicate")
            continue  # a replay: recognised without parsing or validating again
        # Any failure judging one item is that item's rejection, never the batch's (a try
        # costs nothing on the way through).
        try:
            data = load_visit(raw)
            loaded.append((index, data, canonical_hash(data)))
        except ValidationError as error:
            results[index] = _reject(
                ctx, _record_id(raw), "visit", error.messages, schema=visit_in_schema, raw=raw
            )
        except Exception:
            record_id = _record_id(raw)
            results[index] = _reject(ctx, record_id, "visit", _unprocessable(record_id, "visit"))

    resident_ids = {data["resident_id"] for _, data, _ in loaded}
    residents = (
        {r.id: r for r in db.session.execute(_RESIDENT_UNITS, {"ids": sorted(resident_ids)})}
        if resident_ids
        else {}
    )
    held = {visit_id: hashes[1] for visit_id, hashes in stored.items()}

    new_rows: dict[uuid.UUID, tuple[int, dict]] = {}
    for index, data, digest in loaded:
        visit_id = data["id"]
        try:
            if visit_id in held or visit_id in new_rows:
                earlier = held.get(visit_id) or new_rows[visit_id][1]["content_hash"]
                results[index] = _same_or_conflict(
                    visit_id, digest, earlier, raw_visits[index], "visit", ctx
                )
                continue
            resident = residents.get(data["resident_id"])
            problem = _resident_problem(resident, ctx.scope) or _clock_problem(data, ctx)
            if problem:
                results[index] = _reject(ctx, str(visit_id), "visit", problem)
                continue
            new_rows[visit_id] = (
                index,
                _visit_row(data, resident.unit_id, ctx, digest, raw_digests[index]),
            )
        except Exception:
            new_rows.pop(visit_id, None)
            results[index] = _reject(
                ctx, str(visit_id), "visit", _unprocessable(str(visit_id), "visit")
            )

    # Sorted ids: two overlapping batches lock index entries in the same order (no deadlock).
    rows = sorted((row for _, row in new_rows.values()), key=lambda row: row["id"])
    for row in _assess_presence(rows):
        index, _ = new_rows.pop(row["id"])
        results[index] = _reject(
            ctx, str(row["id"]), "visit", _unprocessable(str(row["id"]), "visit")
        )
        rows.remove(row)
    inserted = _insert_ignoring_duplicates(Visit, rows)
    day_counts.visits_stored(row for row in rows if row["id"] in inserted)
    late = [visit_id for visit_id in new_rows if visit_id not in inserted]
    late_hashes = (
        {
            row.id: row.content_hash
            for row in db.session.execute(_STORED_HASHES, {"ids": sorted(late)})
        }
        if late
        else {}
    )
    touched = set()
    for visit_id, (index, row) in new_rows.items():
        if visit_id in inserted:
            results[index] = ItemResult(str(visit_id), "visit", "created")
            touched.add(row["resident_id"])
            if created is not None:
                created.append(row)
        else:  # a concurrent request stored the same id first
            results[index] = _same_or_conflict(
                visit_id,
                row["content_hash"],
                late_hashes.get(visit_id),
                raw_visits[index],
                "visit",
                ctx,
            )
    return results, touched


def _assess_presence(rows: list[dict]) -> list[dict]:
    """Presence signals read the new visits' fields; plain objects spare the ORM's overhead.

    Answers the rows that could not be assessed: when the batch fails, each row is assessed
    alone, so that one bad row is rejected alone."""
    visits = [SimpleNamespace(**row) for row in rows]
    try:
        presence.assess_batch(visits)
    except Exception:
        failed = []
        for row, visit in zip(rows, visits, strict=True):
            try:
                presence.assess_batch([visit])
            except Exception:
                failed.append(row)
        if not failed:
            raise  # the batch fails although each visit passes alone: not a bad item
    else:
        failed = []
    for row, visit in zip(rows, visits, strict=True):
        row["presence"] = visit.presence
    return failed


def _same_or_conflict(
    record_id, digest: str, held_digest: str | None, raw, kind: str, ctx: SyncContext
) -> ItemResult:
    if held_digest == digest:
        return ItemResult(str(record_id), kind, "duplicate")
    # One row per record and content: a phone resending the same copy adds nothing.
    db.session.execute(
        insert_or_on_conflict(SyncConflict)
        .values(
            record_id=record_id,
            kind=kind,
            user_id=ctx.user.id,
            device_id=ctx.device_id,
            content_hash=digest,
            payload=raw if isinstance(raw, dict) else {},
            received_at=ctx.now,
        )
        .on_conflict_do_nothing(index_elements=["record_id", "content_hash"])
    )
    return ItemResult(
        str(record_id),
        kind,
        "conflict",
        {
            "id": [
                "A different record with this id is already stored; this version was kept "
                "aside for a supervisor."
            ]
        },
    )


def _amendment_problem(visit: Visit | None, ctx: SyncContext) -> dict | None:
    if visit is None or not ctx.scope.includes(visit.unit_id):
        return {
            "visit_id": [
                coded(
                    "The visit is not on the server yet: send it first (this "
                    "correction will be sent again).",
                    "not_yet_received",
                )
            ]
        }
    if visit.voided_at is not None:
        return {
            "visit_id": [
                coded("The visit was voided by a supervisor; it cannot be corrected.", "voided")
            ]
        }
    if ctx.user.role == WORKER:
        if visit.worker_id != ctx.user.id:
            return {
                "visit_id": [
                    coded(
                        "Only the worker who recorded the visit or a supervisor may correct it.",
                        "not_yours",
                    )
                ]
            }
        if ctx.now - visit.checked_in_at > timedelta(days=WORKER_AMENDMENT_DAYS):
            return {
                "visit_id": [
                    coded(
                        f"Visits older than {WORKER_AMENDMENT_DAYS} days are corrected by a "
                        "supervisor.",
                        "amend_window",
                        days=WORKER_AMENDMENT_DAYS,
                    )
                ]
            }
    return None


def ingest_amendments(raw_amendments: list, ctx: SyncContext) -> list[ItemResult]:
    results = []
    for raw in raw_amendments:
        try:
            results.append(ingest_amendment(raw, ctx))
        except Exception:
            record_id = _record_id(raw)
            results.append(
                _reject(ctx, record_id, "amendment", _unprocessable(record_id, "amendment"))
            )
    return results


def ingest_amendment(raw: Any, ctx: SyncContext) -> ItemResult:
    """One amendment's result (a failure is the caller's to turn into its rejection).

    Every correction goes this way, a phone's and one taken from a conflicting copy
    (server/visits/conflicts.py) alike."""
    try:
        data = amendment_in_schema.load(raw if isinstance(raw, dict) else {})
    except ValidationError as error:
        return _reject(
            ctx, _record_id(raw), "amendment", error.messages, schema=amendment_in_schema, raw=raw
        )
    digest = canonical_hash(data)
    held = db.session.get(Amendment, data["id"])
    if held is not None:
        return _same_or_conflict(data["id"], digest, held.content_hash, raw, "amendment", ctx)
    visit = db.session.get(Visit, data["visit_id"])
    problem = _amendment_problem(visit, ctx)
    if problem:
        return _reject(ctx, str(data["id"]), "amendment", problem)
    row = {
        "id": data["id"],
        "visit_id": visit.id,
        "author_id": ctx.user.id,
        "device_id": ctx.device_id,
        "changes": data["changes"],
        "reason": data["reason"],
        "content_hash": digest,
        "created_at": ctx.now,
    }
    if _insert_ignoring_duplicates(Amendment, [row]):
        day_counts.amendment_stored(visit.id, data["id"])
        return ItemResult(str(data["id"]), "amendment", "created")
    stored = db.session.scalar(select(Amendment.content_hash).where(Amendment.id == data["id"]))
    return _same_or_conflict(data["id"], digest, stored, raw, "amendment", ctx)


def record_device_health(
    device: Device, device_time: datetime, now: datetime, app_version: str | None
) -> None:
    """When the phone last synced, how far its clock is off and which app it runs: what the
    device list and the unsynced alert read.

    An open app syncs every few seconds; the row is rewritten only when a minute has passed
    or something else changed, so that a pull with nothing to push writes nothing at all."""
    skew = round((device_time - now).total_seconds())
    version = app_version[:40] if app_version else device.app_version
    recent = device.last_sync_at is not None and now - device.last_sync_at < SYNC_RESOLUTION
    same_skew = (
        device.clock_skew_seconds is not None
        and abs(skew - device.clock_skew_seconds) <= SKEW_JITTER_SECONDS
    )
    if recent and same_skew and version == device.app_version:
        return
    device.last_sync_at = now
    device.clock_skew_seconds = skew
    device.app_version = version


def ingest(
    raw_visits: list,
    raw_amendments: list,
    ctx: SyncContext,
    raw_tasks: list = (),
    raw_task_events: list = (),
) -> list[dict]:
    """Store a phone's batch in the current transaction; the caller commits, then answers.

    Visits first, then amendments, then the phone's tasks and their events
    (server/tasks/ingest.py), so that a batch may carry a visit, the task raised by hand from it
    and an event closing an older task during it. Last, the findings of the visits created raise
    their tasks: that takes the change counter's lock, held from then until the commit, as
    marking the residents does right after."""
    from server.tasks import ingest as tasks  # tasks build on this module: imported late

    created: list[dict] = []
    visit_results, touched = ingest_visits(raw_visits, ctx, created)
    amendment_results = ingest_amendments(raw_amendments, ctx)
    task_results = tasks.ingest_tasks(raw_tasks, raw_task_events, ctx)
    tasks.raise_from_created(created, ctx)
    mark_residents_changed(touched)
    return [result.as_dict() for result in visit_results + amendment_results + task_results]
