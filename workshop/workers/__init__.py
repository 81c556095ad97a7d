"""Workers mode: ``workshop serve --workers N``, for rooms and agencies past one process.

N NiceGUI processes ("workers") behind HAProxy, sharing one PostgreSQL database:

- ``supervisor``: starts the workers and HAProxy, restarts a worker that dies, stops all;
- ``haproxy``: the generated HAProxy configuration (sticky sessions by cookie, websockets,
  health checks, another worker when one is down);
- ``worker``: what a worker process sets up before serving: live events through PostgreSQL
  LISTEN/NOTIFY (``workshop/events_postgres.py``), rate limits in Redis, and each browser's
  state (a tablet's identity) in Redis (``workshop/ui/browser_state.py``); NiceGUI's own
  storage is not given Redis: it stays in each process.

The settings a worker needs come from its environment, set by the supervisor.
"""

from __future__ import annotations

import hashlib
import os

from workshop import config

REDIS_URL_ENV = "WORKSHOP_REDIS_URL"
REDIS_PREFIX_ENV = "WORKSHOP_REDIS_PREFIX"
EVENTS_CHANNEL_ENV = "WORKSHOP_EVENTS_CHANNEL"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
HEALTH_PATH = "/_workshop/health"  # monitoring: the database (and Redis) answer
ALIVE_PATH = "/_workshop/alive"  # HAProxy's check: the process answers
STICKY_COOKIE = "V21WORKER"


def redis_url() -> str:
    return os.environ.get(REDIS_URL_ENV) or DEFAULT_REDIS_URL


def redis_prefix() -> str:
    """Keys of this deployment in Redis: its data directory and database, so two never mix."""
    given = os.environ.get(REDIS_PREFIX_ENV)
    if given:
        return given
    digest = hashlib.sha256(f"{config.data_dir().resolve()}|{config.database_url()}".encode()).hexdigest()[:12]
    return f"visions21:{digest}:"
