"""A server of the rehearsal's own: a temporary data folder, seminars created from run sheets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.services import seminars

SECRET = "repetition-2026"
TABLES = ["Table Somme", "Table Citadelle"]


@dataclass(frozen=True)
class Prepared:
    run_sheet: str
    seminar_id: int
    join_code: str
    title: str


def database(data_dir: Path) -> Database:
    return Database(f"sqlite:///{data_dir / 'workshop.sqlite3'}")


def prepare(data_dir: Path, run_sheets: list[str]) -> list[Prepared]:
    """One new seminar per run sheet, as a facilitator creates it (tables, a facilitator code)."""
    db = database(data_dir)
    db.create_schema()
    out = []
    try:
        kit = default_kit()
        for name in run_sheets:
            sheet = find_run_sheet(name)
            first = date.today()
            created = seminars.create_seminar(
                db, title=f"Répétition : {sheet.title}", territory="Amiens Métropole", horizon_year=2055,
                run_sheet=sheet, kit=kit, day_dates=[first + timedelta(days=i) for i in range(sheet.days)],
                group_names=TABLES, facilitator_secret=SECRET)
            out.append(Prepared(name, created.seminar_id, created.join_code, f"Répétition : {sheet.title}"))
    finally:
        db.dispose()
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m workshop serve`` on a free loopback port, with its own data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> str:
        env = {**os.environ, "WORKSHOP_DATA_DIR": str(self.data_dir), "WORKSHOP_SNAPSHOT_MINUTES": "0",
               "WORKSHOP_STORAGE_SECRET": "rehearsal", "WORKSHOP_PUBLIC_URL": "http://visions21.local:8080",
               "WORKSHOP_RATE_LIMIT": "off", "PYTHONUNBUFFERED": "1"}
        # NiceGUI takes a process with pytest's variables for its own test harness.
        for name in ("PYTEST_CURRENT_TEST", "NICEGUI_USER_SIMULATION", "NICEGUI_SCREEN_TEST_PORT",
                     "NICEGUI_STORAGE_PATH", "DATABASE_URL"):
            env.pop(name, None)
        port = _free_port()
        self.log = open(self.data_dir / "server.log", "w")
        self.process = subprocess.Popen([sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1",
                                         "--port", str(port)], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return self.url
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("server did not start:\n" + (self.data_dir / "server.log").read_text())
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if getattr(self, "log", None):
            self.log.close()
