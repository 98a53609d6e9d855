"""coverage state: a full pass judged a slice of residents per refresh

Revision ID: 0014
Revises: 0013

A full pass (a new install, a policy change that moves many rules, a new period that was not
prepared) judged every resident in care in one refresh: 5-7 s at 100,000 residents, in one
write transaction. It now judges a slice per refresh, in id order; the state keeps the
periods it judges and the last resident judged. An existing state row has no pass under way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("full_labels", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("full_after", sa.Uuid(), nullable=True))


def downgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.drop_column("full_after")
        batch_op.drop_column("full_labels")
