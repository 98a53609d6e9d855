"""coverage policies and results, alerts, digests, job runs, the scheduler lease

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coverage_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_state")),
    )
    op.create_table(
        "job_runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.String(length=80), nullable=True),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("slot", name=op.f("uq_job_runs_slot")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_runs_job_status_started_at", ["job", "status", "started_at"], unique=False
        )

    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )
    op.create_table(
        "digest_recipients",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_digest_recipients_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_digest_recipients")),
    )
    op.create_table(
        "digests_sent",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("alerts", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_digests_sent_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests_sent")),
        sa.UniqueConstraint("user_id", "day", name="uq_digests_sent_user_id_day"),
    )
    op.create_table(
        "alerts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("period", sa.String(length=10), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("raised_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("acked_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("acked_by", sa.Uuid(), nullable=True),
        sa.Column("ack_note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["acked_by"], ["users.id"], name=op.f("fk_alerts_acked_by_users")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_alerts_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_alerts_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_alerts_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("key", name=op.f("uq_alerts_key")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_raised_at"), ["raised_at"], unique=False)
        batch_op.create_index(
            "ix_alerts_resolved_at_unit_id", ["resolved_at", "unit_id"], unique=False
        )

    op.create_table(
        "coverage_policies",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("care_level", sa.String(length=40), nullable=True),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_coverage_policies_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_coverage_policies_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_policies")),
        sa.UniqueConstraint("key", name=op.f("uq_coverage_policies_key")),
    )
    op.create_table(
        "coverage_results",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("active_days", sa.Integer(), nullable=False),
        sa.Column("days_visited", sa.Integer(), nullable=False),
        sa.Column("last_visit_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("evaluated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_coverage_results_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_coverage_results_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_results")),
        sa.UniqueConstraint("resident_id", "period", name="uq_coverage_results_resident_period"),
    )
    with op.batch_alter_table("coverage_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_results_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            "ix_coverage_results_period_unit_id", ["period", "unit_id"], unique=False
        )

    # For the coverage refresh: visits voided since its last run, and the visits that count.
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_voided_at",
            ["voided_at"],
            unique=False,
            sqlite_where=sa.text("voided_at IS NOT NULL"),
            postgresql_where=sa.text("voided_at IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_visits_counted",
            ["resident_id", "visit_date", "checked_in_at"],
            unique=False,
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_counted")
        batch_op.drop_index("ix_visits_voided_at")

    with op.batch_alter_table("coverage_results", schema=None) as batch_op:
        batch_op.drop_index("ix_coverage_results_period_unit_id")
        batch_op.drop_index(batch_op.f("ix_coverage_results_due_on"))

    op.drop_table("coverage_results")
    op.drop_table("coverage_policies")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_resolved_at_unit_id")
        batch_op.drop_index(batch_op.f("ix_alerts_raised_at"))

    op.drop_table("alerts")
    op.drop_table("digests_sent")
    op.drop_table("digest_recipients")
    op.drop_table("scheduler_lease")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_job_runs_job_status_started_at")

    op.drop_table("job_runs")
    op.drop_table("coverage_state")
