"""Plotly figures for the projector, as plain dicts, drawn at a 1080p reference size.

Sizes are in pixels of a 1920x1080 screen; the page scales the drawing to the real
screen, so text keeps its proportion at 1280x720. User text is escaped: Plotly reads a
little HTML in labels, and a card must stay inert text.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from workshop.services.wordcloud import PlacedWord

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK = "#0f172a"
GRID = "#cbd5e1"

# Collèges, in a fixed order, with colours told apart by colour-blind people (Okabe-Ito).
COLLEGE_COLORS = {
    "elected": "#0072B2", "staff": "#56B4E9", "business": "#E69F00", "association": "#009E73",
    "resident": "#D55E00", "expert": "#CC79A7", "other": "#7f7f7f",
}
# Dark colours for words on white (all at least 7:1).
WORD_COLORS = ["#0b2e59", "#991b1b", "#166534", "#6d28d9", "#92400e", "#155e75", "#9d174d", "#334155"]

CONFIG = {"staticPlot": True, "displayModeBar": False, "responsive": False}


def safe(text: str) -> str:
    """A user's text made inert for Plotly's label markup."""
    return html.escape(text or "", quote=False)


def wrap(text: str, width: int, lines: int) -> str:
    """Wrap a label on ``lines`` lines at most (ellipsis beyond), escaped, joined with <br>."""
    parts = textwrap.wrap(" ".join((text or "").split()), width=width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(1, width - 1)].rstrip() + "…"
    return "<br>".join(safe(p) for p in parts)


def _base_layout(width: int, height: int) -> dict:
    return {
        "width": width, "height": height, "autosize": False,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "font": {"family": FONT, "size": 24, "color": INK},
        "showlegend": False,
    }


def _figure(data: list, layout: dict) -> dict:
    return {"data": data, "layout": layout, "config": CONFIG}


# --- dot votes ------------------------------------------------------------------------------


def dot_vote_figure(rows: list[tuple[str, int, dict[str, int]]], college_labels: dict[str, str], *,
                    width: int, height: int) -> dict:
    """Horizontal bars, one per card (highest on top), stacked by collège.

    ``rows`` are ``(card text, total dots, dots by collège)``, already sorted and cut. The
    colour key is drawn by the page (``college_legend``), in text it controls.
    """
    labels = [f"{i}. " + wrap(text, 38, 2) for i, (text, _, _) in enumerate(rows, 1)]
    data = [{
        "type": "bar", "orientation": "h", "name": college_labels.get(college, college),
        "y": labels, "x": [split.get(college, 0) for _, _, split in rows],
        "marker": {"color": color, "line": {"color": "#ffffff", "width": 1.5}},
        "hoverinfo": "skip",
    } for college, color in college_legend(rows)]
    top = max((total for _, total, _ in rows), default=1)
    layout = _base_layout(width, height)
    layout.update({
        "barmode": "stack", "bargap": 0.28,
        "margin": {"l": 10, "r": 70, "t": 10, "b": 50},
        "xaxis": {"range": [0, top * 1.08 + 0.5], "gridcolor": GRID, "zeroline": False, "tickfont": {"size": 22},
                  "automargin": True, "fixedrange": True},
        "yaxis": {"autorange": "reversed", "tickfont": {"size": 24}, "automargin": True, "ticksuffix": "  ",
                  "fixedrange": True},
        "annotations": [{"x": total, "y": label, "text": f"<b>{total}</b>", "showarrow": False, "xanchor": "left",
                         "xshift": 8, "font": {"size": 26, "color": INK}} for label, (_, total, _) in zip(labels, rows)],
    })
    return _figure(data, layout)


def college_legend(rows: list[tuple[str, int, dict[str, int]]]) -> list[tuple[str, str]]:
    """The collèges that have dots in ``rows``, in the fixed order, with their colour."""
    return [(c, color) for c, color in COLLEGE_COLORS.items() if any(split.get(c) for _, _, split in rows)]


# --- ratings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedPoint:
    rank: int
    text: str
    x: float
    y: float


def rating_figure(points: list[RatedPoint], *, x_label: str, y_label: str, width: int, height: int,
                  hot_label: str | None = None) -> dict:
    """Mean rating of each card on two criteria (likelihood x impact), as numbered dots.

    The numbers refer to the ranked list shown beside the chart (long card texts do not
    fit on the chart). ``hot_label`` names the top-right quadrant (e.g. "Menaces majeures").
    """
    xs, ys = _spread([(p.x, p.y) for p in points], width=width, height=height)
    layout = _base_layout(width, height)
    shapes = []
    annotations = []
    if hot_label:
        shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": 3, "x1": 5.5, "y0": 3, "y1": 5.5,
                       "fillcolor": "rgba(185, 28, 28, 0.10)", "line": {"width": 0}, "layer": "below"})
        annotations.append({"x": 5.45, "y": 5.45, "xanchor": "right", "yanchor": "top", "showarrow": False,
                            "text": f"<b>{safe(hot_label)}</b>", "font": {"size": 24, "color": "#991b1b"}})
    axis = {"range": [0.5, 5.5], "dtick": 1, "gridcolor": GRID, "zeroline": False, "tickfont": {"size": 24},
            "fixedrange": True, "automargin": True}
    layout.update({
        "margin": {"l": 20, "r": 20, "t": 20, "b": 20},
        "xaxis": {**axis, "title": {"text": safe(x_label) + " →", "font": {"size": 26}}},
        "yaxis": {**axis, "title": {"text": safe(y_label) + " →", "font": {"size": 26}}},
        "shapes": shapes, "annotations": annotations,
    })
    data = [{
        "type": "scatter", "mode": "markers+text", "x": xs, "y": ys,
        "text": [f"<b>{p.rank}</b>" for p in points], "textposition": "middle center",
        "textfont": {"size": 22, "color": "#ffffff"},
        "marker": {"size": 44, "color": "#0b2e59", "line": {"color": "#ffffff", "width": 2}},
        "hoverinfo": "skip",
    }]
    return _figure(data, layout)


def _spread(coords: list[tuple[float, float]], *, width: int, height: int,
            diameter: float = 48) -> tuple[list[float], list[float]]:
    """Push apart dots that would hide each other, a little, deterministically.

    Means often cluster (3.4 x 3.5…): each overlapping pair is pushed apart in screen
    pixels until no two dots overlap; the numbered list keeps the exact values.
    """
    import math

    px = width * 0.84 / 5.0   # pixels per rating unit, roughly (plot area / range 0.5-5.5)
    py = height * 0.84 / 5.0
    pts = [[x * px, y * py] for x, y in coords]
    for _ in range(120):
        moved = False
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                dx, dy = pts[j][0] - pts[i][0], pts[j][1] - pts[i][1]
                dist = math.hypot(dx, dy)
                if dist >= diameter:
                    continue
                if dist < 1e-6:
                    angle = (i * 7 + j * 3) * 2.4
                    dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                push = (diameter - dist) / 2 + 0.5
                ux, uy = dx / dist, dy / dist
                pts[i][0] -= ux * push
                pts[i][1] -= uy * push
                pts[j][0] += ux * push
                pts[j][1] += uy * push
                moved = True
        for p in pts:
            p[0] = min(max(p[0], 0.65 * px), 5.35 * px)
            p[1] = min(max(p[1], 0.65 * py), 5.35 * py)
        if not moved:
            break
    return [p[0] / px for p in pts], [p[1] / py for p in pts]


def mean_bar_figure(rows: list[tuple[str, float]], *, axis_label: str, width: int, height: int,
                    number: Callable[[float], str] = lambda v: f"{v:.1f}") -> dict:
    """Mean rating per card on one criterion (when an activity rates a single criterion)."""
    labels = [f"{i}. " + wrap(text, 38, 2) for i, (text, _) in enumerate(rows, 1)]
    layout = _base_layout(width, height)
    layout.update({
        "margin": {"l": 10, "r": 70, "t": 20, "b": 80},
        "xaxis": {"range": [0, 5.4], "dtick": 1, "gridcolor": GRID, "tickfont": {"size": 22}, "fixedrange": True,
                  "title": {"text": safe(axis_label), "font": {"size": 22}}},
        "yaxis": {"autorange": "reversed", "tickfont": {"size": 24}, "automargin": True, "ticksuffix": "  ",
                  "fixedrange": True},
        "annotations": [{"x": value, "y": label, "text": f"<b>{number(value)}</b>", "showarrow": False, "xanchor": "left",
                         "xshift": 8, "font": {"size": 24}} for label, (_, value) in zip(labels, rows)],
    })
    data = [{"type": "bar", "orientation": "h", "y": labels, "x": [v for _, v in rows],
             "marker": {"color": "#0b2e59"}, "hoverinfo": "skip"}]
    return _figure(data, layout)


# --- robustness -----------------------------------------------------------------------------


BREAKS_BELOW, HOLDS_FROM = 2 / 3, 4 / 3


def verdict_of(score: float) -> str:
    """The verdict an averaged robustness score (0 breaks .. 2 holds) reads as."""
    return "breaks" if score < BREAKS_BELOW else ("bends" if score < HOLDS_FROM else "holds")


def robustness_figure(challenges: list[str], actions: list[str], scores: list[list[float | None]],
                      verdict_labels: dict[str, str], *, width: int, height: int,
                      number: Callable[[float], str] = lambda v: f"{v:.1f}") -> dict:
    """Challenges (rows) x current actions (columns): 0 breaks, 1 bends, 2 holds (averaged).

    The colour says the verdict (three steps, the same thresholds as the words in the cells).
    """
    layout = _base_layout(width, height)
    annotations = []
    for row, line in enumerate(scores):
        for col, score in enumerate(line):
            if score is None:
                continue
            verdict = verdict_of(score)
            annotations.append({
                "x": col, "y": row, "xref": "x", "yref": "y", "showarrow": False,
                "text": f"<b>{safe(verdict_labels[verdict])}</b><br>{number(score)}",
                "font": {"size": 24, "color": INK if verdict == "bends" else "#ffffff"},
            })
    column_chars = max(10, int((width - 420) / max(1, len(actions)) / 13))
    layout.update({
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"tickvals": list(range(len(actions))), "ticktext": [wrap(a, column_chars, 3) for a in actions],
                  "side": "top", "tickangle": 0, "tickfont": {"size": 22}, "automargin": True, "fixedrange": True,
                  "showgrid": False, "zeroline": False},
        "yaxis": {"tickvals": list(range(len(challenges))), "ticktext": [wrap(c, 30, 3) for c in challenges],
                  "autorange": "reversed", "tickfont": {"size": 22}, "automargin": True, "fixedrange": True,
                  "showgrid": False, "zeroline": False, "ticksuffix": "  "},
        "annotations": annotations,
    })
    red, amber, green = "#991b1b", "#f59e0b", "#166534"
    data = [{
        "type": "heatmap", "z": scores, "zmin": 0, "zmax": 2, "xgap": 4, "ygap": 4, "hoverinfo": "skip",
        "colorscale": [[0, red], [1 / 3, red], [1 / 3, amber], [2 / 3, amber], [2 / 3, green], [1, green]],
        "colorbar": {"tickvals": [1 / 3, 1, 5 / 3], "tickfont": {"size": 22}, "thickness": 26, "ticks": "",
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
