"""Live events across processes: the event bus over PostgreSQL LISTEN/NOTIFY, and the shared rate limits.

Two buses with a transport each stand for two worker processes (same database, same
channel). Channel names and Redis keys are unique to each test: the PostgreSQL and Redis
servers of the machine are shared with other test runs.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

import psycopg
import pytest

from workshop.events import Event, EventBus
from workshop.events_postgres import NOTIFY_LIMIT, PostgresTransport, default_channel, encode
from workshop.services import ratelimit

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(request) -> str:
    """A migrated PostgreSQL schema of this run (the live_event_payloads table is needed)."""
    db = request.getfixturevalue("_postgres_database")
    if db is None:
        from conftest import POSTGRES_URL

        message = f"PostgreSQL not reachable at {POSTGRES_URL}: events transport tests skipped"
        if os.environ.get("WORKSHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return db.url


class Worker:
    """A bus with its transport, recording what its local subscribers receive."""

    def __init__(self, url: str, channel: str, name: str) -> None:
        self.bus = EventBus()
        self.seen: list[Event] = []
        self.arrived = threading.Condition()
        self.bus.subscribe(None, self._record)
        self.transport = PostgresTransport(url, self.bus.deliver, channel=channel, origin=name)
        self.bus.attach(self.transport.start())

    def _record(self, event: Event) -> None:
        with self.arrived:
            self.seen.append(event)
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Event]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.seen) < count and time.monotonic() < deadline:
                self.arrived.wait(deadline - time.monotonic())
            return list(self.seen)


@pytest.fixture
def two_workers(pg_url):
    channel = f"v21test_{uuid.uuid4().hex[:12]}"
    first, second = Worker(pg_url, channel, "w1"), Worker(pg_url, channel, "w2")
    yield first, second
    first.bus.detach()
    second.bus.detach()


def test_an_event_published_in_one_process_reaches_the_other_once_and_in_order(two_workers):
    w1, w2 = two_workers
    for card_id in range(1, 6):
        w1.bus.publish(Event(7, "vote.changed", {"card_id": card_id}))
    assert [e.data["card_id"] for e in w2.wait_for(5)] == [1, 2, 3, 4, 5]
    assert all(e.seminar_id == 7 and e.topic == "vote.changed" for e in w2.seen)
    # the publisher's own subscribers got each event once: locally, not again through PostgreSQL
    time.sleep(0.3)
    assert [e.data["card_id"] for e in w1.seen] == [1, 2, 3, 4, 5]
    w2.bus.publish(Event(7, "card.created", {"card_id": 9}))
    assert w1.wait_for(6)[-1] == Event(7, "card.created", {"card_id": 9})


def test_deliver_stays_in_the_process(two_workers):
    w1, w2 = two_workers
    w1.bus.deliver(Event(7, "presence.changed", {"connected": 3}))
    w1.bus.publish(Event(7, "vote.changed", {"card_id": 1}))
    assert [e.topic for e in w2.wait_for(1)] == ["vote.changed"]
    time.sleep(0.3)
    assert [e.topic for e in w2.seen] == ["vote.changed"]


def test_an_event_too_large_for_a_notification_goes_through_the_table(two_workers):
    w1, w2 = two_workers
    merged = list(range(100_000, 102_000))  # ~14 kB of ids: NOTIFY alone would refuse it
    event = Event(7, "card.merged", {"card_id": 1, "merged": merged})
    assert len(encode(event, "w1").encode()) > NOTIFY_LIMIT
    w1.bus.publish(event)
    w1.bus.publish(Event(7, "vote.changed", {"card_id": 2}))
    received = w2.wait_for(2)
    assert received[0] == event  # whole, and before the next one
    assert received[1].topic == "vote.changed"


def test_the_listener_comes_back_after_losing_its_connection(two_workers, pg_url):
    w1, w2 = two_workers
    w1.bus.publish(Event(7, "vote.changed", {"card_id": 1}))
    w2.wait_for(1)
    from workshop.events_postgres import conninfo

    with psycopg.connect(conninfo(pg_url), autocommit=True) as admin:  # what a PostgreSQL restart does to it
        admin.execute("SELECT pg_terminate_backend(%s)", (w2.transport._listen_pid,))
    deadline = time.monotonic() + 15
    while w2.transport.reconnects < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert w2.transport.reconnects == 1 and w2.transport.listening
    w1.bus.publish(Event(7, "vote.changed", {"card_id": 2}))
    assert [e.data["card_id"] for e in w2.wait_for(2)] == [1, 2]


def test_the_sender_comes_back_after_losing_its_connection(two_workers, pg_url):
    w1, w2 = two_workers
    w1.bus.publish(Event(7, "vote.changed", {"card_id": 1}))
    w2.wait_for(1)
    from workshop.events_postgres import conninfo

    with psycopg.connect(conninfo(pg_url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (w1.transport._send_pid,))
    for card_id in (2, 3):
        w1.bus.publish(Event(7, "vote.changed", {"card_id": card_id}))
    assert [e.data["card_id"] for e in w2.wait_for(3, timeout=15)] == [1, 2, 3]


def test_channels_keep_deployments_apart(pg_url):
    other = Worker(pg_url, f"v21test_{uuid.uuid4().hex[:12]}", "elsewhere")
    channel = f"v21test_{uuid.uuid4().hex[:12]}"
    w1, w2 = Worker(pg_url, channel, "w1"), Worker(pg_url, channel, "w2")
    try:
        w1.bus.publish(Event(7, "vote.changed", {"card_id": 1}))
        assert len(w2.wait_for(1)) == 1
        time.sleep(0.3)
        assert other.seen == []
    finally:
        for worker in (other, w1, w2):
            worker.bus.detach()
    assert default_channel("postgresql+psycopg://a/b") != default_channel("postgresql+psycopg://a/b?options=x")


# --- rate limits shared by the workers (Redis) ---------------------------------------------------


@pytest.fixture
def redis_url() -> str:
    import redis

    url = os.environ.get("WORKSHOP_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {url} ({exc}): shared rate limit tests skipped"
        if os.environ.get("WORKSHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


def _limiter_pair(redis_url: str) -> tuple[ratelimit.RateLimiter, ratelimit.RateLimiter, ratelimit.RedisBuckets]:
    """The same login throttle in two processes, sharing their buckets in Redis."""
    prefix = f"v21test:{uuid.uuid4().hex[:10]}:"
    shared = ratelimit.RedisBuckets(redis_url, prefix)
    pair = []
    for _ in range(2):
        limiter = ratelimit.RateLimiter("login-client", burst=5, per_second=1 / 30)
        limiter.shared = ratelimit.RedisBuckets(redis_url, prefix)
        pair.append(limiter)
    return pair[0], pair[1], shared


def test_wrong_codes_spread_over_workers_count_once(redis_url, fake_clock):
    w1, w2, shared = _limiter_pair(redis_url)
    try:
        for attempt in range(5):  # five tries, alternating workers: the burst of one address
            assert (w1 if attempt % 2 else w2).take("10.0.0.7") == 0
        assert w1.take("10.0.0.7") == 30 and w2.take("10.0.0.7") == 30
        assert w2.take("10.0.0.8") == 0  # another address has its own bucket
        fake_clock.advance(seconds=30)
        assert w2.take("10.0.0.7") == 0 and w1.take("10.0.0.7") == 30
        w1.give_back("10.0.0.7")  # a right code costs nothing, on every worker
        assert w2.retry_after("10.0.0.7") == 0
    finally:
        w1.reset()


def test_without_redis_a_worker_limits_on_its_own(fake_clock):
    limiter = ratelimit.RateLimiter("device", burst=2, per_second=1)
    limiter.shared = ratelimit.RedisBuckets("redis://127.0.0.1:1/0", "v21test:none:")  # nobody listens there
    assert limiter.take("tablet") == 0 and limiter.take("tablet") == 0
    assert limiter.take("tablet") == 1
