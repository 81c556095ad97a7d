"""Who may open the facilitator side, and the throttles that keep codes from being guessed.

- Each seminar has its facilitator secret (only its scrypt hash is stored). Failed logins
  are limited per browser address and per seminar (``ratelimit.LOGIN_*``), so a script on
  the hotspot gets a handful of tries, then one every 30 s.
- The server has an administration code (``WORKSHOP_ADMIN_SECRET``, else generated once
  into ``<data dir>/admin-secret``): it lets another device than the laptop running the
  server create seminars. Wrong codes are limited per address too.
- Join codes typed wrong are limited per address (``ratelimit.JOIN_CLIENT``): once the
  limit is hit, even a right code waits, so the answer never tells which codes exist.
"""

from __future__ import annotations

import hmac
import os
import secrets

from sqlalchemy import select

from workshop import config
from workshop.db import Database
from workshop.errors import Forbidden, NotFound, WorkshopError
from workshop.models import Seminar
from workshop.services import ratelimit, seminars
from workshop.services.participants import find_seminar_by_code, normalise_code

ADMIN_SECRET_ENV = "WORKSHOP_ADMIN_SECRET"
ADMIN_SECRET_FILE = "admin-secret"
# Codes copied by hand from a terminal: no 0/o, 1/l/i look-alikes, in groups of four.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def _throttled(*limiters: tuple[ratelimit.RateLimiter, str]) -> None:
    wait = max(limiter.retry_after(key) for limiter, key in limiters)
    if wait:
        raise ratelimit.too_many_attempts(wait)
    for limiter, key in limiters:
        limiter.take(key)


def _give_back(*limiters: tuple[ratelimit.RateLimiter, str]) -> None:
    for limiter, key in limiters:
        limiter.give_back(key)


def facilitator_login(db: Database, seminar_id: int, secret: str, *, client: str) -> None:
    """Check a facilitator secret, at most a few wrong tries per address and per seminar.

    Raises ``Forbidden("bad_secret")`` for a wrong secret *and* for a seminar that does not
    exist (no way to tell them apart), ``Forbidden("too_many_attempts")`` when throttled.
    """
    limits = ((ratelimit.LOGIN_CLIENT, client or "?"), (ratelimit.LOGIN_SEMINAR, str(seminar_id)))
    _throttled(*limits)
    try:
        seminars.check_facilitator(db, seminar_id, secret if isinstance(secret, str) else "")
    except WorkshopError:
        raise Forbidden("bad_secret") from None
    _give_back(*limits)  # the right secret costs nothing


def connect_by_code(db: Database, join_code: str, secret: str, *, client: str) -> int:
    """The seminar a facilitator opens from another device with its join code and secret.

    Works even once joining is closed; an unknown code and a wrong secret get the same answer.
    """
    code = normalise_code(join_code or "")
    with db.read() as session:
        seminar_id = session.scalar(select(Seminar.id).where(Seminar.join_code == code)) if code else None
    if seminar_id is None:
        _throttled((ratelimit.LOGIN_CLIENT, client or "?"))
        raise Forbidden("bad_code_or_secret")
    try:
        facilitator_login(db, seminar_id, secret, client=client)
    except Forbidden as exc:
        if exc.code == "bad_secret":
            raise Forbidden("bad_code_or_secret") from None
        raise
    return seminar_id


def seminar_for_join_code(db: Database, code: str, *, client: str) -> int:
    """The open seminar a typed join code leads to, with wrong codes limited per address."""
    key = client or "?"
    wait = ratelimit.JOIN_CLIENT.retry_after(key)
    if wait:
        raise Forbidden("too_many_codes", seconds=wait)
    try:
        return find_seminar_by_code(db, code)
    except NotFound:
        ratelimit.JOIN_CLIENT.take(key)
        raise


# --- the server's administration code -----------------------------------------------------


def admin_secret() -> str:
    """The administration code: from the environment, else generated once in the data directory."""
    from_env = os.environ.get(ADMIN_SECRET_ENV, "").strip()
    if from_env:
        return from_env
    path = config.data_dir() / ADMIN_SECRET_FILE
    if not path.exists():
        code = "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(3))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(code + "\n")
    return path.read_text().strip()


def check_admin(secret: str, *, client: str) -> None:
    """Raise ``Forbidden("bad_admin_secret")`` unless ``secret`` is the administration code."""
    limit = (ratelimit.ADMIN_CLIENT, client or "?")
    _throttled(limit)
    given = (secret if isinstance(secret, str) else "").strip()
    if not given or len(given) > 200 or not hmac.compare_digest(given.encode(), admin_secret().encode()):
        raise Forbidden("bad_admin_secret")
    _give_back(limit)
