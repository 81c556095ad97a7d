"""Live events across worker processes: PostgreSQL LISTEN/NOTIFY behind the one event bus.

With ``workshop serve --workers N`` each process attaches a ``PostgresTransport`` to
``workshop.events.bus``. A published event (already committed: services publish after their
unit of work) is delivered to the local subscribers by the bus, then queued here; a sender
thread sends it with ``pg_notify`` on the deployment's channel. Every process has one
listener thread on a connection of its own (``LISTEN``); an event from another process is
handed to ``bus.deliver`` (local subscribers only), its own ones are skipped.

Payloads stay small: events carry ids (pages re-read what they show). NOTIFY refuses more
than 8,000 bytes, so a larger event is written to ``live_event_payloads`` and the
notification carries that row's id (rows are deleted after ``PAYLOAD_KEEP_SECONDS``).

Connection loss: the sender and the listener reconnect by themselves (0.2 s, then up to 5 s
between tries). Events published while the sender is cut off wait in its queue and go out
once it is back; a listener that was cut off misses what was sent meanwhile (PostgreSQL
keeps no notifications for absent listeners) and logs it; the next event of the seminar
redraws what it touches (a vote re-reads the whole tally).
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import uuid
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

from workshop.events import Event

log = logging.getLogger(__name__)

NOTIFY_LIMIT = 7_900  # bytes; PostgreSQL's limit is 8,000 including the channel name
PAYLOAD_KEEP_SECONDS = 300
QUEUE_SIZE = 50_000
RETRY_FIRST, RETRY_MAX = 0.2, 5.0


def conninfo(database_url: str) -> str:
    """A libpq URI from the app's SQLAlchemy URL (``postgresql+psycopg://…`` → ``postgresql://…``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def default_channel(database_url: str) -> str:
    """One channel per database (and schema): deployments sharing a server never mix events."""
    return "visions21_" + hashlib.sha256(database_url.encode()).hexdigest()[:16]


def encode(event: Event, origin: str) -> str:
    return json.dumps({"o": origin, "s": event.seminar_id, "t": event.topic, "d": event.data},
                      separators=(",", ":"), ensure_ascii=False, default=str)


def decode(payload: str) -> tuple[str, Event]:
    message = json.loads(payload)
    return message["o"], Event(int(message["s"]), str(message["t"]), dict(message.get("d") or {}))


class PostgresTransport:
    """Sends this process's events to the others and delivers theirs (see the module's doc)."""

    def __init__(self, database_url: str, deliver: Callable[[Event], None], *, channel: str | None = None,
                 origin: str | None = None) -> None:
        self.conninfo = conninfo(database_url)
        self.channel = (channel or default_channel(database_url)).lower()
        if not self.channel.replace("_", "").isalnum() or len(self.channel) > 63:
            raise ValueError(f"bad channel name {self.channel!r}: letters, digits and _ only, 63 at most")
        self.origin = origin or uuid.uuid4().hex[:12]
        self._deliver = deliver
        self._queue: queue.Queue[Event | None] = queue.Queue(QUEUE_SIZE)
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._sender = threading.Thread(target=self._send_loop, name="events-notify", daemon=True)
        self._listener = threading.Thread(target=self._listen_loop, name="events-listen", daemon=True)
        self.sent = self.received = self.reconnects = 0
        self._listen_pid: int | None = None  # the listener's and sender's backends (tests terminate them)
        self._send_pid: int | None = None

    # --- life cycle ---------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> PostgresTransport:
        """Start both threads; returns once the listener is listening (or after ``timeout``)."""
        self._sender.start()
        self._listener.start()
        if not self._listening.wait(timeout):
            log.warning("live events: not listening on %s yet (PostgreSQL unreachable?)", self.channel)
        return self

    def close(self) -> None:
        self._stop.set()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass
        for thread in (self._sender, self._listener):
            if thread.is_alive():
                thread.join(5)

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    # --- sending ------------------------------------------------------------------------------

    def send(self, event: Event) -> None:
        """Queue an event for the other processes; never blocks the (committed) caller."""
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            log.error("live events: queue full, %s for seminar %s not sent to the other processes",
                      event.topic, event.seminar_id)

    def _batch(self) -> list[Event] | None:
        first = self._queue.get()
        if first is None:
            return None
        batch = [first]
        while len(batch) < 200:
            try:
                more = self._queue.get_nowait()
            except queue.Empty:
                break
            if more is None:
                self._stop.set()
                break
            batch.append(more)
        return batch

    def _send_loop(self) -> None:
        connection: psycopg.Connection | None = None
        delay = RETRY_FIRST
        batch: list[Event] | None = None
        while True:
            if batch is None:
                batch = self._batch()
                if batch is None:
                    break
            try:
                if connection is None or connection.closed:
                    connection = psycopg.connect(self.conninfo, autocommit=False, connect_timeout=5)
                    self._send_pid = connection.info.backend_pid
                self._notify(connection, batch)
                self.sent += len(batch)
                batch, delay = None, RETRY_FIRST
                if self._stop.is_set() and self._queue.empty():
                    break
            except psycopg.Error as exc:  # connection lost: keep the batch, reconnect, send it again
                log.warning("live events: sending failed (%s); retrying in %.1f s", exc, delay)
                if connection is not None:
                    connection.close()
                connection = None
                if self._stop.wait(delay):
                    break
                delay = min(RETRY_MAX, delay * 2)
        if connection is not None:
            connection.close()

    def _notify(self, connection: psycopg.Connection, batch: list[Event]) -> None:
        with connection.transaction():  # one round trip per batch; delivered together at commit
            for event in batch:
                payload = encode(event, self.origin)
                if len(payload.encode()) > NOTIFY_LIMIT:
                    row = connection.execute(
                        "INSERT INTO live_event_payloads (payload, created_at) VALUES (%s, now()) RETURNING id",
                        (payload,)).fetchone()
                    connection.execute("DELETE FROM live_event_payloads WHERE created_at < now() - %s * interval '1 second'",
                                       (PAYLOAD_KEEP_SECONDS,))
                    payload = json.dumps({"o": self.origin, "ref": row[0]})
                connection.execute("SELECT pg_notify(%s, %s)", (self.channel, payload))

    # --- receiving ----------------------------------------------------------------------------

    def _listen_loop(self) -> None:
        delay = RETRY_FIRST
        first = True
        while not self._stop.is_set():
            reader: psycopg.Connection | None = None  # reads large events: the listening one is busy iterating
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f'LISTEN "{self.channel}"')
                    self._listen_pid = connection.info.backend_pid
                    self._listening.set()
                    if not first:
                        self.reconnects += 1
                        log.warning("live events: listening again on %s; events sent while cut off were missed",
                                    self.channel)
                    first, delay = False, RETRY_FIRST
                    while not self._stop.is_set():
                        # never leave this generator early: it drops the rest of a batch it has read
                        for notification in connection.notifies(timeout=1.0):
                            large = self._received(notification.payload)
                            if large is not None:
                                if reader is None or reader.closed:
                                    reader = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
                                self._received_large(reader, large)
            except psycopg.Error as exc:
                self._listening.clear()
                if self._stop.is_set():
                    break
                log.warning("live events: listener lost its connection (%s); reconnecting in %.1f s", exc, delay)
                if self._stop.wait(delay):
                    break
                delay = min(RETRY_MAX, delay * 2)
            finally:
                if reader is not None:
                    reader.close()
        self._listening.clear()

    def _received(self, payload: str) -> int | None:
        """Deliver another process's event; the id of a large one still to read, else None."""
        try:
            message = json.loads(payload)
            if message.get("o") == self.origin:
                return None  # our own: delivered locally when published
            if "ref" in message:
                return int(message["ref"])
            _origin, event = decode(payload)
        except (ValueError, KeyError, TypeError):
            log.exception("live events: unreadable notification %r", payload[:200])
            return None
        self.received += 1
        self._deliver(event)
        return None

    def _received_large(self, connection: psycopg.Connection, ref: int) -> None:
        row = connection.execute("SELECT payload FROM live_event_payloads WHERE id = %s", (ref,)).fetchone()
        if row is None:
            log.warning("live events: large event %s already deleted", ref)
            return
        self._received(row[0])
