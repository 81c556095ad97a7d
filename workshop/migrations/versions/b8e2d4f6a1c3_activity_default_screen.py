"""what the projector shows by default while an activity is open (a run sheet's ``screen``)

Revision ID: b8e2d4f6a1c3
Revises: a17e55e0b1c2
Create Date: 2026-12-03 14:40:00
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = 'b8e2d4f6a1c3'
down_revision: str | None = 'a17e55e0b1c2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('activities') as batch:
        batch.add_column(sa.Column('screen', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('activities') as batch:
        batch.drop_column('screen')
