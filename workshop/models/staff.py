"""Staff accounts of the organisation that hosts the server, their rights and their sessions.

- ``StaffAccount``: one person (an e-mail address, a role, an Argon2 password hash).
- ``StaffAssignment``: a facilitator account may run this seminar.
- ``StaffSession``: a browser logged in with an account. Only a hash of the session token
  is stored; the row is the session, so every worker process sees a logout at once.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base, _enum, utcnow


class StaffRole(str, enum.Enum):
    ADMIN = "admin"               # creates seminars, manages accounts, may open every seminar
    FACILITATOR = "facilitator"   # runs the seminars assigned to them
    READER = "reader"             # reports and syntheses only


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignments: Mapped[list[StaffAssignment]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="StaffAssignment.seminar_id")


class StaffAssignment(Base):
    __tablename__ = "staff_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    seminar_id: Mapped[int] = mapped_column(ForeignKey("seminars.id", ondelete="CASCADE"), index=True)

    account: Mapped[StaffAccount] = relationship(back_populates="assignments")

    __table_args__ = (UniqueConstraint("account_id", "seminar_id"),)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
