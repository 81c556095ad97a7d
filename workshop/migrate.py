"""Schema migrations with Alembic, driven from code (no alembic.ini to find).

``upgrade(db)`` brings any database, new or old, to the latest revision; the app and the
tests call it at start-up. Developers add a revision with
``python -m workshop.migrate revision -m "what changed"`` (autogenerate against SQLite).
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from workshop.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    command.upgrade(alembic_config(db), revision)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    db = Database()
    cfg = alembic_config(db)
    if argv[:1] == ["revision"]:
        message = argv[argv.index("-m") + 1] if "-m" in argv else "change"
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True)
    else:
        command.upgrade(cfg, "head")


if __name__ == "__main__":
    main()
