"""Shared fixtures: every service test runs on SQLite and on PostgreSQL.

PostgreSQL is found at ``TEST_POSTGRES_URL`` (default: the CI machine's server at
127.0.0.1:5432, database ``test``). Each test run works in a schema of its own, emptied
between tests. When no server answers, the PostgreSQL half is skipped with a message in
the summary, never silently; with ``WORKSHOP_REQUIRE_POSTGRES=1`` (set by CI) it fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from workshop.content import default_kit, find_run_sheet
from workshop.db import Database, set_database
from workshop.demo import Demo
from workshop.models import Base, College
from workshop.services import participants, seminars

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_postgres_problem: str | None = None


def _postgres_schema_url() -> tuple[str | None, str | None]:
    """A fresh schema for this run, or the reason PostgreSQL cannot be used."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        schema = f"ws_test_{uuid.uuid4().hex[:10]}"
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as exc:  # no server, bad auth, no database…
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}", schema


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.create_schema()
    db.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[Database | None]:
    global _postgres_problem
    url, schema_or_reason = _postgres_schema_url()
    if url is None:
        _postgres_problem = schema_or_reason
        yield None
        return
    db = Database(url)
    db.create_schema()
    yield db
    db.dispose()
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema_or_reason}" CASCADE'))
    engine.dispose()


def _empty_postgres(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path, _sqlite_template) -> Iterator[Database]:
    """An empty, migrated database; SQLite then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "workshop.sqlite3"
        shutil.copy(_sqlite_template, path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    pg = request.getfixturevalue("_postgres_database")
    if pg is None:
        message = f"PostgreSQL not reachable at {POSTGRES_URL} ({_postgres_problem}): PostgreSQL run skipped"
        if os.environ.get("WORKSHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    _empty_postgres(pg)
    yield pg


# Tests that drive real servers, sockets or Chromium and wait on them: under pytest-xdist (``make
# test`` runs two workers) they form one group, played one after another on a single worker while
# the other worker runs the rest, so two browsers never compete for a 2-core machine.
LIVE_FILES = {"test_crash_restart.py", "test_hosting.py", "test_ping_setting.py", "test_snapshots.py",
              "test_socket_guard.py", "test_workers.py"}


def _live(item) -> bool:
    return "e2e" in item.keywords or item.path.name in LIVE_FILES


def pytest_itemcollected(item) -> None:
    # as each test is collected: xdist reads the groups in its own pytest_collection_modifyitems
    if hasattr(item.config, "workerinput") and _live(item):
        item.add_marker(pytest.mark.xdist_group("live"))


def pytest_collection_modifyitems(config, items) -> None:
    """Without xdist: end-to-end tests (the slowest) run last. Under xdist (where only workers
    collect): the live group comes first, so its worker starts on it at once."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: not _live(item))
    else:
        items.sort(key=lambda item: "e2e" in item.keywords)


def pytest_terminal_summary(terminalreporter) -> None:
    # under xdist the workers hold _postgres_problem; the controller sees their skip reports
    skipped = [r.longrepr[2] if isinstance(r.longrepr, tuple) else str(r.longrepr)
               for r in terminalreporter.stats.get("skipped", [])]  # (path, line, message)
    reason = _postgres_problem or next((s for s in skipped if "PostgreSQL not reachable" in s), None)
    if reason:
        terminalreporter.write_sep("!", "PostgreSQL tests SKIPPED", yellow=True, bold=True)
        terminalreporter.write_line(reason if not _postgres_problem
                                    else f"PostgreSQL not reachable at {POSTGRES_URL}: {_postgres_problem}")


@pytest.fixture(scope="session")
def kit():
    return default_kit()


@pytest.fixture(scope="session")
def two_days(kit):
    return find_run_sheet("deux-jours")


@pytest.fixture
def seminar(db, kit, two_days) -> seminars.CreatedSeminar:
    """A two-day seminar with four tables, nothing started yet."""
    return seminars.create_seminar(
        db, title="Séminaire Visions +21", territory="Amiens Métropole", horizon_year=2055,
        run_sheet=two_days, kit=kit, day_dates=[date(2026, 12, 3), date(2026, 12, 4)],
        group_names=["Table 1", "Table 2", "Table 3", "Table 4"], facilitator_secret="animation-2026",
    )


@pytest.fixture
def join(db, seminar):
    """Join the seminar as a new participant: ``join("Alice")`` returns the Joined record."""

    def _join(name: str, college: College = College.RESIDENT, group_id: int | None = None):
        return participants.join(db, seminar.join_code, display_name=name, college=college, group_id=group_id)

    return _join


@pytest.fixture
def fake_clock(monkeypatch):
    """Control ``workshop.clock.now``: starts at the real time, moves only with ``advance()``."""
    from datetime import datetime, timezone

    from seminar_helpers import FakeClock

    clock = FakeClock(datetime.now(timezone.utc).replace(microsecond=0))
    monkeypatch.setattr("workshop.clock.now", clock)
    return clock


@pytest.fixture
def ui_db(tmp_path) -> Iterator[Database]:
    """The embedded database the pages under test use (UI tests run on SQLite only)."""
    database = Database(f"sqlite:///{tmp_path / 'ui.sqlite3'}")
    database.create_schema()
    set_database(database)
    yield database
    set_database(None)
    database.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> tuple[Path, Demo]:
    """The demo seminar built once; each test gets a copy of the database file."""
    path = tmp_path_factory.mktemp("ui-demo") / "demo.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.create_schema()
    from workshop.demo import build_demo

    demo = build_demo(database)
    database.dispose()
    return path, demo


@pytest.fixture
def demo(tmp_path, _demo_template) -> Iterator[tuple[Database, Demo]]:
    """The demo seminar (Amiens, in progress) on a fresh copy, as the pages' database."""
    template, built = _demo_template
    path = tmp_path / "ui.sqlite3"
    shutil.copy(template, path)
    database = Database(f"sqlite:///{path}")
    set_database(database)
    yield database, built
    set_database(None)
    database.dispose()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit buckets are process-wide: each test starts with full ones."""
    from workshop.services import ratelimit

    ratelimit.reset_all()
    yield
    ratelimit.reset_all()


@pytest.fixture(autouse=True)
def _one_workshop_package():
    """Keep one ``workshop`` package for the whole run.

    After each simulated-user test, NiceGUI drops the modules that registered pages and
    all their parent packages (``workshop``, ``workshop.ui``…) from ``sys.modules``, so the
    next import builds a second ``workshop`` package beside modules still bound to the first
    (``workshop.clock`` then cannot be patched by name). Our pages register in
    ``create_app()``, not at import, so the original modules can simply be put back.
    """
    import importlib
    import sys

    from workshop.ui import app as ui_app

    for name in ui_app.PAGE_MODULES:
        importlib.import_module(f"workshop.ui.{name}")
    before = {name: module for name, module in sys.modules.items()
              if name == "workshop" or name.startswith("workshop.")}
    yield
    sys.modules.update(before)

