"""Smaller projector views: the word cloud and one card in focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import run, ui
from nicegui.elements.mixins.text_element import TextElement

from workshop.models import Activity, Card
from workshop.services import cards
from workshop.services.projector_queries import cards_by_ids
from workshop.ui.common import db
from workshop.ui.projector import charts, panels
from workshop.ui.projector.assets import KIND_INK
from workshop.ui.units import UnitsLine
from workshop.ui.projector.base import (
    CHART_H,
    CHART_W_SIDE,
    CHART_W_WIDE,
    load_cloud,
    safe_color,
)

if TYPE_CHECKING:
    from workshop.ui.projector.page import ProjectorScreen


class CloudView:
    """The answers to a one-word question as a word cloud, redrawn as words come."""

    def __init__(self, page: ProjectorScreen, activity: Activity | None, wide: bool) -> None:
        self.page = page
        self.activity = activity
        self.width = CHART_W_WIDE if wide else CHART_W_SIDE
        self.height = CHART_H + 40
        t = page.t
        with ui.element("div").classes("v21p-view"):
            current = page.current
            if activity is None or current is None or current.id != activity.id:
                # the header shows the open activity; name the question when it is another one
                ui.label(activity.title if activity else t("projector.cloud_title")).classes(
                    "v21p-view-title").props('role="heading" aria-level="2"')
            self.summary = UnitsLine().classes("v21p-view-sub")
            self.box = ui.element("div").classes("v21p-scale").props('role="img"')
            self.box.props["aria-label"] = t("projector.chart_alt_cloud")
            self.box.props["data-w"] = str(self.width)
            self.box.props["data-h"] = str(self.height)
            with self.box:
                self.plot = ui.plotly(charts.wordcloud_figure([], width=self.width, height=self.height)).style(
                    f"width: {self.width}px; height: {self.height}px").props('aria-hidden="true"')
            self.empty = ui.label(t("projector.cloud_empty")).classes("v21p-message-small")
            self.listing = ui.element("ol").classes("v21p-sr")
        self.render(*load_cloud(page.sid, activity.id if activity else None, self.width, self.height))

    async def reload(self) -> None:
        cloud = await run.io_bound(load_cloud, self.page.sid, self.activity.id if self.activity else None,
                                   self.width, self.height)
        if self.page.view is self and cloud is not None:  # None: cancelled (page closed) or stopping
            self.render(*cloud)

    def render(self, frequencies: list[tuple[str, int]], placed: list) -> None:
        t = self.page.t
        self.plot.update_figure(charts.wordcloud_figure(placed, width=self.width, height=self.height))
        answers = sum(count for _, count in frequencies)
        self.summary.set_text(t("projector.cloud_summary", answers=self.page.count("answers", answers),
                                words=self.page.count("words", len(frequencies))))
        self.summary.set_visibility(bool(frequencies))
        self.empty.set_visibility(not frequencies)
        self.listing.clear()
        with self.listing:
            for word, count in frequencies:
                TextElement(tag="li", text=t("projector.cloud_item", word=word, count=count))


class FocusView:
    """One card, as big as the screen allows."""

    def __init__(self, page: ProjectorScreen, card_id: int | None) -> None:
        self.page = page
        self.card_id = card_id
        self.root = ui.element("div").classes("v21p-view")
        found = cards_by_ids(db(), page.sid, [card_id]) if card_id is not None else []
        self.render(found[0] if found else None)

    def apply(self, changed: list[Card]) -> None:
        for card in changed:
            if card.id == self.card_id:
                self.render(card)

    def render(self, card: Card | None) -> None:
        t = self.page.t
        self.root.clear()
        with self.root:
            if card is None or not card.visible:
                panels.message(self.page, t("projector.focus_missing"))
                return
            theme = self.page.themes.get(card.theme_id) if card.theme_id else None
            ink = KIND_INK.get(card.kind.value, "#0f172a")
            with ui.element("article").classes("v21p-focus").style(
                    f"border-left-color: {safe_color(theme.color) if theme else ink}"):
                ui.label(t(f"kind.{card.kind.value}")).classes("v21p-focus-kind").style(f"background: {ink}")
                if cards.card_text_multiline(card.kind):  # an article: its headline, then the article
                    headline, body = cards.article_parts(card.text)
                    body = "\n\n".join(x for x in (body, card.details.strip()) if x)
                    if headline:
                        ui.label(headline).classes("v21p-focus-text is-article").props(
                            'role="heading" aria-level="2" data-fit-max="6" data-fit-min="3.6"')
                    if body:
                        ui.label(body).classes("v21p-focus-details is-article").props(
                            'data-fit-max="3.6" data-fit-min="2.2"')
                else:
                    ui.label(card.text).classes("v21p-focus-text").props(
                        'role="heading" aria-level="2" data-fit-max="9" data-fit-min="3.6"')
                    if card.details.strip():
                        ui.label(card.details.strip()).classes("v21p-focus-details").props(
                            'data-fit-max="3.2" data-fit-min="2.2"')
                if theme is not None:
                    with ui.element("div").classes("v21p-focus-theme"):
                        ui.element("span").classes("v21p-swatch").style(f"background: {safe_color(theme.color)}")
                        TextElement(tag="span", text=theme.label)
