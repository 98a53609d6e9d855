"""All tables, grouped by domain in the modules of this package."""

from .core import (
    RESIDENT_STATUSES,
    ROLES,
    SEXES,
    UNIT_KINDS,
    AuditEvent,
    ChangeCounter,
    Device,
    LoginFailure,
    Resident,
    ResidentToken,
    Unit,
    User,
    user_units,
)
from .types import utcnow

__all__ = [
    "RESIDENT_STATUSES",
    "ROLES",
    "SEXES",
    "UNIT_KINDS",
    "AuditEvent",
    "ChangeCounter",
    "Device",
    "LoginFailure",
    "Resident",
    "ResidentToken",
    "Unit",
    "User",
    "user_units",
    "utcnow",
]
