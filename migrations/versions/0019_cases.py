"""case work: cases, their append-only records, tasks raised by a case, wider sync kinds

Revision ID: 0019
Revises: 0018

A resident's case runs from intake to archive, each step a record that is never updated
(docs/cases.md). A plan's steps, an assessment's risks and a closure's follow-up become tasks
that name their case. `case_record` is eleven characters: the kind of a sync conflict or
rejection grows to twelve.
"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_note", sa.String(length=500), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("opened_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("archived_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_contact_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("purged_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_cases_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_cases_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_cases_unit_id_units")),
        sa.ForeignKeyConstraint(["worker_id"], ["users.id"], name=op.f("fk_cases_worker_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index("ix_cases_unit_id_stage", ["unit_id", "stage"], unique=False)
        batch_op.create_index("ix_cases_worker_id_stage", ["worker_id", "stage"], unique=False)

    op.create_table(
        "case_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_case_records_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_records_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_records")),
    )
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.create_index("ix_case_records_case_id_kind", ["case_id", "kind"], unique=False)

    for table in ("sync_conflicts", "sync_rejections"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=sa.String(length=10),
                type_=sa.String(length=12),
                existing_nullable=False,
            )

    # A plain ADD COLUMN on both databases: SQLite takes a nullable column with its reference
    # in place, so the tasks table (and its partial indexes) is not rebuilt.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE tasks ADD COLUMN case_id CHAR(32) "
            "CONSTRAINT fk_tasks_case_id_cases REFERENCES cases (id)"
        )
    else:
        op.add_column("tasks", sa.Column("case_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(op.f("fk_tasks_case_id_cases"), "tasks", "cases", ["case_id"], ["id"])
    op.create_index(op.f("ix_tasks_case_id"), "tasks", ["case_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_tasks_case_id"), table_name="tasks")
    if op.get_bind().dialect.name == "sqlite":
        # The table is rebuilt without the column; its reference, written inline, goes with it.
        with op.batch_alter_table("tasks", schema=None) as batch_op:
            batch_op.drop_column("case_id")
    else:
        op.drop_constraint(op.f("fk_tasks_case_id_cases"), "tasks", type_="foreignkey")
        op.drop_column("tasks", "case_id")

    for table in ("sync_rejections", "sync_conflicts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=sa.String(length=12),
                type_=sa.String(length=10),
                existing_nullable=False,
            )

    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.drop_index("ix_case_records_case_id_kind")
    op.drop_table("case_records")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_worker_id_stage")
        batch_op.drop_index("ix_cases_unit_id_stage")
        batch_op.drop_index(batch_op.f("ix_cases_resident_id"))
        batch_op.drop_index(batch_op.f("ix_cases_change_seq"))
    op.drop_table("cases")
