"""What is built from the cards: typed links between them and dated trajectories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base, _enum, utcnow
from workshop.models.enums import LinkStatus, Relation


class Link(Base):
    """A typed, directed link between two cards (a threat weighs on a stake…)."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    relation: Mapped[Relation] = mapped_column(_enum(Relation))
    weight: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[LinkStatus] = mapped_column(_enum(LinkStatus), default=LinkStatus.ACCEPTED)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "relation"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("weight IS NULL OR (weight >= 1 AND weight <= 3)", name="weight"),
    )


class Trajectory(Base):
    """A dated path from today to the horizon for one stake or challenge."""

    __tablename__ = "trajectories"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    target_card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    steps: Mapped[list[TrajectoryStep]] = relationship(
        back_populates="trajectory", cascade="all, delete-orphan",
        order_by="(TrajectoryStep.year, TrajectoryStep.id)",
    )


class TrajectoryStep(Base):
    __tablename__ = "trajectory_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectories.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    card_ids: Mapped[list[Any]] = mapped_column(default=list)

    trajectory: Mapped[Trajectory] = relationship(back_populates="steps")
