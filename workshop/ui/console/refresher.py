"""The console panels' live refresh: hub events only mark a panel out of date, and a timer
reloads it off the event loop, so a burst of events costs one load, not one per event."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from workshop.events import Event
from workshop.ui.live import hub


class LiveRefresher:
    """Owns the panel's "dirty" and "busy" flags, its timers and its hub subscription.

    ``load`` is awaited with no argument and returns the data, or None when there is nothing
    to draw (an error it has already shown, or the server shutting down); ``render(data)``
    draws it. One load at a time; a change during a load is picked up by the next tick.
    """

    def __init__(self, load: Callable[[], Awaitable[Any]], render: Callable[[Any], None], *,
                 is_visible: Callable[[], bool] | None = None, min_interval: float = 0.0) -> None:
        self.load = load
        self.render = render
        self.is_visible = is_visible
        self.min_interval = min_interval
        self.dirty = True  # nothing loaded yet
        self.busy = False
        self.last = -math.inf  # when the last load started

    def start(self, seminar_id: int, topics: tuple[str, ...], *, every: float, first: float | None = None,
              on_event: Callable[[Event], None] | None = None) -> None:
        """Subscribe and tick every ``every`` seconds (and once after ``first``), in the current page."""
        def changed(event: Event) -> None:
            self.mark_dirty()
            if on_event is not None:
                on_event(event)

        hub.watch(seminar_id, topics, changed)
        ui.timer(every, self.tick)
        if first is not None:
            ui.timer(first, self.tick, once=True)

    def mark_dirty(self) -> None:
        self.dirty = True

    def hurry(self) -> None:
        """Skip the wait of ``min_interval`` once (a tab just opened should not show old data)."""
        if self.dirty:
            self.last = -math.inf

    async def tick(self) -> None:
        if not self.dirty or self.busy or (self.is_visible is not None and not self.is_visible()):
            return
        if time.monotonic() - self.last < self.min_interval:
            return
        # cleared before the load, not after: an event arriving meanwhile sets it again
        self.busy, self.dirty = True, False
        self.last = time.monotonic()
        try:
            data = await self.load()
        finally:
            self.busy = False
        if data is not None:
            self.render(data)
