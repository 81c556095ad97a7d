"""The seminar and who and what it is made of: its days, themes, groups, participants and
the activities of its run sheet."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base, _enum, utcnow
from workshop.models.enums import ActivityMode, ActivityState, College, Interaction


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
