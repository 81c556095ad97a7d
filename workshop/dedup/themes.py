"""Theme groups: a handful of groups that split one kind of card of a wall, each with a short label.

Cards are compared as for duplicates (``similar.Wall``), then joined by average linkage
down to ``group_count(n)`` groups (2 to 7, more for larger walls) as long as groups still
have something in common (so there may be fewer). The largest groups are kept; a card left alone joins the kept
group it resembles most on average, or "other" when it resembles none.
A group's label is the word shared by at least half of its cards, and by two at least (its
concept name when it comes from the synonym list; ties: the rarer on the wall), and the next
one if it is shared as widely: "Eau · sécheresse". A group whose cards share no word that
widely has no label (``""``): the console names it "Thème 1", "Thème 2"… and shows its most
frequent words with how many of its cards have each (``frequent``), for the facilitators to
name it.
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
FREQUENT = 3       # words of ``ProposedGroup.frequent``


@dataclass(frozen=True)
class ProposedGroup:
    label: str                 # words at least half its cards share; "" when none is, and for "other"
    card_ids: tuple[int, ...]  # in the order given
    other: bool = False        # the cards that fit no group
    #: without a label: its most frequent words (each on two cards at least), with how many cards have each
    frequent: tuple[tuple[str, int], ...] = ()


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
    out = []
    for group in members:
        words = shared_words(wall, group)
        text = label(words, len(group))
        out.append(ProposedGroup(text, tuple(card_ids[i] for i in sorted(group)),
                                 frequent=() if text else tuple((w, c) for w, c in words[:FREQUENT] if c >= 2)))
    out.sort(key=lambda g: -len(g.card_ids))
    if other:
        out.append(ProposedGroup("", tuple(card_ids[i] for i in sorted(other)), other=True))
    return out


def shared_floor(size: int) -> int:
    """How many of a group's cards must have a word for it to be in the group's label: half, two at least."""
    return max(2, math.ceil(size / 2))


def label(words: Sequence[tuple[str, int]], size: int) -> str:
    """The first two of ``words`` that at least half of the ``size`` cards share (two at least);
    "" when none is."""
    text = " · ".join(word for word, count in words[:2] if count >= shared_floor(size))
    return (text[:1].upper() + text[1:])[:MAX_LABEL]


def shared_words(wall: Wall, members: Sequence[int]) -> list[tuple[str, int]]:
    """The members' words (a concept's name, or a stem's most written form), each with how many
    members have it, most shared first (ties: the rarer on the wall); direction words left out."""
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
    return [(written[k].most_common(1)[0][0], counts[k]) for k in ranked]
