"""The word cloud of a one-word question ("un mot pour votre territoire en 2050").

Pure functions, no database: ``word_frequencies`` counts what people typed, and
``place_words`` lays the words out deterministically (a spiral from the centre with
collision avoidance), so the projector, the console and the report draw the same cloud.

Counting rules, chosen for a room typing on phones:
- each contribution counts once; it may hold up to three words ("ville verte");
- French stop words at either end are dropped ("La solidarité" -> "solidarité",
  "l'eau" -> "eau"); a contribution made only of stop words is ignored;
- spellings are grouped ignoring case and accents ("Énergie", "ENERGIE", "énergie"),
  and the group is shown with its most frequent original spelling (on a tie, the one
  with the most accents, then not in capitals, then the first typed), so accents and
  the case people chose are kept.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Articles, prepositions, pronouns, conjunctions and auxiliaries: words that carry no
# meaning on their own in a word cloud. Negations ("pas", "sans", "non") are kept on
# purpose: "sans voiture" must not become "voiture".
FRENCH_STOP_WORDS: frozenset[str] = frozenset("""
a à au aux avec ce ces cet cette c ça ceci cela celle celles celui ceux chez comme
d da dans de des du elle elles en entre et eu est été être avoir ai as avons avez ont
il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n ne nos notre
nous on ou où par pour qu que qui quoi s sa se ses si son sont sur t ta te tes toi ton
tu un une unes uns vers vos votre vous y très plus moins tout tous toute toutes
etc ni or donc car lors dont afin ainsi alors aussi bien encore déjà puis
""".split())

# Elided forms written with an apostrophe: "l'eau", "d'avenir", "qu'on".
_ELISION = re.compile(r"^(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# Punctuation trimmed at the ends of a word (inner hyphens and apostrophes stay).
_EDGE = "\"'’‘«»“”.,;:!?¿¡()[]{}…-–—_/\\*#@+=<>|~^`"


def _fold(text: str) -> str:
    """Grouping key: no accents, no case, one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_FOLDED_STOPS = frozenset(_fold(word) for word in FRENCH_STOP_WORDS)


def _is_stop(word: str) -> bool:
    return _fold(word).rstrip("'") in _FOLDED_STOPS


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split():
        word = raw.strip(_EDGE)
        while word:
            match = _ELISION.match(word)
            if not match or len(word) == len(match.group(0)):
                break
            out.append(match.group(0))  # the elided article with its apostrophe ("d'"), a stop word
            word = word[len(match.group(0)):].strip(_EDGE)
        if word:
            out.append(word)
    return out


def normalise_entry(text: str) -> str | None:
    """What one contribution adds to the cloud, as typed but trimmed; None if nothing is left."""
    text = unicodedata.normalize("NFC", text or "")
    words = _tokens(text)
    while words and _is_stop(words[0]):
        words.pop(0)
    while words and _is_stop(words[-1]):
        words.pop()
    # An elided article stays glued to the next word: "terre d'accueil".
    return "".join(w if w.endswith(("'", "’")) else w + " " for w in words).strip() or None


def _accents(text: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", text) if unicodedata.combining(ch))


def word_frequencies(texts: Iterable[str]) -> list[tuple[str, int]]:
    """Count contributions grouped case- and accent-insensitively, most frequent first.

    Returns ``(spelling to display, count)`` pairs; equal counts are in alphabetical
    order (ignoring case and accents) so the result is stable.
    """
    groups: dict[str, dict[str, list[int]]] = {}  # key -> spelling -> [count, first seen]
    for position, text in enumerate(texts):
        entry = normalise_entry(text)
        if entry is None:
            continue
        spellings = groups.setdefault(_fold(entry), {})
        seen = spellings.setdefault(entry, [0, position])
        seen[0] += 1
    result = []
    for key, spellings in groups.items():
        def preference(item: tuple[str, list[int]]) -> tuple:
            spelling, (count, first) = item
            shouting = spelling.isupper() and len(spelling) > 1
            return (-count, -_accents(spelling), shouting, first)

        display = min(spellings.items(), key=preference)[0]
        result.append((display, sum(count for count, _ in spellings.values()), key))
    result.sort(key=lambda item: (-item[1], item[2], item[0]))
    return [(display, count) for display, count, _ in result]


# --- layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedWord:
    text: str
    count: int
    x: float       # centre, in canvas pixels from the left
    y: float       # centre, in canvas pixels from the bottom
    size: float    # font size in pixels
    width: float   # estimated box, for tests and hit checks
    height: float


# Advance widths (in em) of DejaVu Sans Bold, the widest of the usual sans-serif fonts
# (Linux's default; Segoe UI, Arial or San Francisco are narrower): an estimate on the
# generous side, so words never overlap whatever font the projector's browser uses.
_WIDTHS = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '’-.,!?",
    [0.67, 0.72, 0.59, 0.72, 0.68, 0.44, 0.72, 0.71, 0.34, 0.34, 0.67, 0.34, 1.04, 0.71, 0.69, 0.72, 0.72,
     0.49, 0.6, 0.48, 0.71, 0.65, 0.92, 0.65, 0.65, 0.58,
     0.77, 0.76, 0.73, 0.83, 0.68, 0.68, 0.82, 0.84, 0.37, 0.37, 0.77, 0.64, 1.0, 0.84, 0.85, 0.73, 0.85,
     0.77, 0.72, 0.68, 0.81, 0.77, 1.1, 0.77, 0.72, 0.73]
    + [0.7] * 10 + [0.35, 0.31, 0.31, 0.42, 0.38, 0.38, 0.44, 0.58],
))


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` in a bold sans-serif font of ``size`` pixels."""
    units = 0.0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        if base in _WIDTHS:
            units += _WIDTHS[base]
        elif unicodedata.combining(ch):
            continue
        elif unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0x1F000:
            units += 1.25  # emoji, CJK
        else:
            units += 0.75
    return units * size * 1.03


def place_words(
    frequencies: list[tuple[str, int]],
    *,
    width: float = 1600,
    height: float = 900,
    max_size: float = 150,
    min_size: float = 30,
    max_words: int = 80,
    padding: float = 8,
    fill: float = 0.5,
) -> list[PlacedWord]:
    """Lay words out from the centre on an elliptic spiral, biggest first, without overlaps.

    Deterministic: the same frequencies always give the same picture. The sizes are first
    scaled so the words cover about ``fill`` of the canvas, keeping the most frequent word
    at least twice the smallest size (the rarest words are left out when there are too many);
    when they still do not all fit, the cloud is drawn smaller (never below ``min_size``)
    and words that find no room are left out.
    """
    words = frequencies[:max_words]
    if not words:
        return []
    top = max(count for _, count in words)
    while True:
        biggest = max_size
        for _ in range(4):  # estimate: sum of the boxes' areas against the canvas
            area = sum(w * h for w, h, _ in (_box(text, count, top, biggest, min_size, width, padding)
                                             for text, count in words))
            if area <= fill * width * height or biggest <= min_size:
                break
            biggest = max(min_size, biggest * math.sqrt(fill * width * height / area))
        # Too many words to keep the frequent ones visibly bigger: leave the rarest out.
        if biggest >= 2 * min_size or len(words) <= 12 or words[-1][1] == top:
            break
        words = words[: max(12, int(len(words) * 0.85))]
    placed: list[PlacedWord] = []
    for _attempt in range(4):
        placed = _try_place(words, top, width, height, biggest, min_size, padding)
        if len(placed) == len(words) or biggest <= min_size * 1.2:
            break
        biggest = max(min_size, biggest * 0.88)
    return placed


def _box(text: str, count: int, top: int, biggest: float, smallest: float, width: float,
         padding: float) -> tuple[float, float, float]:
    """Width and height (padded) and font size of a word; its area follows its count."""
    size = max(smallest, biggest * math.sqrt(count / top))
    w = text_width(text, size) + padding
    while w > width * 0.96 and size > 8:  # one long word never exceeds the canvas
        size *= 0.9
        w = text_width(text, size) + padding
    return w, size * 1.18 + padding, size


class _Grid:
    """Placed boxes indexed by coarse cells, so a collision test looks at few boxes."""

    def __init__(self, cell: float = 64.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, box: tuple[float, float, float, float]):
        c = self.cell
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                yield (i, j)

    def hits(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        for key in self._keys(box):
            for b0, b1, b2, b3 in self.cells.get(key, ()):
                if x0 < b2 and b0 < x1 and y0 < b3 and b1 < y1:
                    return True
        return False

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)


def _try_place(words, top, width, height, biggest, smallest, padding) -> list[PlacedWord]:
    grid = _Grid()
    out: list[PlacedWord] = []
    cx, cy = width / 2, height / 2
    stretch = width / height
    reach = math.hypot(cx / stretch, cy) * 1.02  # beyond this radius the spiral is off the canvas
    for text, count in words:
        w, h, size = _box(text, count, top, biggest, smallest, width, padding)
        step = min(24.0, max(3.0, h * 0.25))  # along the spiral, in pixels
        theta, spot = 0.0, None
        while True:
            r = 2.5 * theta
            if r > reach:
                break
            x = cx + r * math.cos(theta) * stretch
            y = cy + r * math.sin(theta)
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height and not grid.hits(box):
                spot = (x, y, box)
                break
            theta += 0.3 if r < step else step / r
        if spot is None:
            continue
        x, y, box = spot
        grid.add(box)
        out.append(PlacedWord(text, count, round(x, 1), round(y, 1), round(size, 1),
                              round(w - padding, 1), round(h - padding, 1)))
    return out
