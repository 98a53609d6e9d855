"""visits, amendments, sync conflicts and rejections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:53:39.661315

"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roster_removals",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_removals")),
    )
    with op.batch_alter_table("roster_removals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roster_removals_change_seq"), ["change_seq"], unique=False
        )

    op.create_table(
        "sync_conflicts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_conflicts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_conflicts_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "sync_rejections",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_rejections_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_rejections")),
    )
    with op.batch_alter_table("sync_rejections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_rejections_received_at"), ["received_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sync_rejections_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "visits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("checked_in_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked_out_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("identified_by", sa.String(length=10), nullable=False),
        sa.Column("qr_token", sa.String(length=64), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("obs_living", sa.String(length=10), nullable=False),
        sa.Column("obs_emotional", sa.String(length=10), nullable=False),
        sa.Column("obs_physical", sa.String(length=10), nullable=False),
        sa.Column("obs_notes", sa.Text(), nullable=False),
        sa.Column("service_given", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.String(length=24), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("signer", sa.String(length=10), nullable=False),
        sa.Column("signer_name", sa.String(length=120), nullable=True),
        sa.Column("signer_reason", sa.String(length=300), nullable=True),
        sa.Column("signature_width", sa.Integer(), nullable=False),
        sa.Column("signature_height", sa.Integer(), nullable=False),
        sa.Column("signature_strokes", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("raw_hash", sa.String(length=64), nullable=False),
        sa.Column("presence", sa.JSON(), nullable=False),
        sa.Column("voided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.Uuid(), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_visits_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_visits_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["voided_by"], ["users.id"], name=op.f("fk_visits_voided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_visits_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visits_received_at"), ["received_at"], unique=False)
        batch_op.create_index(
            "ix_visits_resident_id_visit_date", ["resident_id", "visit_date"], unique=False
        )
        batch_op.create_index(
            "ix_visits_unit_id_visit_date", ["unit_id", "visit_date"], unique=False
        )
        batch_op.create_index(
            "ix_visits_worker_id_checked_in_at", ["worker_id", "checked_in_at"], unique=False
        )

    op.create_table(
        "amendments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_amendments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_amendments_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendments")),
    )
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendments_visit_id"), ["visit_id"], unique=False)


def downgrade():
    with op.batch_alter_table("roster_removals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_removals_change_seq"))
    op.drop_table("roster_removals")

    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendments_visit_id"))

    op.drop_table("amendments")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_worker_id_checked_in_at")
        batch_op.drop_index("ix_visits_unit_id_visit_date")
        batch_op.drop_index("ix_visits_resident_id_visit_date")
        batch_op.drop_index(batch_op.f("ix_visits_received_at"))

    op.drop_table("visits")
    with op.batch_alter_table("sync_rejections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_rejections_record_id"))
        batch_op.drop_index(batch_op.f("ix_sync_rejections_received_at"))

    op.drop_table("sync_rejections")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_record_id"))

    op.drop_table("sync_conflicts")
