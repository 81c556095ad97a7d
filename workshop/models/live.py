"""Live events' transport data (workers mode)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, utcnow


class LiveEventPayload(Base):
    """A live event too large for a PostgreSQL notification (8,000 bytes), in workers mode.

    The notification then carries this row's id and the other processes read the event
    here (``workshop/events_postgres.py``); rows older than a few minutes are deleted.
    """

    __tablename__ = "live_event_payloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
