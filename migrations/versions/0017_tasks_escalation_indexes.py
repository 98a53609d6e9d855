"""follow-up tasks: the tasks escalation has not yet raised, by index

Revision ID: 0017
Revises: 0016

Every minute the scheduler asks for urgent tasks not yet notified, and every refresh for open
tasks past due not yet alerted (server/tasks/escalation.py); without an index each question
reads the whole table, which grows with every round. Each index holds only the tasks still
waiting for their alert, so it stays small.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

UNNOTIFIED = sa.text("priority = 'urgent' AND urgent_notified_at IS NULL")
UNALERTED = sa.text("overdue_alerted_at IS NULL AND status IN ('open', 'in_progress')")


def upgrade():
    op.create_index(
        "ix_tasks_urgent_unnotified",
        "tasks",
        ["created_at"],
        sqlite_where=UNNOTIFIED,
        postgresql_where=UNNOTIFIED,
    )
    op.create_index(
        "ix_tasks_overdue_unalerted",
        "tasks",
        ["due_on"],
        sqlite_where=UNALERTED,
        postgresql_where=UNALERTED,
    )


def downgrade():
    op.drop_index("ix_tasks_overdue_unalerted", table_name="tasks")
    op.drop_index("ix_tasks_urgent_unnotified", table_name="tasks")
