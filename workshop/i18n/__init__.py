"""Message catalogue: French first, English available.

Messages live in ``fr/*.yaml`` and ``en/*.yaml`` beside this file (one file per area of
the app, merged), keyed by dotted names (``error.vote_budget_exceeded``). Parameters use ``str.format`` syntax. A key missing
in English falls back to French, and a missing key shows the key itself, so a gap is
visible rather than silent.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


@cache
def catalogue(lang: str) -> dict[str, str]:
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    for path in sorted((Path(__file__).parent / lang).glob("*.yaml")):
        walk("", yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return flat


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


t = translate
