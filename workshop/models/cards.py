"""Cards (every kind in one table) and the votes on them: dots, 1-5 ratings, robustness."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base, _enum, utcnow
from workshop.models.enums import CardKind, Verdict
from workshop.models.seminar import Participant, Theme


class Card(Base):
    """Anything written on a card: a stake, a threat, a resource, a vision article…"""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    kind: Mapped[CardKind] = mapped_column(_enum(CardKind))
    text: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    hidden: Mapped[bool] = mapped_column(default=False)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(120), default="")
    # Client-chosen id of the request that created the card: a retried send finds it again.
    request_id: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    theme: Mapped[Theme | None] = relationship()
    author: Mapped[Participant | None] = relationship()

    __table_args__ = (UniqueConstraint("author_id", "request_id"),)

    @property
    def visible(self) -> bool:
        """Shown on the wall: not hidden by the facilitator, not withdrawn, not merged away."""
        return not (self.hidden or self.withdrawn or self.merged_into_id is not None)


class DotVote(Base):
    """The dots one participant put on one card in one vote: an absolute count.

    Votes are sent as "this card now has N of my dots", which makes a retried request
    harmless: sending it twice leaves the same state.
    """

    __tablename__ = "dot_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    dots: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", "card_id"),
        CheckConstraint("dots > 0", name="dots"),
    )


class Rating(Base):
    """A 1-5 rating of a card on a named criterion (likelihood, impact…)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", "card_id", "criterion"),
        CheckConstraint("value >= 1 AND value <= 5", name="value"),
    )


class RobustnessRating(Base):
    """Does a current action hold, bend or break when confronted with a challenge, and why."""

    __tablename__ = "robustness_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("activity_id", "participant_id", "challenge_id", "action_id"),)


Index("ix_cards_seminar_kind", Card.seminar_id, Card.kind)
