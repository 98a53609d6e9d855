"""coverage state: the local day the last refresh judged as of

Revision ID: 0012
Revises: 0011

A refresh judges every row due to turn by its day, and a row judged on a day is due on a
later one, so only the first refresh of a local day needs to look for due rows: without an
index on due_on (0011) that look reads every open row. An existing state row starts with no
day, and its next refresh looks, as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("turned_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.drop_column("turned_on")
