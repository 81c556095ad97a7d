"""Plotly figures for the projector, as plain dicts, drawn at a 1080p reference size.

Sizes are in pixels of a 1920x1080 screen; the page scales the drawing to the real
screen, so text keeps its proportion at 1280x720. User text is escaped: Plotly reads a
little HTML in labels, and a card must stay inert text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from workshop.figures.labels import label_offsets
from workshop.figures.style import COLLEGE_COLORS, FONT_STACK, UNDETAILED_COLOR, markup
from workshop.services.votes import UNDETAILED
from workshop.services.wordcloud import PlacedWord

FONT = FONT_STACK.replace('"', "'")
INK = "#0f172a"
GRID = "#cbd5e1"

# Dark colours for words on white (all at least 7:1).
WORD_COLORS = ["#0b2e59", "#991b1b", "#166534", "#6d28d9", "#92400e", "#155e75", "#9d174d", "#334155"]

CONFIG = {"staticPlot": True, "displayModeBar": False, "responsive": False}


def safe(text: str) -> str:
    """A user's text made inert for Plotly's label markup (``figures.style.markup``)."""
    return markup(text)


_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")


def _hyphen_point(word: str, most: int) -> int:
    """Where to cut an overlong word, ``most`` letters at most before the hyphen: between two
    identical consonants (« profes-sionnelle ») or else before a consonant that a vowel follows
    (« pluri-pro »), as French hyphenates, the latest such place in the second half; else at ``most``."""
    for i in range(most, max(2, most // 2) - 1, -1):
        a, b = word[i - 1], word[i]
        if a == b and a.isalpha() and a not in _VOWELS:
            return i
    for i in range(most, max(2, most // 2) - 1, -1):
        if word[i - 1] in _VOWELS and word[i] not in _VOWELS and word[i].isalpha() and \
                i + 1 < len(word) and word[i + 1] in _VOWELS:
            return i
    return most


def wrap(text: str, width: int, lines: int) -> str:
    """Wrap a label on ``lines`` lines at most (ellipsis beyond), escaped, joined with <br>. A word
    longer than a line is cut with a hyphen (« pluriprofession- / nelle », not « pluriprofession / nelle »)."""
    parts = []
    for part in textwrap.wrap(" ".join((text or "").split()), width=width, break_long_words=False) or [""]:
        while len(part) > width >= 2:  # an overlong word, alone on its line
            cut = _hyphen_point(part, width - 1)
            parts.append(part[:cut] + "-")
            part = part[cut:]
        parts.append(part)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(1, width - 1)].rstrip().rstrip("-") + "…"
    return "<br>".join(safe(p) for p in parts)


#: What ends every line of a label on the axis: as wide as plotly's ``ticksuffix`` of two spaces (a
#: no-break space is a space's width, and is not dropped before a line break). Two en spaces, wider,
#: put a wrapped label's first line 10 px left of its last one at 1280x720, the right edge ragged.
LINE_END = "\u00a0\u00a0"


def axis_label(text: str) -> str:
    """A bar's label on the axis: every line keeps its distance from the bar, the same (plotly's
    ``ticksuffix`` spaces only the last line of a wrapped label)."""
    return text.replace("<br>", LINE_END + "<br>")


# Charts are drawn at a 1080p reference size and scaled to their area (assets.py): at 1280x720
# that is about two thirds, so text drawn at TEXT px reads at 24 px or more there (and 38 px on
# a 1080p projector): readable from the back of a room.
TEXT = 38


def _dot_step(top: int) -> int:
    """Whole dots on the axis (0, 1, 2…, never 0.5): a step that gives at most 8 ticks."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if top / step <= 8:
            return step
    return 1000


def _base_layout(width: int, height: int) -> dict:
    return {
        "width": width, "height": height, "autosize": False,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "font": {"family": FONT, "size": TEXT, "color": INK},
        "showlegend": False,
    }


def _figure(data: list, layout: dict) -> dict:
    return {"data": data, "layout": layout, "config": CONFIG}


# --- dot votes ------------------------------------------------------------------------------


def tied_ranks(values: list) -> list[int]:
    """Ranks of values already sorted best first, ties sharing a rank (1, 2, 3, 3, 5): two cards
    with one dot each are not « 3. » and « 4. »."""
    ranks: list[int] = []
    for i, value in enumerate(values):
        ranks.append(ranks[-1] if i and value == values[i - 1] else i + 1)
    return ranks


def dot_vote_figure(rows: list[tuple[str, int, dict[str, int]]], college_labels: dict[str, str], *,
                    width: int, height: int) -> dict:
    """Horizontal bars, one per card (highest on top), stacked by collège.

    ``rows`` are ``(card text, total dots, dots by collège)``, already sorted and cut. The
    colour key is drawn by the page (``college_legend``), in text it controls.

    Redrawn live while a room votes, so the figure says each thing once: bars sit at 0, 1, 2…
    on a numeric axis (``y0``/``dy``) that names them once (``tickvals``/``ticktext``, drawn as
    a category axis would: same range, no grid, no zero line, no label hidden), and what every
    bar and every total share is in the layout's template.
    """
    lines = label_lines(len(rows), height)
    ranks = tied_ranks([total for _, total, _ in rows])
    labels = [_card_label(rank, text, lines) for rank, (text, _, _) in zip(ranks, rows)]
    data = [{
        "type": "bar", "orientation": "h", "name": college_labels.get(college, college), "y0": 0, "dy": 1,
        "x": [split.get(college, 0) for _, _, split in rows], "marker": {"color": color},
    } for college, color in college_legend(rows)]
    top = max((total for _, total, _ in rows), default=1)
    layout = _base_layout(width, height)
    layout.update({
        "barmode": "stack", "bargap": 0.28,
        "margin": {"l": 10, "r": 70, "t": 10, "b": 50},
        "xaxis": {"range": [0, top * 1.08 + 0.5], "gridcolor": GRID, "zeroline": False, "tickfont": {"size": TEXT},
                  "tick0": 0, "dtick": _dot_step(top), "tickformat": "d", "automargin": True, "fixedrange": True},
        "yaxis": {"range": [len(rows) - 0.5, -0.5], "tickvals": list(range(len(rows))), "ticktext": labels,
                  "showgrid": False, "zeroline": False, "ticklabeloverflow": "allow", "tickfont": {"size": TEXT},
                  "automargin": True, "fixedrange": True},
        "annotations": [{"x": total, "y": i, "text": f"<b>{total}</b>"} for i, (_, total, _) in enumerate(rows)],
        "template": _DOT_VOTE_TEMPLATE,
    })
    return _figure(data, layout)


_DOT_VOTE_TEMPLATE = {
    "data": {"bar": [{"marker": {"line": {"color": "#ffffff", "width": 1.5}}, "hoverinfo": "skip"}]},
    "layout": {"annotationdefaults": {"showarrow": False, "xanchor": "left", "xshift": 8,
                                      "font": {"size": TEXT + 2, "color": INK}}},
}


# The dot-vote chart's plot area is its height less these margins (top 10, bottom 50); a line of
# label takes about 1.3 times the text's size.
_DOT_MARGINS = 60
LINE_HEIGHT = 1.3


def label_lines(rows: int, height: int) -> int:
    """Lines each card label may take: two while two lines fit in a bar's row, else one (ten
    cards on the projector: two-line labels ran into each other)."""
    row = (height - _DOT_MARGINS) / max(1, rows)
    return 2 if row >= 2 * TEXT * LINE_HEIGHT else 1


@lru_cache(maxsize=512)
def _card_label(rank: int, text: str, lines: int = 2) -> str:
    """A ranked card's label on the axis (the same cards come back on every live redraw); it ends
    with the two spaces a ``ticksuffix`` would add (plotly adds none to a ``ticktext``)."""
    return axis_label(f"{rank}. " + wrap(text, 38, lines)) + "  "


def college_legend(rows: list[tuple[str, int, dict[str, int]]]) -> list[tuple[str, str]]:
    """The collèges that have dots in ``rows``, in the fixed order, with their colour, then the
    dots not broken down by collège (``UNDETAILED``) if any."""
    return [(c, color) for c, color in [*COLLEGE_COLORS.items(), (UNDETAILED, UNDETAILED_COLOR)]
            if any(split.get(c) for _, _, split in rows)]


# --- ratings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedPoint:
    rank: int
    text: str
    x: float
    y: float


def rating_figure(points: list[RatedPoint], *, x_label: str, y_label: str, width: int, height: int,
                  hot_label: str | None = None) -> dict:
    """Mean rating of each card on two criteria (likelihood x impact), as numbered points.

    Every point is drawn exactly at its means (3.5 x 3.5 at 3.5 x 3.5, even when another card
    has the same): where points crowd, their numbers are fanned out around them, each tied to
    its point by a line (``figures.labels``). The numbers refer to the ranked list beside the
    chart. ``hot_label`` names the top-right quadrant (e.g. "Menaces majeures").
    """
    layout = _base_layout(width, height)
    shapes = []
    annotations = []
    if hot_label:
        shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": 3, "x1": 5.5, "y0": 3, "y1": 5.5,
                       "fillcolor": "rgba(185, 28, 28, 0.10)", "line": {"width": 0}, "layer": "below"})
        annotations.append({"x": 5.45, "y": 5.45, "xanchor": "right", "yanchor": "top", "showarrow": False,
                            "text": f"<b>{safe(hot_label)}</b>", "font": {"size": TEXT + 2, "color": "#991b1b"}})
    axis = {"range": [0.5, 5.5], "dtick": 1, "gridcolor": GRID, "zeroline": False, "tickfont": {"size": TEXT},
            "fixedrange": True, "automargin": True}
    layout.update({
        "margin": {"l": 20, "r": 20, "t": 20, "b": 20},
        "xaxis": {**axis, "title": {"text": safe(x_label) + " →", "font": {"size": TEXT + 2}}},
        "yaxis": {**axis, "title": {"text": safe(y_label) + " →", "font": {"size": TEXT + 2}}},
        "shapes": shapes,
    })
    label = 56  # a number's disc, in pixels of the reference drawing
    offsets = label_offsets([(p.x, p.y) for p in points], px_per_unit=(width * 0.8 / 5, height * 0.8 / 5),
                            size=label)
    for point, (dx, dy) in zip(points, offsets):
        moved = abs(dx) > 0.5 or abs(dy) > 0.5
        annotations.append({
            "x": point.x, "y": point.y, "xref": "x", "yref": "y", "text": f"<b>{point.rank}</b>",
            "showarrow": moved, "ax": dx, "ay": dy, "axref": "pixel", "ayref": "pixel",
            "arrowhead": 0, "arrowwidth": 3, "arrowcolor": "#0b2e59", "standoff": 0,
            "font": {"size": TEXT, "color": "#ffffff"}, "bgcolor": "#0b2e59", "bordercolor": "#ffffff",
            "borderwidth": 2, "borderpad": 6, "width": label - 12, "height": label - 16,
        })
    layout["annotations"] = annotations
    data = [{
        "type": "scatter", "mode": "markers", "x": [p.x for p in points], "y": [p.y for p in points],
        "marker": {"size": 18, "color": "#0b2e59", "line": {"color": "#ffffff", "width": 2}},
        "hoverinfo": "skip", "cliponaxis": False,
    }]
    return _figure(data, layout)


def mean_bar_figure(rows: list[tuple[str, float]], *, criterion: str, width: int, height: int,
                    number: Callable[[float], str] = lambda v: f"{v:.1f}") -> dict:
    """Mean rating per card on one criterion (when an activity rates a single criterion)."""
    ranks = tied_ranks([number(mean) for _, mean in rows])  # tied as the reader sees them
    labels = [axis_label(f"{rank}. " + wrap(text, 38, 2)) for rank, (text, _) in zip(ranks, rows)]
    layout = _base_layout(width, height)
    layout.update({
        "margin": {"l": 10, "r": 70, "t": 20, "b": 80},
        "xaxis": {"range": [0, 5.4], "dtick": 1, "gridcolor": GRID, "tickfont": {"size": TEXT}, "fixedrange": True,
                  "title": {"text": safe(criterion), "font": {"size": TEXT}}},
        "yaxis": {"autorange": "reversed", "tickfont": {"size": TEXT}, "automargin": True, "ticksuffix": "  ",
                  "fixedrange": True},
        "annotations": [{"x": value, "y": label, "text": f"<b>{number(value)}</b>", "showarrow": False, "xanchor": "left",
                         "xshift": 8, "font": {"size": TEXT}} for label, (_, value) in zip(labels, rows)],
    })
    data = [{"type": "bar", "orientation": "h", "y": labels, "x": [v for _, v in rows],
             "marker": {"color": "#0b2e59"}, "hoverinfo": "skip"}]
    return _figure(data, layout)


# --- robustness -----------------------------------------------------------------------------


BREAKS_BELOW, HOLDS_FROM = 2 / 3, 4 / 3


def verdict_of(score: float) -> str:
    """The verdict an averaged robustness score (0 breaks .. 2 holds) reads as."""
    return "breaks" if score < BREAKS_BELOW else ("bends" if score < HOLDS_FROM else "holds")


UNRATED_FILL, UNRATED_INK = "#f1f5f9", "#475569"  # a pair nobody has rated yet: grey, 7:1 text
EM = 0.58  # the width of an average character, in font sizes (the projector's sans-serif)
SMALLEST = TEXT  # text is never drawn smaller: the projector's floor, 24 px at 1280x720 (the rehearsal checks it)


def _fitting(px: float, chars: int, size: int) -> int:
    """The font size (from ``size`` down to SMALLEST) at which ``chars`` characters fit in ``px``."""
    return max(SMALLEST, min(size, int(px / (chars * EM))))


def robustness_figure(challenges: list[str], actions: list[str], scores: list[list[float | None]],
                      verdict_labels: dict[str, str], *, width: int, height: int,
                      number: Callable[[float], str] = lambda v: f"{v:.1f}", unrated_label: str = "") -> dict:
    """Challenges (rows) x current actions (columns): 0 breaks, 1 bends, 2 holds (averaged).

    The colour says the verdict (three steps, the same thresholds as the words in the cells).
    A pair not rated yet (``None``) is a grey cell saying ``unrated_label`` where it reads whole, else « — ».
    Every column keeps its place, rated or not; with many columns the labels take more lines or slant,
    and a cell says its verdict without its score (the texts never get smaller than SMALLEST).
    """
    layout = _base_layout(width, height)
    columns = max(1, len(actions))
    row_chars = 30 if columns <= 2 else (24 if columns <= 5 else 18)  # the challenges' labels, on the left
    plot_px = max(300.0, width - row_chars * TEXT * EM - 200)  # less the labels and the colour bar
    column_px = plot_px / columns
    # an action's label on top of its column, its longest word whole when it can be
    longest = max((len(word) for a in actions for word in a.split()), default=1)
    head_size = _fitting(column_px, max(12, longest + 1), TEXT)
    head_chars = int(column_px / (head_size * EM)) - 1
    slanted = head_chars < min(longest, 10)  # too narrow for words: one slanted line each
    head = [wrap(a, 24, 1) if slanted else wrap(a, head_chars, 3) for a in actions]
    # every row keeps its challenge's label and its cells' texts within it: fewer lines, then smaller
    head_px = (24 * head_size * EM * 0.8) if slanted else 3.3 * head_size
    row_px = (height - head_px) / max(1, len(challenges))
    needed = max((len(textwrap.wrap(" ".join(c.split()), row_chars)) for c in challenges), default=1)
    row_lines = max(1, min(3, needed, int(row_px / (1.25 * SMALLEST))))
    row_size = max(SMALLEST, min(TEXT, int(row_px / (row_lines * 1.25))))
    two_lines = 2.5 * SMALLEST <= row_px  # the verdict above its score, or both on one line
    cell_size = max(SMALLEST, min(_fitting(column_px, 6, TEXT), int(row_px / 2.5)) if two_lines
                    else min(_fitting(column_px, 10, TEXT), int(row_px / 1.25)))
    with_score = two_lines or column_px >= 10 * SMALLEST * EM  # else the verdict only (the list below has it)
    unrated_size = min(_fitting(column_px, 11, TEXT), cell_size)
    unrated_chars = int(column_px / (unrated_size * EM)) - 1
    label = wrap(unrated_label, unrated_chars, 2) if unrated_label and unrated_chars >= 9 else ""
    fits = label and "…" not in label and (1.5 + label.count("<br>")) * 1.25 * unrated_size <= row_px
    unrated = label if fits else "—"  # « pas encore évalué » where it reads whole, else a dash
    annotations = []
    shapes = []
    for row, line in enumerate(scores):
        for col, score in enumerate(line):
            if score is None:
                shapes.append({"type": "rect", "xref": "x", "yref": "y", "layer": "below", "line": {"width": 0},
                               "x0": col - 0.49, "x1": col + 0.49, "y0": row - 0.48, "y1": row + 0.48,
                               "fillcolor": UNRATED_FILL})
                annotations.append({"x": col, "y": row, "xref": "x", "yref": "y", "showarrow": False,
                                    "text": unrated, "font": {"size": unrated_size, "color": UNRATED_INK}})
                continue
            verdict = verdict_of(score)
            annotations.append({
                "x": col, "y": row, "xref": "x", "yref": "y", "showarrow": False,
                "text": f"<b>{safe(verdict_labels[verdict])}</b>"
                        + (("<br>" if two_lines else " ") + number(score) if with_score else ""),
                "font": {"size": cell_size, "color": INK if verdict == "bends" else "#ffffff"},
            })
    layout.update({
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"tickvals": list(range(len(actions))), "ticktext": head,
                  "range": [-0.5, len(actions) - 0.5],
                  "side": "top", "tickangle": -50 if slanted else 0, "tickfont": {"size": head_size}, "automargin": True,
                  "fixedrange": True, "showgrid": False, "zeroline": False},
        "yaxis": {"tickvals": list(range(len(challenges))), "ticktext": [wrap(c, row_chars if row_lines > 1 else 30, row_lines)
                                                                        for c in challenges],
                  "range": [len(challenges) - 0.5, -0.5],  # the first challenge on top
                  "tickfont": {"size": row_size}, "automargin": True, "fixedrange": True,
                  "showgrid": False, "zeroline": False, "ticksuffix": "  "},
        "annotations": annotations,
        "shapes": shapes,
    })
    red, amber, green = "#991b1b", "#f59e0b", "#166534"
    data = [{
        "type": "heatmap", "z": scores, "zmin": 0, "zmax": 2, "xgap": 4, "ygap": 4, "hoverinfo": "skip",
        "colorscale": [[0, red], [1 / 3, red], [1 / 3, amber], [2 / 3, amber], [2 / 3, green], [1, green]],
        "colorbar": {"tickvals": [1 / 3, 1, 5 / 3], "tickfont": {"size": TEXT}, "thickness": 26, "ticks": "",
                     "ticktext": [safe(verdict_labels[v]) for v in ("breaks", "bends", "holds")]},
    }]
    return _figure(data, layout)


# --- word cloud -----------------------------------------------------------------------------


def wordcloud_figure(words: list[PlacedWord], *, width: int, height: int) -> dict:
    """Words placed by ``services.wordcloud.place_words`` on a canvas of the same size."""
    layout = _base_layout(width, height)
    hidden = {"visible": False, "fixedrange": True}
    layout.update({
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "xaxis": {**hidden, "range": [0, width]},
        "yaxis": {**hidden, "range": [0, height]},
    })
    data = [{
        "type": "scatter", "mode": "text", "x": [w.x for w in words], "y": [w.y for w in words],
        "text": [f"<b>{safe(w.text)}</b>" for w in words], "textposition": "middle center",
        "textfont": {"size": [w.size for w in words], "family": FONT,
                     "color": [WORD_COLORS[i % len(WORD_COLORS)] for i in range(len(words))]},
        "hoverinfo": "skip",
    }]
    return _figure(data, layout)
