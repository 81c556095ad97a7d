"""Theme groups: a handful of groups that split one kind of card of a wall, each with a short label.

Cards are compared as for duplicates (``similar.Wall``), then joined by average linkage
down to ``group_count(n)`` groups (2 to 7, more for larger walls) as long as groups still
have something in common (so there may be fewer). The largest groups are kept; a card left alone joins the kept
group it resembles most on average, or "other" (label ``""``) when it resembles none.
A group's label is the word most of its cards share (its concept name when it comes from
the synonym list), and the next one if it is shared too: "Eau · sécheresse".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.dedup.similar import Wall, average_linkage
from workshop.dedup.text import WEAK_CONCEPTS

JOIN_FLOOR = 0.03   # groups with less in common than this are not joined
MAX_LABEL = 40


@dataclass(frozen=True)
class ProposedGroup:
    label: str                 # "" for the cards that fit no group
    card_ids: tuple[int, ...]  # in the order given


def group_count(n: int) -> int:
    return max(2, min(7, round(math.sqrt(n / 2.5))))


def propose(card_ids: Sequence[int], texts: Sequence[str], *, groups: int | None = None) -> list[ProposedGroup]:
    """Groups of one kind of card, largest first; "other" last when some cards fit nowhere."""
    n = len(texts)
    if n == 0:
        return []
    wall = Wall(texts)
    pairs = wall.pairs(list(range(n)), floor=0.01)
    wanted = groups or group_count(n)
    found = average_linkage(n, pairs, threshold=JOIN_FLOOR, target=wanted)
    found.sort(key=lambda g: (-len(g), g[0]))
    kept = [g for g in found if len(g) >= 2][:wanted]
    members = [list(g) for g in kept]
    other: list[int] = []
    for group in found:
        if group in kept:
            continue
        for i in group:
            best, best_score = None, JOIN_FLOOR
            for index, candidates in enumerate(kept):
                score = sum(pairs.get((min(i, j), max(i, j)), 0.0) for j in candidates) / len(candidates)
                if score >= best_score:
                    best, best_score = index, score
            (members[best] if best is not None else other).append(i)
    out = [ProposedGroup(label(wall, g), tuple(card_ids[i] for i in sorted(g))) for g in members]
    out.sort(key=lambda g: -len(g.card_ids))
    if other:
        out.append(ProposedGroup("", tuple(card_ids[i] for i in sorted(other))))
    return out


def label(wall: Wall, members: Sequence[int]) -> str:
    """The word most members share (ties: the rarer on the wall), and a second one shared by two or more."""
    counts: Counter[str] = Counter()
    written: dict[str, Counter[str]] = {}
    for i in members:
        for term in wall.terms[i]:
            if term.key.startswith("c:") and term.key[2:] in WEAK_CONCEPTS:
                continue
            counts[term.key] += 1
            shown = term.key[2:] if term.key.startswith("c:") else term.word.casefold()
            written.setdefault(term.key, Counter())[shown] += 1
    ranked = sorted(counts, key=lambda k: (-counts[k], -wall.term_idf.get(k, 0.0), k))
    words = [written[k].most_common(1)[0][0] for k in ranked[:2] if counts[k] >= (1 if k == ranked[0] else 2)]
    text = " · ".join(words)
    return (text[:1].upper() + text[1:])[:MAX_LABEL]
