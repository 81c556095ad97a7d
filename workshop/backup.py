"""``workshop backup`` and ``workshop restore``: a whole server's data in one file.

A backup is ``visions21-<UTC time>.tar.gz`` holding:

- ``manifest.json``: when, from which kind of database, the schema revision, how many seminars;
- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``, a consistent snapshot taken
  while the server runs) or ``database.sqlite3`` (SQLite: the online backup API, consistent
  too, the server may keep writing);
- ``snapshots/``: the automatic archive snapshots of running seminars (``<data dir>/snapshots``).

The file is written under a temporary name and renamed when complete (never half a backup
under the real name), readable by its owner only (it holds participants' names); the oldest
backups beyond ``--keep`` in the same folder are then deleted.

``restore`` puts a backup into an **empty** database (no table at all: a new PostgreSQL
database, or no SQLite file yet) and its snapshots into the data directory (files already
there are kept), then brings the schema up to date (a backup of an older version). It refuses
a database that has tables: nothing is overwritten or merged. A backup is restored into the
same kind of database it came from; to move seminars between kinds, use ``workshop archive``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import make_url

from workshop import config

PREFIX = "visions21-"
SUFFIX = ".tar.gz"
FORMAT = 1
DEFAULT_KEEP = 14
PG_DUMP_NAME = "database.pgdump"
SQLITE_NAME = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is French (the command speaks French)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    seminars: int
    snapshots: int
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Restored:
    seminars: int
    snapshots: int
    snapshots_kept: int


def default_folder() -> Path:
    return config.data_dir() / "backups"


def _kind(url: str) -> str:
    return "postgresql" if make_url(url).get_backend_name() == "postgresql" else "sqlite"


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A URI for pg_dump / pg_restore, and the environment carrying the password (not on the command line)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} est introuvable : installez le paquet Debian postgresql-client "
                          f"(de la version du serveur PostgreSQL ou plus récent)")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise BackupError(f"{what} a échoué ({command[0]}, code {done.returncode}) :\n{said}")


def _count_seminars(url: str) -> int:
    from workshop.models import Seminar

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Seminar)).scalar_one()
    finally:
        engine.dispose()


def _schema_revision(url: str) -> str | None:
    from sqlalchemy import text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def backup(url: str | None = None, folder: Path | None = None, keep: int = DEFAULT_KEEP) -> Backup:
    """Write one backup file of the database at ``url`` and the snapshots; rotate the folder."""
    from workshop.snapshots import snapshots_dir

    url = url or config.database_url()
    folder = Path(folder) if folder else default_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    kind = _kind(url)
    now = datetime.now(timezone.utc)
    final = folder / f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S.%fZ')}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        work_dir = Path(work)
        if kind == "postgresql":
            uri, env = _libpq(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={work_dir / PG_DUMP_NAME}",
                  f"--dbname={uri}"], env, "La sauvegarde de la base PostgreSQL")
            database_file = work_dir / PG_DUMP_NAME
        else:
            source_path = make_url(url).database
            if not source_path or not Path(source_path).exists():
                raise BackupError(f"la base SQLite {source_path} n'existe pas")
            database_file = work_dir / SQLITE_NAME
            _sqlite_copy(sqlite3.connect(f"file:{source_path}?mode=ro", uri=True), database_file)
        seminars = _count_seminars(url)
        snapshot_root = snapshots_dir()
        snapshot_files = sorted(p for p in snapshot_root.rglob("*.json") if p.is_file()) if snapshot_root.exists() else []
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": kind,
                    "schema_revision": _schema_revision(url), "seminars": seminars,
                    "snapshots": len(snapshot_files)}
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = work_dir / "backup.partial"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work_dir / "manifest.json", arcname="manifest.json")
            tar.add(database_file, arcname=database_file.name)
            for path in snapshot_files:
                tar.add(path, arcname=str(PurePosixPath("snapshots", *path.relative_to(snapshot_root).parts)))
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        partial.chmod(0o600)
        os.replace(partial, final)
    return Backup(final, seminars, len(snapshot_files), tuple(rotate(folder, keep)))


def backups_in(folder: Path) -> list[Path]:
    """The backups of a folder, oldest first (their names sort by time)."""
    return sorted(p for p in Path(folder).glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest backups beyond the ``keep`` newest; returns what was deleted."""
    found = backups_in(folder)
    removed = found[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def _database_is_empty(url: str) -> bool:
    if _kind(url) == "sqlite":
        path = make_url(url).database
        if not path or not Path(path).exists() or Path(path).stat().st_size == 0:
            return True
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"fichier de sauvegarde refusé : chemin suspect {name!r}")
    return path


def restore(file: Path, url: str | None = None) -> Restored:
    """Restore a backup into an empty database and the data directory's snapshots."""
    from workshop.db import Database
    from workshop.snapshots import snapshots_dir

    url = url or config.database_url()
    file = Path(file)
    if not file.is_file():
        raise BackupError(f"le fichier {file} n'existe pas")
    try:
        tar = tarfile.open(file, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{file} n'est pas une sauvegarde de Visions +21 (archive illisible : {exc})") from None
    with tar, tempfile.TemporaryDirectory(prefix="visions21-restore-") as work:
        work_dir = Path(work)
        members = {}
        for member in tar.getmembers():
            if not member.isfile():
                continue
            members[str(_member_path(member.name))] = member
        if "manifest.json" not in members:
            raise BackupError(f"{file} n'est pas une sauvegarde de Visions +21 (pas de manifest.json)")
        try:
            manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
        except (ValueError, tarfile.TarError) as exc:
            raise BackupError(f"le manifeste de {file} est illisible ({exc})") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"format de sauvegarde {manifest.get('format')!r} inconnu de cette version")
        source_kind, target_kind = manifest.get("database"), _kind(url)
        if source_kind != target_kind:
            raise BackupError(f"cette sauvegarde vient d'une base {source_kind} ; la base visée est {target_kind}. "
                              f"Restaurez-la dans une base du même type (pour déplacer des séminaires d'un type "
                              f"à l'autre : workshop archive export / import)")
        database_name = PG_DUMP_NAME if source_kind == "postgresql" else SQLITE_NAME
        if database_name not in members:
            raise BackupError(f"{file} ne contient pas la base ({database_name})")
        if not _database_is_empty(url):
            raise BackupError("la base visée n'est pas vide : la restauration ne remplace ni ne fusionne rien. "
                              "Créez une base vide (PostgreSQL : createdb) ou déplacez le fichier SQLite, puis "
                              "recommencez")
        extracted = work_dir / database_name
        with tar.extractfile(members[database_name]) as source, open(extracted, "wb") as target:
            shutil.copyfileobj(source, target)
        if source_kind == "postgresql":
            uri, env = _libpq(url)
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={uri}", str(extracted)], env, "La restauration de la base PostgreSQL")
        else:
            target_path = Path(make_url(url).database)
            target_path.parent.mkdir(parents=True, exist_ok=True)
            partial = target_path.with_name(target_path.name + ".restoring")
            _sqlite_copy(sqlite3.connect(extracted), partial)
            partial.chmod(0o600)
            os.replace(partial, target_path)
        snapshot_root = snapshots_dir()
        restored = kept = 0
        for name, member in members.items():
            parts = PurePosixPath(name).parts
            if parts[0] != "snapshots" or len(parts) < 2:
                continue
            destination = snapshot_root.joinpath(*parts[1:])
            if destination.exists():
                kept += 1
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source, open(destination, "wb") as target:
                shutil.copyfileobj(source, target)
            restored += 1
    database = Database(url)
    try:
        database.create_schema()  # a backup of an older version: its schema brought up to date
    finally:
        database.dispose()
    return Restored(_count_seminars(url), restored, kept)


def _sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """SQLite's online backup API from an open connection into a new file; both closed after."""
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
