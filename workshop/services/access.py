"""Who may open the facilitator side, and the throttles that keep codes from being guessed.

- Each seminar has its facilitator secret (only its scrypt hash is stored). Failed logins
  are limited per browser address (``ratelimit.LOGIN_CLIENT``), so a script on the hotspot
  gets a handful of tries, then one every 30 s; a browser that opened the seminar before
  has its own bucket. Wrong tries on one seminar from everywhere only slow the wrong
  answers down: nobody else's failures ever refuse the right secret.
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
from collections.abc import Callable, Collection

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
# A wrong code is answered after this many seconds (the page waits, off the event loop), and
# after more while the seminar's wrong tries from everywhere exceed ``ratelimit.LOGIN_SEMINAR``.
WRONG_SECRET_DELAY = 1.0
WRONG_SECRET_DELAY_UNDER_ATTACK = 3.0


def _throttled(*limiters: tuple[ratelimit.RateLimiter, str]) -> None:
    wait = max(limiter.retry_after(key) for limiter, key in limiters)
    if wait:
        raise ratelimit.too_many_attempts(wait)
    for limiter, key in limiters:
        limiter.take(key)


def _give_back(*limiters: tuple[ratelimit.RateLimiter, str]) -> None:
    for limiter, key in limiters:
        limiter.give_back(key)


def login_key(client: str, *, browser: str | None = None, known: bool = False) -> str:
    """Whose bucket a login attempt spends: the browser's own once it opened this door before.

    A browser that gave the right code once (``known``) is told apart from the others on its
    address (OWASP's "device cookie"), so a script on the same hotspot or behind the same venue
    address cannot lock the facilitator out; any other browser counts by address.
    """
    if known and browser:
        return f"browser:{browser}"
    return client or "?"


def _wrong_secret_delay(seminar_id: int | None) -> float:
    """How long a wrong answer waits: a little, and more while a seminar is being guessed at."""
    if seminar_id is not None and ratelimit.LOGIN_SEMINAR.take(str(seminar_id)):
        ratelimit.note_attack(f"seminar {seminar_id}")
        return WRONG_SECRET_DELAY_UNDER_ATTACK
    return WRONG_SECRET_DELAY


def facilitator_login(db: Database, seminar_id: int, secret: str, *, client: str,
                      browser: str | None = None, known: Collection[int] = ()) -> None:
    """Check a facilitator secret, with at most a few wrong tries per address.

    Only the attempt's own bucket (its address, or its browser once that browser opened this
    seminar before: ``login_key``) is checked, *before* the secret, and a right secret gives its
    token back. Wrong tries from everywhere also fill a per-seminar bucket, but that bucket never
    refuses anybody: past it, wrong answers only come slower (``Forbidden.params["delay"]``, which
    the page waits off the event loop). So strangers spending wrong tries from rotating addresses
    cannot keep the right code out.

    Raises ``Forbidden("bad_secret")`` for a wrong secret *and* for a seminar that does not
    exist (no way to tell them apart), ``Forbidden("too_many_attempts")`` when throttled.
    """
    limit = (ratelimit.LOGIN_CLIENT, login_key(client, browser=browser, known=seminar_id in set(known)))
    _throttled(limit)
    try:
        seminars.check_facilitator(db, seminar_id, secret if isinstance(secret, str) else "")
    except WorkshopError:
        raise Forbidden("bad_secret", delay=_wrong_secret_delay(seminar_id)) from None
    _give_back(limit)  # the right secret costs nothing


def connect_by_code(db: Database, join_code: str, secret: str, *, client: str,
                    browser: str | None = None, known: Collection[int] = ()) -> int:
    """The seminar a facilitator opens from another device with its join code and secret.

    Works even once joining is closed; an unknown code and a wrong secret get the same answer.
    Throttled like ``facilitator_login`` (per address or known browser, never per seminar).
    """
    code = normalise_code(join_code if isinstance(join_code, str) else "")
    with db.read() as session:
        seminar_id = session.scalar(select(Seminar.id).where(Seminar.join_code == code)) if code else None
    if seminar_id is None:
        _throttled((ratelimit.LOGIN_CLIENT, client or "?"))
        raise Forbidden("bad_code_or_secret", delay=WRONG_SECRET_DELAY)
    try:
        facilitator_login(db, seminar_id, secret, client=client, browser=browser, known=known)
    except Forbidden as exc:
        if exc.code == "bad_secret":
            raise Forbidden("bad_code_or_secret", **exc.params) from None
        raise
    return seminar_id


def seminar_for_join_code(db: Database, code: str, *, client: str,
                          lookup: Callable[[Database, str], int] = find_seminar_by_code) -> int:
    """The open seminar a typed join code leads to, with wrong codes limited per address.

    ``lookup``: how the code is looked up (``find_seminar_by_code``; the join page passes what a
    page read a moment before, the limit applying all the same)."""
    key = client or "?"
    wait = ratelimit.JOIN_CLIENT.retry_after(key)
    if wait:
        raise Forbidden("too_many_codes", seconds=wait)
    try:
        return lookup(db, code)
    except (NotFound, Forbidden):  # unknown or closed: both count, so codes cannot be probed faster
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


def check_admin(secret: str, *, client: str, browser: str | None = None, known: bool = False) -> None:
    """Raise ``Forbidden("bad_admin_secret")`` unless ``secret`` is the administration code.

    Wrong codes are limited per address, or per browser once that browser gave the right code
    before (``login_key``), checked before the code; the right code gives its token back.
    """
    limit = (ratelimit.ADMIN_CLIENT, login_key(client, browser=browser, known=known))
    _throttled(limit)
    given = (secret if isinstance(secret, str) else "").strip()
    if not given or len(given) > 200 or not hmac.compare_digest(given.encode(), admin_secret().encode()):
        raise Forbidden("bad_admin_secret", delay=WRONG_SECRET_DELAY)
    _give_back(limit)
