"""What a card's text is made of, for comparing cards: words, their stems, concepts, n-grams.

A card's *terms* are its meaningful words (French function words and the words of card
phrasing such as "développer", "préserver" dropped), each reduced to its folded Snowball
stem (``workshop.reports.similarity.stems``: the synthesis' own stems, so a word is the
same thing everywhere in the app) and then to its concept in the domain's synonym list
(``lexicon.CONCEPTS``): "médecins" and "généralistes" become one term, and so do the words
of an entry such as "gaz à effet de serre". Each term keeps the words as written, to show
a person which words two cards share.

*Character 4-grams* catch what stems and synonyms miss: derivations ("désert" /
"désertification", "agricole" / "agriculture") and typing slips. They are taken from each
term's concept name, or from the word itself, so synonyms share their n-grams too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from workshop.dedup.lexicon import CONCEPTS
from workshop.reports.similarity import fold, stems

NGRAM = 4
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Words of the way cards are phrased: they say how or how much, not what
#: ("Développer le covoiturage", "Préserver les haies", "Nombreuses associations").
PHRASING = frozenset(fold(w).casefold() for w in """
développer favoriser permettre garantir assurer renforcer améliorer faciliter soutenir accompagner
lutter contre mettre place faire rendre nombre certain certains certaine certaines chaque autre autres
vrai vraie nouveau nouvelle nouveaux nouvelles grand grande grands grandes petit petits petites
trop beaucoup partout toujours tout tous toute toutes ensemble cas lié liée liés liées face vue
préserver protéger maintenir garder valoriser conserver sauvegarder retenir éviter créer création offrir
proposer organiser agir prendre donner aider encourager inciter promouvoir atteindre tendre viser
accueil accueillir nombreux nombreuse nombreuses personne personnes existant existants existante
existantes disponible disponibles territoire territoires public publics publique publiques
accès accessible accessibles qualité durable durables
""".split())


#: Concepts that say in which direction things go ("fermeture", "hausse") or how they are
#: ("dynamique"), not what they are about: half a dozen threats start with "Fermeture de…".
WEAK_CONCEPTS = frozenset({"baisse", "hausse", "actif", "local", "saison", "habitant", "commune"})
WEAK = 0.4
#: A capitalised word after the first (a place: "Beauvais", "Paris") shared alone is no duplicate.
NAME = 0.5


@dataclass(frozen=True)
class Term:
    key: str    # "c:santé" (a concept) or "s:haie" (a stem)
    word: str   # as written on the card ("médecins", "gaz à effet de serre")
    source: str  # what its character n-grams are taken from (the concept name, or the folded word)
    weight: float = 1.0  # below 1 for words that say little of the topic (see WEAK_CONCEPTS, names)


def _folded(word: str) -> str:
    return fold(word).casefold()


def stem_key(text: str) -> str:
    """A word's stem, or the folded word itself for a function word (so entries can hold them);
    for several words, their keys joined."""
    return " ".join(_key(w) for w in _WORD.findall(text))


def _key(word: str) -> str:
    found = stems(word)
    return found[0] if found else _folded(word)


@cache
def _lexicon() -> tuple[dict[tuple[str, ...], str], int]:
    """Entries (tuples of word keys) -> concept name, and the longest entry's length."""
    out: dict[tuple[str, ...], str] = {}
    for line in CONCEPTS:
        entries = line.split()
        name = entries[0].replace("_", " ")
        for entry in entries:
            keys = tuple(_key(w) for w in _WORD.findall(entry.replace("_", " ")))
            if keys:
                out.setdefault(keys, name)
    return out, max(len(k) for k in out)


def _meaningful(word: str) -> bool:
    return not word.isdigit() and len(word) >= 2 and _folded(word) not in PHRASING and bool(stems(word))


@lru_cache(maxsize=20_000)
def terms(text: str) -> tuple[Term, ...]:
    """The card's terms, each once (the first words written for it), in order."""
    lexicon, longest = _lexicon()
    written = _WORD.findall(unicodedata.normalize("NFC", text))
    keys = [_key(w) for w in written]
    seen: dict[str, Term] = {}
    i = 0
    while i < len(written):
        for size in range(min(longest, len(written) - i), 1, -1):  # entries of several words first
            concept = lexicon.get(tuple(keys[i:i + size]))
            if concept is not None:
                key = f"c:{concept}"
                seen.setdefault(key, Term(key, " ".join(written[i:i + size]), _folded(concept),
                                          WEAK if concept in WEAK_CONCEPTS else 1.0))
                i += size
                break
        else:
            word, key = written[i], keys[i]
            i += 1
            if not _meaningful(word):
                continue
            concept = lexicon.get((key,))
            if concept:
                term = Term(f"c:{concept}", word, _folded(concept), WEAK if concept in WEAK_CONCEPTS else 1.0)
            else:
                name = i > 1 and word[0].isupper()
                term = Term(f"s:{key}", word, _folded(word), NAME if name else 1.0)
            seen.setdefault(term.key, term)
    return tuple(seen.values())


@lru_cache(maxsize=20_000)
def ngrams(text: str) -> frozenset[str]:
    """Character 4-grams of the card's terms, with word boundaries marked."""
    out: set[str] = set()
    for term in terms(text):
        for part in term.source.split():
            padded = f"<{part}>"
            if len(padded) <= NGRAM:
                out.add(padded)
            else:
                out.update(padded[i:i + NGRAM] for i in range(len(padded) - NGRAM + 1))
    return frozenset(out)
