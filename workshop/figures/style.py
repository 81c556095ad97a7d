"""The one palette and the sizes of every figure (projector, interactive page, print).

``KIND_COLORS`` is the single source of the card-kind colours (text on white at least
4.5:1); the UI should import it from here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

from workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from workshop.models import Relation

Mode = Literal["projector", "interactive", "print"]
MODES: tuple[str, ...] = ("projector", "interactive", "print")

INK = "#0f172a"        # slate-900
MUTED = "#334155"      # slate-700
GRID = "#cbd5e1"       # slate-300
PAPER = "#ffffff"

KIND_COLORS = {
    "stake": "#0b5394", "threat": "#b91c1c", "resource": "#15803d", "challenge": "#6d28d9",
    "current_action": "#0e7490", "action_lead": "#b45309", "vision_article": "#9d174d",
    "trend": "#475569", "word": "#334155",
}

#: Edge style per relation: colour and dash (dashes keep relations apart in black and white
#: and for colour-blind readers).
RELATION_STYLES: dict[Relation, tuple[str, str]] = {
    Relation.WEIGHS_ON: ("#b91c1c", "solid"),
    Relation.SUPPORTS: ("#15803d", "solid"),
    Relation.COUNTERS: ("#0e7490", "dash"),
    Relation.INFLUENCES: ("#6d28d9", "dot"),
    Relation.LEADS_TO: ("#b45309", "dashdot"),
}


@dataclass(frozen=True)
class ModeStyle:
    font_size: int
    title_size: int
    node_min: float        # marker diameter (px) of a card without votes
    node_max: float        # ... of the most voted card
    line_scale: float      # multiplies link widths (1, 2, 3 by weight)
    label_chars: int       # labels are cut to this many characters
    label_limit: int       # beyond this many cards, only the biggest this many keep a label
    hover: bool


MODE_STYLES: dict[str, ModeStyle] = {
    "projector": ModeStyle(20, 28, 16, 46, 1.6, 28, 40, True),
    "interactive": ModeStyle(13, 18, 10, 32, 1.0, 36, 90, True),
    "print": ModeStyle(10, 14, 8, 26, 0.8, 40, 150, False),
}


def mode_style(mode: str) -> ModeStyle:
    if mode not in MODE_STYLES:
        raise ValueError(f"unknown figure mode {mode!r} (expected one of {', '.join(MODES)})")
    return MODE_STYLES[mode]


def check_lang(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, **params) -> str:
    return translate(key, check_lang(lang), **params)


def shorten(text: str, max_chars: int) -> str:
    """Cut a card text at a word boundary to at most ``max_chars`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    if " " in cut and cut.rfind(" ") >= max_chars // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def wrap_html(text: str, width: int = 48) -> str:
    """Escape a text for plotly's hover labels and break it into lines of about ``width``
    characters (only spaces are replaced, so the full text is kept)."""
    lines, line = [], ""
    for word in " ".join(text.split()).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(html.escape(part, quote=False) for part in lines)


def base_layout(mode: str, *, title: str | None = None) -> dict:
    style = mode_style(mode)
    layout = dict(
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=style.font_size, color=INK),
        paper_bgcolor=PAPER,
        plot_bgcolor=PAPER,
        margin=dict(l=20, r=20, t=70 if title else 30, b=20),
        hovermode="closest" if style.hover else False,
        hoverlabel=dict(bgcolor="#ffffff", font=dict(size=max(12, style.font_size - 2), color=INK),
                        align="left"),
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0,
                    font=dict(size=max(9, style.font_size - 2))),
    )
    if title:
        layout["title"] = dict(text=html.escape(title, quote=False), x=0.01, xanchor="left",
                               font=dict(size=style.title_size))
    return layout
