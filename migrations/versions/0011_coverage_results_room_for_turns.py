"""coverage results: no index on due_on, pages left room for turns

Revision ID: 0011
Revises: 0010

A status that turns overnight changes status, due_on and evaluated_at. Without an index on
due_on none of them is indexed, so PostgreSQL can rewrite the row within its page and leave
the indexes alone (a HOT update) when the page has room; pages written from now on are
filled to 70% to leave it. The refresh finds the due rows through the period index.
Existing pages keep their fill until they are rewritten (VACUUM FULL, or a new period).
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_coverage_results_due_on", table_name="coverage_results")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE coverage_results SET (fillfactor = 70)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE coverage_results RESET (fillfactor)")
    op.create_index("ix_coverage_results_due_on", "coverage_results", ["due_on"], unique=False)
