"""CSV exports of visits and coverage, streamed: rows are read `BATCH` at a time with
yield_per (a server-side cursor on PostgreSQL) and written as they come, so a year of visits
never sits in memory.

Files are UTF-8 with a byte-order mark (spreadsheet programs then read Chinese correctly),
headers are stable snake_case English, times are ISO 8601 in the institution's time zone.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select

from server.coverage import iso_week_label
from server.models import Amendment, CoverageResult, FollowUpHandled, Resident, User, Visit
from server.platform.clock import today_in
from server.platform.extensions import db
from server.reports.scope import in_range, in_scope, months_between, short_id, unit_names
from server.reviews.read import latest_reviews, state_of
from server.visits.read import current_content

BATCH = 1000
BOM = "\ufeff"

VISIT_COLUMNS = (
    "visit_id",
    "number",
    "visit_date",
    "checked_in_at",
    "checked_out_at",
    "received_at",
    "kind",
    "unit_id",
    "unit",
    "resident_id",
    "resident",
    "room",
    "worker_id",
    "worker",
    "identified_by",
    "qr_token_status",
    "distance_m",
    "burst",
    "obs_living",
    "obs_emotional",
    "obs_physical",
    "obs_notes",
    "service_given",
    "follow_up",
    "satisfaction",
    "feedback",
    "signer",
    "signer_name",
    "signer_reason",
    "amendments",
    "voided_at",
    "void_reason",
    "followup_handled_at",
    "followup_note",
    # The latest review (docs/reviews.md).
    "review_state",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
)

COVERAGE_COLUMNS = (
    "period",
    "period_start",
    "period_end",
    "unit_id",
    "unit",
    "resident_id",
    "resident",
    "room",
    "care_level",
    "required",
    "active_days",
    "days_visited",
    "status",
    "last_visit_at",
    "closed_at",
    "evaluated_at",
)

# A cell starting with one of these is run as a formula by spreadsheet programs: free text
# typed on a phone gets a leading apostrophe so it is shown, never evaluated.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_stream(header: Iterable[str], rows: Iterable[list]) -> Iterator[str]:
    """The BOM and header first, then rows in chunks of BATCH lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, 1):
        writer.writerow(row)
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def local_time(value: datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(zone).isoformat(sep=" ", timespec="seconds")


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _amendments_of(ids: list) -> dict:
    changes = defaultdict(list)
    if not ids:
        return changes
    for visit_id, change in db.session.execute(
        select(Amendment.visit_id, Amendment.changes)
        .where(Amendment.visit_id.in_(ids))
        .order_by(Amendment.created_at)
    ):
        changes[visit_id].append(SimpleNamespace(changes=change))
    return changes


def _content(row, amendments: list | None) -> dict:
    if not amendments:  # the common case, read straight from the row
        return {
            "observations": {
                "living": row.obs_living,
                "emotional": row.obs_emotional,
                "physical": row.obs_physical,
                "notes": row.obs_notes,
            },
            "service_given": row.service_given,
            "follow_up": row.follow_up,
            "feedback": row.feedback,
        }
    # current_content reads these attributes: the same rules as the API, without loading
    # whole visits (their signature strokes are large).
    return current_content(
        SimpleNamespace(
            obs_living=row.obs_living,
            obs_emotional=row.obs_emotional,
            obs_physical=row.obs_physical,
            obs_notes=row.obs_notes,
            service_given=row.service_given,
            follow_up=row.follow_up,
            feedback=row.feedback,
            amendments=amendments,
        )
    )


def visit_rows(units, date_from: date, date_to: date, zone_name: str) -> Iterator[list]:
    """One list per visit in scope and range, oldest first, amendments applied.

    The query is built here, at the call, not at the first row: whatever can fail does so
    before a streamed answer has sent its status line. It runs at the first row: a
    server-side cursor (PostgreSQL) lives only as long as its transaction, and the request
    may commit (the device's seen mark) between the call and the stream.
    """
    zone = ZoneInfo(zone_name)
    query = in_range(
        in_scope(
            select(
                Visit.id,
                Visit.visit_date,
                Visit.checked_in_at,
                Visit.checked_out_at,
                Visit.received_at,
                Visit.kind,
                Visit.unit_id,
                Visit.resident_id,
                Resident.name.label("resident"),
                Resident.room,
                Visit.worker_id,
                User.display_name.label("worker"),
                Visit.identified_by,
                Visit.presence,
                Visit.obs_living,
                Visit.obs_emotional,
                Visit.obs_physical,
                Visit.obs_notes,
                Visit.service_given,
                Visit.follow_up,
                Visit.satisfaction,
                Visit.feedback,
                Visit.signer,
                Visit.signer_name,
                Visit.signer_reason,
                Visit.voided_at,
                Visit.void_reason,
                FollowUpHandled.handled_at,
                FollowUpHandled.note,
                exists().where(Amendment.visit_id == Visit.id).label("amended"),
            )
            .join(Resident, Resident.id == Visit.resident_id)
            .join(User, User.id == Visit.worker_id)
            .outerjoin(FollowUpHandled, FollowUpHandled.visit_id == Visit.id),
            units,
        ),
        date_from,
        date_to,
    ).order_by(Visit.visit_date, Visit.checked_in_at, Visit.id)
    return _visit_lines(query, zone)


def _visit_lines(query, zone: ZoneInfo) -> Iterator[list]:
    names: dict = {}
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        amendments = _amendments_of([row.id for row in partition if row.amended])
        reviews = latest_reviews("visit", [row.id for row in partition])
        missing = {row.unit_id for row in partition} - set(names)
        if missing:
            names.update(unit_names(missing))
        for row in partition:
            content = _content(row, amendments.get(row.id))
            observations = content["observations"]
            presence = row.presence or {}
            yield [
                row.id,
                short_id(row.id),
                row.visit_date.isoformat(),
                local_time(row.checked_in_at, zone),
                local_time(row.checked_out_at, zone),
                local_time(row.received_at, zone),
                row.kind,
                row.unit_id,
                text(names.get(row.unit_id)),
                row.resident_id,
                text(row.resident),
                text(row.room),
                row.worker_id,
                text(row.worker),
                row.identified_by,
                presence.get("token") or "",
                presence.get("distance_m", "") or "",
                _flag(presence.get("burst")),
                observations["living"],
                observations["emotional"],
                observations["physical"],
                text(observations["notes"]),
                text(content["service_given"]),
                _flag(content["follow_up"]),
                row.satisfaction or "",
                text(content["feedback"]),
                row.signer,
                text(row.signer_name),
                text(row.signer_reason),
                len(amendments.get(row.id, [])),
                local_time(row.voided_at, zone),
                text(row.void_reason),
                local_time(row.handled_at, zone),
                text(row.note),
                *_review_cells(reviews.get(row.id), zone),
            ]


def _review_cells(review, zone: ZoneInfo) -> list:
    if review is None:
        return ["unreviewed", "", "", ""]
    return [
        state_of(review),
        text(review.reviewer.display_name),
        local_time(review.reviewed_at, zone),
        text(review.comment),
    ]


def period_labels(kind: str, date_from: date, date_to: date) -> list[str]:
    """The labels of the weeks ("2026-W47") or months ("2026-11") touching the range."""
    if kind == "month":
        return months_between(date_from, date_to)
    monday = date_from - timedelta(days=date_from.weekday())
    labels = []
    while monday <= date_to:
        labels.append(iso_week_label(monday))
        monday += timedelta(days=7)
    return labels


def coverage_rows(
    units, date_from: date, date_to: date, period: str, zone_name: str
) -> Iterator[list]:
    """One list per resident and period (week or month) overlapping the range; a period that
    has not started yet has no results to show (the refresh may be preparing them).

    As for visit_rows, the labels are computed and the query built at the call, before the
    first row is asked for; it runs at the first row.
    """
    zone = ZoneInfo(zone_name)
    labels = period_labels(period, date_from, date_to)
    today = today_in(zone_name)
    result_ = CoverageResult
    query = in_scope(
        select(
            result_.period,
            result_.period_start,
            result_.period_end,
            result_.unit_id,
            result_.resident_id,
            Resident.name,
            Resident.room,
            Resident.care_level,
            result_.required,
            result_.active_days,
            result_.days_visited,
            result_.status,
            result_.last_visit_at,
            result_.closed_at,
            result_.evaluated_at,
        )
        .join(Resident, Resident.id == result_.resident_id)
        .where(result_.period.in_(labels), result_.period_start <= today),
        units,
        result_.unit_id,
    ).order_by(result_.period_start, result_.unit_id, Resident.name, result_.resident_id)
    return _coverage_lines(query, zone)


def _coverage_lines(query, zone: ZoneInfo) -> Iterator[list]:
    names: dict = {}
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        missing = {row.unit_id for row in partition} - set(names)
        if missing:
            names.update(unit_names(missing))
        for row in partition:
            yield [
                row.period,
                row.period_start.isoformat(),
                row.period_end.isoformat(),
                row.unit_id,
                text(names.get(row.unit_id)),
                row.resident_id,
                text(row.name),
                text(row.room),
                text(row.care_level),
                row.required,
                row.active_days,
                row.days_visited,
                row.status,
                local_time(row.last_visit_at, zone),
                local_time(row.closed_at, zone),
                local_time(row.evaluated_at, zone),
            ]
