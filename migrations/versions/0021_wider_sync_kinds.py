"""wider sync kinds: an activity's photo is a fourteen-letter kind

Revision ID: 0021
Revises: 0020

`activity_photo` is fourteen characters: the kind of a sync conflict or rejection grows from
twelve to sixteen, so a photo set aside is named as the phone's answer names it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _kind(old: int, new: int) -> None:
    for table in ("sync_conflicts", "sync_rejections"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=sa.String(length=old),
                type_=sa.String(length=new),
                existing_nullable=False,
            )


def upgrade():
    _kind(12, 16)


def downgrade():
    op.execute("DELETE FROM sync_conflicts WHERE length(kind) > 12")
    op.execute("DELETE FROM sync_rejections WHERE length(kind) > 12")
    _kind(16, 12)
