"""The lossless JSON seminar archive: backup, restore, moving a seminar between machines.

``export_seminar``/``write_archive`` write everything of one seminar (cards, votes, ratings,
links, trajectories, moderation history, timings, notes, the facilitator secret's hash,
device token hashes) as JSON matching ``schemas/seminar-archive.schema.json``;
``import_seminar`` reads one back as a new seminar, or refuses it with an ``ArchiveError``
that says where and why, changing nothing. Domain layer only: no UI here.
"""

from workshop.archive.errors import ArchiveError
from workshop.archive.exporting import default_archive_path, export_seminar, slugify, write_archive
from workshop.archive.importing import ImportResult, check_archive, import_seminar, read_archive
from workshop.archive.schema import FORMAT, SCHEMA_PATH, VERSION, load_schema

__all__ = ["ArchiveError", "FORMAT", "ImportResult", "SCHEMA_PATH", "VERSION", "check_archive",
           "default_archive_path", "export_seminar", "import_seminar", "load_schema", "read_archive", "slugify",
           "write_archive"]
