"""This browser's state on the server: who it is and what it may do, the one place pages keep it.

Keys (values are JSON): ``devices`` ({seminar id: device token}, a tablet's identity per
seminar), ``lang``, ``facilitator_of`` and ``opened_before`` (seminar ids), ``staff_session``
(a staff session token), ``admin`` and ``admin_before``. Change a value with ``put`` or
``pop``, never in place.

- **One process** (the laptop): NiceGUI's ``app.storage.user``, a JSON file per browser in
  ``<data dir>/browser-storage/``, as it always was.
- **Workers mode** (``use_redis``): a Redis hash per browser, ``<prefix>browser:<session id>``
  (NiceGUI's browser id from the signed session cookie), a field per key, no expiry (NiceGUI's
  user storage has none either). NiceGUI is given no Redis URL: its own storage stays in each
  process, where it opens no Redis connection per browser and tab.

  *Reads*: ``BrowserStateMiddleware`` reads the hash (``HGETALL``, async) before NiceGUI builds
  a page, into one object per browser that this browser's tabs in this process share (sticky
  sessions keep a browser's tabs on one worker); pages and event handlers read that object,
  never Redis.

  *Writes* go through, in order: ``put`` and ``pop`` change the object at once and queue the
  command; one task per worker sends the queue to Redis in a pipeline, on one connection of the
  worker's one pool, in the order the changes were made, and sends the same commands again
  (``HSET``/``HDEL``, harmless twice) until Redis takes them. A page's read is queued behind
  the changes made before it, so a reload after a language switch reads the new language;
  fields changed while a read was on its way keep their newer value. A handler whose change
  must survive this worker's death (joining, a login or logout, the language switch) awaits
  ``saved()`` before it shows the result or navigates; a worker told to stop sends what is
  queued first. A SIGKILL loses only changes nobody awaited, made in the last few milliseconds.

  A browser whose values NiceGUI's Redis storage held (``<prefix>nicegui:user-<session id>``,
  before this module) finds them in its hash from its next page on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
import weakref
from typing import Any

from nicegui import app, storage

log = logging.getLogger(__name__)

SCOPE_KEY = "v21.browser_state"  # the browser's state, on the ASGI scope of each page request
SKIPPED_PATHS = ("/_nicegui", "/_workshop", "/favicon.ico")  # NiceGUI's files and socket, health checks
READ_TIMEOUT = 10.0   # a page whose browser state Redis does not give within this fails (500)
SAVE_TIMEOUT = 10.0   # saved() gives up waiting after this (the change stays queued)
STOP_TIMEOUT = 10.0   # a stopping worker sends its queue for this long at most
BATCH = 500           # commands per pipeline


class BrowserState:
    """One browser's values in this process (workers mode), shared by its tabs here."""

    __slots__ = ("key", "link", "data", "changed", "last_write", "__weakref__")

    def __init__(self, key: str, link: Link) -> None:
        self.key = key
        self.link = link
        self.data: dict[str, Any] = {}
        self.changed: dict[str, int] = {}  # field -> number of its last local change (Link.count)
        self.last_write: asyncio.Future | None = None

    def put(self, field: str, value: Any) -> None:
        self.data[field] = value
        self._send(field, ("HSET", self.key, field, json.dumps(value)))

    def pop(self, field: str, default: Any = None) -> Any:
        value = self.data.pop(field, default)
        self._send(field, ("HDEL", self.key, field))
        return value

    def _send(self, field: str, command: tuple) -> None:
        self.changed[field] = self.link.count + 1
        self.last_write = self.link.queue(command)

    def refresh(self, stored: dict[str, Any], since: int) -> None:
        """What Redis held when read (queued after change ``since``); fields changed here since keep their value."""
        fresh = {f: v for f, v in stored.items() if self.changed.get(f, 0) <= since}
        for f, number in self.changed.items():
            if number > since and f in self.data:
                fresh[f] = self.data[f]
        self.data = fresh


class Link:
    """The worker's one way to Redis: one connection pool, one queue, one task sending it in order."""

    def __init__(self, url: str, prefix: str, client_name: str | None = None) -> None:
        import redis.asyncio as redis

        self.prefix = prefix
        self.redis = redis.Redis.from_url(url, max_connections=2, socket_connect_timeout=5, socket_timeout=10,
                                          health_check_interval=30, client_name=client_name)
        self.pending: list[tuple[tuple, asyncio.Future]] = []
        self.count = 0  # commands queued so far (a change's number: see BrowserState.refresh)
        self.browsers: weakref.WeakValueDictionary[str, BrowserState] = weakref.WeakValueDictionary()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._busy = False

    def key(self, session_id: str) -> str:
        return f"{self.prefix}browser:{session_id}"

    def legacy_key(self, session_id: str) -> str:
        """Where NiceGUI's Redis storage kept this browser's values before (read once, if the hash is empty)."""
        return f"{self.prefix}nicegui:user-{session_id}"

    def queue(self, command: tuple) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run(), name="browser-state-redis")
        future = loop.create_future()
        self.pending.append((command, future))
        self.count += 1
        self._wake.set()
        return future

    async def _run(self) -> None:
        while True:
            if not self.pending:
                self._wake.clear()
                await self._wake.wait()
            batch, self.pending = self.pending[:BATCH], self.pending[BATCH:]
            self._busy = True
            try:
                results = await self._send(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - not Redis's silence (retried): a bug; the queue goes on
                log.exception("browser state: a batch of %d commands failed", len(batch))
                results = [exc] * len(batch)
            finally:
                self._busy = False
            for (_command, future), result in zip(batch, results):
                if future.done():
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                    future.exception()  # retrieved: a failed command nobody awaits is logged here only
                    log.warning("browser state: Redis refused %s (%s)", _command[0], result)
                else:
                    future.set_result(result)

    async def _send(self, batch: list[tuple[tuple, asyncio.Future]]) -> list[Any]:
        """The batch in one pipeline, in order; again after a pause while Redis does not answer."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        pause, warned = 0.1, False
        while True:
            try:
                pipe = self.redis.pipeline(transaction=False)
                for command, _future in batch:
                    pipe.execute_command(*command)
                return await pipe.execute(raise_on_error=False)
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                if not warned:
                    log.warning("browser state: Redis unreachable (%s); retrying, in order", exc)
                    warned = True
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)

    async def load(self, session_id: str) -> BrowserState:
        """This browser's state, read from Redis behind every change queued before."""
        state = self.browsers.get(session_id)
        if state is None:
            state = self.browsers[session_id] = BrowserState(self.key(session_id), self)
        since = self.count
        read = self.queue(("HGETALL", state.key))
        legacy = self.queue(("GET", self.legacy_key(session_id)))
        stored, old = await asyncio.wait_for(asyncio.shield(asyncio.gather(read, legacy)), READ_TIMEOUT)
        values = {_text(f): json.loads(v) for f, v in (stored or {}).items()}
        if not values and old:
            values = _legacy_values(old)
            if values:  # a browser known before this version: its values move to the hash, once
                self.queue(("HSET", state.key, *[x for f, v in values.items() for x in (f, json.dumps(v))]))
        state.refresh(values, since)
        return state

    async def flush(self, timeout: float = STOP_TIMEOUT) -> None:
        """Until every queued command reached Redis (a stopping worker), at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (self.pending or self._busy) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        await self.flush()
        if self._task is not None:
            self._task.cancel()
        await self.redis.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _legacy_values(raw: bytes | str) -> dict[str, Any]:
    try:
        values = json.loads(raw)
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


_link: Link | None = None


class BrowserStateMiddleware:
    """Workers mode, inside the session cookie layer: before a page is built, its browser's state
    is read (``Link.load``) and put on the request's scope, where the page and its event handlers
    find it (NiceGUI hands them the page's request). A new browser gets its session id here."""

    def __init__(self, asgi_app) -> None:
        self.app = asgi_app

    async def __call__(self, scope, receive, send) -> None:
        session = scope.get("session") if scope["type"] == "http" else None
        if _link is not None and session is not None and not scope["path"].startswith(SKIPPED_PATHS):
            if not isinstance(session.get("id"), str):
                session["id"] = str(uuid.uuid4())  # as NiceGUI's request tracking would, a step later
            scope[SCOPE_KEY] = await _link.load(session["id"])
        await self.app(scope, receive, send)


def use_redis(fastapi_app, url: str, prefix: str, name: str | None = None) -> Link:
    """Workers mode: browser state in Redis. Call before the session cookie layer is added (the
    middleware must sit inside it, ``health.install``)."""
    global _link
    _link = Link(url, prefix, client_name=name)
    fastapi_app.add_middleware(BrowserStateMiddleware)
    link = _link
    app.on_shutdown(lambda: link.close())
    return link


def _current() -> BrowserState:
    request = storage.request_contextvar.get()
    if request is None:
        raise RuntimeError("no browser here: browser state is read on a page or in its event handlers")
    state = request.scope.get(SCOPE_KEY)
    assert state is not None, "browser state is read before the page is built (BrowserStateMiddleware)"
    return state


def get(field: str, default: Any = None) -> Any:
    """This browser's value (RuntimeError or AssertionError outside a page, as NiceGUI's storage)."""
    if _link is None:
        return app.storage.user.get(field, default)
    return _current().data.get(field, default)


def put(field: str, value: Any) -> None:
    if _link is None:
        app.storage.user[field] = value
    else:
        _current().put(field, value)


def pop(field: str, default: Any = None) -> Any:
    if _link is None:
        return app.storage.user.pop(field, default)
    return _current().pop(field, default)


async def saved() -> bool:
    """Wait until this browser's changes are in Redis (workers mode; at once otherwise).

    False if Redis did not take them within ``SAVE_TIMEOUT`` (they stay queued, in order)."""
    if _link is None:
        return True
    pending = _current().last_write
    if pending is None or pending.done():
        return True
    try:
        await asyncio.wait_for(asyncio.shield(pending), SAVE_TIMEOUT)
    except asyncio.TimeoutError:
        log.warning("browser state: Redis took no change within %.0f s (still queued)", SAVE_TIMEOUT)
        return False
    except Exception:  # noqa: BLE001 - refused by Redis: logged by the link
        return False
    return True
