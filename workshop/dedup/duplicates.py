"""Duplicate suggestions: cards of one wall that probably say the same thing.

Only cards of the same kind are compared (a threat is never a duplicate of a stake, and
the merge refuses different kinds). Suggestions are small groups (at most ``MAX_GROUP``
cards) whose average similarity (``similar.Wall``) is at least ``THRESHOLD`` (``THRESHOLD_WORDS``
when the word vectors are missing); pairs the
facilitator dismissed are never suggested together again. Pure and deterministic: the
same cards give the same suggestions, in the same order (best first).

Cards are compared with the French word vectors of ``vectors.load()`` when they are installed
(soft term cosine, see ``similar``), else by their words alone.

Both thresholds were chosen on the *tuning* walls of bench/dedup_benchmark.py (held-out
walls only measure them): each is the lowest value, in steps of 0.01, whose precision there
stays at or above 0.82 (the target is 0.8). ``--loo`` checks the rule by choosing the
threshold on all tuning walls but one and scoring the one left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workshop.dedup import vectors
from workshop.dedup.similar import Wall, average_linkage

THRESHOLD = 0.37
THRESHOLD_WORDS = 0.33
MAX_GROUP = 4
#: Every pair of a suggested group is at least this similar (relative to THRESHOLD).
MIN_PAIR = 0.75


@dataclass(frozen=True)
class CardText:
    id: int
    kind: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    card_ids: tuple[int, ...]   # in the order the cards were given
    score: float                # mean similarity of the group's pairs, 0..1
    shared: tuple[str, ...]     # the words they share ("haies", "médecins ≈ médicale")

    @property
    def key(self) -> frozenset[int]:
        return frozenset(self.card_ids)


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def suggest(cards: Sequence[CardText], *, dismissed: Iterable[tuple[int, int]] = (),
            threshold: float | None = None, max_group: int = MAX_GROUP,
            wall: Wall | None = None) -> list[Suggestion]:
    """Groups of probable duplicates among ``cards``, best first.

    ``dismissed``: pairs of card ids the facilitator said are not duplicates. ``wall``: the
    cards' ``similar.Wall`` when already made (by default with the word vectors, if installed).
    ``threshold``: by default ``THRESHOLD`` with word vectors, ``THRESHOLD_WORDS`` without.
    """
    wall = wall or Wall([c.text for c in cards], vectors=vectors.load())
    if threshold is None:
        threshold = THRESHOLD if wall.has_vectors else THRESHOLD_WORDS
    by_kind: dict[str, list[int]] = defaultdict(list)
    for position, card in enumerate(cards):
        by_kind[card.kind].append(position)
    pairs: dict[tuple[int, int], float] = {}
    for members in by_kind.values():
        pairs.update(wall.pairs(members, floor=threshold * 0.5))
    position_of = {card.id: position for position, card in enumerate(cards)}
    apart = [(position_of[a], position_of[b]) for a, b in dismissed if a in position_of and b in position_of]
    groups = average_linkage(len(cards), pairs, threshold=threshold, max_group=max_group, apart=apart,
                             min_pair=threshold * MIN_PAIR)
    out = []
    for group in groups:
        if len(group) < 2:
            continue
        scores = [pairs.get(pair_key(i, j), 0.0) for n, i in enumerate(group) for j in group[n + 1:]]
        out.append(Suggestion(tuple(cards[i].id for i in group), round(sum(scores) / len(scores), 3),
                              tuple(wall.shared_words(group))))
    out.sort(key=lambda s: (-s.score, s.card_ids))
    return out


def suggested_pairs(suggestions: Iterable[Suggestion]) -> set[tuple[int, int]]:
    """Every pair of card ids put together by the suggestions (what the benchmark scores)."""
    out: set[tuple[int, int]] = set()
    for s in suggestions:
        ids = s.card_ids
        out.update(pair_key(a, b) for n, a in enumerate(ids) for b in ids[n + 1:])
    return out
