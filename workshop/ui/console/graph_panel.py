"""The console's graph tab: the trajectory graph, its analyses in words, links and trajectories.

The analyses run off the event loop and only while the tab is shown: link, card, vote,
rating and trajectory events mark the panel dirty, and one timer redraws it at most once
a second (the first time the tab opens, at once). Forms (new link, new step, new
trajectory) are built once and only get new options, so a redraw never loses what the
facilitator is typing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import run, ui
from nicegui.elements.mixins.text_element import TextElement

from workshop import clock
from workshop.analysis import CardData
from workshop.analysis.metrics import InfluenceGroup
from workshop.errors import WorkshopError
from workshop.events import Event
from workshop.figures import influence_dependence_figure, trajectories_timeline_figure, trajectory_graph_figure
from workshop.models import CardKind, Link, LinkStatus, Relation, Trajectory
from workshop.services import console_queries, links, trajectories
from workshop.services.trajectories import STEP_KINDS
from workshop.ui.common import KIND_COLORS, call, lang, show_error, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import aria, attempt, heading, icon_button, kind_badge
from workshop.ui.graph_findings import GraphState, Words, finding_sentence, key_findings, load_graph
from workshop.ui.graph_labels import fit_labels
from workshop.ui.live import hub

TOPICS = ("link.", "card.", "vote.changed", "rating.changed", "trajectory.changed", "group.changed")
TICK_SECONDS = 0.5
MIN_INTERVAL = 1.0   # at most one recomputation per second, however many events arrive
TOP_ROWS = 8         # rows of the "most exposed" table
MAP_MIN_HEIGHT = 620  # px: the map stays readable however few cards it has
GOAL_KINDS = (CardKind.STAKE, CardKind.CHALLENGE)
NO_WEIGHT = 0
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"]}

GRAPH_CSS = """
.graph-table { width: 100%; border-collapse: collapse; font-size: .9rem; }
.graph-table th { text-align: left; font-weight: 700; color: #0f172a; border-bottom: 2px solid #94a3b8;
  padding: 4px 6px; }
.graph-table td { border-bottom: 1px solid #e2e8f0; padding: 4px 6px; vertical-align: top; }
.graph-table td.num, .graph-table th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.graph-finding { border-left: 4px solid #334155; padding: 2px 0 2px 10px; }
.graph-finding.is-alert { border-left-color: #b91c1c; }
.graph-group { border: 1px solid #cbd5e1; border-radius: 6px; padding: 6px 8px; background: #fff; }
.graph-plot { width: 100%; }
.graph-weight { border: 1px solid #94a3b8; border-radius: 6px; }
.graph-weight .q-btn { min-width: 30px; min-height: 30px; font-weight: 700; }
"""


@dataclass
class PanelData:
    state: GraphState
    graph: dict
    plane: dict
    timeline: dict
    links: list[Link]
    proposed: int
    texts: dict[int, str]
    trajectories: list[Trajectory]


def _figure(figure, *, height: int | None = None) -> dict:
    out = figure.to_plotly_json()
    out["config"] = CONFIG
    if height is not None:
        out["layout"]["height"] = height
    return out


def map_figure(state: GraphState, language: str) -> dict:
    """The interactive map, fitted to the console's narrow column: two-line labels, and room
    on both sides for the labels of the first and last columns."""
    figure = _figure(trajectory_graph_figure(state.snapshot, state.analysis, mode="interactive", lang=language))
    layout = figure["layout"]
    low, high = layout["xaxis"]["range"]
    layout["xaxis"]["range"] = [low - 0.45, high + 0.45]
    layout["margin"] = {**layout.get("margin", {}), "l": 10, "r": 10}
    layout["height"] = max(MAP_MIN_HEIGHT, layout.get("height") or 0)
    fit_labels(figure, layout["height"], {c.id: c.text for c in state.snapshot.cards}, line_chars=20)
    return figure


def timeline_figure(state: GraphState, language: str) -> dict:
    """The trajectories' timeline, with room on the right for the horizon and its last steps."""
    figure = _figure(trajectories_timeline_figure(state.snapshot, mode="interactive", lang=language))
    figure["layout"]["margin"] = {**figure["layout"].get("margin", {}), "r": 110}
    return figure


def load_panel(database, seminar_id: int, language: str) -> PanelData:
    state = load_graph(database, seminar_id)
    accepted = links.list_links(database, seminar_id)
    proposed = links.list_links(database, seminar_id, status=LinkStatus.PROPOSED)
    texts = console_queries.card_texts(database, seminar_id,
                                       [i for link in accepted for i in (link.source_id, link.target_id)])
    return PanelData(
        state=state,
        graph=map_figure(state, language),
        plane=_figure(influence_dependence_figure(state.analysis, mode="interactive", lang=language)),
        timeline=timeline_figure(state, language),
        links=accepted, proposed=len(proposed), texts=texts,
        trajectories=trajectories.list_trajectories(database, seminar_id),
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _option(card: CardData, *, with_kind: bool = True) -> str:
    text = _short(card.text)
    return f"{tr('kind.' + card.kind.value).capitalize()} — {text}" if with_kind else text


def _table(headers: list[tuple[str, bool]], rows: list[list[tuple[str, bool]]], marker: str) -> None:
    """A small table of inert text; each cell is (text, numeric?)."""
    with ui.element("table").classes("graph-table").mark(marker):
        with ui.element("thead"), ui.element("tr"):
            for text, numeric in headers:
                TextElement(tag="th", text=text).classes("num" if numeric else "")
        with ui.element("tbody"):
            for row in rows:
                with ui.element("tr"):
                    for text, numeric in row:
                        TextElement(tag="td", text=text).classes("num" if numeric else "")


class GraphPanel:
    def __init__(self, console: Console, *, is_visible: Callable[[], bool],
                 show_links_tab: Callable[[], None]) -> None:
        self.c = console
        self.is_visible = is_visible
        self.show_links_tab = show_links_tab
        self.dirty = True          # nothing computed yet: done when the tab is first shown
        self.busy = False
        self.last = 0.0
        self.data: PanelData | None = None
        self.words = Words(lang())
        self.cards: dict[int, CardData] = {}
        self.groups: dict[int, str] = {}
        self.select_trajectory: int | None = None

    # --- building (once) --------------------------------------------------------------------

    def build(self) -> None:
        ui.add_css(GRAPH_CSS)
        seminar = self.c.seminar()
        self.horizon = seminar.horizon_year if seminar else clock.now().year + 30
        self.groups = {g.id: g.name for g in seminar.groups} if seminar else {}
        with ui.column().classes("w-full gap-3").mark("graph-panel"):
            with ui.row().classes("w-full items-baseline gap-3 no-wrap"):
                heading(tr("graph.console.heading"))
                self.status = ui.label(tr("graph.console.computing")).classes("text-sm console-muted").props(
                    'role="status"').mark("graph-status")
            with ui.row().classes("w-full items-center gap-3 px-3 py-2 rounded bg-amber-50 border "
                                  "border-amber-700 no-wrap") as self.pending:
                self.pending_label = ui.label().classes("grow font-semibold").mark("graph-pending")
                ui.button(tr("graph.console.see_pending"), icon="inbox",
                          on_click=self.show_links_tab).props("outline dense no-caps color=primary")
            self.pending.set_visibility(False)

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                heading(tr("graph.console.findings"), level=3)
                self.findings = ui.column().classes("w-full gap-1").props('role="list"').mark("graph-findings")

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    heading(tr("graph.console.map"), level=3).classes("grow")
                    icon_button("open_in_full", tr("graph.console.enlarge"), self.enlarge)
                ui.label(tr("graph.console.map_help")).classes("text-sm console-muted")
                self.map_box = ui.element("div").classes("w-full")
                self.plot: ui.plotly | None = None
                self._link_form()

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                with ui.row().classes("w-full items-baseline gap-3 no-wrap"):
                    heading(tr("graph.console.links"), level=3)
                    self.links_count = ui.label().classes("text-sm console-muted").mark("links-count")
                self.link_filter = ui.input(placeholder=tr("graph.console.filter_links"),
                                            on_change=lambda: self._render_links()).props(
                    "outlined dense clearable maxlength=200").classes("w-full")
                aria(self.link_filter, tr("graph.console.filter_links"))
                self.links_list = ui.column().classes("w-full gap-1").props('role="list"').mark("graph-links")

            with ui.column().classes("console-panel w-full p-3 gap-3"):
                heading(tr("graph.console.analyses"), level=3)
                self.analyses = ui.column().classes("w-full gap-3").mark("graph-analyses")

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                heading(tr("graph.console.plane"), level=3)
                ui.label(tr("graph.console.plane_help")).classes("text-sm console-muted")
                self.plane_box = ui.element("div").classes("w-full")
                self.plane: ui.plotly | None = None

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                heading(tr("graph.console.trajectories"), level=3)
                ui.label(tr("graph.console.trajectories_help", horizon=self.horizon)).classes(
                    "text-sm console-muted")
                self.timeline_box = ui.element("div").classes("w-full")
                self.timeline: ui.plotly | None = None
                self.trajectory_list = ui.column().classes("w-full gap-2").mark("trajectory-list")
                self._step_form()
                self._trajectory_form()
        hub.watch(self.c.sid, TOPICS, self.on_event)
        ui.timer(TICK_SECONDS, self.tick)

    def _link_form(self) -> None:
        with ui.column().classes("w-full gap-2 pt-2 border-t border-slate-200").mark("link-form"):
            heading(tr("graph.console.new_link"), level=4, classes="font-semibold")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                self.source = ui.select({}, label=tr("graph.console.source"), with_input=True,
                                        on_change=lambda: self._show_relations()).props(
                    "outlined dense options-dense").classes("grow min-w-0").mark("link-source")
                icon_button("swap_horiz", tr("graph.console.swap"), self._swap)
                self.target = ui.select({}, label=tr("graph.console.target"), with_input=True,
                                        on_change=lambda: self._show_relations()).props(
                    "outlined dense options-dense").classes("grow min-w-0").mark("link-target")
            with ui.row().classes("w-full items-center gap-2"):
                self.relation = ui.select({}, label=tr("graph.console.relation")).props(
                    "outlined dense options-dense").classes("w-48").mark("link-relation")
                ui.label(tr("graph.console.weight")).classes("text-sm font-semibold")
                self.weight = ui.toggle({NO_WEIGHT: "—", 1: "1", 2: "2", 3: "3"}, value=NO_WEIGHT).props(
                    "dense no-caps unelevated toggle-color=primary").classes("graph-weight").mark("link-weight")
                aria(self.weight, tr("graph.console.weight"))
                self.note = ui.input(tr("graph.console.note")).props("outlined dense maxlength=2000").classes(
                    "grow min-w-[10rem]").mark("link-note")
                ui.button(tr("graph.console.create_link"), icon="add_link", on_click=self._create_link).props(
                    "unelevated no-caps color=primary").mark("link-create")
            self.no_relation = ui.label().classes("text-sm font-semibold").style("color: #991b1b").mark(
                "link-impossible")
            self.no_relation.set_visibility(False)

    def _step_form(self) -> None:
        this_year = clock.now().year
        with ui.column().classes("w-full gap-2 pt-2 border-t border-slate-200").mark("step-form"):
            heading(tr("graph.console.new_step"), level=4, classes="font-semibold")
            with ui.row().classes("w-full items-center gap-2"):
                self.step_trajectory = ui.select({}, label=tr("graph.console.step_trajectory")).props(
                    "outlined dense options-dense").classes("grow min-w-[14rem]").mark("step-trajectory")
                self.step_year = ui.number(tr("graph.console.year"), min=this_year, max=self.horizon,
                                           step=1, format="%d").props("outlined dense").classes("w-28").mark(
                    "step-year")
            self.step_title = ui.input(tr("graph.console.step_title")).props("outlined dense maxlength=200").classes(
                "w-full").mark("step-title")
            self.step_description = ui.textarea(tr("graph.console.step_description")).props(
                "outlined dense autogrow maxlength=2000").classes("w-full").mark("step-description")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                self.step_cards = ui.select({}, label=tr("graph.console.step_cards"), multiple=True,
                                            with_input=True).props(
                    "outlined dense options-dense use-chips").classes("grow min-w-0").mark("step-cards")
                ui.button(tr("graph.console.add_step"), icon="add", on_click=self._add_step).props(
                    "unelevated no-caps color=primary").mark("step-add")

    def _trajectory_form(self) -> None:
        with ui.expansion(tr("graph.console.new_trajectory"), icon="timeline").classes(
                "w-full border border-slate-200 rounded").props("dense").mark("trajectory-form"):
            with ui.column().classes("w-full gap-2 p-2"):
                self.trajectory_target = ui.select({}, label=tr("graph.console.trajectory_target"),
                                                   with_input=True).props(
                    "outlined dense options-dense").classes("w-full").mark("trajectory-target")
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    self.trajectory_title = ui.input(tr("graph.console.trajectory_title")).props(
                        "outlined dense maxlength=200").classes("grow").mark("trajectory-title")
                    self.trajectory_table = ui.select({0: tr("graph.console.no_table"), **self.groups}, value=0,
                                                      label=tr("graph.console.table")).props(
                        "outlined dense options-dense").classes("w-48").mark("trajectory-table")
                    ui.button(tr("graph.console.create_trajectory"), icon="add",
                              on_click=self._create_trajectory).props("unelevated no-caps color=primary").mark(
                        "trajectory-create")

    # --- live: mark dirty, recompute at most once a second, only when shown -------------------

    def on_event(self, event: Event) -> None:
        self.dirty = True
        if event.topic == "group.changed":
            seminar = self.c.seminar()
            if seminar is not None:
                self.groups = {g.id: g.name for g in seminar.groups}

    def shown(self) -> None:
        """The tab has just been opened: bring it up to date now if anything changed."""
        if self.dirty:
            self.last = 0.0

    async def tick(self) -> None:
        if not self.dirty or self.busy or not self.is_visible():
            return
        if time.monotonic() - self.last < MIN_INTERVAL:
            return
        await self.refresh()

    async def refresh(self) -> None:
        self.busy = True
        self.dirty = False
        self.last = time.monotonic()
        try:
            data = await run.io_bound(load_panel, self.c.db, self.c.sid, self.words.lang)
        except WorkshopError as exc:
            show_error(exc)
            return
        finally:
            self.busy = False
        if data is not None:  # None: the server is shutting down
            self.render(data)

    # --- drawing ------------------------------------------------------------------------------

    def render(self, data: PanelData) -> None:
        self.data = data
        snapshot, analysis = data.state.snapshot, data.state.analysis
        self.cards = {c.id: c for c in snapshot.cards}
        self.status.set_text(tr("graph.console.counts", cards=len(snapshot.cards), links=len(data.links),
                                trajectories=len(data.trajectories)))
        self.pending.set_visibility(data.proposed > 0)
        self.pending_label.set_text(self.words.count("graph.console.pending", data.proposed))
        self._render_findings()
        if self.plot is None:
            with self.map_box:
                self.plot = ui.plotly(data.graph).classes("graph-plot").mark("graph-map")
                self.plot.props["aria-label"] = tr("graph.console.map_alt")
                self.plot.on("plotly_click", self._clicked)
        else:
            self.plot.update_figure(data.graph)
        self._update_link_options()
        self._render_links()
        self._render_analyses()
        if self.plane is None:
            with self.plane_box:
                self.plane = ui.plotly(data.plane).classes("graph-plot").mark("graph-plane")
                self.plane.props["aria-label"] = tr("graph.console.plane_alt")
        else:
            self.plane.update_figure(data.plane)
        self._render_trajectories()
        if self.timeline is None:
            with self.timeline_box:
                self.timeline = ui.plotly(data.timeline).classes("graph-plot").mark("graph-timeline")
                self.timeline.props["aria-label"] = tr("graph.console.timeline_alt")
        else:
            self.timeline.update_figure(data.timeline)

    def _render_findings(self) -> None:
        analysis = self.data.state.analysis
        findings = key_findings(analysis, self.words, limit=4)
        self.findings.clear()
        with self.findings:
            if not findings:
                ui.label(tr("graph.console.no_findings")).classes("console-muted")
            for finding in findings:
                ui.label(finding_sentence(finding, self.words)).classes(
                    "graph-finding text-sm" + (" is-alert" if finding.alert else "")).props(
                    'role="listitem"').mark(f"finding-{finding.key}")

    def _text(self, card_id: int) -> str:
        card = self.cards.get(card_id)
        if card is not None:
            return card.text
        return self.data.texts.get(card_id, "?") if self.data else "?"

    def _render_analyses(self) -> None:
        analysis = self.data.state.analysis
        words = self.words
        number = words.number
        self.analyses.clear()
        with self.analyses:
            # most exposed stakes and challenges
            self._section("exposed")
            goals = [g for g in analysis.goals if g.exposure > 0][:TOP_ROWS]
            if goals:
                _table([(tr("graph.console.col_card"), False), (tr("graph.console.col_exposure"), True),
                        (tr("graph.console.col_support"), True), (tr("graph.console.col_countered"), True)],
                       [[(self._text(g.card_id), False), (number(g.exposure), True), (str(g.support), True),
                         (tr("graph.console.countered_value", countered=g.countered_count, total=len(g.threats)),
                          True)] for g in goals], "table-exposed")
            else:
                self._none()
            # threats nothing counters
            self._section("uncountered")
            if analysis.uncountered_threats:
                _table([(tr("graph.console.col_card"), False), (tr("graph.console.col_severity"), True),
                        (tr("graph.console.col_pressure"), True)],
                       [[(self._text(i), False),
                         (number(analysis.threat(i).severity) + ("" if analysis.threat(i).rated else " *"), True),
                         (number(analysis.threat(i).pressure), True)] for i in analysis.uncountered_threats],
                       "table-uncountered")
                if any(not analysis.threat(i).rated for i in analysis.uncountered_threats):
                    ui.label(tr("graph.console.unrated_note")).classes("text-xs console-muted")
            else:
                self._none()
            self._section("unsupported")
            self._names(analysis.unsupported_goals, "list-unsupported")
            self._section("isolated")
            self._names(analysis.isolated_cards, "list-isolated")
            # influence groups
            self._section("groups")
            with ui.grid(columns=2).classes("w-full gap-2").mark("influence-groups"):
                for group in InfluenceGroup:
                    ids = analysis.group(group)
                    with ui.column().classes("graph-group gap-0"):
                        ui.label(f"{tr('figure.group.' + group.value)} ({len(ids)})").classes("font-bold text-sm")
                        ui.label(tr(f"graph.console.group_help.{group.value}")).classes("text-xs console-muted")
                        for card_id in ids[:6]:
                            ui.label(_short(self._text(card_id), 70)).classes("text-sm")
                        if len(ids) > 6:
                            ui.label(words.count("graph.finding.more", len(ids) - 6)).classes(
                                "text-xs console-muted")
            # loops
            self._section("loops")
            if analysis.loops:
                with ui.column().classes("w-full gap-0").mark("list-loops"):
                    for loop in analysis.loops[:8]:
                        path = " → ".join(_short(self._text(i), 50) for i in (*loop.card_ids, loop.card_ids[0]))
                        ui.label(path).classes("text-sm")
                    if len(analysis.loops) > 8 or analysis.loops_truncated:
                        ui.label(tr("graph.console.loops_more")).classes("text-xs console-muted")
            else:
                ui.label(tr("graph.console.loops_none")).classes("text-sm console-muted")
            # central cards and clusters
            self._section("central")
            central = analysis.central_cards[:6]
            if central:
                _table([("#", True), (tr("graph.console.col_card"), False), (tr("graph.console.col_kind"), False)],
                       [[(str(rank), True), (self._text(i), False),
                         (tr("kind." + analysis.cards[i].kind.value), False)] for rank, i in enumerate(central, 1)],
                       "table-central")
            else:
                self._none()
            self._section("clusters")
            if analysis.clusters:
                with ui.column().classes("w-full gap-1").mark("list-clusters"):
                    for cluster in analysis.clusters[:6]:
                        others = [i for i in cluster.card_ids if i != cluster.main_card_id]
                        ui.label(tr("graph.console.cluster", main=_short(self._text(cluster.main_card_id), 60),
                                    count=cluster.size,
                                    others=" ; ".join(_short(self._text(i), 40) for i in others[:4])
                                    + (" …" if len(others) > 4 else ""))).classes("text-sm")
            else:
                self._none()

    def _section(self, key: str) -> None:
        with ui.column().classes("w-full gap-0 pt-1"):
            heading(tr(f"graph.console.{key}_title"), level=4, classes="font-bold text-slate-900")
            ui.label(tr(f"graph.console.{key}_help")).classes("text-xs console-muted")

    def _none(self) -> None:
        ui.label(tr("graph.console.none")).classes("text-sm console-muted")

    def _names(self, ids: tuple[int, ...], marker: str) -> None:
        if not ids:
            self._none()
            return
        with ui.column().classes("w-full gap-0").mark(marker):
            for card_id in ids:
                with ui.row().classes("items-center gap-2 no-wrap"):
                    card = self.cards.get(card_id)
                    if card is not None:
                        kind_badge(card.kind.value)
                    ui.label(self._text(card_id)).classes("text-sm")

    # --- links ----------------------------------------------------------------------------------

    def _update_link_options(self) -> None:
        linkable = sorted(self.cards.values(), key=lambda c: (c.kind.value, c.text.lower()))
        options = {c.id: _option(c) for c in linkable}
        self.source.set_options(options, value=self.source.value if self.source.value in options else None)
        self.target.set_options(options, value=self.target.value if self.target.value in options else None)
        self._show_relations()

    def _show_relations(self) -> None:
        a, b = self.cards.get(self.source.value), self.cards.get(self.target.value)
        options: dict[str, str] = {}
        if a is not None and b is not None:
            options = {r.value: tr(f"relation.{r.value}") for r in links.allowed_relations(a.kind, b.kind)}
        value = self.relation.value if self.relation.value in options else (
            next(iter(options)) if len(options) == 1 else None)
        self.relation.set_options(options, value=value)
        impossible = a is not None and b is not None and a.id != b.id and not options
        if impossible:
            self.no_relation.set_text(self._impossible_text(a, b))
        self.no_relation.set_visibility(impossible)

    def _impossible_text(self, a: CardData, b: CardData) -> str:
        reverse = links.allowed_relations(b.kind, a.kind)
        key = "graph.console.no_relation_swap" if reverse else "graph.console.no_relation"
        return tr(key, source=tr(f"kind.{a.kind.value}"), target=tr(f"kind.{b.kind.value}"))

    def _swap(self) -> None:
        a, b = self.source.value, self.target.value
        self.source.value, self.target.value = b, a
        self._show_relations()

    def _clicked(self, event) -> None:
        """A click on a card of the map fills the new-link form: first the source, then the target."""
        points = (event.args or {}).get("points") or []
        card_id = points[0].get("customdata") if points else None
        if not isinstance(card_id, int) or card_id not in self.cards:
            return
        if self.source.value is None or self.target.value is not None:
            self.source.value, self.target.value = card_id, None
            ui.notify(tr("graph.console.picked_source", text=_short(self.cards[card_id].text, 60)),
                      position="top", timeout=2500)
        else:
            self.target.value = card_id
        self._show_relations()

    async def _create_link(self) -> None:
        source, target = self.source.value, self.target.value
        if source is None or target is None:
            ui.notify(tr("graph.console.pick_link"), type="warning", position="top")
            return
        relation = self.relation.value
        if relation is None:
            a, b = self.cards.get(source), self.cards.get(target)
            if source != target and a is not None and b is not None:
                ui.notify(self._impossible_text(a, b), type="warning", position="top", multi_line=True)
                return
            if source != target:
                ui.notify(tr("graph.console.pick_link"), type="warning", position="top")
                return
            relation = Relation.INFLUENCES.value  # a card onto itself: the service says why not
        weight = self.weight.value or None
        if await attempt(links.create_link, self.c.db, self.c.sid, source, target, relation, weight=weight,
                         note=self.note.value or ""):
            ui.notify(tr("graph.console.link_created"), type="positive", position="top")
            self.target.value = None
            self.note.value = ""
            self.weight.value = NO_WEIGHT
            self._show_relations()

    def _link_text(self, link: Link) -> str:
        return tr("console.link_text", source=self._text(link.source_id),
                  relation=tr(f"relation.{link.relation.value}"), target=self._text(link.target_id))

    def _render_links(self) -> None:
        if self.data is None:
            return
        wanted = (self.link_filter.value or "").strip().lower()
        shown = [l for l in self.data.links if not wanted or wanted in self._link_text(l).lower()
                 or wanted in (l.note or "").lower()]
        self.links_count.set_text(tr("graph.console.links_count", shown=len(shown), total=len(self.data.links)))
        self.links_list.clear()
        with self.links_list:
            if not shown:
                ui.label(tr("graph.console.no_links")).classes("console-muted")
            for link in shown:
                self._link_row(link)

    def _link_row(self, link: Link) -> None:
        text = self._link_text(link)
        color = KIND_COLORS.get(self.cards[link.source_id].kind.value if link.source_id in self.cards else "", "#334155")
        with ui.row().classes("w-full items-center gap-2 px-2 py-1 rounded border border-slate-200 bg-white "
                              "no-wrap").style(f"border-left: 4px solid {color}").props('role="listitem"').mark(
                f"graph-link-{link.id}"):
            with ui.column().classes("grow gap-0 min-w-0"):
                ui.label(text).classes("text-sm break-words")
                if link.note:
                    ui.label(link.note).classes("text-xs console-muted break-words")
            weight = ui.toggle({NO_WEIGHT: "—", 1: "1", 2: "2", 3: "3"}, value=link.weight or NO_WEIGHT,
                               on_change=lambda e, lid=link.id, before=link.weight: self._set_weight(
                                   lid, e.value, before)).props(
                "dense no-caps unelevated toggle-color=primary").classes("graph-weight").mark(
                f"link-weight-{link.id}")
            aria(weight, tr("graph.console.weight_of", text=text))
            icon_button("edit_note", tr("graph.console.edit_note", text=text),
                        lambda l=link: self._edit_note(l)).mark(f"link-note-{link.id}")
            icon_button("delete", tr("graph.console.delete_link", text=text),
                        lambda l=link: self._confirm_delete(l), color="negative").mark(f"link-delete-{link.id}")

    async def _set_weight(self, link_id: int, value: Any, before: int | None) -> None:
        weight = int(value) if value else None
        if weight == before:
            return
        await attempt(links.update_link, self.c.db, self.c.sid, link_id, weight=weight)

    def _edit_note(self, link: Link) -> None:
        dialog = self.c.dialog()
        with dialog, ui.card().classes("w-[32rem] max-w-full gap-3"):
            heading(tr("graph.console.note_title"), level=2)
            ui.label(self._link_text(link)).classes("text-sm")
            note = ui.textarea(tr("graph.console.note"), value=link.note or "").props(
                "outlined autogrow maxlength=2000").classes("w-full").mark("link-note-text")

            async def save() -> None:
                if await attempt(links.update_link, self.c.db, self.c.sid, link.id, weight=link.weight,
                                 note=note.value or ""):
                    dialog.close()
                    ui.notify(tr("graph.console.note_saved"), type="positive", position="top")

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
                ui.button(tr("ui.save"), on_click=save).props("unelevated no-caps color=primary").mark(
                    "link-note-save")
        dialog.open()

    def _confirm_delete(self, link: Link) -> None:
        dialog = self.c.dialog()
        with dialog, ui.card().classes("w-[32rem] max-w-full gap-3"):
            heading(tr("graph.console.delete_title"), level=2)
            ui.label(self._link_text(link)).classes("text-sm")

            async def delete() -> None:
                if await attempt(links.delete_link, self.c.db, self.c.sid, link.id):
                    dialog.close()
                    ui.notify(tr("graph.console.link_deleted"), type="positive", position="top")

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
                ui.button(tr("graph.console.delete"), icon="delete", on_click=delete).props(
                    "unelevated no-caps color=negative").mark("link-delete-confirm")
        dialog.open()

    def enlarge(self) -> None:
        """The map on the whole laptop screen (the console's middle column is narrow)."""
        if self.data is None:
            return
        dialog = self.c.dialog().props("maximized")
        with dialog, ui.card().classes("w-full h-full gap-2"):
            with ui.row().classes("w-full items-center no-wrap"):
                heading(tr("graph.console.map"), level=2).classes("grow")
                icon_button("close", tr("graph.console.close"), dialog.close)
            figure = dict(self.data.graph)
            layout = {k: v for k, v in figure["layout"].items() if k != "height"}
            figure["layout"] = {**layout, "autosize": True}
            big = ui.plotly(figure).classes("w-full grow").style("min-height: 80vh")
            big.props["aria-label"] = tr("graph.console.map_alt")
        dialog.open()

    # --- trajectories -------------------------------------------------------------------------

    def _render_trajectories(self) -> None:
        data = self.data
        goals = {c.id: _option(c) for c in sorted(self.cards.values(), key=lambda c: (c.kind.value, c.text.lower()))
                 if c.kind in GOAL_KINDS}
        self.trajectory_target.set_options(goals, value=self.trajectory_target.value
                                           if self.trajectory_target.value in goals else None)
        levers = {c.id: _option(c) for c in sorted(self.cards.values(), key=lambda c: (c.kind.value, c.text.lower()))
                  if c.kind in STEP_KINDS}
        self.step_cards.set_options(levers, value=[v for v in (self.step_cards.value or []) if v in levers])
        options = {t.id: self._trajectory_name(t) for t in data.trajectories}
        value = self.step_trajectory.value if self.step_trajectory.value in options else (
            next(iter(options)) if options else None)
        if self.select_trajectory in options:
            value, self.select_trajectory = self.select_trajectory, None
        self.step_trajectory.set_options(options, value=value)
        self.trajectory_table.set_options({0: tr("graph.console.no_table"), **self.groups},
                                          value=self.trajectory_table.value if self.trajectory_table.value in
                                          self.groups else 0)
        self.trajectory_list.clear()
        with self.trajectory_list:
            if not data.trajectories:
                ui.label(tr("graph.console.no_trajectories")).classes("console-muted")
            for trajectory in data.trajectories:
                self._trajectory_card(trajectory)

    def _trajectory_name(self, trajectory: Trajectory) -> str:
        table = self.groups.get(trajectory.group_id) if trajectory.group_id else None
        return trajectory.title + (f" ({table})" if table else "")

    def _trajectory_card(self, trajectory: Trajectory) -> None:
        with ui.column().classes("w-full gap-1 p-2 rounded border border-slate-300 bg-white").mark(
                f"trajectory-{trajectory.id}"):
            with ui.row().classes("w-full items-baseline gap-2"):
                ui.label(trajectory.title).classes("font-bold")
                table = self.groups.get(trajectory.group_id) if trajectory.group_id else None
                if table:
                    ui.label(table).classes("text-xs console-muted")
            ui.label(tr("graph.console.trajectory_for", target=self._text(trajectory.target_card_id))).classes(
                "text-sm console-muted")
            if not trajectory.steps:
                ui.label(tr("graph.console.no_steps")).classes("text-sm console-muted")
            for step in trajectory.steps:
                with ui.row().classes("w-full items-start gap-2 no-wrap").mark(f"step-{step.id}"):
                    ui.label(str(step.year)).classes("font-bold tabular-nums w-12 shrink-0")
                    with ui.column().classes("grow gap-0 min-w-0"):
                        ui.label(step.title).classes("text-sm break-words")
                        if step.description:
                            ui.label(step.description).classes("text-xs console-muted whitespace-pre-line")
                        names = [_short(self._text(i), 50) for i in step.card_ids or []]
                        if names:
                            ui.label(tr("graph.console.step_with", cards=" ; ".join(names))).classes(
                                "text-xs console-muted")
                    icon_button("delete", tr("graph.console.remove_step", title=step.title),
                                lambda s=step: self._remove_step(s.id), color="negative").mark(
                        f"step-remove-{step.id}")

    async def _remove_step(self, step_id: int) -> None:
        if await attempt(trajectories.remove_step, self.c.db, self.c.sid, step_id):
            ui.notify(tr("graph.console.step_removed"), type="positive", position="top")

    async def _add_step(self) -> None:
        if self.step_trajectory.value is None:
            ui.notify(tr("graph.console.pick_trajectory"), type="warning", position="top")
            return
        if self.step_year.value is None:
            ui.notify(tr("graph.console.pick_year", min=clock.now().year, max=self.horizon), type="warning",
                      position="top")
            return
        year = int(self.step_year.value)
        if await attempt(trajectories.add_step, self.c.db, self.c.sid, self.step_trajectory.value, year=year,
                         title=self.step_title.value or "", description=self.step_description.value or "",
                         card_ids=list(self.step_cards.value or [])):
            ui.notify(tr("graph.console.step_added"), type="positive", position="top")
            self.step_title.value = ""
            self.step_description.value = ""
            self.step_cards.value = []

    async def _create_trajectory(self) -> None:
        if self.trajectory_target.value is None:
            ui.notify(tr("graph.console.pick_target"), type="warning", position="top")
            return
        created = await call(trajectories.create_trajectory, self.c.db, self.c.sid,
                             self.trajectory_target.value, self.trajectory_title.value or "",
                             group_id=self.trajectory_table.value or None)
        if created is not None:
            ui.notify(tr("graph.console.trajectory_created"), type="positive", position="top")
            self.trajectory_title.value = ""
            self.select_trajectory = created.id  # the step form turns to it once the list is redrawn

