"""The seminar as data: typed SQLAlchemy 2 models.

One ``Seminar`` owns everything else; deleting it deletes its whole record. Cards of every
kind (stakes, threats, resources…) share one table because moderation, votes, links and
exports treat them alike; ``kind`` says what a card is.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    MetaData,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    # Named constraints, so SQLite batch migrations can recreate tables without losing them.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings (portable, readable in exports); validated on the Python side.
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e],
                validate_strings=True)


class CardKind(str, enum.Enum):
    STAKE = "stake"
    THREAT = "threat"
    RESOURCE = "resource"
    CHALLENGE = "challenge"
    CURRENT_ACTION = "current_action"
    ACTION_LEAD = "action_lead"
    VISION_ARTICLE = "vision_article"
    TREND = "trend"
    WORD = "word"


class College(str, enum.Enum):
    ELECTED = "elected"
    STAFF = "staff"
    BUSINESS = "business"
    ASSOCIATION = "association"
    RESIDENT = "resident"
    EXPERT = "expert"
    OTHER = "other"


class ActivityMode(str, enum.Enum):
    PLENARY = "plenary"
    GROUPS = "groups"


class ActivityState(str, enum.Enum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class Interaction(str, enum.Enum):
    """What a participant's tablet does during an activity (the app's fixed capabilities)."""

    PLENARY = "plenary"          # listen and read the wall
    CONTRIBUTE = "contribute"    # write cards of the activity's kinds
    WORD = "word"                # one word each, for a word cloud
    DOT_VOTE = "dot_vote"        # spend a budget of dots on cards
    RATE = "rate"                # 1-5 on named criteria
    ROBUSTNESS = "robustness"    # challenge x current action: holds, bends, breaks
    LINK = "link"                # propose typed links between cards
    TRAJECTORY = "trajectory"    # build dated steps to the horizon


class Verdict(str, enum.Enum):
    HOLDS = "holds"
    BENDS = "bends"
    BREAKS = "breaks"


class Relation(str, enum.Enum):
    WEIGHS_ON = "weighs_on"
    SUPPORTS = "supports"
    COUNTERS = "counters"
    INFLUENCES = "influences"
    LEADS_TO = "leads_to"


class LinkStatus(str, enum.Enum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Seminar(Base):
    __tablename__ = "seminars"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    territory: Mapped[str] = mapped_column(String(200))
    horizon_year: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    facilitator_secret_hash: Mapped[str] = mapped_column(String(255))
    joining_open: Mapped[bool] = mapped_column(default=True)
    kit_name: Mapped[str] = mapped_column(String(100))
    run_sheet_name: Mapped[str] = mapped_column(String(100))
    lessons_learned: Mapped[str] = mapped_column(Text, default="")
    # How many people the facilitator expects (the console shows the head count against it), and
    # the most that may join (None: no cap); see services.participants.set_attendance.
    expected_attendance: Mapped[int | None] = mapped_column(Integer)
    max_participants: Mapped[int | None] = mapped_column(Integer)
    # What the facilitator puts on the projector (see services.screen.ScreenState).
    screen: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Months after the seminar's end before participants' names are replaced by "Participant
    # n° N" (services.personal_data.apply_retention).
    retention_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    days: Mapped[list[SeminarDay]] = relationship(
        back_populates="seminar", cascade="all, delete-orphan", order_by="SeminarDay.number"
    )
    groups: Mapped[list[Group]] = relationship(
        back_populates="seminar", cascade="all, delete-orphan", order_by="Group.position"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="seminar", cascade="all, delete-orphan", order_by="Participant.id"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="seminar", cascade="all, delete-orphan", order_by="Activity.position"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="seminar", cascade="all, delete-orphan", order_by="Theme.position"
    )

    __table_args__ = (
        CheckConstraint("horizon_year >= 2000 AND horizon_year <= 2200", name="horizon"),
        CheckConstraint("retention_months >= 0 AND retention_months <= 120", name="retention_months"),
    )


class SeminarDay(Base):
    __tablename__ = "seminar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date | None]

    seminar: Mapped[Seminar] = relationship(back_populates="days")
    __table_args__ = (UniqueConstraint("seminar_id", "number"),)


class Theme(Base):
    """A theme of the seminar (copied from the kit so a seminar can adapt its own)."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    color: Mapped[str] = mapped_column(String(16), default="#607d8b")
    position: Mapped[int] = mapped_column(Integer, default=0)

    seminar: Mapped[Seminar] = relationship(back_populates="themes")
    __table_args__ = (UniqueConstraint("seminar_id", "key"),)


class Group(Base):
    """A table of 6-8 people working together in sub-group activities."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)

    seminar: Mapped[Seminar] = relationship(back_populates="groups")
    __table_args__ = (UniqueConstraint("seminar_id", "name"),)


class Participant(Base):
    """Someone in the room with a tablet; no account, identified by a device token."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(80))
    college: Mapped[College] = mapped_column(_enum(College))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    device_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Bumped by every vote-like write: the row lock that serialises one person's votes.
    write_seq: Mapped[int] = mapped_column(Integer, default=0)
    # A keyed hash of the address the device joined from (never the address itself): joins in a
    # burst from one address are flagged in the console (services.participants.join_bursts).
    join_source: Mapped[str | None] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the name was replaced by "Participant n° N" and the device token dropped (erasure
    # on request or end of the retention period); None while the name is kept.
    anonymised_at: Mapped[datetime | None]

    seminar: Mapped[Seminar] = relationship(back_populates="participants")
    group: Mapped[Group | None] = relationship()


# What the projector may show by default while an activity is open (a run sheet's ``screen``):
# the views of ``services.screen.VIEWS`` that need nothing more ("card" needs a card, "activity"
# is what follows this default), and "instructions", the participants' instructions in large type.
ACTIVITY_SCREENS: tuple[str, ...] = ("wall", "clusters", "results", "graph", "trajectories", "wordcloud", "join",
                                     "synthesis", "instructions")


class Activity(Base):
    """One step of the run sheet as it is played."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer, default=1)
    exercise_type: Mapped[str] = mapped_column(String(60))
    interaction: Mapped[Interaction] = mapped_column(_enum(Interaction))
    title: Mapped[str] = mapped_column(String(200))
    participant_instructions: Mapped[str] = mapped_column(Text, default="")
    facilitator_instructions: Mapped[str] = mapped_column(Text, default="")
    planned_minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[ActivityMode] = mapped_column(_enum(ActivityMode))
    card_kinds: Mapped[list[Any]] = mapped_column(default=list)
    vote_budget: Mapped[int | None] = mapped_column(Integer)
    vote_max_per_card: Mapped[int | None] = mapped_column(Integer)
    criteria: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[ActivityState] = mapped_column(_enum(ActivityState), default=ActivityState.PENDING)
    contributions_open: Mapped[bool] = mapped_column(default=True)
    votes_open: Mapped[bool] = mapped_column(default=True)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    extended_minutes: Mapped[int] = mapped_column(Integer, default=0)
    facilitator_notes: Mapped[str] = mapped_column(Text, default="")
    # What the projector shows while it is open and the facilitator has not chosen another
    # view (one of ACTIVITY_SCREENS), or None: what its interaction calls for.
    screen: Mapped[str | None] = mapped_column(String(20))

    seminar: Mapped[Seminar] = relationship(back_populates="activities")
    __table_args__ = (
        UniqueConstraint("seminar_id", "position"),
        CheckConstraint("planned_minutes > 0", name="planned_minutes"),
    )


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


class LiveEventPayload(Base):
    """A live event too large for a PostgreSQL notification (8,000 bytes), in workers mode.

    The notification then carries this row's id and the other processes read the event
    here (``workshop/events_postgres.py``); rows older than a few minutes are deleted.
    """

    __tablename__ = "live_event_payloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


Index("ix_cards_seminar_kind", Card.seminar_id, Card.kind)


# Staff accounts, assignments and sessions (their own module, same metadata).
from workshop.staff_models import StaffAccount, StaffAssignment, StaffRole, StaffSession  # noqa: E402,F401

# What a seminar publishes (report texts, identity, photos, results page): its own module.
from workshop.publication_models import Photo, Publication, ReportText  # noqa: E402,F401
