"""follow-ups handled, and the partial index of flagged visits that lists follow-ups

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from server.models.types import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FLAGGED = ("obs_living = 'concern' OR obs_emotional = 'concern' OR obs_physical = 'concern' "
           "OR follow_up = {true}")


def upgrade():
    op.create_table('followups_handled',
    sa.Column('visit_id', sa.Uuid(), nullable=False),
    sa.Column('handled_by', sa.Uuid(), nullable=False),
    sa.Column('handled_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['handled_by'], ['users.id'], name=op.f('fk_followups_handled_handled_by_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_followups_handled_visit_id_visits')),
    sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_followups_handled'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_flagged_checked_in_at', ['checked_in_at', 'unit_id'],
                              unique=False,
                              postgresql_where=sa.text(FLAGGED.format(true='true')),
                              sqlite_where=sa.text(FLAGGED.format(true='1')))


def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_flagged_checked_in_at')
    op.drop_table('followups_handled')
