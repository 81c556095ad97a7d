"""Assembles the app: registers every page and starts the live hub.

Pages are registered by ``create_app()`` rather than at import time, so NiceGUI's
simulated-user tests (which reset the routes between tests) get them afresh each time.
"""

from __future__ import annotations

import importlib
import os

from nicegui import app, ui

from workshop.db import get_database
from workshop.ui.live import hub

PAGE_MODULES = ("home", "tablet", "projector", "console")

STORAGE_SECRET_ENV = "WORKSHOP_STORAGE_SECRET"


def create_app() -> None:
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


def run(host: str = "0.0.0.0", port: int = 8080) -> None:
    create_app()
    ui.run(host=host, port=port, title="Visions +21", language="fr", reload=False, show=False,
           storage_secret=storage_secret(), favicon="🧭", reconnect_timeout=30.0)
