"""What a seminar publishes, as data: staff's text of the report, the publisher's identity,
the photos of the room, and whether the participants' results page is open.

Every row belongs to one seminar and goes with it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, utcnow


class ReportText(Base):
    """A text of the report rewritten by staff: ``essential`` (the "L'essentiel" page) or
    ``intro.<chapter id>`` (a chapter's introduction). No row: the generated text is used."""

    __tablename__ = "report_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("seminar_id", "key"),)


class Publication(Base):
    """Per seminar: the colophon, the two logos (re-encoded PNG or JPEG), and whether the
    participants' results page may be shown once the seminar is over."""

    __tablename__ = "publications"

    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), primary_key=True)
    results_open: Mapped[bool] = mapped_column(default=True)
    colophon: Mapped[str] = mapped_column(Text, default="")
    territory_logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    territory_logo_type: Mapped[str] = mapped_column(String(32), default="")
    agency_logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    agency_logo_type: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Photo(Base):
    """A photo from the room (poster, paper cards…): re-encoded without metadata, size-limited."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    caption: Mapped[str] = mapped_column(String(300), default="")
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
