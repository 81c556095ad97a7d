"""Health endpoints, answered before NiceGUI's session layer (a check opens no browser session).

- ``GET /_workshop/alive``: the process answers (HAProxy checks each worker with it every
  second; the database is not asked, so a PostgreSQL restart does not take every worker out
  of HAProxy and cut every tablet's connection);
- ``GET /_workshop/health``: for a monitoring probe and the supervisor's start-up: the
  database answers ``SELECT 1`` and, in workers mode, Redis answers ``PING``. 200 with
  ``{"ok": true, …}`` when all do, else 503 saying which does not. Nothing personal in it.
"""

from __future__ import annotations

import asyncio
import json
import logging

from workshop import config
from workshop.workers import ALIVE_PATH, HEALTH_PATH

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 3.0


def _database_answers() -> bool:
    from sqlalchemy import text

    from workshop.db import get_database

    try:
        with get_database().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        log.warning("health: database not reachable (%s)", type(exc).__name__)
        return False


def _redis_answers() -> bool:
    import redis

    from workshop.workers import redis_url

    try:
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        log.warning("health: Redis not reachable (%s)", type(exc).__name__)
        return False


async def report() -> tuple[bool, dict]:
    """(healthy, what the probe reads)."""
    async def ask(check) -> bool:
        try:
            return await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT)
        except asyncio.TimeoutError:
            return False

    checks = {"database": _database_answers}
    if config.worker_id():
        checks["redis"] = _redis_answers
    results = dict(zip(checks, await asyncio.gather(*(ask(check) for check in checks.values()))))
    healthy = all(results.values())
    body = {"ok": healthy, "worker": config.worker_id(),
            **{name: "ok" if fine else "unreachable" for name, fine in results.items()}}
    return healthy, body


class HealthMiddleware:
    """Pure ASGI: answers the two paths itself, passes everything else on untouched."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path") not in (ALIVE_PATH, HEALTH_PATH):
            await self.app(scope, receive, send)
            return
        if scope["path"] == ALIVE_PATH:
            status, body = 200, {"ok": True, "worker": config.worker_id()}
        else:
            healthy, body = await report()
            status = 200 if healthy else 503
        payload = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def install(fastapi_app, storage_secret: str) -> None:
    """Put the health answers in front of NiceGUI's request tracking (which creates a browser
    session for every request), inside the session cookie layer, which it leaves untouched.

    NiceGUI adds its request tracking after an existing SessionMiddleware (innermost), so the
    session layer is added here first, with ``Secure`` cookies when hosted behind HTTPS.
    """
    from starlette.middleware.sessions import SessionMiddleware

    fastapi_app.add_middleware(HealthMiddleware)
    fastapi_app.add_middleware(SessionMiddleware, secret_key=storage_secret, https_only=config.https())
