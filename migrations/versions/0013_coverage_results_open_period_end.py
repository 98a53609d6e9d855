"""coverage results: the open rows by end date

Revision ID: 0013
Revises: 0012

Every refresh asks which ended periods still have open rows, in case the close job did not
run; without an index that question reads the whole table. The index holds only open rows,
so it stays small, and neither of its columns changes when a status turns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OPEN = sa.text("closed_at IS NULL")


def upgrade():
    op.create_index(
        "ix_coverage_results_open_period_end",
        "coverage_results",
        ["period_end"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade():
    op.drop_index("ix_coverage_results_open_period_end", table_name="coverage_results")
