"""Where things live: the database, the data directory, the kit and run-sheet folders.

Everything is read from the environment so the same code runs on a facilitator's laptop
(embedded SQLite under ``data/``) and on a server (``DATABASE_URL`` pointing at PostgreSQL).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    path = Path(os.environ.get("WORKSHOP_DATA_DIR", PROJECT_ROOT / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs and bare "postgresql://" both mean psycopg 3 here.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{data_dir() / 'workshop.sqlite3'}"


def kits_dir() -> Path:
    return Path(os.environ.get("WORKSHOP_KITS_DIR", PROJECT_ROOT / "kits"))


def scenarios_dir() -> Path:
    return Path(os.environ.get("WORKSHOP_SCENARIOS_DIR", PROJECT_ROOT / "scenarios"))


def exports_dir() -> Path:
    path = Path(os.environ.get("WORKSHOP_EXPORTS_DIR", PROJECT_ROOT / "exports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def worker_id() -> str | None:
    """This process's name among the workers of ``workshop serve --workers N`` ("w1"…), else None."""
    return os.environ.get("WORKSHOP_WORKER_ID") or None


PUBLIC_URL_ENV = "WORKSHOP_PUBLIC_URL"
TLS_CERT_ENV = "WORKSHOP_TLS_CERT"


def public_url() -> str | None:
    """The address people type or scan (``WORKSHOP_PUBLIC_URL``, e.g. https://visions21.example.fr)."""
    url = (os.environ.get(PUBLIC_URL_ENV) or "").strip().rstrip("/")
    return url or None


def https() -> bool:
    """Hosted behind TLS: cookies are sent over HTTPS only (``Secure``).

    True when the public address starts with https:// or HAProxy terminates TLS
    (``workshop serve --tls-cert``, which requires such an address). The laptop mode
    (plain HTTP in a room without internet) is False.
    """
    url = public_url() or ""
    return url.lower().startswith("https://") or bool(os.environ.get(TLS_CERT_ENV))


PING_ENV = "WORKSHOP_PING_SECONDS"
PING_SECONDS_RANGE = (1, 10)


def ping_seconds() -> int:
    """How often the server pings every browser's socket (``WORKSHOP_PING_SECONDS``, 1 to 10 s;
    default 1). Pages say "Connexion perdue" one second after a missed ping; each ping costs the
    server a little CPU per connected browser (docs/performance.md, "Where the rest goes")."""
    raw = os.environ.get(PING_ENV, "").strip()
    if not raw:
        return PING_SECONDS_RANGE[0]
    low, high = PING_SECONDS_RANGE
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{PING_ENV} must be a whole number of seconds from {low} to {high}, not {raw!r}")
    return int(raw)
