"""Staff accounts: who may log in, with which rights, and for how long.

- Passwords are hashed with Argon2id (``argon2-cffi``'s defaults: 64 MiB of memory, 3
  passes), never stored or printed. There is no default password: every account gets the
  one its creator typed (``workshop users add``, or the accounts page of an administrator).
- A login creates a server-side session: the browser's storage keeps a random token, the
  database keeps its SHA-256 hash. A session ends after ``SESSION_IDLE`` without use, after
  ``SESSION_MAX`` whatever happens, and at logout; logging out "everywhere", disabling an
  account or changing its password deletes all of its sessions. Being rows of the database,
  sessions end at once in every worker process.
- Roles: an administrator creates seminars, manages accounts and may open every seminar; a
  facilitator runs (and reads the reports of) the seminars assigned to them; a reader reads
  every seminar's reports and syntheses and runs none.
- Wrong logins are throttled like facilitator codes: per browser address
  (``ratelimit.LOGIN_CLIENT``) and per account from anywhere (``ratelimit.LOGIN_SEMINAR``,
  keyed by the address typed). An unknown address costs the same hashing time as a known
  one and gets the same answer.

The UI decides through ``workshop.ui.access.is_facilitator`` (code granted, or ``may_run``
here) and ``may_read``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workshop import clock
from workshop.db import Database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import Seminar, StaffAccount, StaffAssignment, StaffRole, StaffSession
from workshop.services import ratelimit
from workshop.services._common import hash_token, new_token, whole_number

SESSION_IDLE = timedelta(hours=12)   # a session unused this long is over
SESSION_MAX = timedelta(days=7)      # and none lasts longer than this, used or not
TOUCH_EVERY = timedelta(minutes=5)   # last use is written at most this often (no write per click)
MIN_PASSWORD = 12
MAX_PASSWORD = 200
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

ROLES = tuple(role.value for role in StaffRole)


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id, RFC 9106 "low memory" profile (64 MiB, t=3, p=4)


@cache
def _dummy_hash() -> str:
    """Verified against when the address is unknown, so both answers take as long."""
    return _hasher().hash(new_token())


@dataclass(frozen=True)
class StaffIdentity:
    """Who a staff session belongs to, as read at the start of a request."""

    account_id: int
    email: str
    role: StaffRole
    seminar_ids: frozenset[int]  # assigned seminars (facilitators)

    def may_run(self, seminar_id: int) -> bool:
        return self.role is StaffRole.ADMIN or (self.role is StaffRole.FACILITATOR and seminar_id in self.seminar_ids)

    def may_read(self, seminar_id: int) -> bool:
        return self.role in (StaffRole.ADMIN, StaffRole.READER) or seminar_id in self.seminar_ids

    @property
    def is_admin(self) -> bool:
        return self.role is StaffRole.ADMIN


@dataclass(frozen=True)
class AccountInfo:
    id: int
    email: str
    role: StaffRole
    active: bool
    seminar_ids: tuple[int, ...]
    created_at: datetime


# --- checks on what people type ---------------------------------------------------------


def normalise_email(email: str | None) -> str:
    text = unicodedata.normalize("NFC", email if isinstance(email, str) else "").strip().lower()
    if len(text) > MAX_EMAIL or not _EMAIL.match(text):
        raise Invalid("email_invalid")
    return text


def _role(role: str | StaffRole) -> StaffRole:
    try:
        return StaffRole(role)
    except ValueError:
        raise Invalid("unknown_role", role=str(role)[:40], roles=", ".join(ROLES)) from None


def check_password(password: str | None) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Invalid("password_too_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise Invalid("password_too_long", max=MAX_PASSWORD)
    if password.strip() != password or not password.isprintable():
        raise Invalid("password_spaces")
    return password


def _info(account: StaffAccount) -> AccountInfo:
    return AccountInfo(account.id, account.email, account.role, account.active,
                       tuple(a.seminar_id for a in account.assignments), account.created_at)


def _account(session: Session, account_id: int) -> StaffAccount:
    account = session.get(StaffAccount, account_id) if whole_number(account_id) else None
    if account is None:
        raise NotFound("not_found", what="account")
    return account


def _other_active_admins(session: Session, account_id: int) -> int:
    return session.scalar(select(func.count()).select_from(StaffAccount).where(
        StaffAccount.role == StaffRole.ADMIN, StaffAccount.active.is_(True), StaffAccount.id != account_id)) or 0


def _keep_an_admin(session: Session, account: StaffAccount) -> None:
    """Refuse to take away the last active administrator (nobody could manage accounts)."""
    if account.role is StaffRole.ADMIN and account.active and not _other_active_admins(session, account.id):
        raise Invalid("last_admin")


# --- managing accounts (administrators, and the `workshop users` command) ------------------


def create_account(db: Database, email: str, role: str | StaffRole, password: str) -> AccountInfo:
    address, chosen = normalise_email(email), _role(role)
    hashed = _hasher().hash(check_password(password))  # ~0.3 s of CPU: outside the write transaction
    with db.write() as session:
        if session.scalar(select(StaffAccount.id).where(StaffAccount.email == address)) is not None:
            raise Invalid("email_taken", email=address)
        account = StaffAccount(email=address, role=chosen, password_hash=hashed, active=True)
        session.add(account)
        session.flush()
        return _info(account)


def list_accounts(db: Database) -> list[AccountInfo]:
    with db.read() as session:
        rows = session.scalars(select(StaffAccount).order_by(StaffAccount.email)).all()
        return [_info(a) for a in rows]


def account_by_email(db: Database, email: str) -> AccountInfo:
    address = normalise_email(email)
    with db.read() as session:
        account = session.scalar(select(StaffAccount).where(StaffAccount.email == address))
        if account is None:
            raise NotFound("account_unknown", email=address)
        return _info(account)


def has_admin(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(StaffAccount.id).where(
            StaffAccount.role == StaffRole.ADMIN, StaffAccount.active.is_(True)).limit(1)) is not None


def set_active(db: Database, account_id: int, active: bool) -> AccountInfo:
    """Disable (all its sessions end) or enable an account; the last administrator stays."""
    with db.write() as session:
        account = _account(session, account_id)
        if not active:
            _keep_an_admin(session, account)
            session.execute(delete(StaffSession).where(StaffSession.account_id == account.id))
        account.active = bool(active)
        return _info(account)


def set_role(db: Database, account_id: int, role: str | StaffRole) -> AccountInfo:
    chosen = _role(role)
    with db.write() as session:
        account = _account(session, account_id)
        if chosen is not StaffRole.ADMIN:
            _keep_an_admin(session, account)
        account.role = chosen
        if chosen is not StaffRole.FACILITATOR:
            account.assignments.clear()  # assignments mean "may run": only facilitators have them
        return _info(account)


def set_password(db: Database, account_id: int, password: str) -> AccountInfo:
    """A new password; every session of the account ends (log in again with it)."""
    hashed = _hasher().hash(check_password(password))
    with db.write() as session:
        account = _account(session, account_id)
        account.password_hash = hashed
        session.execute(delete(StaffSession).where(StaffSession.account_id == account.id))
        return _info(account)


def remove_account(db: Database, account_id: int) -> None:
    with db.write() as session:
        account = _account(session, account_id)
        _keep_an_admin(session, account)
        session.delete(account)  # assignments and sessions go with it (ON DELETE CASCADE)


def assign(db: Database, account_id: int, seminar_id: int) -> AccountInfo:
    """Let a facilitator account run this seminar (idempotent)."""
    with db.write() as session:
        account = _account(session, account_id)
        if account.role is not StaffRole.FACILITATOR:
            raise Invalid("assign_facilitators_only")
        if not whole_number(seminar_id) or session.get(Seminar, seminar_id) is None:
            raise NotFound("not_found", what="seminar")
        if seminar_id not in {a.seminar_id for a in account.assignments}:
            account.assignments.append(StaffAssignment(seminar_id=seminar_id))
        session.flush()
        return _info(account)


def unassign(db: Database, account_id: int, seminar_id: int) -> AccountInfo:
    with db.write() as session:
        account = _account(session, account_id)
        account.assignments[:] = [a for a in account.assignments if a.seminar_id != seminar_id]
        session.flush()
        return _info(account)


# --- logging in and out -------------------------------------------------------------------


def login(db: Database, email: str, password: str, *, client: str) -> str:
    """Check an address and password; return a new session token (to keep server-side).

    Raises ``Forbidden("bad_login")`` for an unknown address or a wrong password (the same
    answer, after the same hashing work), ``Forbidden("account_disabled")`` for the right
    password of a disabled account, ``Forbidden("too_many_attempts")`` when throttled.
    """
    try:
        address = normalise_email(email)
    except Invalid:
        address = ""
    given = password if isinstance(password, str) and len(password) <= MAX_PASSWORD else ""
    limits = ((ratelimit.LOGIN_CLIENT, client or "?"), (ratelimit.LOGIN_SEMINAR, f"staff:{address}"))
    wait = max(limiter.retry_after(key) for limiter, key in limits)
    if wait:
        raise ratelimit.too_many_attempts(wait)
    for limiter, key in limits:
        limiter.take(key)
    with db.read() as session:
        account = session.scalar(select(StaffAccount).where(StaffAccount.email == address)) if address else None
        stored = account.password_hash if account is not None else _dummy_hash()
    try:
        _hasher().verify(stored, given)
        matched = account is not None
    except (VerificationError, InvalidHashError):
        matched = False
    if not matched:
        raise Forbidden("bad_login")
    for limiter, key in limits:
        limiter.give_back(key)  # the right password costs nothing
    if not account.active:
        raise Forbidden("account_disabled")
    token = new_token()
    now = clock.now()
    rehash = _hasher().hash(given) if _hasher().check_needs_rehash(stored) else None
    with db.write() as session:
        session.execute(delete(StaffSession).where(  # sessions over by now, whoever they were
            (StaffSession.last_seen_at < now - SESSION_IDLE) | (StaffSession.created_at < now - SESSION_MAX)))
        session.add(StaffSession(token_hash=hash_token(token), account_id=account.id, created_at=now,
                                 last_seen_at=now))
        if rehash is not None:
            session.get(StaffAccount, account.id).password_hash = rehash
    return token


def identity(db: Database, token: str | None) -> StaffIdentity | None:
    """The account a session token stands for, or None (no session, expired, disabled)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = clock.now()
    with db.read() as session:
        row = session.execute(
            select(StaffSession, StaffAccount).join(StaffAccount, StaffSession.account_id == StaffAccount.id)
            .where(StaffSession.token_hash == hash_token(token))).first()
        if row is None:
            return None
        staff_session, account = row
        expired = (now - staff_session.last_seen_at > SESSION_IDLE or now - staff_session.created_at > SESSION_MAX)
        found = None if expired or not account.active else StaffIdentity(
            account.id, account.email, account.role, frozenset(a.seminar_id for a in account.assignments))
        session_id, stale = staff_session.id, now - staff_session.last_seen_at > TOUCH_EVERY
    if expired:
        with db.write() as session:
            session.execute(delete(StaffSession).where(StaffSession.id == session_id))
    elif found is not None and stale:
        with db.write() as session:
            touched = session.get(StaffSession, session_id)
            if touched is not None:
                touched.last_seen_at = now
    return found


def logout(db: Database, token: str | None, *, everywhere: bool = False) -> int:
    """End this session, or every session of its account; how many ended."""
    if not isinstance(token, str) or not token:
        return 0
    with db.write() as session:
        current = session.scalar(select(StaffSession).where(StaffSession.token_hash == hash_token(token)))
        if current is None:
            return 0
        where = (StaffSession.account_id == current.account_id) if everywhere else (StaffSession.id == current.id)
        return session.execute(delete(StaffSession).where(where)).rowcount or 0


def end_sessions(db: Database, account_id: int) -> int:
    """End every session of an account (an administrator's or the command line's "log out everywhere")."""
    with db.write() as session:
        _account(session, account_id)
        return session.execute(delete(StaffSession).where(StaffSession.account_id == account_id)).rowcount or 0
