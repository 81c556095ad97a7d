"""Live updates: the bridge from the domain event bus to the browsers in the room.

One subscription to the bus for the whole process. Events are handed to the asyncio
loop (services may run in worker threads) and dispatched only to the pages watching
that seminar and that topic; each page then changes the few elements concerned. No
page polls and no refreshable re-renders every client: with 150 tablets, a vote costs
one small update on the projector and the console, and nothing on the tablets.

``hub.shared(key, loader)`` lets the pages handling one event share a single query
(e.g. the tally after a vote) instead of each running it. ``hub.version`` numbers the
events of a seminar's topics, so that pages opened one after another can share one read
(``remember``/``recall``) while none of those events came.

Presence (who is connected now) is runtime state, kept here rather than in the database.
With several worker processes each hub knows its own sockets and tells the others
(``presence.worker`` events through the bus: on every change and every few seconds); the
head count is the union, and a worker silent for ``PRESENCE_EXPIRY`` seconds (killed) stops
counting.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from nicegui import Client, context, storage

from workshop.events import Event, bus

log = logging.getLogger(__name__)

Handler = Callable[[Event], Any]

PRESENCE_WORKER = "presence.worker"  # one worker's connected participants, for the others
PRESENCE_HEARTBEAT = 5.0  # seconds between a worker's presence reports
PRESENCE_EXPIRY = 15.0  # a worker not heard of for this long counts nobody


@dataclass
class _Watcher:
    client_id: str
    topics: tuple[str, ...]  # prefixes, e.g. ("card.", "vote.changed"); empty = everything
    handler: Handler

    def wants(self, topic: str) -> bool:
        return not self.topics or any(topic.startswith(prefix) for prefix in self.topics)


@contextmanager
def in_page(client: Client) -> Iterator[None]:
    """Run as the page of ``client``: its elements, and its browser's state (language, identity).

    An event comes from whoever caused it (the console, another tablet, a worker thread): without
    the page's own request, ``lang()`` read that other browser's language, or none (French), and an
    English tablet rebuilt its panel in French when the facilitator opened the next activity."""
    try:
        request = client.request
    except RuntimeError:  # a client built without a request (tests)
        request = None
    token = storage.request_contextvar.set(request)
    try:
        with client:
            yield
    finally:
        storage.request_contextvar.reset(token)


class LiveHub:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._watchers: dict[int, dict[int, _Watcher]] = defaultdict(dict)
        # (seminar, topic) -> the watchers that want it, rebuilt after any watch or unwatch: a vote
        # then visits the projector and the console, not the 150 tablets that ignore votes.
        self._routes: dict[tuple[int, str], list[_Watcher]] = {}
        self._ids = itertools.count()
        self._shared: dict[Any, Any] = {}
        self._presence: dict[int, dict[str, int]] = defaultdict(dict)  # seminar -> client id -> participant
        # workers mode: seminar -> other worker -> (its connected participants, when heard)
        self._remote: dict[int, dict[str, tuple[frozenset[int], float]]] = defaultdict(dict)
        self.worker = ""  # this process's name among the workers ("" alone)
        self._heartbeat: asyncio.Task | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.dispatched = 0  # events handed to pages (the load benchmark reads it)
        # (seminar, topic) -> number of the last such event, and what pages read at a version
        self._last_event: dict[tuple[int, str], int] = {}
        self._event_numbers = itertools.count(1)
        self._recent: dict[Any, tuple[int, float, Any]] = {}

    # --- wiring ---------------------------------------------------------------------------

    def start(self) -> None:
        """Called at server start-up, on the loop the pages run on."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        if self._unsubscribe is None:
            self._unsubscribe = bus.subscribe(None, self._on_event)
        if bus.shared and self._heartbeat is None:
            from workshop import config

            self.worker = config.worker_id() or "?"
            self._heartbeat = asyncio.ensure_future(self._report_presence())

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        self._watchers.clear()
        self._routes.clear()
        self._presence.clear()
        self._remote.clear()
        self._last_event.clear()
        self._recent.clear()
        self._loop = None

    def _on_event(self, event: Event) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            self._dispatch(event)
        else:
            loop.call_soon_threadsafe(self._dispatch, event)

    def _dispatch(self, event: Event) -> None:
        if event.topic == PRESENCE_WORKER:
            self._heard(event)
            return
        self._last_event[(event.seminar_id, event.topic)] = next(self._event_numbers)
        self._shared = {}
        for watcher in self._route(event.seminar_id, event.topic):
            client = Client.instances.get(watcher.client_id)
            if client is None:
                continue
            self.dispatched += 1
            try:
                with in_page(client):
                    result = watcher.handler(event)
                    if asyncio.iscoroutine(result):
                        asyncio.ensure_future(self._run_in(client, result))
            except Exception:
                log.exception("live update failed for %s on %s", watcher.client_id, event.topic)
        self._shared = {}

    @staticmethod
    async def _run_in(client: Client, coroutine) -> None:
        try:
            with in_page(client):
                await coroutine
        except Exception:
            log.exception("live update coroutine failed")

    # --- for pages ------------------------------------------------------------------------

    def watch(self, seminar_id: int, topics: tuple[str, ...], handler: Handler) -> Callable[[], None]:
        """Call ``handler(event)`` in the current page's context for matching events.

        The watch ends by itself when the page's client is deleted (tab closed for good), or
        when the returned function is called.
        """
        client = context.client
        key = next(self._ids)
        watcher = _Watcher(client.id, topics, handler)
        self._watchers[seminar_id][key] = watcher
        # The routes already worked out stay, the newest watcher last, as a rebuild would put it (a room
        # joining at once would otherwise have every event walk all the room's watchers again). New
        # lists, never changed in place: an event being dispatched goes on with the one it started with.
        for route_key, route in self._routes.items():
            if route_key[0] == seminar_id and watcher.wants(route_key[1]):
                self._routes[route_key] = [*route, watcher]

        def unwatch() -> None:
            if self._watchers[seminar_id].pop(key, None) is None:
                return
            for route_key, route in self._routes.items():
                if route_key[0] == seminar_id and watcher.wants(route_key[1]):
                    self._routes[route_key] = [w for w in route if w is not watcher]

        client.on_delete(unwatch)
        return unwatch

    def _route(self, seminar_id: int, topic: str) -> list[_Watcher]:
        route = self._routes.get((seminar_id, topic))
        if route is None:
            route = [w for w in self._watchers.get(seminar_id, {}).values() if w.wants(topic)]
            self._routes[(seminar_id, topic)] = route
        return route

    def shared(self, key: Any, loader: Callable[[], Any]) -> Any:
        """One query per event, shared by every page handling it."""
        if key not in self._shared:
            self._shared[key] = loader()
        return self._shared[key]

    def version(self, seminar_id: int, topics: tuple[str, ...]) -> int:
        """A number that changes whenever an event of ``topics`` (prefixes) of this seminar reaches
        this process's pages: a read made while it stays the same shows what they show."""
        return max((n for (sid, topic), n in self._last_event.items()
                    if sid == seminar_id and topic.startswith(topics)), default=0)

    def recall(self, key: Any, version: int, max_age: float) -> Any:
        """What ``remember`` kept under ``key`` at this ``version`` at most ``max_age`` seconds ago, else None:
        a room joining at once reads the open activity once, not once per tablet."""
        kept = self._recent.get(key)
        if kept is None or kept[0] != version or time.monotonic() - kept[1] > max_age:
            return None
        return kept[2]

    def remember(self, key: Any, version: int, value: Any) -> None:
        self._recent[key] = (version, time.monotonic(), value)

    def watcher_count(self, seminar_id: int) -> int:
        return len(self._watchers.get(seminar_id, {}))

    # --- presence -------------------------------------------------------------------------

    def track_presence(self, seminar_id: int, participant_id: int) -> None:
        """Count the current page's participant as connected while its socket is up."""
        client = context.client
        presence = self._presence[seminar_id]

        def connected() -> None:
            before = self.connected_count(seminar_id)
            presence[client.id] = participant_id
            self._presence_changed(seminar_id, before)

        def gone() -> None:
            before = self.connected_count(seminar_id)
            presence.pop(client.id, None)
            self._presence_changed(seminar_id, before)

        client.on_connect(connected)
        client.on_disconnect(gone)
        client.on_delete(gone)
        connected()

    def connected(self, seminar_id: int) -> set[int]:
        people = set(self._presence.get(seminar_id, {}).values())
        now = time.monotonic()
        for participants, heard in self._remote.get(seminar_id, {}).values():
            if now - heard < PRESENCE_EXPIRY:
                people |= participants
        return people

    def connected_count(self, seminar_id: int) -> int:
        return len(self.connected(seminar_id))

    def _presence_changed(self, seminar_id: int, before: int) -> None:
        """Pages here learn the new head count; other workers learn this worker's participants."""
        if bus.shared:
            self._tell_workers(seminar_id)
        now = self.connected_count(seminar_id)
        if now != before:
            # local only: each process counts the union itself
            bus.deliver(Event(seminar_id, "presence.changed", {"connected": now}))

    def _tell_workers(self, seminar_id: int) -> None:
        mine = sorted(set(self._presence.get(seminar_id, {}).values()))
        bus.publish(Event(seminar_id, PRESENCE_WORKER, {"worker": self.worker, "participants": mine}))

    def _heard(self, event: Event) -> None:
        worker = str(event.data.get("worker", ""))
        if not worker or worker == self.worker:
            return
        before = self.connected_count(event.seminar_id)
        participants = frozenset(int(p) for p in event.data.get("participants", ()))
        self._remote[event.seminar_id][worker] = (participants, time.monotonic())
        self._presence_changed_remote(event.seminar_id, before)

    def _presence_changed_remote(self, seminar_id: int, before: int) -> None:
        now = self.connected_count(seminar_id)
        if now != before:
            bus.deliver(Event(seminar_id, "presence.changed", {"connected": now}))

    async def _report_presence(self) -> None:
        """Workers mode: every few seconds, tell the others who is here; forget silent workers."""
        while True:
            await asyncio.sleep(PRESENCE_HEARTBEAT)
            try:
                for seminar_id in [s for s, clients in self._presence.items() if clients]:
                    self._tell_workers(seminar_id)
                self.forget_silent_workers()
            except Exception:
                log.exception("presence report failed")

    def forget_silent_workers(self) -> None:
        """Workers not heard of for ``PRESENCE_EXPIRY`` seconds (killed) count nobody any more."""
        now = time.monotonic()
        for seminar_id, workers in list(self._remote.items()):
            silent = [w for w, (_, heard) in workers.items() if now - heard >= PRESENCE_EXPIRY]
            if silent:
                before = len(set(self._presence.get(seminar_id, {}).values()).union(*(p for p, _ in workers.values())))
                for worker in silent:
                    del workers[worker]
                self._presence_changed_remote(seminar_id, before)


hub = LiveHub()
