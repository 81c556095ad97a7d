"""dismissed duplicate suggestions and theme groups of the wall (issue 16)

Revision ID: 5b1d0c2e7a91
Revises: c79f13be0e15
Create Date: 2026-12-01 23:40:00
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '5b1d0c2e7a91'
down_revision: str | None = 'c79f13be0e15'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = sa.Enum('stake', 'threat', 'resource', 'challenge', 'current_action', 'action_lead', 'vision_article',
                'trend', 'word', name='cardkind', native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        'dismissed_duplicates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seminar_id', sa.Integer(), nullable=False),
        sa.Column('card_a_id', sa.Integer(), nullable=False),
        sa.Column('card_b_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('card_a_id < card_b_id', name=op.f('ck_dismissed_duplicates_ordered_pair')),
        sa.ForeignKeyConstraint(['card_a_id'], ['cards.id'], name=op.f('fk_dismissed_duplicates_card_a_id_cards'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['card_b_id'], ['cards.id'], name=op.f('fk_dismissed_duplicates_card_b_id_cards'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['seminar_id'], ['seminars.id'],
                                name=op.f('fk_dismissed_duplicates_seminar_id_seminars'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissed_duplicates')),
        sa.UniqueConstraint('card_a_id', 'card_b_id', name=op.f('uq_dismissed_duplicates_card_a_id_card_b_id')),
    )
    op.create_index(op.f('ix_dismissed_duplicates_seminar_id'), 'dismissed_duplicates', ['seminar_id'])
    op.create_table(
        'card_clusters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seminar_id', sa.Integer(), nullable=False),
        sa.Column('kind', KINDS, nullable=False),
        sa.Column('label', sa.String(length=80), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['seminar_id'], ['seminars.id'], name=op.f('fk_card_clusters_seminar_id_seminars'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_card_clusters')),
    )
    op.create_index(op.f('ix_card_clusters_seminar_id'), 'card_clusters', ['seminar_id'])
    op.create_table(
        'card_cluster_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_cluster_members_card_id_cards'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['cluster_id'], ['card_clusters.id'],
                                name=op.f('fk_card_cluster_members_cluster_id_card_clusters'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_card_cluster_members')),
        sa.UniqueConstraint('card_id', name=op.f('uq_card_cluster_members_card_id')),
    )
    op.create_index(op.f('ix_card_cluster_members_cluster_id'), 'card_cluster_members', ['cluster_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_card_cluster_members_cluster_id'), table_name='card_cluster_members')
    op.drop_table('card_cluster_members')
    op.drop_index(op.f('ix_card_clusters_seminar_id'), table_name='card_clusters')
    op.drop_table('card_clusters')
    op.drop_index(op.f('ix_dismissed_duplicates_seminar_id'), table_name='dismissed_duplicates')
    op.drop_table('dismissed_duplicates')
