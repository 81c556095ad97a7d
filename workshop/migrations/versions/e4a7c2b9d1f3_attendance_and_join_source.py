"""expected attendance and head-count cap of a seminar, where each participant joined from (issue 12)

Revision ID: e4a7c2b9d1f3
Revises: e3a1f9c4d2b7
Create Date: 2026-12-02 03:40:00
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = 'e4a7c2b9d1f3'
down_revision: str | None = 'e3a1f9c4d2b7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('seminars') as batch:
        batch.add_column(sa.Column('expected_attendance', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('max_participants', sa.Integer(), nullable=True))
    with op.batch_alter_table('participants') as batch:
        batch.add_column(sa.Column('join_source', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('join_source')
    with op.batch_alter_table('seminars') as batch:
        batch.drop_column('max_participants')
        batch.drop_column('expected_attendance')
