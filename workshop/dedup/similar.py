"""How alike two cards of a wall are, and grouping them by it (average linkage).

A *wall* is the cards being compared together (one seminar's live cards). Each card
becomes two weighted vectors: its terms (``text.terms``: stems, synonyms joined) and its
character 4-grams. Weights are TF-IDF over the wall: a term most cards share
("territoire", or "habitants" in a seminar about its inhabitants) counts little, a rare one
("haies") counts much. Similarity = ``TERM_WEIGHT`` x cosine of the term vectors
+ (1 - ``TERM_WEIGHT``) x cosine of the 4-gram vectors, from 0 (nothing shared) to 1.

With French word vectors (``vectors.WordVectors``), the term cosine is a *soft* cosine: two
different terms of the wall whose word vectors are close (cosine at least ``SOFT_FLOOR``:
"airbnb" / "locations", "médecins" / "infirmiers") count as partly the same term, from 0 at
the floor to 1 for identical vectors; terms the vectors do not know only match themselves.
The cards' *mean vectors* (the IDF-weighted mean of their terms' word vectors) are compared
too, and their cosine makes ``CARD_VECTOR_WEIGHT`` of the similarity (the rest is the mix
above): it carries what close words say together when no single pair of them is close enough.

Grouping is average linkage: the two closest groups are joined, while the *average*
similarity of all their cross pairs stays at or above a threshold, so a chain A~B~C does not
glue unrelated A and C together; pairs that must stay apart (a dismissed suggestion)
are never joined.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from workshop.dedup.text import Term, ngrams, stem_key, terms

if TYPE_CHECKING:
    from workshop.dedup.vectors import WordVectors

TERM_WEIGHT = 0.6
#: Word-vector cosine from which two different terms count as partly shared (chosen on the
#: tuning walls of bench/dedup_benchmark.py, as the thresholds are).
SOFT_FLOOR = 0.65
#: Share of the cards' mean-vector cosine in the similarity, with word vectors (chosen with each
#: tuning wall of bench/dedup_benchmark.py left out in turn: among 0 to 0.2, the five other
#: walls picked 0.1 for four of the six walls left out, 0.05 and 0.15 for the others).
CARD_VECTOR_WEIGHT = 0.1

Vector = dict[str, float]


def _normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _idf(df: Counter, n: int) -> dict[str, float]:
    return {k: math.log((1 + n) / (1 + d)) + 1.0 for k, d in df.items()}


def _gram_matrix(vectors: Sequence[Vector]):
    """Cosines of these unit vectors, all pairs (a NumPy matrix)."""
    import numpy as np

    index: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, vector in enumerate(vectors):
        for key, value in vector.items():
            rows.append(row)
            cols.append(index.setdefault(key, len(index)))
            values.append(value)
    dense = np.zeros((len(vectors), max(1, len(index))))
    dense[rows, cols] = values
    return dense @ dense.T


class Wall:
    """The cards' vectors; ``similarity(i, j)`` by position in the texts given."""

    def __init__(self, texts: Sequence[str], *, term_weight: float = TERM_WEIGHT,
                 vectors: WordVectors | None = None, soft_floor: float = SOFT_FLOOR,
                 card_vector_weight: float = CARD_VECTOR_WEIGHT) -> None:
        self.texts = list(texts)
        self.term_weight = term_weight
        self.terms: list[tuple[Term, ...]] = [terms(t) for t in self.texts]
        grams = [ngrams(t) for t in self.texts]
        n = len(self.texts)
        term_idf = _idf(Counter(term.key for item in self.terms for term in item), n)
        gram_idf = _idf(Counter(g for item in grams for g in item), n)
        self.term_vectors = [_normalised({t.key: term_idf[t.key] * t.weight for t in item}) for item in self.terms]
        self.gram_vectors = [_normalised({g: gram_idf[g] for g in item}) for item in grams]
        self.term_idf = term_idf
        self.soft = None  # soft term cosines, card by card (a NumPy matrix)
        self.card_cosines = None  # cosines of the cards' mean vectors (a NumPy matrix)
        self.card_vector_weight = card_vector_weight
        self.related: dict[tuple[str, str], float] = {}  # close terms (keys) -> how much they count as one
        if vectors is not None and self.texts:
            self._soften(vectors, soft_floor)

    def _soften(self, vectors: WordVectors, floor: float) -> None:
        import numpy as np

        keys = sorted({term.key for item in self.terms for term in item})
        if not keys:
            return
        index = {key: n for n, key in enumerate(keys)}
        key_vectors = np.zeros((len(keys), vectors.dim), dtype=np.float32)
        at, found = [], []
        for item in self.terms:
            for term in item:
                vector = vectors.phrase(term.word)
                if vector is not None:
                    at.append(index[term.key])
                    found.append(vector)
        if found:
            np.add.at(key_vectors, at, np.stack(found))
        norms = np.linalg.norm(key_vectors, axis=1)
        norms[norms == 0] = 1.0
        key_vectors /= norms[:, None]
        close = key_vectors @ key_vectors.T
        soft = np.where(close >= floor, (close - floor) / (1.0 - floor), 0.0)
        np.fill_diagonal(soft, 1.0)
        weights = np.zeros((len(self.texts), len(keys)))
        for i, item in enumerate(self.terms):
            for term in item:
                weights[i, index[term.key]] = self.term_idf[term.key] * term.weight
        gram = weights @ soft @ weights.T
        means = weights @ key_vectors
        lengths = np.linalg.norm(means, axis=1)
        lengths[lengths == 0] = 1.0
        means /= lengths[:, None]
        self.card_cosines = np.clip(means @ means.T, 0.0, 1.0)
        norm = np.sqrt(np.clip(np.diag(gram), 1e-12, None))
        self.soft = np.minimum(gram / norm[:, None] / norm[None, :], 1.0)
        np.fill_diagonal(soft, 0.0)
        for a, b in zip(*np.nonzero(soft), strict=True):
            if a < b:
                self.related[(keys[a], keys[b])] = self.related[(keys[b], keys[a])] = float(soft[a, b])

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def has_vectors(self) -> bool:
        """Whether the cards are compared with word vectors (soft cosine and mean vectors)."""
        return self.soft is not None

    def similarity(self, i: int, j: int) -> float:
        if self.soft is not None:
            words = float(self.soft[i, j])
        else:
            words = _cosine(self.term_vectors[i], self.term_vectors[j])
        chars = _cosine(self.gram_vectors[i], self.gram_vectors[j])
        mixed = self.term_weight * words + (1 - self.term_weight) * chars
        if self.card_cosines is None:
            return mixed
        return (1 - self.card_vector_weight) * mixed + self.card_vector_weight * float(self.card_cosines[i, j])

    def pairs(self, members: Sequence[int], floor: float) -> dict[tuple[int, int], float]:
        """Similarities at or above ``floor`` among ``members`` (positions), keyed (low, high);
        the same figures as ``similarity``, computed for all pairs at once with NumPy."""
        import numpy as np

        members = [i for i in members if self.gram_vectors[i]]
        if len(members) < 2:
            return {}
        chars = _gram_matrix([self.gram_vectors[i] for i in members])
        if self.soft is not None:
            words = np.asarray(self.soft)[np.ix_(members, members)]
        else:
            words = _gram_matrix([self.term_vectors[i] for i in members])
        scores = self.term_weight * words + (1 - self.term_weight) * chars
        if self.card_cosines is not None:
            cards = np.asarray(self.card_cosines)[np.ix_(members, members)]
            scores = (1 - self.card_vector_weight) * scores + self.card_vector_weight * cards
        first, second = np.triu_indices(len(members), 1)
        keep = scores[first, second] >= floor
        out: dict[tuple[int, int], float] = {}
        for a, b, score in zip(first[keep].tolist(), second[keep].tolist(), scores[first, second][keep].tolist(),
                               strict=True):
            i, j = members[a], members[b]
            out[(i, j) if i < j else (j, i)] = score
        return out

    def shared_words(self, members: Sequence[int]) -> list[str]:
        """Words two or more of these cards share (by stem or synonym), as the first card writes them,
        rarest first; a synonym shows both spellings ("médecins ≈ médicale"); then, with word
        vectors, up to two pairs of close words the cards do not share ("airbnb ≈ locations")."""
        by_key: dict[str, list[str]] = defaultdict(list)
        for i in members:
            for term in self.terms[i]:
                by_key[term.key].append(term.word)
        shared = [(key, written) for key, written in by_key.items() if len(written) >= 2]
        shared.sort(key=lambda item: (-self.term_idf.get(item[0], 0.0), item[0]))
        out = []
        for _key, written in shared:
            forms: dict[str, str] = {}  # one form per stem: "médicale" and "médical" are one word
            for word in written:
                forms.setdefault(stem_key(word), word.casefold())
            out.append(" ≈ ".join(list(forms.values())[:2]))
        if self.related:
            shared_keys = {key for key, _written in shared}
            close: dict[tuple[str, str], tuple[float, str]] = {}
            for n, i in enumerate(members):
                for j in members[n + 1:]:
                    for a in self.terms[i]:
                        for b in self.terms[j]:
                            how = self.related.get((a.key, b.key), 0.0)
                            pair = (a.key, b.key) if a.key < b.key else (b.key, a.key)
                            if how and a.key not in shared_keys and b.key not in shared_keys and pair not in close:
                                close[pair] = (how, f"{a.word.casefold()} ≈ {b.word.casefold()}")
            out.extend(words for _how, words in sorted(close.values(), key=lambda c: (-c[0], c[1]))[:2])
        return out


def average_linkage(size: int, pairs: dict[tuple[int, int], float], *, threshold: float,
                    max_group: int | None = None, apart: Iterable[tuple[int, int]] = (),
                    target: int | None = None, min_pair: float | None = None) -> list[list[int]]:
    """Groups of positions ``0..size-1`` joined by average linkage.

    Two groups join while the mean similarity of their cross pairs (missing pairs count 0)
    is at least ``threshold``, the joined group has at most ``max_group`` members, and no
    pair of ``apart`` would end up together; with ``min_pair``, every pair of the joined
    group must also be at least that similar (no weak member carried in by strong ones).
    With ``target``, joining also stops once that many groups remain. Returns every group (singletons too), members sorted, groups by
    their smallest member.
    """
    group_of = list(range(size))
    members: dict[int, list[int]] = {i: [i] for i in range(size)}
    # cross[g][h]: sum of the similarities between groups g and h (only non-zero entries)
    cross: dict[int, dict[int, float]] = defaultdict(dict)
    strong: dict[int, dict[int, int]] = defaultdict(dict)  # how many cross pairs reach min_pair
    for (i, j), score in pairs.items():
        cross[i][j] = cross[i].get(j, 0.0) + score
        cross[j][i] = cross[j].get(i, 0.0) + score
        if min_pair is not None and score >= min_pair:
            strong[i][j] = strong[j][i] = 1
    blocked: dict[int, set[int]] = defaultdict(set)
    for i, j in apart:
        if 0 <= i < size and 0 <= j < size and i != j:
            blocked[i].add(j)
            blocked[j].add(i)
    heap = [(-score, i, j) for (i, j), score in pairs.items() if score >= threshold]
    heapq.heapify(heap)
    groups = size
    while heap and (target is None or groups > target):
        neg, g, h = heapq.heappop(heap)
        if g not in members or h not in members:
            continue
        mean = cross[g].get(h, 0.0) / (len(members[g]) * len(members[h]))
        if abs(mean + neg) > 1e-12:  # stale entry: the groups changed since it was pushed
            continue
        if max_group is not None and len(members[g]) + len(members[h]) > max_group:
            continue
        if blocked[g] & set(members[h]):
            continue
        if min_pair is not None and strong[g].get(h, 0) < len(members[g]) * len(members[h]):
            continue
        # join h into g
        members[g].extend(members.pop(h))
        for i in members[g]:
            group_of[i] = g
        blocked[g] |= blocked.pop(h, set())
        for other, total in cross.pop(h, {}).items():
            cross[other].pop(h, None)
            if other == g:
                continue
            cross[g][other] = cross[g].get(other, 0.0) + total
            cross[other][g] = cross[g][other]
        for other, count in strong.pop(h, {}).items():
            strong[other].pop(h, None)
            if other == g:
                continue
            strong[g][other] = strong[g].get(other, 0) + count
            strong[other][g] = strong[g][other]
        cross[g].pop(h, None)
        strong[g].pop(h, None)
        groups -= 1
        for other, total in cross[g].items():
            if other in members:
                score = total / (len(members[g]) * len(members[other]))
                if score >= threshold:
                    heapq.heappush(heap, (-score, min(g, other), max(g, other)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
