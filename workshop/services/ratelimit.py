"""Rate limits: small in-memory token buckets, per device, per browser address, per seminar.

A bucket holds up to ``burst`` tokens and refills at ``per_second``; each action takes
one. The numbers are generous for a person (ten quick taps at once, then two a second
for as long as they like) and stop a script hammering the server. Buckets live in this
process only: a restart empties them, which is harmless (they only ever refuse). With
several worker processes (``workshop serve --workers N``) they live in Redis instead
(``use_redis``), shared by all: a script that spreads its tries over the workers gets no
more than from one. If Redis does not answer, each worker falls back to its own buckets.

Time comes from ``workshop.clock.now`` so tests can move it. Thread-safe: services run
in worker threads.

The limits can be changed with environment variables (read when the server starts):
``WORKSHOP_RATE_BURST`` and ``WORKSHOP_RATE_PER_SECOND`` for the devices' contributions and
votes; ``WORKSHOP_RATE_LIMIT=off`` turns that device limit off (a load test with robots).
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from workshop import clock
from workshop.errors import Forbidden, Invalid
from workshop.services._common import hash_token

# Devices (tablets): contributions, edits, votes, ratings, link proposals.
DEVICE_BURST = 10
DEVICE_PER_SECOND = 2.0
# Facilitator login: failed attempts from one browser address (or one known browser: access.login_key),
# and on one seminar from anywhere. The per-seminar bucket never refuses: past it, wrong answers
# only come slower (access.WRONG_SECRET_DELAY_UNDER_ATTACK), so nobody can lock the facilitator out.
LOGIN_BURST_PER_CLIENT = 5
LOGIN_PER_SECOND_PER_CLIENT = 1 / 30     # then one more try every 30 s
LOGIN_BURST_PER_SEMINAR = 20
LOGIN_PER_SECOND_PER_SEMINAR = 1 / 20    # then wrong answers slow down, whoever tries
# Join codes typed wrong from one browser address (a room's typos pass; a guessing script does not).
JOIN_BURST_PER_CLIENT = 10
JOIN_PER_SECOND_PER_CLIENT = 1 / 6       # ten more a minute
# The server's administration code (creating seminars from another device).
ADMIN_BURST_PER_CLIENT = 5
ADMIN_PER_SECOND_PER_CLIENT = 1 / 30

MAX_KEYS = 50_000  # buckets kept before full (idle) ones are forgotten

log = logging.getLogger(__name__)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by any string (a device token's hash, an address, a seminar id)."""

    def __init__(self, name: str, *, burst: int, per_second: float, max_keys: int = MAX_KEYS) -> None:
        if burst < 1 or per_second <= 0:
            raise ValueError("a rate limit needs burst >= 1 and per_second > 0")
        self.name = name
        self.burst = burst
        self.per_second = per_second
        self.enabled = True
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self.shared: RedisBuckets | None = None  # workers mode: the buckets every process sees

    # --- the bucket arithmetic -------------------------------------------------------------

    @staticmethod
    def _now() -> float:
        return clock.now().timestamp()

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            return bucket
        elapsed = max(0.0, now - bucket.updated)  # a clock set back refills nothing
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.per_second)
        bucket.updated = max(bucket.updated, now)
        return bucket

    def _prune(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items()
                    if b.tokens + max(0.0, now - b.updated) * self.per_second >= self.burst]:
            del self._buckets[key]
        while len(self._buckets) >= self.max_keys:  # still full of busy keys: forget the oldest
            del self._buckets[min(self._buckets, key=lambda k: self._buckets[k].updated)]

    def _wait(self, bucket: _Bucket, cost: float) -> int:
        return max(1, math.ceil((cost - bucket.tokens) / self.per_second))

    # --- what callers use -----------------------------------------------------------------

    def take(self, key: str, cost: float = 1.0) -> int:
        """Take ``cost`` tokens: 0 if allowed, else the seconds to wait (nothing is taken then)."""
        if not self.enabled or _exempt.active:
            return 0
        if self.shared is not None:
            answer = self.shared.call(self, "take", key, cost)
            if answer is not None:
                return answer
        with self._lock:
            bucket = self._bucket(key, self._now())
            if bucket.tokens + 1e-9 < cost:
                return self._wait(bucket, cost)
            bucket.tokens -= cost
            return 0

    def retry_after(self, key: str, cost: float = 1.0) -> int:
        """Seconds before ``cost`` tokens are there (0: now), taking nothing."""
        if not self.enabled or _exempt.active:
            return 0
        if self.shared is not None:
            answer = self.shared.call(self, "peek", key, cost)
            if answer is not None:
                return answer
        with self._lock:
            bucket = self._bucket(key, self._now())
            return 0 if bucket.tokens + 1e-9 >= cost else self._wait(bucket, cost)

    def give_back(self, key: str, amount: float = 1.0) -> None:
        """Return tokens (an attempt that turned out fine, e.g. the right secret)."""
        if self.shared is not None and self.shared.call(self, "give", key, amount) is not None:
            return
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is not None:
                bucket.tokens = min(float(self.burst), bucket.tokens + amount)

    def forget(self, key: str) -> None:
        """Drop one key's bucket (a closed connection); local buckets only."""
        with self._lock:
            self._buckets.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
        if self.shared is not None:
            self.shared.clear(self)

    def __len__(self) -> int:
        return len(self._buckets)


class RedisBuckets:
    """The same token buckets in Redis, one hash per key, updated atomically by a Lua script.

    Time comes from the caller (``workshop.clock``), like the in-memory buckets. A key
    disappears once its bucket would be full again (a missing key is a full bucket).
    """

    SCRIPT = """
    local burst, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
    local op, cost = ARGV[4], tonumber(ARGV[5])
    local saved = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
    local tokens, updated = tonumber(saved[1]), tonumber(saved[2])
    if tokens == nil or updated == nil then tokens, updated = burst, now end
    tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
    updated = math.max(updated, now)
    local refused = 0
    if op == 'give' then
        tokens = math.min(burst, tokens + cost)
    elseif tokens + 1e-9 < cost then
        refused = 1
    elseif op == 'take' then
        tokens = tokens - cost
    end
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated))
    redis.call('EXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 60)
    return {refused, tostring(tokens)}
    """

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.prefix = prefix
        self._script = self.client.register_script(self.SCRIPT)
        self._failing = False

    def _key(self, limiter: RateLimiter, key: str) -> str:
        return f"{self.prefix}rate:{limiter.name}:{key}"

    def call(self, limiter: RateLimiter, op: str, key: str, cost: float) -> int | None:
        """Seconds to wait (0: allowed), or None when Redis did not answer (use the local buckets)."""
        try:
            refused, tokens = self._script(keys=[self._key(limiter, key)], args=[
                limiter.burst, repr(limiter.per_second), repr(limiter._now()), op, repr(float(cost))])
        except Exception as exc:  # noqa: BLE001 - Redis down: this worker limits on its own
            if not self._failing:
                log.warning("rate limits: Redis unreachable (%s); this worker counts on its own meanwhile", exc)
            self._failing = True
            return None
        self._failing = False
        if not int(refused):
            return 0
        return max(1, math.ceil((cost - float(tokens)) / limiter.per_second))

    def clear(self, limiter: RateLimiter) -> None:
        try:
            keys = list(self.client.scan_iter(match=self._key(limiter, "*"), count=1000))
            if keys:
                self.client.delete(*keys)
        except Exception:  # noqa: BLE001
            log.warning("rate limits: could not clear %s in Redis", limiter.name)


def use_redis(url: str, prefix: str) -> RedisBuckets:
    """Workers mode: every limiter keeps its buckets in Redis, shared by all the processes."""
    shared = RedisBuckets(url, prefix)
    for limiter in ALL:
        limiter.shared = shared
    return shared


def use_local() -> None:
    for limiter in ALL:
        limiter.shared = None


class _Exempt(threading.local):
    active = False


_exempt = _Exempt()


@contextmanager
def exempt() -> Iterator[None]:
    """No limits in this thread for the block: server-side scripts (the demo builder, imports)."""
    previous = _exempt.active
    _exempt.active = True
    try:
        yield
    finally:
        _exempt.active = previous


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


DEVICE = RateLimiter("device", burst=int(_env_float("WORKSHOP_RATE_BURST", DEVICE_BURST)),
                     per_second=_env_float("WORKSHOP_RATE_PER_SECOND", DEVICE_PER_SECOND))
DEVICE.enabled = os.environ.get("WORKSHOP_RATE_LIMIT", "on").lower() not in ("off", "0", "no", "false")
LOGIN_CLIENT = RateLimiter("login-client", burst=LOGIN_BURST_PER_CLIENT, per_second=LOGIN_PER_SECOND_PER_CLIENT)
LOGIN_SEMINAR = RateLimiter("login-seminar", burst=LOGIN_BURST_PER_SEMINAR, per_second=LOGIN_PER_SECOND_PER_SEMINAR)
JOIN_CLIENT = RateLimiter("join-client", burst=JOIN_BURST_PER_CLIENT, per_second=JOIN_PER_SECOND_PER_CLIENT)
ADMIN_CLIENT = RateLimiter("admin-client", burst=ADMIN_BURST_PER_CLIENT, per_second=ADMIN_PER_SECOND_PER_CLIENT)

ALL = (DEVICE, LOGIN_CLIENT, LOGIN_SEMINAR, JOIN_CLIENT, ADMIN_CLIENT)


def reset_all() -> None:
    for limiter in ALL:
        limiter.reset()


def check_device(device_token: str | None) -> None:
    """One contribution or vote from this device; ``Invalid("rate_limited")`` when it goes too fast.

    Keyed by the token's hash (the token itself is never kept). A missing or oversized token
    is left to the identity check, which refuses it anyway.
    """
    if not isinstance(device_token, str) or not device_token or len(device_token) > 200:
        return
    wait = DEVICE.take(hash_token(device_token))
    if wait:
        raise Invalid("rate_limited", seconds=wait)


class QuietLog:
    """At most one log line per ``every`` seconds for a noisy kind of event, with how many were seen.

    Thread-safe. ``count`` is the total since the server started (tests and the log read it).
    """

    def __init__(self, logger: logging.Logger, every: float = 60.0) -> None:
        self.logger = logger
        self.every = every
        self.count = 0
        self._unlogged = 0
        self._last = -math.inf
        self._lock = threading.Lock()

    def note(self, message: str, *args: object) -> None:
        with self._lock:
            self.count += 1
            self._unlogged += 1
            now = time.monotonic()
            if now - self._last < self.every:
                return
            self._last, seen, self._unlogged = now, self._unlogged, 0
        self.logger.warning(message + " (%d since the last such line)", *args, seen)


_attacks = QuietLog(log)


def note_attack(target: str) -> None:
    """Wrong login tries on one target beyond what a person makes: a rate-limited warning."""
    _attacks.note("many wrong codes tried on %s", target)


def too_many_attempts(seconds: int) -> Forbidden:
    return Forbidden("too_many_attempts", seconds=seconds)
