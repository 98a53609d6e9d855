"""coverage state: when the recent pass last looked for new visits

Revision ID: 0017
Revises: 0016

The recent pass (server/coverage/recent.py) judges, every few seconds, the residents whose
visits arrived since it last looked; this is its watermark. Empty until its first run, which
then starts from the last refresh.
"""

import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recent_at", UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("coverage_state", schema=None) as batch_op:
        batch_op.drop_column("recent_at")
