"""Assembles the app: registers every page and starts the live hub.

Pages are registered by ``create_app()`` rather than at import time, so NiceGUI's
simulated-user tests (which reset the routes between tests) get them afresh each time.
"""

from __future__ import annotations

import gc
import importlib
import os

from nicegui import app, ui

from workshop.db import get_database
from workshop.ui import speedups
from workshop.ui.live import hub

PAGE_MODULES = ("home", "tablet", "projector", "console", "staff")

STORAGE_SECRET_ENV = "WORKSHOP_STORAGE_SECRET"


def create_app() -> None:
    speedups.install()
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
    app.on_shutdown(hub.stop)


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
    create_app()
    from workshop.snapshots import snapshotter

    # Archive snapshots of running seminars: every few minutes and at each activity change
    # (the real server only: simulated-browser tests do not write into the data directory).
    app.on_startup(snapshotter.start)
    app.on_shutdown(lambda: snapshotter.stop())  # not the bound method: NiceGUI would pass the app as `timeout`
    app.on_startup(tune_garbage_collector)
    ui.run(host=host, port=port, title="Visions +21", language="fr", reload=False, show=False,
           storage_secret=storage_secret(), favicon="🧭", reconnect_timeout=30.0)
