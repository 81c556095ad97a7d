"""The facilitator's work on the wall: undoable moderation steps, dismissed duplicate
suggestions and accepted theme groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base, _enum, utcnow
from workshop.models.enums import CardKind


class ModerationStep(Base):
    """One facilitator moderation action, with what it changed, so it can be shown and undone."""

    __tablename__ = "moderation_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    card_ids: Mapped[list[Any]] = mapped_column(default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]


class DismissedDuplicate(Base):
    """Two cards the facilitator said are not duplicates: never suggested together again."""

    __tablename__ = "dismissed_duplicates"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    card_a_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    card_b_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("card_a_id", "card_b_id"),
        CheckConstraint("card_a_id < card_b_id", name="ordered_pair"),
    )


class CardCluster(Base):
    """A theme group of the wall, accepted by the facilitator: a label and the cards under it.

    One grouping per card kind (the threats' groups, the stakes' groups…); a card is in at
    most one group. Cards written since, or moved out, are "not grouped".
    """

    __tablename__ = "card_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CardKind] = mapped_column(_enum(CardKind))
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[CardClusterMember]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan", order_by="CardClusterMember.id")


class CardClusterMember(Base):
    __tablename__ = "card_cluster_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("card_clusters.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), unique=True)

    cluster: Mapped[CardCluster] = relationship(back_populates="members")
