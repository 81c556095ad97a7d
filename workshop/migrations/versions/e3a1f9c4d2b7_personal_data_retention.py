"""personal data: a retention period per seminar, participants' anonymisation date (issue 15)

Revision ID: e3a1f9c4d2b7
Revises: d26cf6711e98
Create Date: 2026-12-02 03:20:00
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = 'e3a1f9c4d2b7'
down_revision: str | None = 'd26cf6711e98'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('seminars', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='12', nullable=False))
        batch_op.create_check_constraint('retention_months', 'retention_months >= 0 AND retention_months <= 120')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('seminars', schema=None) as batch_op:
        batch_op.drop_constraint('retention_months', type_='check')
        batch_op.drop_column('retention_months')
