"""The incremental refresh agrees with a slow reference that recomputes everything from scratch.

Hypothesis plays a few weeks of an institution: visits (some synced days late), voids,
discharges and readmissions in any order, and refreshes at moving instants. After the last
refresh every stored result must equal what the reference, written independently here,
computes from all the visits and the residents' records, and the counts the board adds up
must be those of the stored results.
"""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from server import coverage
from server.coverage import passes, prepare
from server.models import CoverageCount, CoverageResult, CoverageState, Resident, Visit
from server.platform.extensions import db
from tests.conftest import add_resident
from tests.test_coverage_support import (
    counts_of_the_stored_results,
    kept_counts,
    set_policies,
    sync_visit,
    void,
)

ZONE = ZoneInfo("Asia/Shanghai")
# The last day of a month and, a day later, of a week: the first refreshes prepare the next
# period and hand over to it.
START = datetime(2026, 10, 31, 0, 30, tzinfo=ZONE)  # a Saturday
END = datetime(2026, 11, 22, 20, 0, tzinfo=ZONE)
RESIDENTS = [  # care level, admitted on
    (None, date(2026, 1, 5)),
    ("full", date(2026, 1, 5)),
    ("home", date(2026, 1, 5)),
    (None, date(2026, 10, 30)),  # admitted on the Friday before
]

operation = st.one_of(
    st.tuples(
        st.just("visit"), st.integers(0, len(RESIDENTS) - 1), st.integers(0, 12), st.integers(8, 20)
    ),
    st.tuples(st.just("void"), st.integers(0, 50)),
    st.tuples(st.just("discharge"), st.integers(0, len(RESIDENTS) - 1)),
    st.tuples(st.just("readmit"), st.integers(0, len(RESIDENTS) - 1)),
    st.tuples(st.just("refresh"), st.integers(1, 60)),
    st.tuples(st.just("refresh"), st.integers(1, 8)),  # the quarter hours of a day
)


# -- the slow reference ------------------------------------------------------------------------


def _period(kind: str, day: date) -> tuple[str, date, date]:
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"{start.year}-{start.month:02d}", start, end


def reference(rules: dict, resident_ids: list, snapshots: list, today: date) -> dict:
    """Every result as it should be. A closed period is judged with the residents as they
    were when it closed (the first refresh after its end); later only visits change it."""
    refresh_days = [day for day, _ in snapshots]

    def state(resident, end: date) -> tuple[str, date]:
        if end < today:
            for day, states in snapshots:
                if day > end:
                    return states[resident.id]
        return resident.status, resident.status_since

    expected = {}
    for resident in db.session.scalars(select(Resident).where(Resident.id.in_(resident_ids))):
        required_full, kind = rules[resident.care_level]
        visits = db.session.scalars(
            select(Visit).where(Visit.resident_id == resident.id, Visit.voided_at.is_(None))
        ).all()
        for label, start, end in sorted({_period(kind, day) for day in refresh_days}):
            status, since = state(resident, end)
            first = max(start, resident.admitted_on)
            last = end if status == "active" else min(end, since)
            if first > last:
                continue
            active = (last - first).days + 1
            required = math.ceil(required_full * active / ((end - start).days + 1))
            days = {v.visit_date for v in visits if start <= v.visit_date <= end}
            needed = required - len(days)
            if needed <= 0:
                status = "met"
            elif today > end:
                status = "missed"
            else:
                free = sum(
                    1
                    for n in range(active)
                    if first + timedelta(days=n) >= today and first + timedelta(days=n) not in days
                )
                status = "missed" if free < needed else "at_risk" if free == needed else "on_track"
            last_visit = max((v.checked_in_at for v in visits if v.visit_date <= end), default=None)
            expected[resident.id, label] = (required, len(days), status, last_visit)
    return expected


def stored(resident_ids: list, started_by: date) -> tuple[dict, dict]:
    """The stored results of periods started by that day, and those of later periods (the
    ones being prepared)."""
    db.session.expire_all()
    results: tuple[dict, dict] = ({}, {})
    for r in db.session.scalars(
        select(CoverageResult).where(CoverageResult.resident_id.in_(resident_ids))
    ):
        results[r.period_start > started_by][r.resident_id, r.period] = (
            r.required,
            r.days_visited,
            r.status,
            r.last_visit_at,
        )
    return results


# -- the property ------------------------------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=30))
def test_incremental_refresh_matches_the_reference(
    app, api, admin, worker_a, supervisor_a, ward_a, monkeypatch, operations
):
    app.config["TIMEZONE"] = "Asia/Shanghai"
    # No overlap: only what the watermarks name is read again, the hardest case.
    monkeypatch.setattr(passes, "WATERMARK_OVERLAP", timedelta(0))
    rules = {None: (2, "week"), "full": (3, "week"), "home": (1, "month")}
    set_policies(api, admin, care_levels=[("full", 3, "week"), ("home", 1, "month")])
    for table in (CoverageState, CoverageResult, CoverageCount):  # a fresh install each time
        db.session.execute(delete(table))
    db.session.commit()
    residents = [
        add_resident(
            api, admin, ward_a, name=f"R{n}", care_level=level, admitted_on=admitted.isoformat()
        )
        for n, (level, admitted) in enumerate(RESIDENTS)
    ]
    # Preparing the next period takes two or three refreshes (the database keeps the
    # residents of the earlier examples).
    in_db = db.session.scalar(select(func.count()).select_from(Resident))
    monkeypatch.setattr(prepare, "PREPARE_SLICE", in_db // 2 + 1)
    # So do a full pass and a large turn of statuses: the refreshes in between must keep
    # every result they touch right.
    monkeypatch.setattr(passes, "FULL_PASS_SLICE", in_db // 2 + 1)
    # A turn of statuses at midnight, too, in slices of about half of the rows that may turn
    # (a fixed handful would take more refreshes than the catch-up below allows once the
    # earlier examples' residents are in the database).
    monkeypatch.setattr(passes, "DUE_ROWS_PER_REFRESH", in_db // 2 + 1)
    ids = [uuid.UUID(r["id"]) for r in residents]
    now, visit_ids, snapshots = START, [], []

    def refresh_at(instant):
        # The close jobs first, as the scheduler runs them minutes after a period ends (a
        # refresh leaves that to them for an hour).
        coverage.close_due_periods(instant)
        result = coverage.refresh(instant)
        db.session.expire_all()
        snapshots.append(
            (
                instant.date(),
                {
                    r.id: (r.status, r.status_since)
                    for r in db.session.scalars(select(Resident).where(Resident.id.in_(ids)))
                },
            )
        )
        return result

    refresh_at(now)
    for op in operations:
        if op[0] == "visit":
            _, index, days_ago, hour = op
            when = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0)
            if when <= now and when.date() >= RESIDENTS[index][1]:
                visit_ids.append(sync_visit(api, worker_a, residents[index], when.isoformat()))
        elif op[0] == "void" and visit_ids:
            visit_id = visit_ids.pop(op[1] % len(visit_ids))
            void(api, supervisor_a, visit_id)
        elif op[0] in ("discharge", "readmit"):
            status = "discharged" if op[0] == "discharge" else "active"
            answer = api.patch(
                f"/residents/{residents[op[1]]['id']}",
                as_=admin,
                json={"status": status, "status_since": now.date().isoformat()},
            )
            assert answer.status_code == 200, answer.json
        elif op[0] == "refresh" and now + timedelta(hours=op[1]) <= END:
            now += timedelta(hours=op[1])
            refresh_at(now)
    # The last refreshes: until a full pass or a turn under way is done.
    for minutes in range(1, 30):
        if not refresh_at(now + timedelta(minutes=minutes))["more"]:
            break
    else:
        raise AssertionError("the refreshes never caught up")
    today = now.date()
    started, prepared = stored(ids, today)
    assert started == reference(rules, ids, snapshots, today)
    # On the last day of a period the next one is being prepared, as it will stand on its
    # first day: every row prepared so far is right, and all are there once preparing is done.
    # It is counted for the board once it starts.
    upcoming = {period.label for period in prepare.upcoming(today)}
    assert kept_counts(upcoming) == counts_of_the_stored_results(upcoming)
    tomorrow = today + timedelta(days=1)
    expected = {
        key: value
        for key, value in reference(
            rules, ids, [*snapshots, (tomorrow, snapshots[-1][1])], tomorrow
        ).items()
        if key[1] in upcoming
    }
    assert prepared == {key: expected[key] for key in prepared}
    if db.session.get(CoverageState, 1).prepared_complete:
        assert prepared == expected
