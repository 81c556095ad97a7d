"""The wall of cards on the projector: columns by kind or by theme, pages when it overflows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from workshop.models import Card, CardKind
from workshop.services import cards
from workshop.ui.common import db
from workshop.ui.projector import panels
from workshop.ui.projector.assets import KIND_INK
from workshop.ui.projector.base import THEMED_KINDS, safe_color

if TYPE_CHECKING:
    from workshop.ui.projector.page import ProjectorScreen

#: The colour of « Sans thème » on a wall by theme: its underline and its cards' stripes.
NO_THEME = "#64748b"


@dataclass
class _Group:
    element: ui.element
    count: ui.label
    size: int = 0
    key_item: ui.element | None = None


@dataclass
class _Shown:
    element: ui.element
    group: Any
    text: ui.label
    theme: ui.label | None


class WallView:
    """Cards in columns, grouped by kind (several kinds) or by theme (one kind).

    New cards are appended to their group; hidden, withdrawn or merged cards are removed.
    A wall taller than the screen overflows into more columns, shown as pages.
    Built empty with ``instructions``, it shows them large under its "contributions will appear
    here" line, the room having nothing else to read; the page rebuilds it, instructions back in
    the side panel, when the first card comes (``ProjectorScreen._wall_follow``).
    """

    def __init__(self, page: ProjectorScreen, kinds: list[str], wide: bool, instructions: str | None = None,
                 fresh: frozenset[int] = frozenset()) -> None:
        self.page = page
        self.kinds = kinds
        # One kind of themed card (stakes, threats…): grouped by theme; otherwise by kind.
        self.by_kind = len(kinds) > 1 or kinds[0] not in THEMED_KINDS
        self.groups: dict[Any, _Group] = {}
        self.shown: dict[int, _Shown] = {}
        t = page.t
        with ui.element("section").classes("v21p-view") as view:
            view.props["aria-label"] = t("projector.wall_label")
            # what shows while there is no card: the line, and the instructions when given
            self.blank: ui.element = ui.element("div").classes("v21p-message has-instr v21p-wall-intro") \
                if instructions else ui.label(t("projector.wall_empty")).classes("v21p-wall-empty")
            if instructions:
                with self.blank:
                    ui.label(t("projector.wall_empty")).classes("v21p-wall-empty")
                    panels.instructions_panel(page, instructions, "v21p-instr-main", fit_max=5.2, fit_min=3.4)
            # with the instructions shown, the (empty) columns and pager leave them all the room
            self.filled: list[ui.element] = []
            self.viewport = ui.element("div").classes("v21p-wall-viewport")
            self.viewport.props["data-page"] = str(page.state.wall_page)
            with self.viewport:
                self.columns = ui.element("div").classes("v21p-wall-cols")
                if self.by_kind:
                    self.columns.props["data-group"] = "kind"
                if wide:
                    self.columns.classes("is-wide")
            with ui.element("div").classes("v21p-pager-row") as pager_row:
                # Grouped by kind, the stripe colours are named here: a group may go on to the next page.
                self.key = ui.element("div").classes("v21p-legend").props('aria-hidden="true"')
                pager = ui.label().classes("v21p-pager").props('hidden aria-hidden="true"')
                pager.props["data-label"] = t("projector.page")
        if instructions:
            self.filled = [self.viewport, pager_row]
        for card in cards.list_cards(db(), page.sid, kinds=[CardKind(k) for k in kinds]):
            self.add(card, fresh=card.id in fresh)
        self._show_blank(not self.shown)

    def _show_blank(self, blank: bool) -> None:
        self.blank.set_visibility(blank)
        for element in self.filled:
            element.set_visibility(not blank)

    def set_page(self, number: int) -> None:
        self.viewport.props["data-page"] = str(number)

    def group_key(self, card: Card) -> Any:
        if self.by_kind:
            return card.kind.value
        return card.theme_id if card.theme_id in self.page.themes else None

    def _order(self, key: Any) -> tuple:
        if self.by_kind:
            return (self.kinds.index(key) if key in self.kinds else 99,)
        if key is None:
            return (10_000,)
        return (self.page.themes[key].position,)

    def _group(self, key: Any) -> _Group:
        if key in self.groups:
            return self.groups[key]
        t = self.page.t
        if self.by_kind:
            title, color, underline = t(f"kind_plural.{key}"), KIND_INK.get(key, "#0f172a"), None
        elif key is None:
            title, color, underline = t("projector.no_theme"), "#0f172a", NO_THEME
        else:
            theme = self.page.themes[key]
            title, color, underline = theme.label, "#0f172a", safe_color(theme.color)
        with self.columns:
            element = ui.element("section").classes("v21p-group")
            with element:
                with ui.element("div").classes("v21p-group-title").style(
                        f"color: {color}" + (f"; border-bottom-color: {underline}" if underline else "")):
                    ui.label(title).props('role="heading" aria-level="2"')
                    count = ui.label("0").classes("v21p-group-count")
        group = _Group(element, count)
        self.groups[key] = group
        keys = sorted(self.groups, key=self._order)
        element.move(target_index=keys.index(key))
        if self.by_kind:
            with self.key:
                with ui.element("span").classes("v21p-legend-item") as item:
                    ui.element("span").classes("v21p-swatch").style(f"background: {color}")
                    TextElement(tag="span", text=title)
            item.move(target_index=keys.index(key))
            group.key_item = item
        return group

    def add(self, card: Card, *, fresh: bool = False) -> None:
        key = self.group_key(card)
        group = self._group(key)
        theme = self.page.themes.get(card.theme_id) if card.theme_id else None
        # Grouped by kind, the stripe says the kind (a group may continue in the next column);
        # grouped by theme, it says the theme, and a card without one is as grey as « Sans thème »'s
        # underline (the kind's colour set it apart from the grey group it stands in).
        if self.by_kind:
            stripe = KIND_INK.get(card.kind.value, NO_THEME)
        else:
            stripe = safe_color(theme.color) if theme is not None else NO_THEME
        with group.element:
            element = ui.element("article").classes("v21p-card" + (" is-new" if fresh else "")).style(
                f"border-left-color: {stripe}")
            with element:
                text = ui.label(card.text)
                if cards.card_text_multiline(card.kind):
                    text.classes("v21p-card-article")  # its headline and first lines: read whole in focus
                theme_label = ui.label(theme.label).classes("v21p-card-theme") if (theme and self.by_kind) else None
        self.shown[card.id] = _Shown(element, key, text, theme_label)
        group.size += 1
        group.count.set_text(str(group.size))
        if len(self.shown) == 1:
            self._show_blank(False)

    def remove(self, card_id: int) -> None:
        shown = self.shown.pop(card_id, None)
        if shown is None:
            return
        shown.element.delete()
        group = self.groups[shown.group]
        group.size -= 1
        group.count.set_text(str(group.size))
        if group.size == 0:
            group.element.delete()
            if group.key_item is not None:
                group.key_item.delete()
            del self.groups[shown.group]
        if not self.shown:
            self._show_blank(True)

    def apply(self, changed: list[Card]) -> None:
        for card in changed:
            wanted = card.visible and card.kind.value in self.kinds
            shown = self.shown.get(card.id)
            if not wanted:
                self.remove(card.id)
            elif shown is None:
                self.add(card, fresh=True)
            elif shown.group != self.group_key(card) or (shown.theme is None) != (
                    not (self.by_kind and card.theme_id in self.page.themes)):
                self.remove(card.id)
                self.add(card)
            else:
                shown.text.set_text(card.text)
                theme = self.page.themes.get(card.theme_id) if card.theme_id else None
                if shown.theme is not None and theme is not None:
                    shown.theme.set_text(theme.label)
