"""per-day counts of kept visits that the satisfaction, activity and follow-up reports add up,
and the amended visits that flag a follow-up

Revision ID: 0005
Revises: 0004

The counts are kept up to date by the app (server/reports/day_counts.py); this migration counts
the visits already stored. Self-contained SQL, so later changes to the app's code do not
change what this revision does.
"""

import json

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COUNTS = (
    "visits",
    "qr",
    "burst",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
    "flagged",
    "flagged_handled",
)
TRUE = {"postgresql": "true", "sqlite": "1"}
BURST = {
    "postgresql": "CAST((presence ->> 'burst') AS BOOLEAN) = true",
    "sqlite": "CAST(JSON_EXTRACT(presence, '$.burst') AS BOOLEAN) = 1",
}
# Every kept visit, with its flags as recorded; amended visits' flags are added after.
BACKFILL = """
INSERT INTO visit_day_counts (unit_id, visit_date, worker_id, {counts})
SELECT v.unit_id, v.visit_date, v.worker_id, count(*),
       SUM(CASE WHEN v.identified_by = 'qr' THEN 1 ELSE 0 END),
       SUM(CASE WHEN {burst} THEN 1 ELSE 0 END),
       SUM(CASE WHEN v.satisfaction = 'satisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN v.satisfaction = 'basically_satisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN v.satisfaction = 'unsatisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.visit_id IS NULL AND ({flagged}) THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.visit_id IS NULL AND ({flagged}) AND h.visit_id IS NOT NULL
                THEN 1 ELSE 0 END)
FROM visits v
LEFT JOIN (SELECT DISTINCT visit_id FROM amendments) a ON a.visit_id = v.id
LEFT JOIN followups_handled h ON h.visit_id = v.id
WHERE v.voided_at IS NULL
GROUP BY v.unit_id, v.visit_date, v.worker_id
"""
FLAGGED = (
    "v.obs_living = 'concern' OR v.obs_emotional = 'concern' "
    "OR v.obs_physical = 'concern' OR v.follow_up = {true}"
)
AMENDED = """
SELECT v.id, v.unit_id, v.visit_date, v.worker_id, v.checked_in_at, v.obs_living, v.obs_emotional,
       v.obs_physical, v.follow_up, a.changes, h.visit_id IS NOT NULL AS handled
FROM visits v JOIN amendments a ON a.visit_id = v.id
LEFT JOIN followups_handled h ON h.visit_id = v.id
WHERE v.voided_at IS NULL
ORDER BY v.id, a.created_at
"""
# Partial indexes of migration 0004 that only the counting these rows replace read: dropped,
# so sync writes four index entries fewer a visit. Kept here to restore them on downgrade.
KEPT = "voided_at IS NULL"
DROPPED = [
    (
        "ix_visits_flagged_id",
        ["id"],
        {
            "postgresql": "voided_at IS NULL AND (obs_living = 'concern' OR obs_emotional = 'concern' "
            "OR obs_physical = 'concern' OR follow_up = true)",
            "sqlite": "voided_at IS NULL AND (obs_living = 'concern' OR obs_emotional = 'concern' "
            "OR obs_physical = 'concern' OR follow_up = 1)",
        },
    ),
    (
        "ix_visits_rated",
        ["unit_id", "worker_id", "visit_date", "satisfaction"],
        {
            "postgresql": "voided_at IS NULL AND satisfaction IS NOT NULL",
            "sqlite": "voided_at IS NULL AND satisfaction IS NOT NULL",
        },
    ),
    (
        "ix_visits_activity",
        ["unit_id", "visit_date", "worker_id", "identified_by"],
        {"postgresql": KEPT, "sqlite": KEPT},
    ),
    (
        "ix_visits_burst",
        ["unit_id", "visit_date", "worker_id"],
        {dialect: f"{KEPT} AND {burst}" for dialect, burst in BURST.items()},
    ),
]
LIST_FLAGGED = """
INSERT INTO flagged_amendments (visit_id, unit_id, visit_date, checked_in_at)
VALUES (:visit_id, :unit_id, :visit_date, :checked_in_at)
"""
ADD_FLAGGED = """
UPDATE visit_day_counts SET flagged = flagged + 1, flagged_handled = flagged_handled + :handled
WHERE unit_id = :unit_id AND visit_date = :visit_date AND worker_id = :worker_id
"""


def _count_amended(bind) -> None:
    """Amended visits flagged as they read now (amendments applied in order), a small set:
    counted, and listed in flagged_amendments."""
    visits: dict = {}
    for row in bind.execute(sa.text(AMENDED)):
        visit = visits.setdefault(
            row.id,
            {
                "key": {
                    "unit_id": row.unit_id,
                    "visit_date": row.visit_date,
                    "worker_id": row.worker_id,
                },
                "checked_in_at": row.checked_in_at,
                "observations": [row.obs_living, row.obs_emotional, row.obs_physical],
                "follow_up": bool(row.follow_up),
                "handled": bool(row.handled),
            },
        )
        changes = json.loads(row.changes) if isinstance(row.changes, str) else row.changes
        for index, name in enumerate(("living", "emotional", "physical")):
            value = (changes.get("observations") or {}).get(name)
            if value is not None:
                visit["observations"][index] = value
        if changes.get("follow_up") is not None:
            visit["follow_up"] = bool(changes["follow_up"])
    for visit_id, visit in visits.items():
        if "concern" in visit["observations"] or visit["follow_up"]:
            bind.execute(sa.text(ADD_FLAGGED), {**visit["key"], "handled": int(visit["handled"])})
            bind.execute(
                sa.text(LIST_FLAGGED),
                {
                    "visit_id": visit_id,
                    "unit_id": visit["key"]["unit_id"],
                    "visit_date": visit["key"]["visit_date"],
                    "checked_in_at": visit["checked_in_at"],
                },
            )


def upgrade():
    op.create_table(
        "visit_day_counts",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("qr", sa.Integer(), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=False),
        sa.Column("satisfied", sa.Integer(), nullable=False),
        sa.Column("basically_satisfied", sa.Integer(), nullable=False),
        sa.Column("unsatisfied", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("flagged_handled", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_visit_day_counts_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_visit_day_counts_worker_id_users")
        ),
        sa.PrimaryKeyConstraint(
            "unit_id", "visit_date", "worker_id", name=op.f("pk_visit_day_counts")
        ),
    )
    op.create_table(
        "flagged_amendments",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("checked_in_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_flagged_amendments_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_flagged_amendments")),
    )
    with op.batch_alter_table("flagged_amendments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_flagged_amendments_checked_in_at", ["checked_in_at", "visit_id"], unique=False
        )
    bind = op.get_bind()
    dialect = bind.dialect.name
    op.execute(
        BACKFILL.format(
            counts=", ".join(COUNTS),
            burst=BURST[dialect],
            flagged=FLAGGED.format(true=TRUE[dialect]),
        )
    )
    _count_amended(bind)
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for name, *_ in DROPPED:
            batch_op.drop_index(name)


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for name, columns, where in DROPPED:
            batch_op.create_index(
                name,
                columns,
                unique=False,
                postgresql_where=sa.text(where["postgresql"]),
                sqlite_where=sa.text(where["sqlite"]),
            )
    op.drop_table("flagged_amendments")
    op.drop_table("visit_day_counts")
