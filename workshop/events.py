"""The one event bus for live updates.

Services publish a small event after their unit of work has committed; the UI layer
subscribes per seminar and pushes targeted updates to the clients that need them.
The bus knows nothing of the UI: subscribers are plain callables.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    seminar_id: int
    topic: str  # e.g. "card.created", "vote.changed", "activity.changed"
    data: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[int | None, list[Subscriber]] = defaultdict(list)
        self._lock = threading.Lock()

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
