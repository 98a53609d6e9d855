"""Local dates in the institution's time zone (ROUNDS_TIMEZONE), from UTC instants."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from server.models import utcnow


def today_in(zone: str, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(zone)).date()


def local_date(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()
