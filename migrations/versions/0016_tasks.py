"""follow-up tasks: tasks, their append-only events, the rules that raise them, push endpoints

Revision ID: 0016
Revises: 0015

A finding of a round becomes a task with an owner, a due date and an outcome
(docs/tasks.md). The rules start as the defaults below, which an admin changes: a concern is
for the visiting worker within three days, an unsatisfied rating for the unit's supervisor
within two, a follow-up asked for within a week. A visit's finding raises one task at most
(unique visit_id, finding; hand-made tasks have no visit, and NULLs never collide).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# (finding, priority, due in days, assigned to)
DEFAULT_RULES = (
    ("living", "soon", 3, "visiting_worker"),
    ("emotional", "soon", 3, "visiting_worker"),
    ("physical", "soon", 3, "visiting_worker"),
    ("unsatisfied", "soon", 2, "unit_supervisor"),
    ("follow_up", "routine", 7, "visiting_worker"),
)


def upgrade():
    op.create_table(
        "push_subscriptions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_push_subscriptions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
    )
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_push_subscriptions_user_id"), ["user_id"], unique=False
        )

    rules = op.create_table(
        "task_rules",
        sa.Column("finding", sa.String(length=12), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("assign_to", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_task_rules_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("finding", name=op.f("pk_task_rules")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        rules,
        [
            {
                "finding": finding,
                "enabled": True,
                "priority": priority,
                "due_days": days,
                "assign_to": whose,
                "updated_at": now,
                "updated_by": None,
            }
            for finding, priority, days, whose in DEFAULT_RULES
        ],
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("finding", sa.String(length=12), nullable=True),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_visit_id", sa.Uuid(), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("overdue_alerted_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("urgent_notified_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_tasks_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=op.f("fk_tasks_closed_by_users")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_tasks_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_tasks_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_tasks_unit_id_units")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_tasks_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("visit_id", "finding", name="uq_tasks_visit_finding"),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_assignee_id_status_due_on", ["assignee_id", "status", "due_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tasks_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index(
            "ix_tasks_unit_id_status_due_on", ["unit_id", "status", "due_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tasks_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "task_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=14), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_task_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_events_task_id_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_events")),
    )
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_events_task_id"), ["task_id"], unique=False)


def downgrade():
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_events_task_id"))

    op.drop_table("task_events")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_visit_id"))
        batch_op.drop_index("ix_tasks_unit_id_status_due_on")
        batch_op.drop_index(batch_op.f("ix_tasks_resident_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_change_seq"))
        batch_op.drop_index("ix_tasks_assignee_id_status_due_on")

    op.drop_table("tasks")
    op.drop_table("task_rules")
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_subscriptions_user_id"))

    op.drop_table("push_subscriptions")
