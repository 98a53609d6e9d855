"""organisations: city bureau, district bureau, office; the office's facts; samples; evaluations

Revision ID: 0022
Revises: 0021

Units belong to an office and people to an organisation. An existing deployment becomes one
office of one district of one city (seeded here, renamed through the API): every unit joins
the office, its workers and supervisors too, and its admins the city, so that they keep
reaching everything. A unit's name is unique within its office, no longer across the city.
Reception days and meetings name the office they were held by.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# The tree an existing deployment starts from: fixed ids so a downgrade finds them.
CITY_ID = uuid.UUID("00000000-0000-4000-8000-00000000c171")
DISTRICT_ID = uuid.UUID("00000000-0000-4000-8000-0000000d1577")
OFFICE_ID = uuid.UUID("00000000-0000-4000-8000-00000000f1ce")


def upgrade():
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisations.id"],
            name=op.f("fk_organisations_parent_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("parent_id", "name", name="uq_organisations_parent_name"),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_parent_id"), ["parent_id"], unique=False)

    now = datetime.now(UTC)
    op.bulk_insert(
        organisations,
        [
            {
                "id": CITY_ID,
                "kind": "city",
                "name": "市民政局",
                "parent_id": None,
                "address": "",
                "phone": "",
                "created_at": now,
            },
            {
                "id": DISTRICT_ID,
                "kind": "district",
                "name": "区民政局",
                "parent_id": CITY_ID,
                "address": "",
                "phone": "",
                "created_at": now,
            },
            {
                "id": OFFICE_ID,
                "kind": "office",
                "name": "本工作室",
                "parent_id": DISTRICT_ID,
                "address": "",
                "phone": "",
                "created_at": now,
            },
        ],
        multiinsert=False,
    )

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_evaluations_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["organisations.id"], name=op.f("fk_evaluations_office_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("office_id", "year", name="uq_evaluations_office_year"),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluations_office_id"), ["office_id"], unique=False)

    op.create_table(
        "office_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=80), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["organisations.id"],
            name=op.f("fk_office_documents_office_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_office_documents_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_documents")),
    )
    with op.batch_alter_table("office_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_office_documents_office_id_kind_year", ["office_id", "kind", "year"], unique=False
        )

    op.create_table(
        "office_staff",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.String(length=12), nullable=False),
        sa.Column("qualification", sa.String(length=200), nullable=False),
        sa.Column("certificate_no", sa.String(length=80), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("introduction", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["organisations.id"],
            name=op.f("fk_office_staff_office_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_office_staff_updated_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_office_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_staff")),
    )
    with op.batch_alter_table("office_staff", schema=None) as batch_op:
        batch_op.create_index(
            "ix_office_staff_office_id_started_on", ["office_id", "started_on"], unique=False
        )

    op.create_table(
        "samples",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("drawn_by", sa.Uuid(), nullable=False),
        sa.Column("drawn_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["drawn_by"], ["users.id"], name=op.f("fk_samples_drawn_by_users")),
        sa.ForeignKeyConstraint(
            ["office_id"], ["organisations.id"], name=op.f("fk_samples_office_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_samples")),
    )
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.create_index(
            "ix_samples_office_id_drawn_at", ["office_id", "drawn_at"], unique=False
        )

    op.create_table(
        "evaluation_evidence",
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("attached_by", sa.Uuid(), nullable=False),
        sa.Column("attached_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attached_by"], ["users.id"], name=op.f("fk_evaluation_evidence_attached_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_documents.id"],
            name=op.f("fk_evaluation_evidence_document_id_office_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_evidence_evaluation_id_evaluations"),
        ),
        sa.PrimaryKeyConstraint(
            "evaluation_id", "item", "document_id", name=op.f("pk_evaluation_evidence")
        ),
    )
    op.create_table(
        "evaluation_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("column", sa.String(length=12), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("computed", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Uuid(), nullable=False),
        sa.Column("entered_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_evaluation_scores_entered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_scores_evaluation_id_evaluations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_scores")),
        sa.UniqueConstraint("evaluation_id", "item", "column", name="uq_evaluation_scores_cell"),
    )
    with op.batch_alter_table("evaluation_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_scores_evaluation_id"), ["evaluation_id"], unique=False
        )

    op.create_table(
        "evaluation_submissions",
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("column", sa.String(length=12), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_submissions_evaluation_id_evaluations"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["users.id"],
            name=op.f("fk_evaluation_submissions_submitted_by_users"),
        ),
        sa.PrimaryKeyConstraint("evaluation_id", "column", name=op.f("pk_evaluation_submissions")),
    )
    op.create_table(
        "sample_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sample_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.Uuid(), nullable=True),
        sa.Column("checked_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["checked_by"], ["users.id"], name=op.f("fk_sample_items_checked_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_sample_items_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["sample_id"], ["samples.id"], name=op.f("fk_sample_items_sample_id_samples")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_sample_items_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_items")),
        sa.UniqueConstraint("sample_id", "position", name="uq_sample_items_position"),
    )
    with op.batch_alter_table("sample_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sample_items_sample_id"), ["sample_id"], unique=False)

    with op.batch_alter_table("reception_days", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Uuid(), nullable=True))
    op.execute(
        sa.text("UPDATE reception_days SET office_id = :office").bindparams(office=OFFICE_ID)
    )
    with op.batch_alter_table("reception_days", schema=None) as batch_op:
        batch_op.alter_column("office_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_reception_days_office_id"), ["office_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reception_days_office_id_organisations"),
            "organisations",
            ["office_id"],
            ["id"],
        )

    with op.batch_alter_table("supervision_meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Uuid(), nullable=True))
    op.execute(
        sa.text("UPDATE supervision_meetings SET office_id = :office").bindparams(office=OFFICE_ID)
    )
    with op.batch_alter_table("supervision_meetings", schema=None) as batch_op:
        batch_op.alter_column("office_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_supervision_meetings_office_id"), ["office_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_supervision_meetings_office_id_organisations"),
            "organisations",
            ["office_id"],
            ["id"],
        )

    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Uuid(), nullable=True))
    op.execute(sa.text("UPDATE units SET office_id = :office").bindparams(office=OFFICE_ID))
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.alter_column("office_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_constraint(batch_op.f("uq_units_name"), type_="unique")
        batch_op.create_index(batch_op.f("ix_units_office_id"), ["office_id"], unique=False)
        batch_op.create_unique_constraint("uq_units_office_id_name", ["office_id", "name"])
        batch_op.create_foreign_key(
            batch_op.f("fk_units_office_id_organisations"), "organisations", ["office_id"], ["id"]
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Uuid(), nullable=True))
    op.execute(
        sa.text("UPDATE users SET organisation_id = :city WHERE role = 'admin'").bindparams(
            city=CITY_ID
        )
    )
    op.execute(
        sa.text("UPDATE users SET organisation_id = :office WHERE role <> 'admin'").bindparams(
            office=OFFICE_ID
        )
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_users_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_users_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_users_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_users_organisation_id"))
        batch_op.drop_column("organisation_id")

    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_units_office_id_organisations"), type_="foreignkey")
        batch_op.drop_constraint("uq_units_office_id_name", type_="unique")
        batch_op.drop_index(batch_op.f("ix_units_office_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_units_name"), ["name"])
        batch_op.drop_column("office_id")

    with op.batch_alter_table("supervision_meetings", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_supervision_meetings_office_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_supervision_meetings_office_id"))
        batch_op.drop_column("office_id")

    with op.batch_alter_table("reception_days", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reception_days_office_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_reception_days_office_id"))
        batch_op.drop_column("office_id")

    with op.batch_alter_table("sample_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sample_items_sample_id"))

    op.drop_table("sample_items")
    op.drop_table("evaluation_submissions")
    with op.batch_alter_table("evaluation_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_scores_evaluation_id"))

    op.drop_table("evaluation_scores")
    op.drop_table("evaluation_evidence")
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.drop_index("ix_samples_office_id_drawn_at")

    op.drop_table("samples")
    with op.batch_alter_table("office_staff", schema=None) as batch_op:
        batch_op.drop_index("ix_office_staff_office_id_started_on")

    op.drop_table("office_staff")
    with op.batch_alter_table("office_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_office_documents_office_id_kind_year")

    op.drop_table("office_documents")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluations_office_id"))

    op.drop_table("evaluations")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_parent_id"))

    op.drop_table("organisations")
