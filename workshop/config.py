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
