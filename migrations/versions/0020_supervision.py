"""supervision: reviews of records, meetings, activities, reception days, settings, rules

Revision ID: 0020
Revises: 0019

Supervisors review visits and case records, and a worker answers a returned one from the phone
(review_replies, ids made on the phone). Supervision meetings with their participants and the
residents or cases discussed; a meeting's decision may raise a task (tasks.meeting_id). Group
activities with their attendance and photos (ids made on the phone), reception days with the
people received, the office's settings (targets), and coverage rules of a visit every N days
(coverage_policies.every_days). The built-in activity types are seeded here
(docs/reviews.md, docs/meetings.md, docs/office-rules.md, docs/activities.md).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

BUILTIN_TYPES = (
    ("birthday", "Birthday party", "生日会"),
    ("festival", "Festival activity", "节日活动"),
    ("health_talk", "Health talk", "健康讲座"),
    ("tai_chi", "Tai Chi", "太极拳"),
    ("music", "Music", "音乐活动"),
    ("outing", "Outing", "外出活动"),
)

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    types = op.create_table(
        "activity_types",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.Column("name_zh", sa.String(length=80), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_activity_types")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        types,
        [
            {
                "code": code,
                "name_en": en,
                "name_zh": zh,
                "builtin": True,
                "active": True,
                "updated_at": now,
            }
            for code, en, zh in BUILTIN_TYPES
        ],
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("organisers", sa.JSON(), nullable=False),
        sa.Column("volunteers", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_activities_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["type_code"],
            ["activity_types.code"],
            name=op.f("fk_activities_type_code_activity_types"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_activities_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_activities_held_on"), ["held_on"], unique=False)
        batch_op.create_index("ix_activities_unit_id_held_on", ["unit_id", "held_on"], unique=False)

    op.create_table(
        "reception_days",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("staff", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_reception_days_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_reception_days_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_days")),
    )
    with op.batch_alter_table("reception_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reception_days_held_on"), ["held_on"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_settings_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "supervision_meetings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_supervision_meetings_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["users.id"],
            name=op.f("fk_supervision_meetings_supervisor_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_supervision_meetings_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_meetings")),
    )
    with op.batch_alter_table("supervision_meetings", schema=None) as batch_op:
        batch_op.create_index("ix_supervision_meetings_held_on", ["held_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_supervision_meetings_supervisor_id"), ["supervisor_id"], unique=False
        )

    op.create_table(
        "activity_attendance",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("identified_by", sa.String(length=10), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_attendance_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_activity_attendance_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("activity_id", "resident_id", name=op.f("pk_activity_attendance")),
    )
    with op.batch_alter_table("activity_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_attendance_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "activity_photos",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("content_type", sa.String(length=30), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("taken_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_photos_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_activity_photos_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_photos")),
    )
    with op.batch_alter_table("activity_photos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_photos_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "meeting_participants",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["supervision_meetings.id"],
            name=op.f("fk_meeting_participants_meeting_id_supervision_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_meeting_participants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("meeting_id", "user_id", name=op.f("pk_meeting_participants")),
    )
    with op.batch_alter_table("meeting_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_participants_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "receptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day_id", sa.Uuid(), nullable=False),
        sa.Column("visitor_kind", sa.String(length=10), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("visitor_name", sa.String(length=120), nullable=False),
        sa.Column("relation", sa.String(length=60), nullable=False),
        sa.Column("contact", sa.String(length=120), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("referred_to", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_receptions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["day_id"], ["reception_days.id"], name=op.f("fk_receptions_day_id_reception_days")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_receptions_resident_id_residents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receptions")),
    )
    with op.batch_alter_table("receptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receptions_day_id"), ["day_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_receptions_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "record_reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_kind", sa.String(length=12), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("record_received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_record_reviews_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_record_reviews_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_record_reviews_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_record_reviews_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_reviews")),
    )
    with op.batch_alter_table("record_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_reviews_change_seq"), ["change_seq"], unique=False
        )
        batch_op.create_index(
            "ix_record_reviews_record", ["record_kind", "record_id"], unique=False
        )
        batch_op.create_index(
            "ix_record_reviews_unit_id_reviewed_at", ["unit_id", "reviewed_at"], unique=False
        )
        batch_op.create_index(
            "ix_record_reviews_worker_id_decision", ["worker_id", "decision"], unique=False
        )

    op.create_table(
        "meeting_discussions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_meeting_discussions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["supervision_meetings.id"],
            name=op.f("fk_meeting_discussions_meeting_id_supervision_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_meeting_discussions_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_discussions")),
    )
    with op.batch_alter_table("meeting_discussions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_discussions_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_discussions_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "review_replies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("amendment_id", sa.Uuid(), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_review_replies_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["record_reviews.id"],
            name=op.f("fk_review_replies_review_id_record_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_replies")),
    )
    with op.batch_alter_table("review_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_replies_review_id"), ["review_id"], unique=False
        )

    # Plain ADD COLUMNs on both databases, without references (SQLite would rebuild the
    # tables, which the task events' references refuse with rows in them).
    op.add_column("coverage_policies", sa.Column("every_days", sa.Integer(), nullable=True))
    op.add_column("tasks", sa.Column("meeting_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_tasks_meeting_id"), "tasks", ["meeting_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_tasks_meeting_id"), table_name="tasks")
    # SQLite drops a column in place since 3.35 (no index or reference names it any more).
    op.execute("ALTER TABLE tasks DROP COLUMN meeting_id")
    op.execute("ALTER TABLE coverage_policies DROP COLUMN every_days")

    with op.batch_alter_table("review_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_replies_review_id"))

    op.drop_table("review_replies")
    with op.batch_alter_table("meeting_discussions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_discussions_resident_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_discussions_meeting_id"))

    op.drop_table("meeting_discussions")
    with op.batch_alter_table("record_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_record_reviews_worker_id_decision")
        batch_op.drop_index("ix_record_reviews_unit_id_reviewed_at")
        batch_op.drop_index("ix_record_reviews_record")
        batch_op.drop_index(batch_op.f("ix_record_reviews_change_seq"))

    op.drop_table("record_reviews")
    with op.batch_alter_table("receptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receptions_resident_id"))
        batch_op.drop_index(batch_op.f("ix_receptions_day_id"))

    op.drop_table("receptions")
    with op.batch_alter_table("meeting_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_participants_user_id"))

    op.drop_table("meeting_participants")
    with op.batch_alter_table("activity_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_photos_activity_id"))

    op.drop_table("activity_photos")
    with op.batch_alter_table("activity_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_attendance_resident_id"))

    op.drop_table("activity_attendance")
    with op.batch_alter_table("supervision_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_meetings_supervisor_id"))
        batch_op.drop_index("ix_supervision_meetings_held_on")

    op.drop_table("supervision_meetings")
    op.drop_table("settings")
    with op.batch_alter_table("reception_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reception_days_held_on"))

    op.drop_table("reception_days")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_unit_id_held_on")
        batch_op.drop_index(batch_op.f("ix_activities_held_on"))
        batch_op.drop_index(batch_op.f("ix_activities_change_seq"))

    op.drop_table("activities")
    op.drop_table("activity_types")
