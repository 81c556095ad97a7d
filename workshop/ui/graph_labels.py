"""Card labels of the trajectory graph, fitted to the size the map is really drawn at.

``workshop.figures`` chooses labels for a nominal size; a page knows better (the projector
scales a reference drawing, the console's column is narrow). ``fit_labels`` works on the
figure's plotly JSON: it drops labels that would overlap, lets the others run past the
plot area rather than be cut, gives them a white halo so the links behind do not cross
their letters out and, where the cards are far enough apart, writes the card's text on
two lines instead of one shortened line.
"""

from __future__ import annotations

import html
import textwrap

LABEL_SPACING = 1.25  # labels of one column stay this many font heights apart
TWO_LINES_SPACING = 2.6  # ... and this many for two-line labels


def halo(font_size: float) -> str:
    """A CSS text-shadow drawing a white outline about a seventh of the font size wide."""
    reach = max(1, round(font_size / 7))
    steps = sorted({-reach, -max(1, reach - 1), 0, max(1, reach - 1), reach})
    return ", ".join(f"{x}px {y}px 1px #fff" for x in steps for y in steps if x or y)


def two_lines(text: str, width: int) -> str:
    """A card's text on two lines at most (escaped: plotly reads a little HTML in labels)."""
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1].rstrip(" ,;:.-–") + "…"]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def fit_labels(figure: dict, height: int, texts: dict[int, str] | None = None, *, line_chars: int = 24) -> None:
    """Fit the node labels of a ``trajectory_graph_figure`` (as plotly JSON) drawn ``height`` px high.

    Biggest cards (most dots) keep their label first; the others stay as dots (the findings
    and the console name them). ``texts`` (full text by card id) enables two-line labels of
    ``line_chars`` characters per line in the columns where every label has room for them.
    """
    layout = figure["layout"]
    margin = layout.get("margin") or {}
    plot_height = max(1, height - margin.get("t", 0) - margin.get("b", 0))
    y0, y1 = (layout.get("yaxis") or {}).get("range") or (0, 1)
    px_per_unit = plot_height / max(1e-9, y1 - y0)
    labelled = []
    for trace in figure["data"]:
        if "kind" not in (trace.get("meta") or {}) or not trace.get("text"):
            continue
        font = (trace.get("textfont") or {}).get("size") or 14
        trace["cliponaxis"] = False
        trace["textfont"] = {**(trace.get("textfont") or {}), "shadow": halo(font)}
        trace["text"] = list(trace["text"])
        sizes = (trace.get("marker") or {}).get("size") or []
        for i, text in enumerate(trace["text"]):
            if text:
                size = sizes[i] if isinstance(sizes, (list, tuple)) and i < len(sizes) else 0
                labelled.append((-size, -trace["y"][i], trace, i, trace["x"][i], font))
    placed: dict[float, list[float]] = {}
    fonts: dict[float, float] = {}
    for _, minus_y, trace, i, x, font in sorted(labelled, key=lambda item: item[:2]):
        y = -minus_y
        if all(abs(y - other) * px_per_unit >= LABEL_SPACING * font for other in placed.get(x, [])):
            placed.setdefault(x, []).append(y)
            fonts[x] = max(fonts.get(x, 0), font)
        else:
            trace["text"][i] = ""
    if not texts:
        return
    roomy = {x for x, ys in placed.items()
             if all((b - a) * px_per_unit >= TWO_LINES_SPACING * fonts[x] for a, b in zip(sorted(ys), sorted(ys)[1:]))}
    for _, _, trace, i, x, _ in labelled:
        ids = trace.get("customdata") or []
        if x in roomy and trace["text"][i] and i < len(ids) and ids[i] in texts:
            trace["text"][i] = two_lines(texts[ids[i]], line_chars)
