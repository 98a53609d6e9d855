"""coverage results keyed by resident and period

Revision ID: 0008
Revises: 0007

A full coverage pass writes a result for every resident, 100,000 rows at a time; the surrogate
id cost each row a sequence number and an index entry, and nothing refers to it. The key is
now what the unique constraint was: resident and period.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_results", schema=None) as batch_op:
        batch_op.drop_constraint("uq_coverage_results_resident_period", type_="unique")
        batch_op.drop_column("id")  # its primary key goes with it
        batch_op.create_primary_key("pk_coverage_results", ["resident_id", "period"])


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE coverage_results DROP CONSTRAINT pk_coverage_results")
        op.execute("ALTER TABLE coverage_results ADD COLUMN id BIGSERIAL")
        op.execute(
            "ALTER TABLE coverage_results ADD CONSTRAINT pk_coverage_results PRIMARY KEY (id)"
        )
        op.create_unique_constraint(
            "uq_coverage_results_resident_period", "coverage_results", ["resident_id", "period"]
        )
        return
    # SQLite rebuilds the table; an INTEGER PRIMARY KEY numbers the copied rows itself.
    with op.batch_alter_table(
        "coverage_results", schema=None, recreate="always", partial_reordering=[("id",)]
    ) as batch_op:
        batch_op.drop_constraint("pk_coverage_results", type_="primary")
        batch_op.add_column(sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True))
        batch_op.create_unique_constraint(
            "uq_coverage_results_resident_period", ["resident_id", "period"]
        )
