"""Label helpers for the projector's plotly drawings (its trajectories' timeline): a white
halo so the lines behind do not cross the letters out, and a text on two lines rather than
one shortened line.
"""

from __future__ import annotations

import textwrap

from workshop.figures.style import markup


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
    return "<br>".join(markup(line) for line in lines)
