"""Coverage: how many distinct days each resident was visited in a period, against the rule."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from .extensions import db
from .models import Visit

DEFAULT_WEEKLY_ROUNDS = 2


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def roster_coverage(resident_ids: list[uuid.UUID], today: date) -> dict[uuid.UUID, dict]:
    """This week's count for each resident, as the phone shows it ("1 / 2")."""
    monday, sunday = week_bounds(today)
    valid = (Visit.resident_id.in_(resident_ids), Visit.voided_at.is_(None))
    days = dict(db.session.execute(
        select(Visit.resident_id, func.count(func.distinct(Visit.visit_date)))
        .where(*valid, Visit.visit_date.between(monday, sunday))
        .group_by(Visit.resident_id)
    ).all())
    last = dict(db.session.execute(
        select(Visit.resident_id, func.max(Visit.checked_in_at)).where(*valid)
        .group_by(Visit.resident_id)
    ).all())
    week = iso_week_label(today)
    return {
        resident_id: {
            "week": week,
            "required": DEFAULT_WEEKLY_ROUNDS,
            "days_visited": days.get(resident_id, 0),
            "last_visit_at": last.get(resident_id),
        }
        for resident_id in resident_ids
    }
