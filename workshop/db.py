"""The one session helper for the database.

``Database.write()`` is a unit of work: it commits on success and rolls back on any
error, so a service either changes everything it meant to or nothing. On SQLite, write
transactions start with ``BEGIN IMMEDIATE`` so two writers queue on the file lock instead
of failing half-way with "database is locked"; readers use plain ``BEGIN`` and, with WAL,
never block writers. Within one process, SQLite writers also queue on a lock: SQLite's
own busy wait polls with sleeps of up to 100 ms, which under a burst of votes from many
threads made some votes wait for seconds (see bench/load_benchmark.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from workshop import config

_WRITE_OPTION = "workshop_write"


class Database:
    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = url or config.database_url()
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict = {"echo": echo, "future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["pool_size"] = 10
            kwargs["max_overflow"] = 20
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time: this process's writers take turns here (first come,
        # first served) rather than in SQLite's sleeping busy handler. Re-entrant, so a nested
        # write fails on SQLite's lock as before instead of hanging.
        self._write_turn = threading.RLock() if self.is_sqlite else nullcontext()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back otherwise."""
        with self._write_turn:
            session = self._write()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; anything it changes is thrown away.

        Closing (not rolling back) ends the transaction while keeping loaded objects
        readable after the block, detached.
        """
        session = self._read()
        try:
            yield session
        finally:
            session.close()

    def create_schema(self) -> None:
        """Bring the schema to the latest migration (Alembic), creating it if needed."""
        from workshop.migrate import upgrade

        upgrade(self)

    def dispose(self) -> None:
        self.engine.dispose()


def owner_only(path: Path) -> None:
    """The database file readable by its owner only (it holds the room's words and token hashes).

    Created empty with mode 0600 before SQLite opens it, so SQLite gives its -wal and -shm
    files the same mode; an older file (and its companions) is tightened the same way.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                 path.with_name(path.name + "-journal")):
        try:
            if each.stat().st_mode & 0o077:
                each.chmod(0o600)
        except FileNotFoundError:
            continue
        except PermissionError:  # somebody else's file: leave it, SQLite will say if it cannot use it
            continue


def _configure_sqlite(engine: Engine) -> None:
    url = engine.url
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        path = Path(url.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        owner_only(path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - driver hook
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: each commit reaches the disk before the tablet is told "saved", so even a
        # power cut of the facilitator's laptop keeps every acknowledged vote (NORMAL only
        # survives a killed process). About 0.3 ms per commit on the CI machine.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # pragma: no cover - driver hook
        if conn.get_execution_options().get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


_default: Database | None = None


def get_database() -> Database:
    """The process-wide database, created on first use from the environment."""
    global _default
    if _default is None:
        _default = Database()
    return _default


def set_database(database: Database | None) -> None:
    global _default
    _default = database
