"""The supervisor's board: stored results of a period by unit, and the share met by week."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select, true, tuple_

from server.coverage.periods import Period
from server.models import (
    COVERAGE_STATUSES,
    CoverageCount,
    CoverageResult,
    Resident,
    Unit,
    User,
    Visit,
)
from server.people.access import Scope
from server.platform.extensions import db

# Who needs a round first: the order of the board by default (status rank).
PRIORITY = ("missed", "at_risk", "on_track", "met")
BOARD_SORTS = (
    "priority",
    "name",
    "-name",
    "last_visit",
    "-last_visit",
    "days_visited",
    "-days_visited",
)
MAX_PER_PAGE = 200


def _units_in_scope(scope: Scope, unit_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    query = scope.filter(select(Unit.id, Unit.name).order_by(Unit.name), Unit.id)
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    return [(row.id, row.name) for row in db.session.execute(query)]


# A board's order is a few groups of rows, then name and id within a group (last visit: the
# time, then id, for those visited). The unit counts give each group's size, so a page reads
# only the groups it spans, and a large group is read in name order by walking residents by
# name (ix_residents_name_id) instead of sorting a whole institution: the board of 100,000
# residents on a Monday morning is one group, "on track, 2 short".
WALK_FROM = 10_000  # a group this large is walked in name order (smaller ones sort quickly)
WALK_AT_MOST = 30_000  # residents walked before a deep page is left to the database's sort
WALK_CHUNK = (64, 5_000)  # residents read at a time: at least, at most


@dataclass(frozen=True)
class _Group:
    """Rows of the board with the same leading sort key: how many, and how to find them."""

    where: ColumnElement
    size: int
    by_time: bool = False  # visited rows under a last-visit sort: time, then id


@dataclass
class _Tally:
    """What the counts query saw: per unit and status, and the sizes of the sort's groups."""

    units: dict[uuid.UUID, dict[str, int]]
    keys: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))
    evaluated: datetime | None = None


def _shortfall() -> ColumnElement:
    return CoverageResult.required - CoverageResult.days_visited


def _by_name(name: ColumnElement, key: ColumnElement, descending: bool) -> list[ColumnElement]:
    """Name, then id: the order within a group, one way or the other."""
    return [name.desc(), key.desc()] if descending else [name, key]


def _group_key(sort: str) -> ColumnElement | None:
    """What splits the sort's groups beside the status (name sorts: nothing)."""
    counted = CoverageCount
    return {
        "priority": counted.shortfall,
        "days_visited": counted.days_visited,
        "-days_visited": counted.days_visited,
        "last_visit": counted.never_visited,
        "-last_visit": counted.never_visited,
    }.get(sort)


def _tally(label: str, unit_ids: list[uuid.UUID], wanted: set[str], sort: str) -> _Tally:
    """The period's counts (coverage/summary.py): per unit over every status, and the sizes
    of the sort's groups, by status and group key, over the statuses asked for."""
    counted = CoverageCount
    key = _group_key(sort)
    keys = [counted.unit_id, counted.status] + ([key] if key is not None else [])
    tally = _Tally({unit: dict.fromkeys(("residents", *COVERAGE_STATUSES), 0) for unit in unit_ids})
    for row in db.session.execute(
        select(*keys, func.sum(counted.residents), func.max(counted.evaluated_at))
        .where(counted.period == label, counted.unit_id.in_(unit_ids))
        .group_by(*keys)
    ):
        unit, status, count, latest = row[0], row[1], row[-2], row[-1]
        tally.units[unit]["residents"] += count
        tally.units[unit][status] += count
        if status in wanted:
            tally.keys[status, row[2] if key is not None else None] += count
        tally.evaluated = latest if tally.evaluated is None else max(tally.evaluated, latest)
    return tally


def _groups(sort: str, keys: dict[tuple, int]) -> list[_Group]:
    """The sort's groups in board order, each with its size (empty groups left out)."""
    result = CoverageResult
    sizes: dict = defaultdict(int)
    if sort == "priority":  # missed, at risk, on track, met; the most days short first
        for (status, short), count in keys.items():
            sizes[PRIORITY.index(status), -short] += count
        return [
            _Group(and_(result.status == PRIORITY[rank], _shortfall() == -minus), size)
            for (rank, minus), size in sorted(sizes.items())
        ]
    for (_, key), count in keys.items():
        sizes[key] += count
    if sort in ("days_visited", "-days_visited"):
        return [
            _Group(result.days_visited == days, sizes[days])
            for days in sorted(sizes, reverse=sort.startswith("-"))
        ]
    if sort in ("last_visit", "-last_visit"):  # longest since a visit first: never visited
        groups = [
            _Group(result.last_visit_at.is_(None), sizes[True]),
            _Group(result.last_visit_at.is_not(None), sizes[False], by_time=True),
        ]
        if sort.startswith("-"):
            groups.reverse()
        return [group for group in groups if group.size]
    return [_Group(true(), sizes[None])] if sizes[None] else []  # name, -name: one group


def _sorted_rows(chosen: ColumnElement, group: _Group, sort: str, skip: int, limit: int) -> list:
    """A slice of one group sorted by the database: small groups, and visit times."""
    result = CoverageResult
    if group.by_time:
        # Sorted and cut before the names are joined: the sort reads only this table.
        time = result.last_visit_at.desc() if sort.startswith("-") else result.last_visit_at
        page = (
            select(result.resident_id)
            .where(chosen, group.where)
            .order_by(time, result.resident_id)
            .limit(limit)
            .offset(skip)
            .subquery()
        )
        order = [time, result.resident_id]
        query = (
            select(result, Resident.name)
            .where(chosen)
            .join(page, page.c.resident_id == result.resident_id)
        )
    else:
        order = _by_name(Resident.name, Resident.id, sort == "-name")
        query = select(result, Resident.name).where(chosen, group.where).limit(limit).offset(skip)
    return db.session.execute(
        query.join(Resident, Resident.id == result.resident_id).order_by(*order)
    ).all()


def _walked_rows(
    chosen: ColumnElement, group: _Group, descending: bool, skip: int, limit: int, share: float
) -> list | None:
    """A slice of one large group in name order: residents are walked by (name, id) a chunk
    at a time, joined to their results of the period, until the slice is complete. None when
    the slice lies deeper than WALK_AT_MOST residents (the database sorts it instead)."""
    name_id = tuple_(Resident.name, Resident.id)
    least, most = WALK_CHUNK
    found: list = []
    after = None
    walked = 0
    while len(found) < skip + limit:
        if walked >= WALK_AT_MOST:
            return None
        chunk = min(max(int((skip + limit - len(found)) / share * 1.2), least), most)
        residents = select(Resident.id, Resident.name)
        if after is not None:
            residents = residents.where(name_id < after if descending else name_id > after)
        residents = residents.order_by(*_by_name(Resident.name, Resident.id, descending))
        walk = residents.limit(chunk).subquery("walk")
        found += db.session.execute(
            select(CoverageResult, walk.c.name)
            .join(walk, walk.c.id == CoverageResult.resident_id)
            .where(chosen, group.where)
            .order_by(*_by_name(walk.c.name, walk.c.id, descending))
        ).all()
        last = db.session.execute(
            residents.with_only_columns(Resident.name, Resident.id).offset(chunk - 1).limit(1)
        ).first()
        if last is None:  # every resident walked
            break
        after = tuple_(*last, types=[Resident.name.type, Resident.id.type])
        walked += chunk
        # Learn how many of the walked residents are in the group (a unit's share, say).
        share = max(len(found) / walked, 1 / most)
    return found[skip : skip + limit]


def _page_rows(
    chosen: ColumnElement, groups: list[_Group], sort: str, offset: int, limit: int, scope_size: int
) -> list:
    """The rows of one page: the groups it spans, each read by the cheaper way."""
    rows: list = []
    for group in groups:
        if offset >= group.size:
            offset -= group.size
            continue
        take = min(limit - len(rows), group.size - offset)
        walked = None
        if not group.by_time and group.size >= WALK_FROM:
            walked = _walked_rows(
                chosen,
                group,
                sort == "-name",
                offset,
                take,
                group.size / max(scope_size, group.size),
            )
        rows += walked if walked is not None else _sorted_rows(chosen, group, sort, offset, take)
        offset = 0
        if len(rows) >= limit:
            break
    return rows


def last_visitors(
    last_visits: Sequence[tuple[uuid.UUID, datetime | None]],
) -> dict[uuid.UUID, dict]:
    """Who made the visit each stored `last_visit_at` names (resident, check-in), so the board's
    "last visit" and "by" always speak of the same visit. One query for a page of residents;
    a visit voided since the last refresh names nobody."""
    wanted = {(resident_id, at) for resident_id, at in last_visits if at is not None}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Visit.resident_id, Visit.checked_in_at, User.id, User.display_name, User.username)
        .join(User, User.id == Visit.worker_id)
        .where(
            Visit.resident_id.in_({resident_id for resident_id, _ in wanted}),
            Visit.checked_in_at.in_({at for _, at in wanted}),
            Visit.voided_at.is_(None),
        )
        .order_by(Visit.id)
    )  # two visits in the same second: the first id, every time
    found: dict[uuid.UUID, dict] = {}
    for resident_id, at, user_id, display_name, username in rows:
        if (resident_id, at) in wanted:
            found.setdefault(
                resident_id, {"id": user_id, "display_name": display_name, "username": username}
            )
    return found


def board(
    period: Period,
    scope: Scope,
    unit_id: uuid.UUID | None = None,
    *,
    statuses: Sequence[str] = (),
    sort: str = "priority",
    page: int = 1,
    per_page: int = 50,
    today: date | None = None,
) -> dict:
    """One page of the period's stored results in the units one may see, sorted and filtered
    by status on the server; the unit counts always cover the whole period and scope.

    The every-N-days board (period "days") also says each resident's N, the last day a visit
    is in time, and how many days overdue it is as of `today`."""
    if sort not in BOARD_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    if set(statuses) - set(COVERAGE_STATUSES):
        raise ValueError(f"unknown status in {statuses!r}")
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    units = _units_in_scope(scope, unit_id)
    unit_ids = [unit for unit, _ in units]
    in_board = and_(CoverageResult.period == period.label, CoverageResult.unit_id.in_(unit_ids))
    wanted = set(statuses) or set(COVERAGE_STATUSES)
    tally = _tally(period.label, unit_ids, wanted, sort)
    groups = _groups(sort, tally.keys)
    chosen = and_(in_board, CoverageResult.status.in_(wanted))
    scope_size = sum(counts["residents"] for counts in tally.units.values())
    rows = _page_rows(chosen, groups, sort, (page - 1) * per_page, per_page, scope_size)
    visitors = last_visitors([(result.resident_id, result.last_visit_at) for result, _ in rows])
    residents = [
        {
            "resident_id": result.resident_id,
            "name": name,
            "unit_id": result.unit_id,
            "required": result.required,
            "days_visited": result.days_visited,
            "last_visit_at": result.last_visit_at,
            "status": result.status,
            "last_visit_by": visitors.get(result.resident_id),
            **_gap_fields(result, period, today),
        }
        for result, name in rows
    ]
    return {
        "period": period.label,
        "evaluated_at": tally.evaluated,
        "units": [{"unit_id": unit, **tally.units[unit]} for unit in unit_ids],
        "residents": residents,
        "total": sum(group.size for group in groups),
        "page": page,
        "per_page": per_page,
    }


def _gap_fields(result: CoverageResult, period: Period, today: date | None) -> dict:
    if period.kind != "days":
        return {}
    overdue = 0 if today is None else max(0, (today - result.period_end).days)
    return {"every_days": result.required, "due_by": result.period_end, "days_overdue": overdue}


def history(today: date, weeks: int, scope: Scope, unit_id: uuid.UUID | None = None) -> dict:
    """The share of residents who met the rule, per unit and week, oldest week first."""
    current = Period.of("week", today)
    periods = [current]
    while len(periods) < weeks:
        periods.insert(0, periods[0].previous())
    labels = [period.label for period in periods]
    units = _units_in_scope(scope, unit_id)
    tally: dict = defaultdict(lambda: [0, 0])
    counted = CoverageCount
    rows = db.session.execute(
        select(counted.unit_id, counted.period, counted.status, func.sum(counted.residents))
        .where(counted.period.in_(labels), counted.unit_id.in_([unit for unit, _ in units]))
        .group_by(counted.unit_id, counted.period, counted.status)
    )
    for unit, label, status, count in rows:
        tally[unit, label][0] += count
        if status == "met":
            tally[unit, label][1] += count
    return {
        "weeks": labels,
        "units": [
            {
                "unit_id": unit,
                "name": name,
                "weeks": [
                    {
                        "period": label,
                        "residents": tally[unit, label][0],
                        "met": tally[unit, label][1],
                        "share_met": (
                            round(tally[unit, label][1] / tally[unit, label][0], 4)
                            if tally[unit, label][0]
                            else None
                        ),
                    }
                    for label in labels
                ],
            }
            for unit, name in units
        ],
    }
