"""follow-ups handled, and the partial index of flagged visits that lists follow-ups

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FLAGGED = (
    "voided_at IS NULL AND (obs_living = 'concern' OR obs_emotional = 'concern' "
    "OR obs_physical = 'concern' OR follow_up = {true})"
)
RATED = "voided_at IS NULL AND satisfaction IS NOT NULL"
UNSATISFIED = "voided_at IS NULL AND satisfaction = 'unsatisfied'"
KEPT = "voided_at IS NULL"
BURST = {
    "postgresql": "voided_at IS NULL AND CAST((presence ->> 'burst') AS BOOLEAN) = true",
    "sqlite": "voided_at IS NULL AND CAST(JSON_EXTRACT(presence, '$.burst') AS BOOLEAN) = 1",
}

# name, columns, INCLUDE (PostgreSQL), WHERE per dialect: partial indexes the supervisor reports
# read with index-only scans (server/models/followups.py, server/reports/reports.py).
INDEXES = [
    (
        "ix_visits_flagged_checked_in_at",
        ["checked_in_at", "id"],
        ["unit_id"],
        {"postgresql": FLAGGED.format(true="true"), "sqlite": FLAGGED.format(true="1")},
    ),
    (
        "ix_visits_flagged_unit_id",
        ["unit_id", "checked_in_at", "id"],
        [],
        {"postgresql": FLAGGED.format(true="true"), "sqlite": FLAGGED.format(true="1")},
    ),
    (
        "ix_visits_flagged_id",
        ["id"],
        [],
        {"postgresql": FLAGGED.format(true="true"), "sqlite": FLAGGED.format(true="1")},
    ),
    (
        "ix_visits_rated",
        ["unit_id", "worker_id", "visit_date", "satisfaction"],
        [],
        {"postgresql": RATED, "sqlite": RATED},
    ),
    (
        "ix_visits_unsatisfied_checked_in_at",
        ["checked_in_at", "id"],
        ["unit_id", "visit_date"],
        {"postgresql": UNSATISFIED, "sqlite": UNSATISFIED},
    ),
    (
        "ix_visits_unsatisfied_unit_id",
        ["unit_id", "checked_in_at", "id"],
        ["visit_date"],
        {"postgresql": UNSATISFIED, "sqlite": UNSATISFIED},
    ),
    (
        "ix_visits_activity",
        ["unit_id", "visit_date", "worker_id", "identified_by"],
        [],
        {"postgresql": KEPT, "sqlite": KEPT},
    ),
    ("ix_visits_burst", ["unit_id", "visit_date", "worker_id"], [], BURST),
]


def upgrade():
    op.create_table(
        "followups_handled",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("handled_by", sa.Uuid(), nullable=False),
        sa.Column("handled_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["handled_by"], ["users.id"], name=op.f("fk_followups_handled_handled_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_followups_handled_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_followups_handled")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for name, columns, include, where in INDEXES:
            batch_op.create_index(
                name,
                columns,
                unique=False,
                postgresql_include=include,
                postgresql_where=sa.text(where["postgresql"]),
                sqlite_where=sa.text(where["sqlite"]),
            )


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for name, *_ in reversed(INDEXES):
            batch_op.drop_index(name)
    op.drop_table("followups_handled")
