"""What the report's chapter builders share: the row limits, the run sheet's coverage of a
chapter, number and list formatting, and ``Chapters``, the state they fill together (figures,
chapters to come). Used by ``chapters_opening``, ``chapters_map``, ``chapters_closing`` (the
chapters) and ``publishing`` (which chapter a photo goes to).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

from workshop.figures import trajectories_timeline_figure
from workshop.figures.graph import numbered_cards
from workshop.figures.style import shorten
from workshop.i18n import list_separator
from workshop.reports.document import Bullets, FigureSpec, Para, Section, long_date, num
from workshop.reports.rows import COLLEGES, RunStep, SeminarReport
from workshop.services.cards import article_parts, card_text_multiline

#: Long tables stop after this many rows in the documents (a note says how many more there
#: are); everything is in the CSV/XLSX data. Keeps a 600-card seminar's report readable (and
#: its PDF quick to lay out).
MAX_ROWS = 30
MAX_RESOURCES = 40
MAX_ROBUSTNESS = 60
MAX_ANNEX_CARDS = 120
MAX_BULLETS = 30


#: Interactions that put cards of an activity's kinds on the wall, vote on them or rate them.
CARD_WORK = frozenset({"contribute", "dot_vote", "rate"})


@dataclass(frozen=True)
class Coverage:
    """The run sheet's activities that feed one chapter of the report."""

    steps: tuple[RunStep, ...]

    @property
    def planned(self) -> bool:
        return bool(self.steps)

    @property
    def started(self) -> bool:
        return any(s.state != "pending" for s in self.steps)

    @property
    def upcoming(self) -> bool:
        return self.planned and not self.started

    @property
    def running(self) -> RunStep | None:
        return next((s for s in self.steps if s.state == "open"), None)


def coverage(report: SeminarReport, interactions, *kinds: str) -> Coverage:
    """The activities of the run sheet with one of ``interactions`` (and, if given, one of the card ``kinds``)."""
    return Coverage(tuple(s for s in report.run_sheet if s.interaction in interactions
                          and (not kinds or set(kinds) & set(s.card_kinds))))

#: The map and the influence plane are drawn at this size (layout px) in the PDF, the DOCX and
#: the HTML alike, so their labels, placed without collision for that size, stay apart.
MAP_WIDTH, MAP_MAX_HEIGHT = 1000, 1200
PLANE_WIDTH, PLANE_HEIGHT = 900, 640


def pct(share: float, lang: str) -> str:
    return f"{num(100 * share, lang, 1)} %"


def placed(figure):
    """A placed figure for every mode: the same drawing, with hover in the interactive page."""
    def build(mode: str):
        if mode != "interactive":
            return figure
        copy = go.Figure(figure)
        copy.update_layout(hovermode="closest")
        copy.update_traces(hoverinfo="text", selector=lambda trace: trace.hovertext is not None)
        return copy

    return build


def numbered_legend(t, figure, card_text: dict[int, str]) -> list:
    """The numbered legend of a figure whose labels did not all fit (none when all did)."""
    numbered = numbered_cards(figure)
    if not numbered:
        return []
    return [Para(t("micmac.numbered_legend"), "muted"),
            Bullets([t("micmac.numbered_item", number=n, text=card_text.get(cid, "?")) for n, cid in numbered])]


def hours(minutes: float, lang: str) -> str:
    minutes = int(round(minutes))
    h, m = divmod(minutes, 60)
    if lang == "fr":
        return f"{h} h {m:02d}" if h else f"{m} min"
    return f"{h} h {m:02d} min" if h else f"{m} min"


def active_colleges(report: SeminarReport) -> list[str]:
    """Collèges with someone present or a dot cast (the others would be empty columns)."""
    voted = {c for card in report.cards for c in card.by_college}
    return [c for c in COLLEGES if report.participation.count(c) or c in voted]


def joined(items, limit: int = 3, chars: int = 70, lang: str = "fr") -> str:
    """A short list in one cell: the first ``limit`` card texts, each cut to ``chars``."""
    items = list(items)
    if not items:
        return "–"
    text = list_separator(lang).join(shorten(item, chars) for item in items[:limit])
    return text + (f" (+{len(items) - limit})" if len(items) > limit else "")


def run_sheet_title(name: str) -> str:
    """The run sheet's title (« Séminaire de prospective territoriale en un jour et demi »), not its
    file key (« un-jour-et-demi »); the key when no run sheet of that name is installed here."""
    from workshop.content import ContentError, find_run_sheet

    try:
        return find_run_sheet(name).title
    except (ContentError, OSError):
        return name


def reasons_line(reasons, t, limit: int = 2, chars: int = 70, lang: str = "fr") -> str:
    """The reasons given for a verdict in one line, each said once and the most given first: the
    same words typed by four people read « Moyens insuffisants (4 fois) », not four times over."""
    said: dict[str, list] = {}
    for reason in reasons:
        text = " ".join(str(reason).split())
        if text:
            said.setdefault(text.casefold(), [text, 0])[1] += 1
    ranked = sorted(said.values(), key=lambda item: -item[1])
    if not ranked:
        return "–"
    items = [shorten(text, chars) if n == 1 else t("report.reason_times", reason=shorten(text, chars), count=n)
             for text, n in ranked[:limit]]
    return list_separator(lang).join(items) + (f" (+{len(ranked) - limit})" if len(ranked) > limit else "")


def timeline_figure(snapshot, mode: str, lang: str):
    """The trajectories' timeline, with room on the right for the label of a step at the horizon."""
    fig = trajectories_timeline_figure(snapshot, mode=mode, lang=lang)
    fig.update_layout(margin=dict(r=110))
    return fig


def card_line(card) -> str:
    """A card's text in a list of cards: an article from the future by its headline (or its
    first words), read whole in the vision chapter; any other card as written."""
    if not card_text_multiline(card.kind):
        return card.text
    headline, body = article_parts(card.text)
    return headline or shorten(body, 160)


def capped(rows: list, limit: int) -> tuple[list, int]:
    return rows[:limit], max(0, len(rows) - limit)


def more_rows(t, hidden: int, table: str) -> list[Para]:
    return [Para(t("report.more_rows", count=hidden, table=table), "muted")] if hidden else []


@dataclass
class Chapters:
    """What the chapter builders share: the report, its language, the collèges shown (and their
    short names), the figures the chapters add, and the chapters still to come.

    A chapter speaks only of what the run sheet had: it appears when its exercise was played (or
    is being played) or when it has something to show; an exercise still to come is named once,
    on the cover of an interim report; one the run sheet never had leaves no trace.
    """

    report: SeminarReport
    figures: dict[str, FigureSpec] = field(default_factory=dict)
    upcoming: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        r = self.report
        lang = self.lang = r.language
        t = self.t = r.t
        self.colleges = active_colleges(r)
        self.short = {c: t(f"report.college_short.{c}") for c in COLLEGES}
        days = [d for d in r.days]
        dates = ", ".join(t("report.day_date", n=i, date=long_date(d, lang)) for i, d in enumerate(days, start=1)
                          if d is not None) or "–"
        self.dates = dates

    def chapter(self, key: str, title: str, coverage: Coverage, has_data: bool) -> Section | None:
        if has_data or coverage.started:
            return Section(key, title)
        if coverage.upcoming:
            self.upcoming.append(title)
        return None

    def nothing(self, coverage: Coverage, key: str) -> Para:
        """The line of an empty chapter: "still being played" while its activity is open, else final."""
        if coverage.running is not None:
            return Para(self.t("report.empty_running", activity=coverage.running.title), "muted")
        return Para(self.t(f"report.empty.{key}"), "muted")
