"""The wall grouped by theme, on the projector: the groups the facilitator accepted, each
under its label, then "Autres" for the cards in no group (view "clusters").

Self-contained: the projector page builds it for the view "clusters" and hands it its live
events (``on_event``); it reloads its groups off the event loop at most twice a second and
redraws only when they changed. Type is larger than on the plain wall: a 150-card wall
pages rather than shrinking below 3.4 % of the screen height (24 px at 1280x720).
"""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from workshop.events import Event
from workshop.models import Card, CardKind
from workshop.services import cards, sorting
from workshop.services.sorting import ThemeGroup
from workshop.ui.common import db
from workshop.ui.projector.assets import KIND_INK

FIT_MAX, FIT_MIN = "4.2", "3.4"  # font size of the cards, in % of the screen height
PALETTE = ("#0b5394", "#991b1b", "#166534", "#6d28d9", "#92400e", "#155e75", "#9d174d", "#334155")

CSS = """
.v21p-clusters .v21p-group-title { color: #0f172a; }
.v21p-clusters .v21p-group + .v21p-group { margin-top: .5em; }
.v21p-clusters .v21p-card { line-height: 1.18; }
"""


def load(seminar_id: int, kind: str | None) -> tuple[str | None, list[ThemeGroup], dict[int, Card]]:
    database = db()
    if kind is None:
        kinds = sorting.grouped_kinds(database, seminar_id)
        kind = kinds[0] if kinds else None
    if kind is None:
        return None, [], {}
    groups = sorting.theme_groups(database, seminar_id, kind)
    texts = {c.id: c for c in cards.list_cards(database, seminar_id, kinds=[CardKind(kind)])}
    return kind, groups, texts


class ClusterWallView:
    def __init__(self, page: Any, wide: bool) -> None:
        self.page = page
        self.dirty = False
        self.busy = False
        self.signature: tuple | None = None
        t = page.t
        ui.add_css(CSS)
        with ui.element("section").classes("v21p-view v21p-clusters").mark("projector-clusters") as view:
            view.props["aria-label"] = t("projector.clusters_label")
            self.empty = ui.label(t("projector.clusters_none")).classes("v21p-wall-empty")
            self.viewport = ui.element("div").classes("v21p-wall-viewport")
            self.viewport.props["data-page"] = str(page.state.wall_page)
            self.viewport.props["data-fit-max"] = FIT_MAX
            self.viewport.props["data-fit-min"] = FIT_MIN
            with self.viewport:
                self.columns = ui.element("div").classes("v21p-wall-cols" + (" is-wide" if wide else ""))
            with ui.element("div").classes("v21p-pager-row"):
                ui.element("div")
                pager = ui.label().classes("v21p-pager").props('hidden aria-hidden="true"')
                pager.props["data-label"] = t("projector.page")
            ui.timer(0.5, self.flush)
        self.kind = page.state.cluster_kind
        self.render(*load(page.sid, self.kind))

    def on_event(self, event: Event) -> None:
        topic = event.topic
        if topic.startswith("card.") or topic == "cluster.changed":
            self.dirty = True
        elif topic == "screen.changed":
            self.viewport.props["data-page"] = str(event.data.get("wall_page", 0))
            self.viewport.update()
            if event.data.get("cluster_kind") != self.kind:
                self.kind = event.data.get("cluster_kind")
                self.dirty = True

    async def flush(self) -> None:
        if not self.dirty or self.busy:
            return
        self.busy, self.dirty = True, False
        try:
            loaded = await run.io_bound(load, self.page.sid, self.kind)
        finally:
            self.busy = False
        if loaded is not None:
            self.render(*loaded)

    def render(self, kind: str | None, groups: list[ThemeGroup], by_id: dict[int, Card]) -> None:
        shown = [(g, [by_id[i] for i in g.card_ids if i in by_id]) for g in groups]
        shown = [(g, members) for g, members in shown if members]
        signature = tuple((g.label, tuple((c.id, c.text) for c in members)) for g, members in shown)
        if signature == self.signature:
            return
        self.signature = signature
        self.empty.set_visibility(not shown)
        self.columns.clear()
        stripe = KIND_INK.get(kind or "", "#64748b")
        with self.columns:
            for index, (group, members) in enumerate(shown):
                color = PALETTE[index % len(PALETTE)] if group.id is not None else "#64748b"
                with ui.element("section").classes("v21p-group"):
                    with ui.element("div").classes("v21p-group-title").style(f"border-bottom-color: {color}"):
                        ui.label(group.label or self.page.t("projector.clusters_other")).props(
                            'role="heading" aria-level="2"')
                        ui.label(str(len(members))).classes("v21p-group-count")
                    for card in members:
                        with ui.element("article").classes("v21p-card").style(
                                f"border-left-color: {color if group.id is not None else stripe}"):
                            text = ui.label(card.text)
                            if cards.card_text_multiline(card.kind):
                                text.classes("v21p-card-article")
