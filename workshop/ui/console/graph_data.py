"""The graph tab's data: its figures as plotly JSON, loaded off the event loop, and small helpers
shared by the tab's parts (``graph_panel``, ``graph_links``, ``graph_analyses``, ``graph_trajectories``)."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from workshop.analysis import CardData
from workshop.figures import influence_dependence_figure, trajectories_timeline_figure, trajectory_graph_figure
from workshop.figures.map_labels import MapFit
from workshop.models import Link, LinkStatus, Trajectory
from workshop.services import console_queries, links, seminars, trajectories
from workshop.ui.common import tr
from workshop.ui.graph_findings import GraphState, load_graph

MAP_WIDTH = 560       # px: the map in the console's middle column (about 575 px wide at 1280x800)
BIG_MAP_WIDTH = 1180  # px: the enlarged map (a 1280 px wide laptop screen)
MAP_MAX_HEIGHT = 2400
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"]}


@dataclass
class PanelData:
    state: GraphState
    graph: dict
    plane: dict
    timeline: dict
    links: list[Link]
    proposed: int
    links_activity: bool  # a links activity of the run sheet not closed yet
    texts: dict[int, str]
    trajectories: list[Trajectory]


def _figure(figure, *, height: int | None = None) -> dict:
    out = figure.to_plotly_json()
    out["config"] = CONFIG
    if height is not None:
        out["layout"]["height"] = height
    return out


def map_figure(state: GraphState, language: str, *, width: int = MAP_WIDTH) -> dict:
    """The interactive map drawn ``width`` px wide (the console's middle column; the enlarged
    map is wider): every label placed beside its card, on up to three lines, over no other label
    or card and inside the map; a card with no room left for its label stays a dot (its text on
    hover, and in the lists beside)."""
    figure = _figure(trajectory_graph_figure(state.snapshot, state.analysis, mode="interactive", lang=language,
                                             fit=MapFit(width, max_height=MAP_MAX_HEIGHT, right=True, numbers=False,
                                                        legend_rows=3)))
    figure["config"] = {**CONFIG, "responsive": False}
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
        links_activity=seminars.links_activity_to_come(database, seminar_id),
        trajectories=trajectories.list_trajectories(database, seminar_id),
    )


def short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def card_option(card: CardData, *, with_kind: bool = True) -> str:
    text = short(card.text)
    return f"{tr('kind.' + card.kind.value).capitalize()} — {text}" if with_kind else text


def text_table(headers: list[tuple[str, bool]], rows: list[list[tuple[str, bool]]], marker: str) -> None:
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
