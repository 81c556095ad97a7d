"""The one palette and the sizes of every figure (projector, interactive page, print).

``KIND_COLORS`` and ``COLLEGE_COLORS`` are the single source of the card-kind and collège
colours: the projector, the console and the report figures import them from here, so a
collège has one colour everywhere. ``FONT_STACK`` names an emoji font after the text fonts,
so a name like « Amandine 🌾 » is drawn, not shown as an empty box (Debian's
fonts-noto-color-emoji, installed by scripts/install-system-deps.sh).
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

#: Fonts for every page and figure: the text fonts, then colour emoji.
EMOJI_FONTS = '"Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"'
FONT_STACK = f'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif, {EMOJI_FONTS}'

#: Collèges, in a fixed order, told apart by colour-blind people too (Okabe-Ito).
COLLEGE_COLORS = {
    "elected": "#0072B2", "staff": "#56B4E9", "business": "#E69F00", "association": "#009E73",
    "resident": "#D55E00", "expert": "#CC79A7", "other": "#7f7f7f",
}

#: The dots of collèges too small to show apart in a vote (``votes.undetailed_colleges``): one
#: light grey segment, after the collèges, in every chart that splits a vote by collège.
UNDETAILED_COLOR = "#cbd5e1"

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
    line_scale: float      # px a link's width grows by with each weight above 1 ...
    line_min: float        # ... from this width (px) at weight 1
    line_opacity: float    # links' opacity (1 on the projector: a pale line is lost from the back of a room)
    label_chars: int       # labels are cut to this many characters
    label_limit: int       # beyond this many cards, only the biggest this many keep a label
    hover: bool


MODE_STYLES: dict[str, ModeStyle] = {
    # drawn at a 1080p reference size, shown at about 2/3 of it at 1280x720: 38 px reads as 24+;
    # a link of weight 1 is 4.5 px wide there, 3.2 px or more at 1280x720 (seen from 10 m)
    "projector": ModeStyle(38, 42, 20, 56, 1.8, 4.5, 1.0, 24, 24, True),
    "interactive": ModeStyle(13, 18, 10, 32, 1.0, 1.0, 0.75, 36, 90, True),
    "print": ModeStyle(10, 14, 8, 26, 0.8, 0.8, 0.75, 40, 150, False),
}


def link_width(style: ModeStyle, weight: int) -> float:
    """The stroke (px) of a link of ``weight`` (1 to 3) in a mode."""
    return style.line_min + (max(weight, 1) - 1) * style.line_scale


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


def markup(text: str) -> str:
    """A user's text made inert for plotly, which reads a little HTML in every text it draws
    (labels, ticks, hover, annotations): ``<a href>`` would become a live link, ``<b>`` bold,
    ``<br>`` a line break. The one escape every figure uses (report, console, projector)."""
    return html.escape(" ".join(str(text or "").split()), quote=False)


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
    return "<br>".join(markup(part) for part in lines)


def base_layout(mode: str, *, title: str | None = None) -> dict:
    style = mode_style(mode)
    layout = dict(
        font=dict(family=f"DejaVu Sans, Arial, sans-serif, {EMOJI_FONTS}", size=style.font_size, color=INK),
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
        layout["title"] = dict(text=markup(title), x=0.01, xanchor="left",
                               font=dict(size=style.title_size))
    return layout
