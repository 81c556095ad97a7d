"""Automatic archive snapshots of the seminars in progress.

While the server runs, every seminar with an open activity is written as a JSON archive
(``workshop.archive``, the same lossless format as ``workshop archive export``) every
``WORKSHOP_SNAPSHOT_MINUTES`` minutes (default 5; 0 turns the timer off) and at every
activity change (opened, paused, closed, extended…), into

    <data dir>/snapshots/<seminar id>/<UTC timestamp>.json

Each file is written beside its final place, flushed to disk, then renamed: a snapshot is
whole or absent, never half-written, even if the laptop dies while writing. The last
``WORKSHOP_SNAPSHOT_KEEP`` files (default 20) of each seminar are kept.

Restoring imports a snapshot as a new seminar (``workshop snapshots restore FILE``): the
current database is never overwritten.

Domain layer: no UI. ``Snapshotter`` runs one background thread; activity events only
queue a seminar id, so a facilitator's click never waits for a snapshot.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from workshop import clock, config
from workshop.db import Database, get_database
from workshop.files import write_json_durably
from workshop.events import Event, bus
from workshop.models import Activity, ActivityState

log = logging.getLogger(__name__)

INTERVAL_ENV = "WORKSHOP_SNAPSHOT_MINUTES"
KEEP_ENV = "WORKSHOP_SNAPSHOT_KEEP"
DEFAULT_INTERVAL_MINUTES = 5.0
DEFAULT_KEEP = 20
_STAMP = "%Y%m%dT%H%M%S.%fZ"


def snapshots_dir() -> Path:
    return config.data_dir() / "snapshots"


def interval_minutes() -> float:
    try:
        value = float(os.environ.get(INTERVAL_ENV, DEFAULT_INTERVAL_MINUTES))
    except ValueError:
        return DEFAULT_INTERVAL_MINUTES
    return max(0.0, value)


def keep_count() -> int:
    try:
        value = int(os.environ.get(KEEP_ENV, DEFAULT_KEEP))
    except ValueError:
        return DEFAULT_KEEP
    return max(1, value)


def running_seminars(db: Database) -> list[int]:
    """Seminars with an open activity."""
    with db.read() as session:
        return sorted(set(session.scalars(select(Activity.seminar_id).where(Activity.state == ActivityState.OPEN))))


# --- writing ------------------------------------------------------------------------------


def take_snapshot(db: Database, seminar_id: int, *, directory: Path | None = None, keep: int | None = None) -> Path:
    """Write one snapshot of a seminar now; returns the file. Raises like ``export_seminar``."""
    from workshop.archive import export_seminar

    data = export_seminar(db, seminar_id)
    folder = (directory or snapshots_dir()) / str(int(seminar_id))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().astimezone(timezone.utc).strftime(_STAMP)
    path, n = folder / f"{stamp}.json", 2
    while path.exists():  # two snapshots in the same microsecond (a frozen test clock)
        path, n = folder / f"{stamp}-{n}.json", n + 1
    write_json_durably(path, data)
    prune(folder, keep if keep is not None else keep_count())
    return path


def _snapshot_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest snapshots of one seminar (and stray temp files)."""
    removed = []
    files = _snapshot_files(folder)
    for path in files[:max(0, len(files) - keep)]:
        path.unlink(missing_ok=True)
        removed.append(path)
    for stray in folder.glob(".*.tmp"):  # left by a crash in the middle of a write
        stray.unlink(missing_ok=True)
    return removed


def snapshot_running(db: Database, *, directory: Path | None = None, keep: int | None = None) -> list[Path]:
    """One snapshot of every seminar in progress; a failure on one does not stop the others."""
    written = []
    for seminar_id in running_seminars(db):
        try:
            written.append(take_snapshot(db, seminar_id, directory=directory, keep=keep))
        except Exception:
            log.exception("snapshot of seminar %s failed", seminar_id)
    return written


# --- reading and restoring ----------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotInfo:
    path: Path
    seminar_id: int  # the id in the database it was taken from
    taken_at: datetime | None
    title: str
    territory: str
    size: int


def _taken_at(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.stem.split("-")[0], _STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def list_snapshots(seminar_id: int | None = None, *, directory: Path | None = None) -> list[SnapshotInfo]:
    """Snapshots on disk, oldest first (of one seminar, or of all)."""
    root = directory or snapshots_dir()
    if not root.is_dir():
        return []
    folders = [root / str(seminar_id)] if seminar_id is not None else sorted(
        (p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    out = []
    for folder in folders:
        for path in _snapshot_files(folder) if folder.is_dir() else []:
            title = territory = ""
            try:
                seminar = json.loads(path.read_text(encoding="utf-8")).get("seminar", {})
                title, territory = str(seminar.get("title", "")), str(seminar.get("territory", ""))
            except (OSError, ValueError, AttributeError):
                title = "?"
            out.append(SnapshotInfo(path, int(folder.name), _taken_at(path), title, territory, path.stat().st_size))
    return out


def restore_snapshot(db: Database, path: str | os.PathLike, *, refuse_if_live: bool = False):
    """Import a snapshot as a new seminar (``workshop.archive.ImportResult``); nothing is overwritten."""
    from workshop.archive import import_seminar

    return import_seminar(db, Path(path), refuse_if_live=refuse_if_live)


# --- the background writer ----------------------------------------------------------------


class Snapshotter:
    """Snapshots every running seminar periodically and each seminar at each activity change."""

    def __init__(self, db: Database | Callable[[], Database] | None = None, *, minutes: float | None = None,
                 keep: int | None = None, directory: Path | None = None) -> None:
        self._db = db
        self.minutes = interval_minutes() if minutes is None else minutes
        self.keep = keep
        self.directory = directory
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._pending: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.written: list[Path] = []  # what this snapshotter wrote (tests, logs)
        self.idle = threading.Event()
        self.idle.set()

    @property
    def db(self) -> Database:
        if self._db is None:
            return get_database()
        return self._db() if callable(self._db) else self._db

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._unsubscribe = bus.subscribe(None, self._on_event)
        self._thread = threading.Thread(target=self._run, name="workshop-snapshots", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._stop.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _on_event(self, event: Event) -> None:
        if event.topic == "activity.changed":
            self.request(event.seminar_id)

    def request(self, seminar_id: int) -> None:
        """Queue a snapshot of one seminar (coalesced with one already waiting)."""
        with self._lock:
            if seminar_id in self._pending:
                return
            self._pending.add(seminar_id)
            self.idle.clear()
        self._queue.put(seminar_id)

    def _write(self, seminar_id: int) -> None:
        try:
            self.written.append(take_snapshot(self.db, seminar_id, directory=self.directory, keep=self.keep))
        except Exception:  # a deleted seminar, a full disk: log it, never stop the server
            log.exception("snapshot of seminar %s failed", seminar_id)

    def tick(self) -> list[Path]:
        """The periodic pass: every running seminar, now."""
        try:
            paths = snapshot_running(self.db, directory=self.directory, keep=self.keep)
        except Exception:
            log.exception("periodic snapshots failed")
            return []
        self.written.extend(paths)
        return paths

    def _run(self) -> None:
        period = self.minutes * 60 if self.minutes > 0 else None
        next_tick = clock.now().timestamp() + period if period else None
        while not self._stop.is_set():
            timeout = None if next_tick is None else max(0.0, next_tick - clock.now().timestamp())
            try:
                seminar_id = self._queue.get(timeout=min(timeout, 5.0) if timeout is not None else None)
            except queue.Empty:
                seminar_id = None
            if self._stop.is_set():
                break
            if seminar_id is not None:
                with self._lock:
                    self._pending.discard(seminar_id)
                self._write(seminar_id)
            if next_tick is not None and clock.now().timestamp() >= next_tick:
                self.tick()
                next_tick = clock.now().timestamp() + period
            with self._lock:
                if not self._pending and self._queue.empty():
                    self.idle.set()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until the queued snapshots are written (tests)."""
        return self.idle.wait(timeout)


snapshotter = Snapshotter()
