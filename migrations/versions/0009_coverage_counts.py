"""coverage counts: the stored results counted per period, unit and board group

Revision ID: 0009
Revises: 0008

The board's unit counts and group sizes and the 12-week history grouped every resident's
result of the periods they show, on every request (100,000 rows a week). The refresh now keeps
these counts as it writes the results (server/coverage/summary.py); this fills them from the
results already stored.
"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coverage_counts",
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("shortfall", sa.Integer(), nullable=False),
        sa.Column("days_visited", sa.Integer(), nullable=False),
        sa.Column("never_visited", sa.Boolean(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("evaluated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "period",
            "unit_id",
            "status",
            "shortfall",
            "days_visited",
            "never_visited",
            name=op.f("pk_coverage_counts"),
        ),
    )
    op.execute(
        "INSERT INTO coverage_counts (period, unit_id, status, shortfall, days_visited, "
        "never_visited, residents, evaluated_at) "
        "SELECT period, unit_id, status, required - days_visited, days_visited, "
        "last_visit_at IS NULL, count(*), max(evaluated_at) FROM coverage_results "
        "GROUP BY period, unit_id, status, required - days_visited, days_visited, "
        "last_visit_at IS NULL"
    )


def downgrade():
    op.drop_table("coverage_counts")
