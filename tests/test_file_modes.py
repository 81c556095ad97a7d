"""Files that hold the room's data or device tokens are readable by their owner only (0600)."""

from __future__ import annotations

import os
import stat

from nicegui.persistence.file_persistent_dict import FilePersistentDict

from workshop.db import Database
from workshop.ui.app import protect_files


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_sqlite_database_and_its_wal_are_owner_only(tmp_path):
    old = os.umask(0o022)  # a usual umask: files would be 0644
    try:
        db = Database(f"sqlite:///{tmp_path / 'workshop.sqlite3'}")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        files = sorted(tmp_path.glob("workshop.sqlite3*"))
        assert [p.name for p in files][:2] == ["workshop.sqlite3", "workshop.sqlite3-shm"]
        assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
        db.engine.dispose()
    finally:
        os.umask(old)


def test_an_older_world_readable_database_is_tightened(tmp_path):
    path = tmp_path / "old.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    Database(f"sqlite:///{path}").engine.dispose()
    assert _mode(path) == 0o600


def test_browser_storage_files_are_owner_only(tmp_path):
    storage = tmp_path / "browser-storage"
    storage.mkdir()
    older = storage / "storage-user-old.json"
    older.write_text("{}")
    older.chmod(0o644)
    old = os.umask(0o022)
    try:
        protect_files(storage)
        store = FilePersistentDict(storage / "storage-user-new.json")
        store["devices"] = {"1": "raw-device-token"}  # written at once: no event loop here
        assert _mode(storage / "storage-user-new.json") == 0o600
        assert _mode(older) == 0o600
        assert _mode(storage) == 0o700
    finally:
        os.umask(old)
