"""All tables, grouped by domain in the modules of this package."""

from server.models.alerts import ALERT_KINDS, Alert, DigestRecipient, DigestSent
from server.models.core import (
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
    RosterRemoval,
    Unit,
    User,
    user_units,
)
from server.models.coverage import (
    COVERAGE_STATUSES,
    POLICY_PERIODS,
    CoverageCount,
    CoveragePolicy,
    CoverageResult,
    CoverageState,
)
from server.models.followups import FollowUpHandled
from server.models.jobs import JobRun, SchedulerLease
from server.models.reporting import FlaggedAmendment, VisitDayCount
from server.models.types import utcnow
from server.models.visits import (
    IDENTIFIED_BY,
    OBSERVATION_VALUES,
    SATISFACTION,
    SIGNERS,
    VISIT_KINDS,
    Amendment,
    SyncConflict,
    SyncRejection,
    Visit,
)

__all__ = [
    "ALERT_KINDS",
    "COVERAGE_STATUSES",
    "IDENTIFIED_BY",
    "OBSERVATION_VALUES",
    "POLICY_PERIODS",
    "RESIDENT_STATUSES",
    "ROLES",
    "SATISFACTION",
    "SEXES",
    "SIGNERS",
    "UNIT_KINDS",
    "VISIT_KINDS",
    "Alert",
    "Amendment",
    "AuditEvent",
    "ChangeCounter",
    "CoverageCount",
    "CoveragePolicy",
    "CoverageResult",
    "CoverageState",
    "Device",
    "DigestRecipient",
    "DigestSent",
    "FlaggedAmendment",
    "FollowUpHandled",
    "JobRun",
    "LoginFailure",
    "Resident",
    "ResidentToken",
    "RosterRemoval",
    "SchedulerLease",
    "SyncConflict",
    "SyncRejection",
    "Unit",
    "User",
    "Visit",
    "VisitDayCount",
    "user_units",
    "utcnow",
]
