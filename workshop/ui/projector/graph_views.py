"""The projector's graph views: the map of cards and links with its key findings, and the
trajectories as a timeline.

Both are drawn at a 1080p reference size and scaled to the screen by the page's script
(no scrolling at 1920x1080 or 1280x720). The analyses run off the event loop; the page
coalesces bursts of events (a link accepted, a step added, a vote) into at most one
redraw per second.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
from nicegui import run, ui
from nicegui.elements.mixins.text_element import TextElement

from workshop.analysis import Snapshot
from workshop.figures import trajectories_timeline_figure, trajectory_graph_figure
from workshop.figures.map_labels import MapFit, named_count
from workshop.figures.timeline import projector_timeline_height
from workshop.figures.style import KIND_COLORS, RELATION_STYLES
from workshop.i18n import list_separator, translate
from workshop.models import Relation
from workshop.services import seminars
from workshop.ui.common import db
from workshop.ui.graph_findings import (Finding, GraphState, Words, finding_sentence, graph_title, key_findings,
                                        load_graph)
from workshop.ui.graph_labels import halo, two_lines
from workshop.ui.projector.assets import READABLE
from workshop.ui.units import UnitsLine

if TYPE_CHECKING:
    from workshop.ui.projector.page import ProjectorScreen

#: Reference drawing sizes (px of a 1920x1080 screen). The map is drawn a little smaller than
#: its area so that the page scales it up: its type then reads from the back of the room.
GRAPH_W, GRAPH_H = 1120, 590
#: The map's width when it has no finding to show beside it (cards and no link, as in a run sheet without a
#: links activity): it takes the whole width rather than leave the side column empty but for one line,
#: which goes above it. Still at least MIN_SCALE_720 on a 1280x720 screen (tests/e2e/test_projector_map.py).
GRAPH_W_WIDE = 1640
TIMELINE_W_SIDE, TIMELINE_W_WIDE, TIMELINE_H = 1150, 1640, 670
#: The share of the timeline's width its rows' labels may take (« Pour : » and the stake are cut
#: only when wider), the rest for the years.
TIMELINE_LABELS = 0.45
#: At most one redraw per this many seconds, however many events arrive.
MIN_INTERVAL = 1.0
#: Findings shown beside the map (the others are in the console).
PROJECTOR_FINDINGS = ("exposed", "uncountered", "unsupported", "isolated")
#: Card names per finding beside the map, each on one line of the findings column (the rest
#: counted: « … et 2 autres »). The page's script cuts a name at a word, with « … », only when it
#: is wider than the column. The findings that do not fit below are left out whole and counted
#: under the list (« + 1 constat dans la console », one line), at the same type size (measured by
#: tests/e2e/test_projector_findings.py).
#: The screen-reader sentence of each finding keeps FINDING_NAMES_SR names, in full.
FINDING_NAMES, FINDING_NAMES_SR = 2, 3

GRAPH_CSS = """
.v21p-graph-row { flex: 1 1 auto; min-height: 0; display: flex; gap: 3vh; }
/* no finding to show: the map takes the whole width, what the side says (« Aucun lien entre les cartes. », how
   many cards the map names) one line above it */
.v21p-graph-row.is-wide { flex-direction: column; gap: 1.1vh; }
.v21p-graph-row.is-wide .v21p-graph-side { order: -1; flex: 0 0 auto; }
.v21p-graph-row.is-wide .v21p-findings { flex: 0 0 auto; }
/* min-width 0: names kept on one line must not widen the column (the script cuts them to it); 32% holds a
   name of about 28 characters whole (« Accès aux soins de proximité ») and leaves the map its scale */
.v21p-graph-side { flex: 0 0 32%; min-width: 0; min-height: 0; display: flex; flex-direction: column; gap: 1.8vh; }
.v21p-findings { flex: 1 1 auto; min-width: 0; min-height: 0; overflow: hidden; display: flex; flex-direction: column; gap: 1.1vh;
  margin: 0; padding: 0; list-style: none; }
.v21p-finding { flex: 0 0 auto; border-left: .9vh solid #334155; padding: 0 0 0 1.6vh; line-height: 1.14; }
.v21p-finding.is-alert { border-left-color: #991b1b; }
.v21p-finding-lead { font-size: {READABLE}; font-weight: 800; color: #0b2e59; }
.v21p-finding.is-alert .v21p-finding-lead { color: #991b1b; }
.v21p-finding-items { margin: .2vh 0 0 0; padding: 0; list-style: none; font-size: {READABLE}; }
.v21p-finding-items li { padding-left: .7em; text-indent: -.7em; white-space: nowrap; overflow: hidden; }
.v21p-finding-items li::before { content: "•"; display: inline-block; width: .7em; text-indent: 0; color: #334155; }
/* the numbers behind the lead, and how many names are left out: secondary text, not headings */
.v21p-finding-detail, .v21p-finding-more { font-size: {READABLE}; font-weight: 400; color: #334155; }
.v21p-finding-more, .v21p-findings-left { font-style: italic; }
/* right under the list, one line: it must not take the room of the finding it counts */
.v21p-findings-left { flex: 0 0 auto; margin: -1.2vh 0 0 0; font-size: {READABLE}; line-height: 1.14; color: #0b2e59; }
.v21p-findings-left[hidden] { display: none; }
.v21p-findings-left-box { display: contents; }
.v21p-caption { flex: 0 0 auto; font-size: {READABLE}; color: #334155; }
.v21p-graph-legend { flex: 0 0 auto; display: flex; flex-wrap: wrap; gap: .4vh 2.2vh; font-size: {READABLE}; font-weight: 600; }
.v21p-line { display: inline-block; width: 4.2vh; height: 0; border-top: .6vh solid; vertical-align: middle; }
.v21p-line.is-dash { border-top-style: dashed; }
.v21p-line.is-dot { border-top-style: dotted; }
.v21p-dot { display: inline-block; width: 2.2vh; height: 2.2vh; border-radius: 50%; }
""".replace("{READABLE}", READABLE)

# Kinds named in the legend above the map, in the map's order (only those present are named).
LEGEND_KINDS = ("resource", "current_action", "action_lead", "threat", "trend", "stake", "challenge")
DASH_CLASS = {"solid": "", "dash": "is-dash", "dot": "is-dot", "dashdot": "is-dash"}
#: The map's labels (px of the reference drawing). The page scales the drawing by at least
#: MIN_SCALE_720 on a 1280x720 screen (measured by tests/e2e/test_projector_map.py), so they
#: read at 24 px or more there, the projector's floor (about 38 px on a 1080p screen).
MAP_FONT = 34
MIN_SCALE_720 = 0.72


def figure_dict(figure: go.Figure, width: int, height: int) -> dict:
    """A figure as plotly JSON at a fixed reference size, static (nothing to hover on a projector)."""
    out = figure.to_plotly_json()
    layout = out.setdefault("layout", {})
    layout.update(width=width, height=height, autosize=False)
    layout["showlegend"] = False  # the page draws the legend in HTML, big and wrapped
    out["config"] = {"staticPlot": True, "displayModeBar": False, "responsive": False}
    return out


@dataclass
class GraphDrawing:
    figure: dict
    state: GraphState
    links: list[str]
    named: str = ""    # how many cards the map names, when it cannot name them all
    links_to_come: bool = False   # a links activity still to run or open, or links proposed
    width: int = GRAPH_W    # the drawing's reference width: GRAPH_W_WIDE when no finding is shown beside it
    findings: list[Finding] = field(default_factory=list)  # beside the map, FINDING_NAMES names each
    spoken: list[Finding] = field(default_factory=list)    # the same for screen readers, FINDING_NAMES_SR names


def graph_drawing(state: GraphState, lang: str) -> GraphDrawing:
    """The map at its reference size: every label placed beside its card without collision,
    inside the drawing, at MAP_FONT px; cards without room for theirs stay unnamed dots (the
    caption says how many are named)."""
    words = Words(lang)
    findings = key_findings(state.analysis, words, limit=FINDING_NAMES, keys=PROJECTOR_FINDINGS, room=True)
    spoken = key_findings(state.analysis, words, limit=FINDING_NAMES_SR, keys=PROJECTOR_FINDINGS, room=True)
    width = GRAPH_W if findings else GRAPH_W_WIDE  # nothing to say beside the map: it takes the width
    figure = trajectory_graph_figure(state.snapshot, state.analysis, mode="projector", lang=lang,
                                     fit=MapFit(width, GRAPH_H, size=MAP_FONT, right=True, numbers=False,
                                                legend=False))
    drawn = figure_dict(figure, width, GRAPH_H)
    by_id = state.snapshot.by_id
    links = [words("graph.link_sentence", source=by_id[l.source].text, relation=words(f"relation.{l.relation.value}"),
                   target=by_id[l.target].text) for l in state.snapshot.links if l.source in by_id and l.target in by_id]
    count = named_count(figure)
    named = ""
    if count is not None and count[0] < count[1]:
        named = translate("graph.projector.named", lang, count=count[0], total=count[1])
    return GraphDrawing(drawn, state, links, named, width=width, findings=findings, spoken=spoken)


def map_caption(snapshot: Snapshot, t: Callable[..., str]) -> str:
    """How to read the map, in words, for what varies on it only: the arrows when it has links, the
    dots' size when some card received dots (else they are all the same size), the lines' width when
    the links do not all weigh the same. Empty when nothing needs explaining (cards only, no dot)."""
    parts = []
    if snapshot.links:
        parts.append(t("graph.projector.caption_arrows"))
    if any(card.votes > 0 for card in snapshot.cards):
        parts.append(t("graph.projector.caption_dots"))
    if len({link.weight for link in snapshot.links}) > 1:
        parts.append(t("graph.projector.caption_width"))
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def load_graph_drawing(seminar_id: int, lang: str) -> GraphDrawing:
    drawing = graph_drawing(load_graph(db(), seminar_id), lang)
    drawing.links_to_come = seminars.links_to_come(db(), seminar_id)
    return drawing


def no_findings_text(drawing: GraphDrawing, t: Callable[..., str]) -> str:
    """Beside a map without findings: links promised only when some can still come (a links
    activity not closed, or links proposed); else, with no link, that there is none; with
    accepted links that give nothing to point out, nothing."""
    if drawing.state.snapshot.links:
        return ""
    return t("graph.projector.no_findings" if drawing.links_to_come else "graph.projector.no_links")


class GraphView:
    """The map of cards and accepted links, its legend and what to take from it."""

    def __init__(self, page: ProjectorScreen) -> None:
        self.page = page
        t = page.t
        self.words = Words(page.lang)
        with ui.element("section").classes("v21p-view").mark("graph-view") as root:
            self.root = root
            # named after what the map shows (render): its links, or its cards only; never trajectories,
            # which it does not draw
            self.title = ui.label().classes("v21p-view-title").props('role="heading" aria-level="2"').mark(
                "graph-title")
            self.legend_box = ui.element("div").classes("v21p-graph-legend").props('aria-hidden="true"')
            self.legend_kinds: tuple | None = None
            # the arrows explained only when the map has some (render)
            self.caption = UnitsLine().classes("v21p-caption").mark("graph-caption")
            with ui.element("div").classes("v21p-graph-row") as self.row:
                self.box = ui.element("div").classes("v21p-scale").props('role="img"')
                self.box.props["aria-label"] = t("graph.projector.alt")
                self.box.props["data-map"] = "cards"
                self.box.props["data-w"] = str(GRAPH_W)
                self.box.props["data-h"] = str(GRAPH_H)
                with self.box:
                    self.plot: ui.plotly | None = None
                with ui.element("div").classes("v21p-graph-side"):
                    self.findings = ui.element("ul").classes("v21p-findings").props(
                        f'aria-label="{t("graph.projector.findings")}" data-whole-items').mark("graph-findings")
                    # how many findings the list leaves out for lack of room (the page's script says it)
                    self.left_box = ui.element("div").classes("v21p-findings-left-box")
                    # how many cards the map names, when it cannot name them all
                    self.named = ui.label().classes("v21p-caption").mark("graph-named")
            self.listing = ui.element("ul").classes("v21p-sr").mark("graph-links")
        self.render(load_graph_drawing(page.sid, page.lang))

    def legend(self, drawing: GraphDrawing) -> None:
        """Colours of the kinds on the map and line styles of the relations drawn."""
        snapshot = drawing.state.snapshot
        present = {c.kind.value for c in snapshot.cards}
        kinds = tuple(k for k in LEGEND_KINDS if k in present)
        relations = tuple(r for r in Relation if any(l.relation is r for l in snapshot.links))
        if (kinds, relations) == self.legend_kinds:
            return
        self.legend_kinds = (kinds, relations)
        t = self.page.t
        self.legend_box.clear()
        with self.legend_box:
            for kind in kinds:
                with ui.element("span").classes("v21p-legend-item"):
                    ui.element("span").classes("v21p-dot").style(f"background: {KIND_COLORS[kind]}")
                    TextElement(tag="span", text=t(f"kind_plural.{kind}"))
            for relation in relations:
                color, dash = RELATION_STYLES[relation]
                with ui.element("span").classes("v21p-legend-item"):
                    ui.element("span").classes(f"v21p-line {DASH_CLASS.get(dash, '')}").style(f"color: {color}")
                    TextElement(tag="span", text=t(f"relation.{relation.value}"))

    async def reload(self) -> None:
        drawing = await run.io_bound(load_graph_drawing, self.page.sid, self.page.lang)
        if self.page.view is self and drawing is not None:
            self.render(drawing)

    def render(self, drawing: GraphDrawing) -> None:
        if self.plot is None:
            with self.box:
                self.plot = ui.plotly(drawing.figure).style(f"width: {drawing.width}px; height: {GRAPH_H}px").props(
                    'aria-hidden="true"')
        else:
            self.plot.update_figure(drawing.figure)
        if self.box.props["data-w"] != str(drawing.width):
            # the page's script scales the drawing to its area from data-w / data-h
            self.plot.style(replace=f"width: {drawing.width}px; height: {GRAPH_H}px")
            self.box.props["data-w"] = str(drawing.width)
            self.box.update()
        if drawing.width == GRAPH_W_WIDE:
            self.row.classes(add="is-wide")
        else:
            self.row.classes(remove="is-wide")
        self.legend(drawing)
        title = graph_title(drawing.state.snapshot, self.words, trajectories=False)
        if title != self.title.text:
            self.title.set_text(title)
            self.root.props["aria-label"] = title
            self.root.update()
        caption = map_caption(drawing.state.snapshot, self.page.t)
        self.caption.set_text(caption)
        self.caption.set_visibility(bool(caption))
        self.named.set_text(drawing.named)
        self.named.set_visibility(bool(drawing.named))
        words = self.words
        findings, spoken = drawing.findings, drawing.spoken
        self.findings.clear()
        with self.findings:
            empty = "" if findings else no_findings_text(drawing, self.page.t)
            if empty:
                TextElement(tag="li", text=empty).classes("v21p-finding v21p-finding-detail").mark(
                    "graph-no-findings")  # in readable type, as the findings
            for finding, sentence in zip(findings, spoken):
                with ui.element("li").classes("v21p-finding" + (" is-alert" if finding.alert else "")).mark(
                        f"finding-{finding.key}"):
                    # one text for screen readers (names in full), the same in pieces for the eye
                    TextElement(tag="span", text=finding_sentence(sentence, words)).classes("v21p-sr")
                    with ui.element("div").props('aria-hidden="true"'):
                        ui.label(finding.lead).classes("v21p-finding-lead")
                        if finding.items:
                            with ui.element("ul").classes("v21p-finding-items"):
                                for item in finding.items:
                                    # the full name: the page cuts it to the column's width if need be
                                    TextElement(tag="li", text=item).props["data-line"] = item
                        if finding.more:
                            ui.label(words.count("graph.finding.more", finding.more)).classes("v21p-finding-more")
                        if finding.detail:  # after the name it is about: « 1 menace pèse dessus, sans parade ; … »
                            ui.label(finding.detail).classes("v21p-finding-detail")
        self.left_box.clear()
        with self.left_box:
            # the line for 1, 2, 3… findings left out, in this language; the script picks one and shows it
            left = ui.element("p").classes("v21p-findings-left").props("hidden").mark("graph-findings-left")
            left.props["data-left"] = json.dumps(
                [""] + [self.page.t("graph.projector.left", count=n) for n in range(1, len(findings) + 1)])
        self.listing.clear()
        with self.listing:
            for sentence in drawing.links:
                TextElement(tag="li", text=sentence)


# --- trajectories ------------------------------------------------------------------------------


@dataclass
class TimelineDrawing:
    figure: dict
    snapshot: Snapshot
    summary: str
    steps: list[str]


def load_timeline(seminar_id: int, lang: str, width: int) -> TimelineDrawing:
    from workshop.analysis import load_snapshot

    snapshot = load_snapshot(db(), seminar_id)
    words = Words(lang)
    figure = trajectories_timeline_figure(snapshot, mode="projector", lang=lang, label_room=TIMELINE_LABELS * width)
    # room on the right for the horizon's label and the last steps' titles
    figure.update_layout(margin=dict(r=140))
    # as tall as its rows need: one trajectory is not drawn in the middle of an empty frame
    height = projector_timeline_height(len(snapshot.trajectories), TIMELINE_H)
    drawn = figure_dict(figure, width, height)
    titles = [step.title for trajectory in snapshot.trajectories for step in trajectory.steps]
    for trace in drawn["data"]:
        if trace.get("name") == "steps" and len(trace.get("text") or []) == len(titles):
            # step titles on two lines rather than cut after a few words
            trace["text"] = [two_lines(title, 20) for title in titles]
            trace["textfont"] = {**(trace.get("textfont") or {}), "shadow": halo(18)}
    by_id = snapshot.by_id
    steps_count = sum(len(t.steps) for t in snapshot.trajectories)
    summary = words.count("graph.timeline.trajectories", len(snapshot.trajectories)) + " · " + words.count(
        "graph.timeline.steps", steps_count)
    lines = []
    for trajectory in snapshot.trajectories:
        target = by_id.get(trajectory.target_id)
        lines.append(words("graph.timeline.alt_trajectory", title=trajectory.title,
                           target=target.text if target else "?"))
        for step in trajectory.steps:
            names = [by_id[c].text for c in step.card_ids if c in by_id]
            lines.append(words("graph.timeline.alt_step", year=step.year, title=step.title)
                         + (words("graph.finding.colon") + list_separator(words.lang).join(names) if names else ""))
    return TimelineDrawing(drawn, snapshot, summary, lines)


class TrajectoriesView:
    """The trajectories of the tables, from today to the horizon, growing as steps are added."""

    def __init__(self, page: ProjectorScreen, wide: bool) -> None:
        self.page = page
        self.width = TIMELINE_W_WIDE if wide else TIMELINE_W_SIDE
        self.height = 0  # the drawing's, set by render
        t = page.t
        with ui.element("section").classes("v21p-view").mark("trajectories-view") as root:
            root.props["aria-label"] = t("graph.timeline.title")
            ui.label(t("graph.timeline.title")).classes("v21p-view-title").props('role="heading" aria-level="2"')
            self.summary = UnitsLine().classes("v21p-view-sub").mark("timeline-summary")
            self.box = ui.element("div").classes("v21p-scale").props('role="img"')
            self.box.props["aria-label"] = t("graph.timeline.alt")
            self.box.props["data-w"] = str(self.width)
            self.plot: ui.plotly | None = None
            self.listing = ui.element("ul").classes("v21p-sr").mark("timeline-steps")
        self.render(load_timeline(page.sid, page.lang, self.width))

    async def reload(self) -> None:
        drawing = await run.io_bound(load_timeline, self.page.sid, self.page.lang, self.width)
        if self.page.view is self and drawing is not None:
            self.render(drawing)

    def render(self, drawing: TimelineDrawing) -> None:
        height = drawing.figure["layout"]["height"]
        if self.plot is None:
            with self.box:
                self.plot = ui.plotly(drawing.figure).props('aria-hidden="true"')
        else:
            self.plot.update_figure(drawing.figure)
        if height != self.height:
            # the page's script scales the drawing to its area from data-w / data-h
            self.height = height
            self.plot.style(replace=f"width: {self.width}px; height: {height}px")
            self.box.props["data-h"] = str(height)
            self.box.update()
        self.summary.set_text(drawing.summary)
        self.listing.clear()
        with self.listing:
            for line in drawing.steps:
                TextElement(tag="li", text=line)


GRAPH_VIEWS: tuple[type[Any], ...] = (GraphView, TrajectoriesView)
