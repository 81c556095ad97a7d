"""``workshop backup`` / ``workshop restore``: a whole server into one file and back.

PostgreSQL: two throw-away databases on the test server (``TEST_POSTGRES_URL``'s server):
the demo seminars and a snapshot are backed up with the real command (``pg_dump``), restored
into the empty one (``pg_restore``), and every seminar is found again with its cards,
participants and votes. SQLite: the online backup API, with rotation.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from live_server import server_env
from workshop.backup import BackupError, backup, backups_in, restore
from workshop.db import Database
from workshop.demo import ensure_demos
from workshop.models import Card, DotVote, Participant, Seminar

ROOT = Path(__file__).resolve().parent.parent


def _seminars(db: Database) -> dict[str, tuple]:
    """Every seminar by join code: title, territory, and its cards, participants, votes."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(Seminar.id, Seminar.join_code, Seminar.title, Seminar.territory)).all()
        found = {}
        for sid, code, title, territory in rows:
            cards = conn.execute(select(func.count()).select_from(Card).where(Card.seminar_id == sid)).scalar()
            people = conn.execute(select(func.count()).select_from(Participant)
                                  .where(Participant.seminar_id == sid)).scalar()
            votes = conn.execute(select(func.sum(DotVote.dots)).join(Card, DotVote.card_id == Card.id)
                                 .where(Card.seminar_id == sid)).scalar()
            found[code] = (title, territory, cards, people, votes)
    return found


def _cli(args: list[str], data_dir: Path, database_url: str) -> subprocess.CompletedProcess:
    env = server_env(data_dir, database_url)
    return subprocess.run([sys.executable, "-m", "workshop", *args], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture
def throwaway_databases():
    """Creates empty PostgreSQL databases on the test server; drops them afterwards."""
    from conftest import POSTGRES_URL

    admin = create_engine(make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        if os.environ.get("WORKSHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL} ({exc})")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({exc})")
    made: list[str] = []

    def create() -> str:
        name = f"v21_backup_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    yield create
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_postgresql_backup_restores_every_seminar_into_an_empty_database(throwaway_databases, tmp_path):
    source_url, target_url = throwaway_databases(), throwaway_databases()
    source = Database(source_url)
    source.create_schema()
    ensure_demos(source)
    expected = _seminars(source)
    assert len(expected) == 2 and all(cards and people and votes for _t, _p, cards, people, votes in expected.values())
    source.dispose()
    first_data, second_data = tmp_path / "server-1", tmp_path / "server-2"
    snapshot = first_data / "snapshots" / "1" / "20261203T101500.000000Z.json"
    snapshot.parent.mkdir(parents=True)
    snapshot.write_text('{"snapshot": "of seminar 1"}')

    done = _cli(["backup", "--to", str(tmp_path / "backups")], first_data, source_url)
    assert done.returncode == 0, done.stderr
    assert "Sauvegarde écrite" in done.stdout and "2 séminaires, 1 instantané" in done.stdout
    [file] = backups_in(tmp_path / "backups")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # participants' names inside

    done = _cli(["restore", str(file)], second_data, target_url)
    assert done.returncode == 0, done.stderr
    assert "Sauvegarde restaurée : 2 séminaires" in done.stdout
    target = Database(target_url)
    assert _seminars(target) == expected
    restored_snapshot = second_data / "snapshots" / "1" / snapshot.name
    assert restored_snapshot.read_text() == snapshot.read_text()

    # a second restore into the now full database is refused; nothing changes
    done = _cli(["restore", str(file)], second_data, target_url)
    assert done.returncode == 1
    assert "la base visée n'est pas vide" in done.stderr
    assert _seminars(target) == expected
    target.dispose()


def test_sqlite_backups_rotate_and_restore_into_a_new_data_directory(tmp_path, monkeypatch):
    source_dir, target_dir = tmp_path / "laptop", tmp_path / "new-laptop"
    source_dir.mkdir()
    source_url = f"sqlite:///{source_dir / 'workshop.sqlite3'}"
    source = Database(source_url)
    source.create_schema()
    ensure_demos(source)
    expected = _seminars(source)
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(source_dir))
    folder = tmp_path / "backups"
    made = [backup(source_url, folder, keep=2) for _ in range(3)]  # the server keeps running meanwhile
    source.dispose()
    assert backups_in(folder) == [made[1].path, made[2].path]  # the oldest deleted
    assert made[2].removed == (made[0].path,) and made[2].seminars == 2

    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(target_dir))
    target_url = f"sqlite:///{target_dir / 'workshop.sqlite3'}"
    assert restore(made[2].path, target_url).seminars == 2
    target = Database(target_url)
    assert _seminars(target) == expected
    target.dispose()
    with pytest.raises(BackupError, match="n'est pas vide"):
        restore(made[2].path, target_url)


def test_restore_refuses_what_is_not_a_backup_and_a_backup_of_another_kind(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    not_a_backup = tmp_path / "visions21-notes.tar.gz"
    not_a_backup.write_text("pas une sauvegarde")
    target_url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    with pytest.raises(BackupError, match="n'est pas une sauvegarde de Visions"):
        restore(not_a_backup, target_url)
    source_url = f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    Database(source_url).create_schema()
    made = backup(source_url, tmp_path / "backups")
    with pytest.raises(BackupError, match="vient d'une base sqlite"):
        restore(made.path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not (tmp_path / "new.sqlite3").exists()
