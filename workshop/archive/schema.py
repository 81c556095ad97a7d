"""The published JSON Schema of the archive, and its problems told in words people read."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from workshop import config
from workshop.archive.errors import ArchiveError

FORMAT = "visions21-seminar-archive"
VERSION = 1
SCHEMA_PATH = config.PROJECT_ROOT / "schemas" / "seminar-archive.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) published at ``schemas/seminar-archive.schema.json``."""
    return json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(data: Any) -> None:
    """Raise an ``ArchiveError`` naming the first problem unless ``data`` matches the schema."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError("archive_not_archive", path="$.format")
    if data.get("version") != VERSION:
        raise ArchiveError("archive_unsupported_version", path="$.version", version=show(data.get("version")),
                           supported=VERSION)
    errors = list(_validator().iter_errors(data))
    if errors:
        # The first problem in reading order (a problem of a whole object before those inside it).
        first = min(_position(data, e.absolute_path) for e in errors)
        here = [e for e in errors if _position(data, e.absolute_path) == first]
        raise to_archive_error(best_match(here), others=len(errors) - 1)


def _position(data: Any, path) -> tuple[int, ...]:
    out, node = [], data
    for key in path:
        if isinstance(node, dict):
            out.append(list(node).index(key) if key in node else len(node))
        else:
            out.append(key)
        node = node[key] if isinstance(node, dict) and key in node or isinstance(node, list) else None
    return tuple(out)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def show(value: Any, limit: int = 60) -> str:
    """A value as it reads in the file, shortened for a message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_archive_error(error: ValidationError, *, others: int = 0) -> ArchiveError:
    path, keyword, value, instance = error.json_path, error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = next((name for name in value if name not in instance), value[0])
        return ArchiveError("archive_missing_field", others=others, path=path, name=missing)
    if keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(name for name in instance if name not in known)
        return ArchiveError("archive_unknown_field", others=others, path=path, name=", ".join(extra))
    if keyword == "type":
        expected = [value] if isinstance(value, str) else list(value)
        return ArchiveError("archive_wrong_type", others=others, path=path, expected=expected,
                            found=json_type(instance))
    if keyword in ("enum", "const"):
        allowed = value if keyword == "enum" else [value]
        return ArchiveError("archive_bad_value", others=others, path=path, value=show(instance),
                            allowed=", ".join(show(a) for a in allowed))
    if keyword == "minimum":
        return ArchiveError("archive_too_small", others=others, path=path, value=show(instance), limit=value)
    if keyword == "maximum":
        return ArchiveError("archive_too_large", others=others, path=path, value=show(instance), limit=value)
    if keyword == "maxLength":
        return ArchiveError("archive_too_long", others=others, path=path, length=len(instance), limit=value)
    if keyword == "minLength" and value == 1:
        return ArchiveError("archive_empty_text", others=others, path=path)
    if keyword in ("pattern", "format"):
        examples = error.schema.get("examples") or ["?"]
        return ArchiveError("archive_bad_format", others=others, path=path, value=show(instance),
                            example=examples[0])
    return ArchiveError("archive_schema", others=others, path=path, detail=error.message[:200])
