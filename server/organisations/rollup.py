"""Roll-ups by level: one row per child of an organisation (the city's districts, a district's
offices, an office's units) with its residents, coverage, satisfaction, activity, tasks and
cases over a period, and the same totals for the organisation itself.

A city inspector asks this of 100,000 residents and two million visits a year, so every figure
is read from what is already counted: the per-day visit counts (visit_day_counts), the counts
of coverage results per unit and period (coverage_counts), and the task and case tables through
their unit indexes. Each query maps units to the level's children in SQL (units.office_id, then
organisations.parent_id) and groups by child; Python only adds up the few hundred grouped rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, or_, select

from server.coverage.periods import Period
from server.models import (
    CITY,
    DISTRICT,
    OFFICE,
    Case,
    CoverageCount,
    Organisation,
    Resident,
    Task,
    Unit,
    VisitDayCount,
)
from server.models.cases import OPEN_CASE_STAGES
from server.models.tasks import OPEN_TASK_STATUSES
from server.organisations.tree import Node, Tree, load_tree
from server.people.access import Scope
from server.platform.errors import NotFound
from server.platform.extensions import db
from server.reports.day_counts import RATINGS
from server.reports.satisfaction import score
from server.targets.settings import Targets, satisfaction_setting

# What the children of each kind of organisation are.
CHILD_KIND = {CITY: DISTRICT, DISTRICT: OFFICE, OFFICE: "unit"}
# The coverage periods a roll-up judges by: the weeks, months and years wholly inside it.
JUDGED_KINDS = ("week", "month", "year")


@dataclass(frozen=True)
class Level:
    """An organisation and the children its roll-up has a row for."""

    organisation: Node
    child_kind: str
    children: list[tuple[uuid.UUID, str]]


@dataclass
class _Figures:
    """What is added up for one row (a child, or the organisation's total)."""

    residents: int = 0
    judged: int = 0
    met: int = 0
    ratings: dict = field(default_factory=lambda: defaultdict(int))
    visits: int = 0
    days: set = field(default_factory=set)
    workers: set = field(default_factory=set)
    tasks_open: int = 0
    tasks_overdue: int = 0
    tasks_closed: int = 0
    cases_open: dict = field(default_factory=lambda: dict.fromkeys(OPEN_CASE_STAGES, 0))
    cases_closed: int = 0

    def answer(self, targets: Targets) -> dict:
        return {
            "residents": self.residents,
            "coverage": {
                "judged": self.judged,
                "met": self.met,
                "share_met": round(self.met / self.judged, 4) if self.judged else None,
            },
            "satisfaction": score(self.ratings, targets),
            "activity": {
                "visits": self.visits,
                "visited_days": len(self.days),
                "workers": len(self.workers),
            },
            "tasks": {
                "open": self.tasks_open,
                "overdue": self.tasks_overdue,
                "closed": self.tasks_closed,
            },
            "cases": {
                "open": sum(self.cases_open.values()),
                "by_stage": dict(self.cases_open),
                "closed": self.cases_closed,
            },
        }


def top_reached(scope: Scope, tree: Tree) -> uuid.UUID:
    """The highest organisation one reaches: the city for its admins and inspectors, one's
    bureau or office otherwise."""
    if scope.organisation_ids is None:
        if tree.root_id is None:
            raise NotFound("organisation")
        return tree.root_id
    reached = [node_id for node_id in scope.organisation_ids if node_id in tree.nodes]
    tops = [
        node_id
        for node_id in reached
        if tree.nodes[node_id].parent_id not in scope.organisation_ids
    ]
    if not tops:
        raise NotFound("organisation")
    return min(tops, key=lambda node_id: (tree.nodes[node_id].name, str(node_id)))


def level_of(scope: Scope, organisation_id: uuid.UUID | None, tree: Tree) -> Level:
    """The organisation asked for (default: the top one reaches) and its children in scope;
    404 for one outside the scope, as for any record one may not see."""
    if organisation_id is None:
        organisation_id = top_reached(scope, tree)
    node = tree.nodes.get(organisation_id)
    if node is None or not scope.includes_organisation(organisation_id):
        raise NotFound("organisation")
    child_kind = CHILD_KIND[node.kind]
    if node.kind == OFFICE:
        query = scope.filter(
            select(Unit.id, Unit.name)
            .where(Unit.office_id == node.id)
            .order_by(Unit.name, Unit.id),
            Unit.id,
        )
        children = [(row.id, row.name) for row in db.session.execute(query)]
    else:
        children = [
            (child.id, child.name)
            for child in tree.children(node.id)
            if scope.includes_organisation(child.id)
        ]
    return Level(node, child_kind, children)


def units_to_children(level: Level, scope: Scope):
    """A subquery (unit_id, child_id): every unit in scope under the level's children, with
    the child it rolls up to, joined in SQL."""
    child_ids = [child_id for child_id, _ in level.children]
    if level.child_kind == "unit":
        query = select(Unit.id.label("unit_id"), Unit.id.label("child_id")).where(
            Unit.id.in_(child_ids)
        )
    elif level.child_kind == OFFICE:
        query = select(Unit.id.label("unit_id"), Unit.office_id.label("child_id")).where(
            Unit.office_id.in_(child_ids)
        )
    else:
        office = Organisation
        query = (
            select(Unit.id.label("unit_id"), office.parent_id.label("child_id"))
            .join(office, office.id == Unit.office_id)
            .where(office.parent_id.in_(child_ids))
        )
    return scope.filter(query, Unit.id).subquery("rolled")


def judged_labels(date_from: date, date_to: date) -> list[str]:
    """The labels of the weeks, months and years that lie wholly within the range: the
    periods whose coverage was judged in full by its end."""
    labels = []
    for kind in JUDGED_KINDS:
        period = Period.of(kind, date_from)
        if period.start < date_from:
            period = Period.of(kind, period.end + timedelta(days=1))
        while period.end <= date_to:
            labels.append(period.label)
            period = Period.of(kind, period.end + timedelta(days=1))
    return labels


def _instant(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


def _grouped(query: Select, rolled, column) -> Select:
    """The query joined to the units' children by `column` (a unit id)."""
    return query.join(rolled, rolled.c.unit_id == column)


def _add_residents(rows: dict, rolled) -> None:
    query = _grouped(
        select(rolled.c.child_id, func.count()).select_from(Resident), rolled, Resident.unit_id
    ).where(Resident.status == "active")
    for child_id, count in db.session.execute(query.group_by(rolled.c.child_id)):
        rows[child_id].residents += count


def _add_coverage(rows: dict, rolled, labels: list[str]) -> None:
    if not labels:
        return
    counted = CoverageCount
    query = _grouped(
        select(rolled.c.child_id, counted.status, func.sum(counted.residents)).select_from(counted),
        rolled,
        counted.unit_id,
    ).where(counted.period.in_(labels))
    for child_id, status, count in db.session.execute(
        query.group_by(rolled.c.child_id, counted.status)
    ):
        rows[child_id].judged += int(count or 0)
        if status == "met":
            rows[child_id].met += int(count or 0)


def _in_days(query: Select, date_from: date, date_to: date) -> Select:
    counts = VisitDayCount
    return query.where(counts.visit_date >= date_from, counts.visit_date <= date_to)


def _add_days(rows: dict, rolled, date_from: date, date_to: date) -> None:
    """Visits and ratings per child and day: the days a child was visited on, and the sums."""
    counts = VisitDayCount
    keys = (rolled.c.child_id, counts.visit_date)
    query = _in_days(
        _grouped(
            select(
                *keys,
                func.sum(counts.visits),
                *[func.sum(getattr(counts, rating)) for rating in RATINGS],
            ).select_from(counts),
            rolled,
            counts.unit_id,
        ),
        date_from,
        date_to,
    )
    for child_id, day, visits, *ratings in db.session.execute(query.group_by(*keys)):
        visits = int(visits or 0)
        if visits:  # a day whose visits were all voided was not visited
            rows[child_id].visits += visits
            rows[child_id].days.add(day)
        for rating, number in zip(RATINGS, ratings, strict=True):
            rows[child_id].ratings[rating] += int(number or 0)


def _add_workers(rows: dict, rolled, date_from: date, date_to: date) -> None:
    """The workers who recorded a kept visit in each child over the period."""
    counts = VisitDayCount
    keys = (rolled.c.child_id, counts.worker_id)
    query = _in_days(
        _grouped(select(*keys).select_from(counts), rolled, counts.unit_id), date_from, date_to
    )
    for child_id, worker_id in db.session.execute(
        query.group_by(*keys).having(func.sum(counts.visits) > 0)
    ):
        rows[child_id].workers.add(worker_id)


def _add_tasks(rows: dict, rolled, start: datetime, end: datetime, today: date) -> None:
    is_open = Task.status.in_(OPEN_TASK_STATUSES)
    closed = and_(Task.status == "done", Task.closed_at >= start, Task.closed_at < end)

    def number(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = _grouped(
        select(
            rolled.c.child_id,
            number(is_open),
            number(and_(is_open, Task.due_on < today)),
            number(closed),
        ).select_from(Task),
        rolled,
        Task.unit_id,
    ).where(or_(is_open, closed))
    for child_id, open_, overdue, done in db.session.execute(query.group_by(rolled.c.child_id)):
        rows[child_id].tasks_open += int(open_)
        rows[child_id].tasks_overdue += int(overdue)
        rows[child_id].tasks_closed += int(done)


def _add_cases(rows: dict, rolled, start: datetime, end: datetime) -> None:
    open_query = _grouped(
        select(rolled.c.child_id, Case.stage, func.count()).select_from(Case),
        rolled,
        Case.unit_id,
    ).where(Case.stage.in_(OPEN_CASE_STAGES))
    for child_id, stage, count in db.session.execute(
        open_query.group_by(rolled.c.child_id, Case.stage)
    ):
        rows[child_id].cases_open[stage] += count
    closed_query = _grouped(
        select(rolled.c.child_id, func.count()).select_from(Case), rolled, Case.unit_id
    ).where(Case.closed_at >= start, Case.closed_at < end)
    for child_id, count in db.session.execute(closed_query.group_by(rolled.c.child_id)):
        rows[child_id].cases_closed += count


def _total(rows: dict) -> _Figures:
    total = _Figures()
    for row in rows.values():
        total.residents += row.residents
        total.judged += row.judged
        total.met += row.met
        for rating, number in row.ratings.items():
            total.ratings[rating] += number
        total.visits += row.visits
        total.days |= row.days
        total.workers |= row.workers
        total.tasks_open += row.tasks_open
        total.tasks_overdue += row.tasks_overdue
        total.tasks_closed += row.tasks_closed
        for stage, number in row.cases_open.items():
            total.cases_open[stage] += number
        total.cases_closed += row.cases_closed
    return total


def _ref(node: Node) -> dict:
    return {"id": node.id, "kind": node.kind, "name": node.name}


def rollup(
    scope: Scope,
    organisation_id: uuid.UUID | None,
    date_from: date,
    date_to: date,
    *,
    today: date,
    zone_name: str,
    targets: Targets,
) -> dict:
    """One row per child of the organisation (default: the top one reaches) and its totals,
    over the local days `date_from` to `date_to`; open tasks and cases are as of now, and a
    task is overdue when its due date is before `today`."""
    tree = load_tree()
    level = level_of(scope, organisation_id, tree)
    rolled = units_to_children(level, scope)
    zone = ZoneInfo(zone_name)
    start, end = _instant(date_from, zone), _instant(date_to + timedelta(days=1), zone)
    rows: dict = defaultdict(_Figures)
    labels = judged_labels(date_from, date_to)
    if level.children:
        _add_residents(rows, rolled)
        _add_coverage(rows, rolled, labels)
        _add_days(rows, rolled, date_from, date_to)
        _add_workers(rows, rolled, date_from, date_to)
        _add_tasks(rows, rolled, start, end, today)
        _add_cases(rows, rolled, start, end)
    return {
        "from": date_from,
        "to": date_to,
        "organisation": _ref(level.organisation),
        "above": [
            {**_ref(node), "reached": scope.includes_organisation(node.id)}
            for node in reversed(tree.ancestors(level.organisation.id))
        ],
        "level": level.child_kind,
        "periods_judged": labels,
        "target": satisfaction_setting(targets),
        "total": _total(rows).answer(targets),
        "rows": [
            {
                "id": child_id,
                "kind": level.child_kind,
                "name": name,
                **rows[child_id].answer(targets),
            }
            for child_id, name in level.children
        ],
    }
