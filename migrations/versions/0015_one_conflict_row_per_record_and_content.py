"""sync conflicts: one row per record and content, and how each was resolved

Revision ID: 0015
Revises: 0014

A phone that resent the same conflicting copy stored a new row each time (20 resends of a
batch of 50 made 1,000 rows), and nobody could see or settle them. The duplicates already
stored go first, keeping the earliest row of each (record_id, content_hash): ids are handed
out in insert order, so the smallest id is the first copy received. Then the pair becomes
unique, so ingest inserts with ON CONFLICT DO NOTHING, and each row gets how a supervisor
resolved it: when, by whom, which way (kept_server, took_phone, dismissed) and a note.
"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Plain SQL that SQLite and PostgreSQL both run; the subquery is materialised before any
    # row goes, so the earliest of each group is never deleted.
    op.execute(
        "DELETE FROM sync_conflicts WHERE id NOT IN "
        "(SELECT MIN(id) FROM sync_conflicts GROUP BY record_id, content_hash)"
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolved_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_by", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("resolution", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("resolution_note", sa.String(length=1000), nullable=True))
        batch_op.create_unique_constraint(
            "uq_sync_conflicts_record_content", ["record_id", "content_hash"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sync_conflicts_resolved_by_users"), "users", ["resolved_by"], ["id"]
        )


def downgrade():
    # The deleted duplicates were copies of the rows kept: nothing to bring back.
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sync_conflicts_resolved_by_users"), type_="foreignkey"
        )
        batch_op.drop_constraint("uq_sync_conflicts_record_content", type_="unique")
        batch_op.drop_column("resolution_note")
        batch_op.drop_column("resolution")
        batch_op.drop_column("resolved_by")
        batch_op.drop_column("resolved_at")
