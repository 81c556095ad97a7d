"""The console's graph tab: the trajectory graph, its analyses in words, links and trajectories.

The analyses run off the event loop and only while the tab is shown: link, card, vote,
rating and trajectory events mark the panel dirty, and one timer redraws it at most once
a second (the first time the tab opens, at once). Forms (new link, new step, new
trajectory) are built once and only get new options, so a redraw never loses what the
facilitator is typing.

The tab's parts are mixed in: ``graph_links`` (link form and list), ``graph_analyses``
(findings and analyses in words), ``graph_trajectories`` (trajectory and step forms, list);
``graph_data`` loads the figures.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from workshop import clock
from workshop.analysis import CardData
from workshop.analysis.readings import settled_sentence
from workshop.events import Event
from workshop.ui.common import call, lang, tr
from workshop.ui.console.graph_analyses import Analyses
from workshop.ui.console.graph_data import BIG_MAP_WIDTH, PanelData, load_panel, map_figure
from workshop.ui.console.graph_links import LinkEditing
from workshop.ui.console.graph_trajectories import TrajectoryEditing
from workshop.ui.console.refresher import LiveRefresher
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import Redrawn, aria, heading, icon_button
from workshop.ui.graph_findings import Words, graph_title

TOPICS = ("link.", "card.", "vote.changed", "rating.changed", "trajectory.changed", "group.changed")
TICK_SECONDS = 0.5
MIN_INTERVAL = 1.0   # at most one recomputation per second, however many events arrive

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
.graph-map-box { overflow-x: auto; }
.graph-weight { border: 1px solid #94a3b8; border-radius: 6px; }
.graph-weight .q-btn { min-width: 30px; min-height: 30px; font-weight: 700; }
"""


class GraphPanel(LinkEditing, Analyses, TrajectoryEditing):
    def __init__(self, console: Console, *, is_visible: Callable[[], bool],
                 show_links_tab: Callable[[], None]) -> None:
        self.c = console
        self.show_links_tab = show_links_tab
        # nothing computed yet: done when the tab is first shown
        self.live = LiveRefresher(lambda: call(load_panel, self.c.db, self.c.sid, self.words.lang), self.render,
                                  is_visible=is_visible, min_interval=MIN_INTERVAL)
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
                # named after what its map shows once computed (render): linked cards or cards only,
                # as the projector names the same map (the trajectories have their own part below)
                self.title = heading(tr("graph.console.tab")).mark("graph-title")
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
                    # enabled once the map is drawn: a click before that had nothing to enlarge
                    self.enlarge_button = icon_button("open_in_full", tr("graph.console.enlarge"), self.enlarge,
                                                      disabled=True)
                ui.label(tr("graph.console.map_help")).classes("text-sm console-muted")
                self.map_box = ui.element("div").classes("w-full graph-map-box")
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
                self.links_list = Redrawn(ui.column().classes("w-full gap-1").props('role="list"').mark(
                    "graph-links"))

            with ui.column().classes("console-panel w-full p-3 gap-3"):
                heading(tr("graph.console.analyses"), level=3)
                self.analyses = ui.column().classes("w-full gap-3").mark("graph-analyses")

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                heading(tr("graph.console.plane"), level=3)
                ui.label(tr("graph.console.plane_help")).classes("text-sm console-muted")
                ui.label(tr("micmac.method") + " " + tr("micmac.displacement_help")).classes(
                    "text-xs console-muted")
                self.plane_note = ui.label().classes("text-sm").mark("plane-settled")
                self.plane_box = ui.element("div").classes("w-full")
                self.plane: ui.plotly | None = None

            with ui.column().classes("console-panel w-full p-3 gap-2"):
                heading(tr("graph.console.trajectories"), level=3)
                ui.label(tr("graph.console.trajectories_help", horizon=self.horizon)).classes(
                    "text-sm console-muted")
                self.timeline_box = ui.element("div").classes("w-full")
                self.timeline: ui.plotly | None = None
                self.trajectory_list = Redrawn(ui.column().classes("w-full gap-2").mark("trajectory-list"))
                self._step_form()
                self._trajectory_form()
        self.live.start(self.c.sid, TOPICS, every=TICK_SECONDS, on_event=self.on_event)

    # --- live: recomputed at most once a second, only when shown (``self.live``) ---------------

    def on_event(self, event: Event) -> None:
        if event.topic == "group.changed":
            seminar = self.c.seminar()
            if seminar is not None:
                self.groups = {g.id: g.name for g in seminar.groups}

    def shown(self) -> None:
        """The tab has just been opened: bring it up to date now if anything changed."""
        self.live.hurry()

    # --- drawing ------------------------------------------------------------------------------

    def render(self, data: PanelData) -> None:
        self.data = data
        snapshot, analysis = data.state.snapshot, data.state.analysis
        self.cards = {c.id: c for c in snapshot.cards}
        self.title.set_text(graph_title(snapshot, self.words, trajectories=False))
        self.status.set_text(tr("graph.console.counts", cards=len(snapshot.cards), links=len(data.links),
                                trajectories=len(data.trajectories)))
        self.pending.set_visibility(data.proposed > 0)
        self.pending_label.set_text(self.words.count("graph.console.pending", data.proposed))
        self._render_findings()
        self.enlarge_button.enable()
        if self.plot is None:
            with self.map_box:
                self.plot = ui.plotly(data.graph).classes("graph-plot").mark("graph-map")
                self.plot.props["role"] = "figure"  # its content is given in text beside it; "img" may not hold plotly's buttons
                self.plot.props["aria-label"] = tr("graph.console.map_alt")
                self.plot.on("plotly_click", self._clicked)
        else:
            self.plot.update_figure(data.graph)
        self._update_link_options()
        self._render_links()
        self._render_analyses()
        self.plane_note.set_text(settled_sentence(analysis.micmac, self.words.lang))
        if self.plane is None:
            with self.plane_box:
                self.plane = ui.plotly(data.plane).classes("graph-plot").mark("graph-plane")
                self.plane.props["role"] = "figure"  # its content is given in text beside it; "img" may not hold plotly's buttons
                self.plane.props["aria-label"] = tr("graph.console.plane_alt")
        else:
            self.plane.update_figure(data.plane)
        self._render_trajectories()
        if self.timeline is None:
            with self.timeline_box:
                self.timeline = ui.plotly(data.timeline).classes("graph-plot").mark("graph-timeline")
                self.timeline.props["role"] = "figure"  # its content is given in text beside it; "img" may not hold plotly's buttons
                self.timeline.props["aria-label"] = tr("graph.console.timeline_alt")
        else:
            self.timeline.update_figure(data.timeline)

    def _text(self, card_id: int) -> str:
        card = self.cards.get(card_id)
        if card is not None:
            return card.text
        return self.data.texts.get(card_id, "?") if self.data else "?"

    def enlarge(self) -> None:
        """The map on the whole laptop screen (the console's middle column is narrow)."""
        if self.data is None:
            return
        dialog = self.c.dialog().props("maximized")
        with dialog, ui.card().classes("w-full h-full gap-2"):
            with ui.row().classes("w-full items-center no-wrap"):
                heading(tr("graph.console.map"), level=2).classes("grow")
                icon_button("close", tr("graph.console.close"), dialog.close)
            figure = map_figure(self.data.state, lang(), width=BIG_MAP_WIDTH)
            with ui.element("div").classes("w-full grow graph-map-box"):
                big = ui.plotly(figure).style(f"width: {BIG_MAP_WIDTH}px; height: {figure['layout']['height']}px")
            big.props["role"] = "figure"
            big.props["aria-label"] = tr("graph.console.map_alt")
        dialog.open()
