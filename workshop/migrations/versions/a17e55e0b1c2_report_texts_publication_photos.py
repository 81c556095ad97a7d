"""report texts edited by staff, publisher identity and results page, photos from the room (issue 17)

Revision ID: a17e55e0b1c2
Revises: e4a7c2b9d1f3
Create Date: 2026-12-02 03:25:00
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = 'a17e55e0b1c2'
down_revision: str | None = 'e4a7c2b9d1f3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'report_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seminar_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['seminar_id'], ['seminars.id'], name=op.f('fk_report_texts_seminar_id_seminars'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_texts')),
        sa.UniqueConstraint('seminar_id', 'key', name=op.f('uq_report_texts_seminar_id_key')),
    )
    op.create_index(op.f('ix_report_texts_seminar_id'), 'report_texts', ['seminar_id'])
    op.create_table(
        'publications',
        sa.Column('seminar_id', sa.Integer(), nullable=False),
        sa.Column('results_open', sa.Boolean(), nullable=False),
        sa.Column('colophon', sa.Text(), nullable=False),
        sa.Column('territory_logo', sa.LargeBinary(), nullable=True),
        sa.Column('territory_logo_type', sa.String(length=32), nullable=False),
        sa.Column('agency_logo', sa.LargeBinary(), nullable=True),
        sa.Column('agency_logo_type', sa.String(length=32), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['seminar_id'], ['seminars.id'], name=op.f('fk_publications_seminar_id_seminars'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('seminar_id', name=op.f('pk_publications')),
    )
    op.create_table(
        'photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seminar_id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=True),
        sa.Column('caption', sa.String(length=300), nullable=False),
        sa.Column('media_type', sa.String(length=32), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_photos_activity_id_activities'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['seminar_id'], ['seminars.id'], name=op.f('fk_photos_seminar_id_seminars'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    )
    op.create_index(op.f('ix_photos_seminar_id'), 'photos', ['seminar_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_photos_seminar_id'), table_name='photos')
    op.drop_table('photos')
    op.drop_table('publications')
    op.drop_index(op.f('ix_report_texts_seminar_id'), table_name='report_texts')
    op.drop_table('report_texts')
