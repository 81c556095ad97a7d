"""Grouping cards of several territories that say the same thing in different words.

"Désertification médicale" (Amiens) and "désert médical en zone rurale" (Sud de l'Aisne)
are one recurring threat; "fermeture des commerces" and "fermeture des usines" are not.

How, step by step (deterministic, explainable to the staff who read the synthesis):

1. **Words**: the text is split into words (hyphens and apostrophes split too: "centre-bourg",
   "l'énergie"), lower-cased; French function words are dropped (the project's list, from the
   word cloud, plus a few words of card phrasing such as "comment").
2. **Stems**: each word is reduced to its stem by the Snowball French stemmer (the
   ``snowballstemmer`` package: "médicale", "médical" -> "médical"; "rurales" -> "rural"),
   then accents are folded (people type "desert" for "désert").
3. **Matching stems**: two stems match when they are equal, or when one extends the other
   and the shorter has at least ``MIN_PREFIX`` letters ("désert" / "désertif", from
   "désertification": Snowball keeps derivations apart, the prefix rule joins them).
4. **Similarity**: Dice coefficient on matched stems, 2 x matches / (stems of A + stems of B),
   0 (nothing shared) to 1 (same stems). Each stem is matched at most once.
5. **Groups**: cards are taken most voted first (then territory, then card id); each joins
   the existing group whose members it resembles most *on average*, if that average is at
   least ``THRESHOLD``, otherwise it starts a group. Averaging over the members (rather than
   "close to any member") keeps chains A~B~C from gluing unrelated A and C together.

``THRESHOLD = 0.55`` separates the two examples above: 0.67 for the medical desert, 0.5 for
the shops and the factories (one shared stem out of two each).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from workshop.services.wordcloud import FRENCH_STOP_WORDS

THRESHOLD = 0.55
MIN_PREFIX = 5
#: Words of the way cards are phrased ("Comment … ?" challenges) that say nothing of the topic.
EXTRA_STOP_WORDS = frozenset("""
comment quel quelle quels quelles quand chaque sous selon dès après avant depuis autour faire face
être avoir peut doit""".split())

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A Snowball stemmer keeps the word being stemmed in itself: one per thread, or two threads
# stemming at once (the console's duplicate suggestions and a report export) corrupt each other.
_LOCAL = threading.local()


def _stemmer():
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("french")
    return stemmer


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_STOPS = frozenset(fold(w).casefold() for w in FRENCH_STOP_WORDS | EXTRA_STOP_WORDS)


@lru_cache(maxsize=20_000)
def stems(text: str) -> tuple[str, ...]:
    """The folded stems of a text's meaningful words, in order, without repeats."""
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text).casefold())
             if len(w) > 1 and fold(w) not in _STOPS]
    out = [fold(s) for s in _stemmer().stemWords(words)]
    return tuple(dict.fromkeys(s for s in out if s))


def stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_PREFIX and long.startswith(short)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice coefficient of two stem lists, stems matched one to one (greedy, in order)."""
    if not a or not b:
        return 0.0
    free = list(b)
    matches = 0
    for stem in a:
        for i, other in enumerate(free):
            if stems_match(stem, other):
                matches += 1
                del free[i]
                break
    return 2 * matches / (len(a) + len(b))


def text_similarity(a: str, b: str) -> float:
    return similarity(stems(a), stems(b))


@dataclass
class Group:
    members: list[int] = field(default_factory=list)   # indexes into the items given


def _keys(item_stems: Sequence[str]) -> set[str]:
    """Index keys: two matching stems always share one (the stem, or its first MIN_PREFIX letters)."""
    return {s if len(s) < MIN_PREFIX else s[:MIN_PREFIX] for s in item_stems}


def group_texts(texts: Sequence[str], threshold: float = THRESHOLD) -> list[list[int]]:
    """Group texts given in priority order (most voted first); returns lists of indexes,
    groups in order of creation, members in the order given."""
    all_stems = [stems(t) for t in texts]
    groups: list[list[int]] = []
    index: dict[str, set[int]] = defaultdict(set)   # key -> groups holding a member with that key
    for i, item in enumerate(all_stems):
        keys = _keys(item)
        candidates = sorted({g for k in keys for g in index.get(k, ())})
        best, best_score = None, threshold
        for g in candidates:
            members = groups[g]
            score = sum(similarity(item, all_stems[m]) for m in members) / len(members)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = g, score
        if best is None:
            groups.append([i])
            best = len(groups) - 1
        else:
            groups[best].append(i)
        for k in keys:
            index[k].add(best)
    return groups
