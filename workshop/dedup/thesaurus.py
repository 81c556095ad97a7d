"""A general French thesaurus, read from a file installed on the machine: nothing is downloaded.

Debian's package ``mythes-fr`` (LibreOffice's French thesaurus, by Kevin Hendricks, Frédéric
Labbé and Laurent Godard, LGPL-2.1+) puts it in ``/usr/share/mythes/`` in the MyThes format:
``thes_fr.dat`` is UTF-8 text, a first line naming the encoding, then entries of a head line
``word|n`` followed by ``n`` meaning lines ``(Nom Verbe)|synonym|synonym|...``. The ``.idx``
file only gives each entry's byte offset, for looking words up one by one; here the whole
``.dat`` is read once (about 36,000 entries), so the index is not needed.

Words are turned into the same term keys as the cards' (``text.word_key``: the project's folded
Snowball stem, or the concept of the domain's synonym list), so "usines" and "usine" are one
entry, and a synonym that is also in ``lexicon.CONCEPTS`` links to that concept.

Loading happens once, on first use, in the worker thread that asks first. When the file is
missing or unreadable, ``load()`` returns ``None``, says so in the log, and cards are compared
without it.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from workshop.dedup.text import stem_key, word_key

#: Where Debian's mythes-fr installs the French thesaurus (the first one found is read).
PATHS = (Path("/usr/share/mythes/thes_fr.dat"), Path("/usr/share/mythes/th_fr_FR_v2.dat"))
PACKAGE = "mythes-fr"
log = logging.getLogger(__name__)


def read_dat(lines: Iterable[str]) -> Iterator[tuple[str, list[tuple[frozenset[str], list[str]]]]]:
    """The entries of a MyThes ``.dat`` file (its lines, the encoding line first):
    (head word, [(parts of speech, synonyms)]) in file order."""
    it = iter(lines)
    next(it, None)  # the encoding ("UTF-8")
    for head in it:
        word, _bar, count = head.rstrip("\n").rpartition("|")
        if not word or not count.strip().isdigit():
            continue
        meanings = []
        for _ in range(int(count)):
            line = next(it, "")
            pos, *synonyms = line.rstrip("\n").split("|")
            meanings.append((frozenset(pos.strip("()").split()), [s.strip() for s in synonyms if s.strip()]))
        yield word.strip(), meanings


class Thesaurus:
    """A word's stem ("usin", ``text.stem_key``) -> the term keys of its synonyms, as the cards'
    ``text.Term.key`` ("c:entreprise", "s:fabriqu"). Heads are stems, not concepts, so a concept
    of the synonym list does not gather the synonyms of all its words."""

    def __init__(self, synonyms: dict[str, frozenset[str]]) -> None:
        self._synonyms = synonyms

    @classmethod
    def from_lines(cls, lines: Iterable[str], *, min_letters: int = 5,
                   parts_of_speech: frozenset[str] | None = frozenset({"Nom", "Verbe"})) -> Thesaurus:
        """Single words of at least ``min_letters`` letters; only meanings of those parts of
        speech (``None``: all)."""
        keys: dict[str, str | None] = {}

        def key(word: str) -> str | None:
            if word not in keys:
                keys[word] = word_key(word) if len(word) >= min_letters and " " not in word else None
            return keys[word]

        out: dict[str, set[str]] = defaultdict(set)
        for word, meanings in read_dat(lines):
            own = key(word)
            if own is None:
                continue
            head = stem_key(word)
            for pos, synonyms in meanings:
                if parts_of_speech is not None and not pos & parts_of_speech:
                    continue
                out[head].update(k for k in map(key, synonyms) if k is not None and k != own)
        return cls({k: frozenset(v) for k, v in out.items() if v})

    @classmethod
    def from_file(cls, path: Path, **options) -> Thesaurus:
        with path.open(encoding="utf-8") as lines:
            return cls.from_lines(lines, **options)

    def synonyms(self, word: str) -> frozenset[str]:
        """The term keys of the synonyms of this word (as written on a card)."""
        return self._synonyms.get(stem_key(word), frozenset())

    def __len__(self) -> int:
        return len(self._synonyms)


def path() -> Path | None:
    return next((p for p in PATHS if p.is_file()), None)


_lock = threading.Lock()
_loaded: list[Thesaurus | None] = []


def load() -> Thesaurus | None:
    """The installed French thesaurus (read once, thread-safe), or None when it cannot be had."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            found: Thesaurus | None = None
            where = path()
            if where is None:
                log.warning("French thesaurus (Debian package %s) not installed: duplicates are found "
                            "without its synonyms", PACKAGE)
            else:
                try:
                    found = Thesaurus.from_file(where)
                except (OSError, UnicodeDecodeError, ValueError) as exc:
                    log.warning("French thesaurus %s unreadable (%s): duplicates are found without its "
                                "synonyms", where, exc)
            _loaded.append(found)
    return _loaded[0]
