"""Assembles the app: registers every page and starts the live hub.

Pages are registered by ``create_app()`` rather than at import time, so NiceGUI's
simulated-user tests (which reset the routes between tests) get them afresh each time.
"""

from __future__ import annotations

import gc
import importlib
import os
from pathlib import Path

from nicegui import app, ui

from workshop import config
from workshop.db import get_database
from workshop.ui import socket_guard, speedups
from workshop.ui.live import hub

PAGE_MODULES = ("home", "tablet", "projector", "console", "staff", "accounts", "privacy")

STORAGE_SECRET_ENV = "WORKSHOP_STORAGE_SECRET"

# The server pings every browser's socket each ``config.ping_seconds()`` (1 s by default), so a
# page notices within about a second more that it lost the server (OFFLINE_JS in ui/common.py)
# instead of after socket.io's 45 s default. The socket itself is still closed only after the
# ping timeout (20 s): a short wifi drop does not cost a reconnection. 150 tablets: 150 tiny
# frames a second each way (about 40 ms of the server's CPU a second: docs/performance.md,
# "Where the rest goes").


def create_app() -> None:
    speedups.install()
    socket_guard.install()
    get_database().create_schema()
    for name in PAGE_MODULES:
        try:
            module = importlib.import_module(f"workshop.ui.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"workshop.ui.{name}":
                raise
            continue
        module.register()
    app.on_startup(hub.start)
    app.on_startup(_ping_often)
    app.on_shutdown(hub.stop)


def _ping_often() -> None:
    """Every socket opened from now on is pinged each ``config.ping_seconds()`` (see above)."""
    from nicegui import core

    core.sio.eio.ping_interval = config.ping_seconds()


def warm_caches() -> None:
    """Read once at start-up what the first pages would otherwise read while people join:
    the kits (YAML, validated) and which messages have plural forms, in every language."""
    from workshop.content import ContentError, find_kit, kit_files
    from workshop.i18n import LANGUAGES, plural_keys

    for lang in LANGUAGES:
        plural_keys(lang)
    for path in kit_files():
        try:
            find_kit(path.stem)
        except (ContentError, ValueError):
            pass  # a broken kit is reported where it is used, not here


def storage_secret() -> str:
    """Signs the browser cookie that keeps a tablet's identity; generated once per data directory."""
    secret = os.environ.get(STORAGE_SECRET_ENV)
    if secret:
        return secret
    from workshop import config
    import secrets

    path = config.data_dir() / "storage-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def protect_files(storage_dir: Path) -> None:
    """Files the server writes are its owner's only: browser storage holds raw device tokens.

    The server runs with umask 077 (every file it creates is 0600, every directory 0700: the
    browser-storage JSON files, snapshots, the SQLite database, see ``db.owner_only``); files
    an older version left readable by others are tightened.
    """
    os.umask(0o077)
    storage_dir.mkdir(parents=True, exist_ok=True)
    for path in (storage_dir, *storage_dir.glob("*.json")):
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o700 if path.is_dir() else 0o600)
        except OSError:
            continue


def tune_garbage_collector() -> None:
    """Keep Python's garbage collector from pausing every page for a long time.

    A room of tablets keeps a few hundred thousand small objects alive (page elements);
    with the default settings, full collections over them froze the server for 0.3-1.7 s
    every few seconds while 150 tablets joined (bench/load_benchmark.py). What is loaded at
    start-up lives as long as the server: it is frozen out of every future collection, and
    young objects are collected every 10,000 allocations instead of every 700. The middle
    generation is collected after every 2 young collections rather than 10: the same total
    work in smaller pieces (pauses of 10-38 ms instead of 58-84 ms in the benchmark), and
    full collections stay as rare as before (every 100 young collections at most).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 2, 50)


def run(host: str = "0.0.0.0", port: int = 8080) -> None:
    if "NICEGUI_STORAGE_PATH" not in os.environ:
        # Browser identities (a tablet's device token) live with the data, not in the current
        # directory: a restart from anywhere finds them again.
        from nicegui.storage import Storage

        from workshop import config

        Storage.path = (config.data_dir() / "browser-storage").resolve()
    from nicegui.storage import Storage

    protect_files(Storage.path)
    from workshop import config, eventlog
    from workshop.ui import health
    from workshop.workers.worker import join_workers, takes_snapshots

    if config.worker_id():  # one of `workshop serve --workers N`: events and rate limits shared
        transport = join_workers()
        app.on_shutdown(lambda: transport.close())
    eventlog.configure()
    create_app()
    # /_workshop/alive and /_workshop/health, and the session cookie (Secure behind HTTPS)
    health.install(app, storage_secret())

    from workshop.snapshots import snapshotter

    # Archive snapshots of running seminars: every few minutes and at each activity change
    # (the real server only: simulated-browser tests do not write into the data directory).
    if takes_snapshots():
        app.on_startup(snapshotter.start)
        app.on_shutdown(lambda: snapshotter.stop())  # not the bound method: NiceGUI would pass the app as `timeout`
    from workshop.services.personal_data import retention_job

    # Participants' names past their seminar's retention period: replaced at start, then daily
    # (one process: the single one, or the first worker).
    if takes_snapshots():
        app.on_startup(retention_job.start)
        app.on_shutdown(lambda: retention_job.stop())
    app.on_startup(tune_garbage_collector)
    app.on_startup(warm_caches)
    ui.run(host=host, port=port, title="Visions +21", language="fr", reload=False, show=False,
           storage_secret=storage_secret(), favicon="🧭", reconnect_timeout=30.0)
