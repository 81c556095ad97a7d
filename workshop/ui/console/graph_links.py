"""The graph tab's links: the new-link form (filled by clicks on the map), the list of links
with their weight, note and deletion. Mixed into ``GraphPanel``, whose ``c``, ``cards``, ``data``
and ``_text`` it uses."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from workshop.analysis import CardData
from workshop.models import Link, Relation
from workshop.services import links
from workshop.ui.common import KIND_COLORS, in_page, tr
from workshop.ui.console.graph_data import card_option, short
from workshop.ui.console.widgets import aria, heading, icon_button

NO_WEIGHT = 0


class LinkEditing:
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

    def _update_link_options(self) -> None:
        linkable = sorted(self.cards.values(), key=lambda c: (c.kind.value, c.text.lower()))
        options = {c.id: card_option(c) for c in linkable}
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
            ui.notify(tr("graph.console.picked_source", text=short(self.cards[card_id].text, 60)),
                      position="top", timeout=2500)
        else:
            self.target.value = card_id
        self._show_relations()

    @in_page
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
        if await self.c.attempt(links.create_link, source, target, relation, weight=weight,
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
        # drawn again only when it changed: a vote (the tab recomputes once a second) changes no
        # link, and a redraw would take the weight or the button a click is on its way to
        rows = tuple((l.id, self._link_text(l), l.note, l.weight, self._link_color(l)) for l in shown)
        self.links_list.draw(rows, lambda: self._link_rows(shown))

    def _link_rows(self, shown: list[Link]) -> None:
        if not shown:
            ui.label(tr("graph.console.no_links")).classes("console-muted").props('role="listitem"')
        for link in shown:
            self._link_row(link)

    def _link_color(self, link: Link) -> str:
        return KIND_COLORS.get(self.cards[link.source_id].kind.value if link.source_id in self.cards else "", "#334155")

    def _link_row(self, link: Link) -> None:
        text = self._link_text(link)
        color = self._link_color(link)
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

    @in_page
    async def _set_weight(self, link_id: int, value: Any, before: int | None) -> None:
        weight = int(value) if value else None
        if weight == before:
            return
        await self.c.attempt(links.update_link, link_id, weight=weight)

    def _edit_note(self, link: Link) -> None:
        dialog = self.c.dialog()
        with dialog, ui.card().classes("w-[32rem] max-w-full gap-3"):
            heading(tr("graph.console.note_title"), level=2)
            ui.label(self._link_text(link)).classes("text-sm")
            shown = link.note or ""
            note = ui.textarea(tr("graph.console.note"), value=shown).props(
                "outlined autogrow maxlength=2000").classes("w-full").mark("link-note-text")

            @in_page
            async def save() -> None:
                # only the note: the weight may have changed since the row was drawn (another tab),
                # and a note changed meanwhile is refused rather than overwritten (``link_changed``)
                if await self.c.attempt(links.update_link, link.id, note=note.value or "", note_before=shown):
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

            @in_page
            async def delete() -> None:
                if await self.c.attempt(links.delete_link, link.id):
                    dialog.close()
                    ui.notify(tr("graph.console.link_deleted"), type="positive", position="top")

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
                ui.button(tr("graph.console.delete"), icon="delete", on_click=delete).props(
                    "unelevated no-caps color=negative").mark("link-delete-confirm")
        dialog.open()
