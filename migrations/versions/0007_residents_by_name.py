"""the residents by name, for the coverage board

Revision ID: 0007
Revises: 0006

The board lists a week's residents missed and at risk first, then by name. On a Monday
morning nearly every resident is in one group ("on track, 2 short"), and a page of it was a
sort of the whole institution by name; with this index a page walks residents in name order
and reads about as many rows as it shows (server/coverage/board.py).
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.create_index("ix_residents_name_id", ["name", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_index("ix_residents_name_id")
