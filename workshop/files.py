"""Files that must never be half-written: snapshots, archives rewritten after an erasure."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_json_durably(path: Path, data: Any, *, indent: int = 1) -> None:
    """Write ``data`` as UTF-8 JSON to ``path`` so that a crash leaves the old file or the new one.

    The text goes to a temporary file of the same folder (created owner-only, 0600), is flushed
    to disk, then renamed over ``path``; the folder is synced so the rename survives a power cut.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=indent)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
