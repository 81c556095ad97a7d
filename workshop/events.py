"""The one event bus for live updates.

Services publish a small event after their unit of work has committed; the UI layer
subscribes per seminar and pushes targeted updates to the clients that need them.
The bus knows nothing of the UI: subscribers are plain callables.

In one process (the laptop) that is all. With several worker processes
(``workshop serve --workers N``) a *transport* is attached: ``publish`` delivers to this
process's subscribers, then hands the event to the transport, which carries it to the
other processes (PostgreSQL LISTEN/NOTIFY, ``workshop/events_postgres.py``); there the
transport calls ``deliver``, which reaches that process's subscribers only.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from workshop.eventlog import log_event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    seminar_id: int
    topic: str  # e.g. "card.created", "vote.changed", "activity.changed"
    data: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Event], None]


class Transport(Protocol):
    """Carries events to the other processes of the same deployment."""

    def send(self, event: Event) -> None:  # must not block the caller for long
        ...

    def close(self) -> None:
        ...


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[int | None, list[Subscriber]] = defaultdict(list)
        self._lock = threading.Lock()
        self._transport: Transport | None = None

    @property
    def shared(self) -> bool:
        """True when events also reach other processes (workers mode)."""
        return self._transport is not None

    def attach(self, transport: Transport) -> None:
        """Send every published event to the other processes too (see ``events_postgres``)."""
        self._transport = transport

    def detach(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()

    def subscribe(self, seminar_id: int | None, subscriber: Subscriber) -> Callable[[], None]:
        """Receive the events of one seminar (or of all with ``None``); returns an unsubscribe."""
        with self._lock:
            self._subscribers[seminar_id].append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers[seminar_id]:
                    self._subscribers[seminar_id].remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        """Deliver to this process's subscribers, then to the other processes' (if any)."""
        log_event(event)  # one line, nothing personal (off unless hosted / workers mode)
        self.deliver(event)
        transport = self._transport
        if transport is not None:
            try:
                transport.send(event)
            except Exception:  # the vote is committed: a lost live update must not fail it
                log.exception("event %s not sent to the other processes", event.topic)

    def deliver(self, event: Event) -> None:
        """This process's subscribers only (what a transport calls for another process's event)."""
        with self._lock:
            targets = list(self._subscribers.get(event.seminar_id, ())) + list(self._subscribers.get(None, ()))
        for subscriber in targets:
            try:
                subscriber(event)
            except Exception:  # a broken screen must not break a participant's vote
                log.exception("event subscriber failed on %s", event.topic)

    def subscriber_count(self, seminar_id: int | None = None) -> int:
        with self._lock:
            return len(self._subscribers.get(seminar_id, ()))


bus = EventBus()
