"""What the data decides: each computed item of an office's year as {points, max, figures,
records}, counted in SQL over the office's units (docs/evaluation.md has each rule).

`figures` are the counts behind the points, shown beside them and on the printed form;
`records` names what read.py lists when one drills from the points to the records.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, func, or_, select

from server.cases.schemas import SERVICE_CODES
from server.coverage.periods import Period
from server.evaluation.table import BY_CODE, COMPUTED, round_down
from server.models import (
    Activity,
    Case,
    CaseRecord,
    OfficeDocument,
    OfficeStaff,
    ReceptionDay,
    Resident,
    Unit,
    Visit,
    VisitDayCount,
)
from server.offices.staff import team_facts
from server.platform.errors import ApiError
from server.platform.extensions import db
from server.reports.day_counts import RATINGS
from server.reports.reviews import review_report
from server.reports.satisfaction import score
from server.reports.tasks import task_report
from server.supervision.office_rules import judged
from server.targets.settings import Targets

# The duties of 三(一) (开展为老服务) among the coded services: each one given scores a point.
DUTY_SERVICES = (
    "relief",
    "care_arrangement",
    "home_adaptation",
    "family_counselling",
    "emotional_support",
    "crisis_intervention",
    "support_network",
    "community_participation",
    "elder_education",
    "consultation",
    "rights_protection",
    "policy_advocacy",
    "end_of_life_care",
)
assert set(DUTY_SERVICES) <= set(SERVICE_CODES)
HINTS = ("records", "reviewed_share", "returned_share", "tasks_closed", "on_time_share")


@dataclass(frozen=True)
class OfficeYear:
    """Whose year is counted, and as seen on which day (the months so far) in which zone."""

    office_id: uuid.UUID
    year: int
    today: date
    zone: str
    targets: Targets

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    def instants(self) -> tuple[datetime, datetime]:
        """The year as instants in the office's zone: [1 January, next 1 January)."""
        zone = ZoneInfo(self.zone)
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )

    def months_so_far(self) -> list[Period]:
        """The months of the year up to today's (all twelve for a past year)."""
        if self.today < self.start:
            return []
        last = 12 if self.today > self.end else self.today.month
        return [Period.of("month", date(self.year, month, 1)) for month in range(1, last + 1)]


def office_units(office_id: uuid.UUID) -> Select:
    return select(Unit.id).where(Unit.office_id == office_id)


def _result(code: str, points: float, figures: dict, records: str) -> dict:
    return {
        "points": min(BY_CODE[code].points, round_down(points)),
        "max": BY_CODE[code].points,
        "figures": figures,
        "records": records,
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# --- team -----------------------------------------------------------------------------------


def serving(year: OfficeYear) -> Select:
    """The office's staff list during the year: what `head` and `staff` drill to."""
    return select(OfficeStaff).where(
        OfficeStaff.office_id == year.office_id,
        OfficeStaff.started_on <= year.end,
        or_(OfficeStaff.ended_on.is_(None), OfficeStaff.ended_on >= year.start),
    )


def head(year: OfficeYear) -> dict:
    """6 for a head in post during the year (server/offices/staff.py's team_facts)."""
    facts = team_facts(year.office_id, year.year)
    figures = {"heads": len(facts["heads"]), "qualified": facts["head_qualified"]}
    return _result("head", 6 if facts["rule"]["head"] else 0, figures, "staff")


def staff(year: OfficeYear) -> dict:
    """8 when, besides the head, one full-time social worker and two more served."""
    facts = team_facts(year.office_id, year.year)
    rule = facts["rule"]
    figures = {
        "fulltime": len(facts["fulltime"]),
        "parttime": len(facts["parttime"]),
        "volunteer": len(facts["volunteers"]),
        "others": rule["others_count"],
    }
    return _result("staff", 8 if rule["fulltime"] and rule["others"] else 0, figures, "staff")


# --- management -----------------------------------------------------------------------------


def documents(year: OfficeYear, kind: str) -> Select:
    """The office's documents of a kind for the year, not withdrawn: an annual plan of that
    year; anything else of that year, or of no year but dated or uploaded by its end."""
    query = select(OfficeDocument).where(
        OfficeDocument.office_id == year.office_id,
        OfficeDocument.kind == kind,
        OfficeDocument.withdrawn_at.is_(None),
    )
    if kind == "annual_plan":
        return query.where(OfficeDocument.year == year.year)
    undated_by_end = or_(
        OfficeDocument.dated_on <= year.end, OfficeDocument.uploaded_at < year.instants()[1]
    )
    return query.where(
        or_(
            OfficeDocument.year == year.year,
            and_(OfficeDocument.year.is_(None), undated_by_end),
        )
    )


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def staff_posted(year: OfficeYear) -> dict:
    found = _count(documents(year, "staff_introduction"))
    return _result("staff_posted", 6 if found else 0, {"documents": found}, "documents")


def annual_plan(year: OfficeYear) -> dict:
    found = _count(documents(year, "annual_plan"))
    return _result("annual_plan", 6 if found else 0, {"documents": found}, "documents")


def year_visits(year: OfficeYear) -> Select:
    """The office's visits of the year, voided ones left out."""
    return select(Visit.id).where(
        Visit.unit_id.in_(office_units(year.office_id)),
        Visit.voided_at.is_(None),
        Visit.visit_date >= year.start,
        Visit.visit_date <= year.end,
    )


def in_care(year: OfficeYear) -> Select:
    """The office's residents in care at some time in the year: admitted by its end and still
    active, or gone only during or after it."""
    return select(Resident.id).where(
        Resident.unit_id.in_(office_units(year.office_id)),
        Resident.admitted_on <= year.end,
        or_(Resident.status == "active", Resident.status_since >= year.start),
    )


def has_service_record(year: OfficeYear):
    """A resident's service record of the year: a visit, or a step of their case work."""
    start, end = year.instants()
    visited = exists().where(
        Visit.resident_id == Resident.id,
        Visit.voided_at.is_(None),
        Visit.visit_date >= year.start,
        Visit.visit_date <= year.end,
    )
    case_work = exists().where(
        Case.resident_id == Resident.id,
        CaseRecord.case_id == Case.id,
        CaseRecord.at >= start,
        CaseRecord.at < end,
    )
    return or_(visited, case_work)


def service_files(year: OfficeYear) -> dict:
    residents = _count(in_care(year))
    with_record = _count(in_care(year).where(has_service_record(year)))
    figures = {"in_care": residents, "with_record": with_record}
    return _result("service_files", _share(with_record, residents) * 6, figures, "residents")


def complete_entry():
    """A register entry with the service given, the satisfaction asked, and the signature or
    the reason there is none."""
    return and_(
        func.trim(Visit.service_given) != "",
        Visit.satisfaction.is_not(None),
        or_(Visit.signer != "none", func.coalesce(func.trim(Visit.signer_reason), "") != ""),
    )


def ledgers_complete(year: OfficeYear) -> dict:
    visits = _count(year_visits(year))
    complete = _count(year_visits(year).where(complete_entry()))
    figures = {"visits": visits, "complete": complete, "incomplete": visits - complete}
    return _result("ledgers_complete", _share(complete, visits) * 4, figures, "visits")


# --- service --------------------------------------------------------------------------------


def plans(year: OfficeYear) -> Select:
    """The case plans agreed during the year in the office's units: where services are coded."""
    start, end = year.instants()
    return (
        select(CaseRecord)
        .join(Case, Case.id == CaseRecord.case_id)
        .where(
            Case.unit_id.in_(office_units(year.office_id)),
            CaseRecord.kind == "plan",
            CaseRecord.at >= start,
            CaseRecord.at < end,
        )
    )


def services_given(year: OfficeYear) -> list[str]:
    """The duties' service codes named in the year's plans, in the table's order."""
    bodies = db.session.scalars(plans(year).with_only_columns(CaseRecord.body))
    named = {code for body in bodies for code in (body or {}).get("services", [])}
    return [code for code in DUTY_SERVICES if code in named]


def service_types(year: OfficeYear) -> dict:
    given = services_given(year)
    return _result("service_types", len(given), {"services": given, "count": len(given)}, "plans")


def monthly(code: str, setting: str, days: list[date], year: OfficeYear) -> dict:
    """A monthly rule over the months so far: full points when no month was missed."""
    required = getattr(year.targets, setting)
    months = [
        judged(code, setting, required, days, month, year.today) for month in year.months_so_far()
    ]
    missed = [
        month.label
        for month, judgement in zip(year.months_so_far(), months, strict=True)
        if judgement["status"] == "missed"
    ]
    met = sum(1 for judgement in months if judgement["status"] == "met")
    figures = {
        "required_per_month": required,
        "months": len(months),
        "months_met": met,
        "months_missed": missed,
        "days": len(days),
    }
    return _result(code, BY_CODE[code].points if months and not missed else 0, figures, code)


def reception_days(year: OfficeYear) -> list[date]:
    """The distinct days the office (or one of its units) held a reception day in the year."""
    query = select(ReceptionDay.held_on).where(
        ReceptionDay.office_id == year.office_id,
        ReceptionDay.held_on >= year.start,
        ReceptionDay.held_on <= year.end,
    )
    return sorted(db.session.scalars(query.distinct()))


def activity_days(year: OfficeYear) -> list[date]:
    query = select(Activity.held_on).where(
        Activity.unit_id.in_(office_units(year.office_id)),
        Activity.held_on >= year.start,
        Activity.held_on <= year.end,
    )
    return sorted(db.session.scalars(query.distinct()))


def reception_day(year: OfficeYear) -> dict:
    return monthly("reception_day", "reception_days_per_month", reception_days(year), year)


def activities(year: OfficeYear) -> dict:
    return monthly("activities", "activities_per_month", activity_days(year), year)


def visit_days(year: OfficeYear) -> Select:
    """The distinct days with a visit (a round in a home or institution, a home visit)."""
    return (
        select(Visit.visit_date, func.count())
        .where(Visit.id.in_(year_visits(year)))
        .group_by(Visit.visit_date)
    )


def visits(year: OfficeYear) -> dict:
    days = _count(visit_days(year))
    return _result("visits", min(days, 6), {"days": days}, "visit_days")


def satisfaction_counts(year: OfficeYear) -> dict[str, int]:
    """The year's ratings, added up from the per-day counts of the office's units."""
    sums = db.session.execute(
        select(
            *[func.coalesce(func.sum(getattr(VisitDayCount, rating)), 0) for rating in RATINGS]
        ).where(
            VisitDayCount.unit_id.in_(office_units(year.office_id)),
            VisitDayCount.visit_date >= year.start,
            VisitDayCount.visit_date <= year.end,
        )
    ).one()
    return {rating: int(number) for rating, number in zip(RATINGS, sums, strict=True)}


def satisfaction(year: OfficeYear) -> dict:
    judged_share = score(satisfaction_counts(year), year.targets)
    figures = {
        "rated": judged_share["rated"],
        "satisfied": judged_share["satisfied"],
        "basically_satisfied": judged_share["basically_satisfied"],
        "unsatisfied": judged_share["unsatisfied"],
        "satisfied_share": judged_share["satisfied_share"],
        "target": year.targets.satisfaction_target,
    }
    points = 5 if judged_share["meets_target"] else 0
    return _result("satisfaction", points, figures, "ratings")


RULES: dict[str, Callable[[OfficeYear], dict]] = {
    "head": head,
    "staff": staff,
    "staff_posted": staff_posted,
    "annual_plan": annual_plan,
    "service_files": service_files,
    "ledgers_complete": ledgers_complete,
    "service_types": service_types,
    "reception_day": reception_day,
    "activities": activities,
    "visits": visits,
    "satisfaction": satisfaction,
}
assert tuple(sorted(RULES)) == tuple(sorted(COMPUTED))


def computed_item(year: OfficeYear, code: str) -> dict:
    return RULES[code](year)


def computed_items(year: OfficeYear) -> dict[str, dict]:
    """Every computed item of the office's year, by code."""
    return {code: rule(year) for code, rule in RULES.items()}


def process_hints(year: OfficeYear) -> dict:
    """What a person scoring `process` reads beside it: the share of the year's records a
    supervisor reviewed and returned, and the share of tasks closed on time. A year too large
    for the reports to add up gives no hints rather than no form."""
    units = list(db.session.scalars(office_units(year.office_id)))
    last = min(year.end, max(year.start, year.today))
    try:
        reviews = review_report(units, year.start, last, year.zone)["total"]
        tasks = task_report(units, year.start, last, year.zone)["total"]
    except ApiError:
        return dict.fromkeys(HINTS)
    return {
        "records": reviews["made"],
        "reviewed_share": reviews["reviewed_share"],
        "returned_share": reviews["returned_share"],
        "tasks_closed": tasks["closed"],
        "on_time_share": tasks["on_time_share"],
    }
