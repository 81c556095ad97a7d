"""Label helpers for the projector's plotly drawings (its trajectories' timeline): a white
halo so the lines behind do not cross the letters out, and a text on two lines rather than
one shortened line.
"""

from __future__ import annotations

import textwrap

from workshop.figures.labels import halo
from workshop.figures.style import markup

__all__ = ["halo", "two_lines"]


def two_lines(text: str, width: int) -> str:
    """A card's text on two lines at most (escaped: plotly reads a little HTML in labels)."""
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1].rstrip(" ,;:.-–") + "…"]
    return "<br>".join(markup(line) for line in lines)
