"""What a worker process of ``workshop serve --workers N`` sets up before it serves.

- live events: a ``PostgresTransport`` on the event bus (other workers' events reach this
  process's pages; this process's reach theirs);
- rate limits and login throttles: buckets in Redis, shared by every worker;
- browser state (a tablet's identity, language, facilitator logins): a hash per browser in
  Redis, through one connection pool per worker (``workshop/ui/browser_state.py``); NiceGUI's
  own storage stays in the process;
- open files: the soft limit raised to the hard one (each tablet holds a websocket).

Per worker, and why that is right: the live hub's pages and its one-query-per-event sharing
(each worker serves its own pages); the head count (each worker reports its connected
participants to the others, see ``ui/live.py``); the archive snapshots run in the first
worker only (it receives every worker's activity events).
"""

from __future__ import annotations

import logging
import os
import resource

from workshop import config
from workshop.db import get_database
from workshop.events import bus
from workshop.events_postgres import PostgresTransport
from workshop.services import ratelimit
from workshop.workers import EVENTS_CHANNEL_ENV, redis_prefix, redis_url

log = logging.getLogger(__name__)

FIRST_WORKER = "w1"


def takes_snapshots() -> bool:
    """Archive snapshots: the single process, or the first worker (one writer for the folder)."""
    return config.worker_id() in (None, FIRST_WORKER)


def join_workers() -> PostgresTransport:
    """Share events and rate limits with the other workers; the database must be PostgreSQL."""
    db = get_database()
    if db.is_sqlite:
        raise SystemExit("Workers mode needs PostgreSQL (DATABASE_URL): SQLite serves one process only.")
    transport = PostgresTransport(db.url, bus.deliver, channel=os.environ.get(EVENTS_CHANNEL_ENV) or None,
                                  origin=f"{config.worker_id()}-{os.getpid()}")
    bus.attach(transport.start())
    ratelimit.use_redis(redis_url(), redis_prefix())
    from nicegui import app

    from workshop.ui import browser_state

    browser_state.use_redis(app, redis_url(), redis_prefix(), name=f"v21-{config.worker_id()}-browsers")
    raise_open_files_limit()
    return transport


def raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
        except (ValueError, OSError):
            log.warning("could not raise the open files limit (%s)", soft)
