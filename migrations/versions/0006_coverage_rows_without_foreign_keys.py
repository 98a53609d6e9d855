"""no foreign keys on the coverage rows the refresh writes in bulk

Revision ID: 0006
Revises: 0005

coverage_results and the resident and unit of alerts are written by the coverage refresh,
up to a hundred thousand rows at a time, from residents it has just read; residents and
units are never deleted. PostgreSQL checks each foreign key with a trigger that locks the
referenced resident, which cost more than half of a full refresh (see docs/coverage.md).
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KEYS = {  # table: [(constraint, column, referred table)]
    "alerts": [
        ("fk_alerts_unit_id_units", "unit_id", "units"),
        ("fk_alerts_resident_id_residents", "resident_id", "residents"),
    ],
    "coverage_results": [
        ("fk_coverage_results_resident_id_residents", "resident_id", "residents"),
        ("fk_coverage_results_unit_id_units", "unit_id", "units"),
    ],
}


def upgrade():
    for table, keys in KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _, _ in keys:
                batch_op.drop_constraint(name, type_="foreignkey")


def downgrade():
    for table, keys in KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, referred in keys:
                batch_op.create_foreign_key(name, referred, [column], ["id"])
