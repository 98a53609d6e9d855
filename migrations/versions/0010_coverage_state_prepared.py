"""coverage state: preparing the next periods

Revision ID: 0010
Revises: 0009

On the last day of a week or month the refresh now prepares the next period's results a
slice of residents at a time (server/coverage/prepare.py); the state row remembers which
periods, how far it got and whether it finished. An existing row starts with nothing
prepared.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prepared_periods", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("prepared_after", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("prepared_complete", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.drop_column("prepared_complete")
        batch_op.drop_column("prepared_after")
        batch_op.drop_column("prepared_periods")
