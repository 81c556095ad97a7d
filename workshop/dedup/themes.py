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
name it. Grammatical words ("sans", "hors", "pas", "peu"…: ``FUNCTION_WORDS``) are never in
a label or that list, though cards are still compared with them (so duplicates are unchanged).
A label longer than ``MAX_LABEL`` characters loses its second word ("Désertification · …"), and
a single word that long is cut with "…".
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.dedup.similar import Wall, average_linkage
from workshop.dedup.text import WEAK_CONCEPTS

JOIN_FLOOR = 0.03   # groups with less in common than this are not joined
MAX_LABEL = 40
FREQUENT = 3       # words of ``ProposedGroup.frequent``
SEPARATOR = " · "
ELLIPSIS = "…"

#: Grammatical words the comparison keeps (none is in the stop words ``similarity.stems`` drops) but that
#: name no theme: prepositions, negation, quantity, place and time adverbs, pronouns, forms of
#: "être" / "avoir", numbers in letters. Compared with their accents ("près", not
#: "prés" of "prés salés"). Left out of labels and of ``ProposedGroup.frequent`` only.
FUNCTION_WORDS = frozenset(w.casefold() for w in """
sans hors pas non point jamais rien aucun aucune aucuns aucunes nul nulle guère
peu assez tant tellement autant davantage environ presque seulement surtout vraiment plutôt
ici ailleurs loin près auprès dehors dedans dessus dessous devant derrière partout
parmi envers malgré pendant durant via outre jusque jusqu lorsque puisque quoique
pourquoi combien quelque quelques quelqu plusieurs tel telle tels telles
chose choses eux soi autrui
aujourd hui demain hier enfin ensuite souvent parfois aussitôt bientôt maintenant désormais
cependant pourtant toutefois sinon
ait aient soit soient sera seront serait seraient était étaient sommes êtes suis es fut
aura auront aurait auraient avait avaient va vont vais fait font
deux trois quatre cinq six sept huit dix onze douze vingt trente cent mille
oui
""".split())


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
    "" when none is. Cut between words: past ``MAX_LABEL`` characters the second word gives way
    to "…" ("Désertification · …"); a first word that long alone is cut with "…"."""
    chosen = [word for word, count in words[:2] if count >= shared_floor(size)]
    if not chosen:
        return ""
    chosen[0] = chosen[0][:1].upper() + chosen[0][1:]
    text = SEPARATOR.join(chosen)
    if len(text) > MAX_LABEL:
        text = chosen[0] + SEPARATOR + ELLIPSIS
    if len(text) > MAX_LABEL:
        text = chosen[0][:MAX_LABEL - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return text


def shared_words(wall: Wall, members: Sequence[int]) -> list[tuple[str, int]]:
    """The members' words (a concept's name, or a stem's most written form), each with how many
    members have it, most shared first (ties: the rarer on the wall); direction words and
    grammatical words (``FUNCTION_WORDS``) left out."""
    counts: Counter[str] = Counter()
    written: dict[str, Counter[str]] = {}
    for i in members:
        for term in wall.terms[i]:
            if term.key.startswith("c:") and term.key[2:] in WEAK_CONCEPTS:
                continue
            if term.key.startswith("s:") and unicodedata.normalize("NFC", term.word).casefold() in FUNCTION_WORDS:
                continue
            counts[term.key] += 1
            shown = term.key[2:] if term.key.startswith("c:") else term.word.casefold()
            written.setdefault(term.key, Counter())[shown] += 1
    ranked = sorted(counts, key=lambda k: (-counts[k], -wall.term_idf.get(k, 0.0), k))
    return [(written[k].most_common(1)[0][0], counts[k]) for k in ranked]
