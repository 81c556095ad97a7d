"""Moderating the cards: edit, hide, re-theme, put on screen, merge duplicates (multi-select).

Rows are kept by card id: a new card appends one row, a changed card redraws its row,
a merged-away card loses its row. Nothing else on the page moves.
"""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui

from workshop.errors import Invalid
from workshop.models import Card, Interaction
from workshop.services import cards, screen, votes
from workshop.ui.common import call_now, error_text, in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import Redrawn, aria, heading, icon_button, kind_badge

ALL = "__all__"


@dataclass
class _Row:
    element: ui.element
    signature: tuple
    card: Card
    dots: ui.label | None = None
    box: ui.checkbox | None = None


def _signature(card: Card, people: dict[int, str], groups: dict[int, str]) -> tuple:
    return (card.text, card.details, card.hidden, card.theme_id, card.kind.value, card.activity_id,
            people.get(card.author_id or -1), groups.get(card.group_id or -1))


class Moderation:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.rows: dict[int, _Row] = {}
        self.selection: set[int] = set()
        self.fresh = False  # rows added after the first drawing flash once

    def build(self) -> None:
        with ui.row().classes("w-full items-baseline gap-3 no-wrap"):
            heading(tr("console.moderation"))
            self.total = ui.label().classes("text-sm console-muted").props('role="status"').mark("cards-total")
        with ui.row().classes("w-full items-center gap-2 no-wrap"):
            self.search = ui.input(placeholder=tr("console.search_cards"),
                                   on_change=lambda: self.apply_filter()).props(
                'outlined dense clearable maxlength=200').classes("grow")
            aria(self.search, tr("console.search_cards"))
            self.activity_filter = ui.select({ALL: tr("console.all_activities")}, value=ALL,
                                             on_change=lambda: self.apply_filter()).props(
                "outlined dense options-dense").classes("w-64 console-select-fit").mark("filter-activity")
            aria(self.activity_filter, tr("console.filter_activity"))
            self.kind_filter = ui.select({ALL: tr("console.all_kinds")}, value=ALL,
                                         on_change=lambda: self.apply_filter()).props(
                "outlined dense options-dense").classes("w-44").mark("filter-kind")
            aria(self.kind_filter, tr("console.filter_kind"))
        # two lines: what is selected (and « Tout désélectionner »), then the card to keep and « Fusionner »;
        # on one line they overflowed the 600 px of the middle column at 1280 px
        self.merge_bar = ui.column().classes("console-merge-bar w-full gap-2 px-3 py-2 rounded bg-amber-50 "
                                             "border border-amber-700").mark("merge-bar")
        self.merge = Redrawn(self.merge_bar)  # drawn from the cards it offers
        self.list = ui.column().classes("w-full gap-1").props('role="list"').mark("moderation-list")
        self.empty = ui.label(tr("console.no_cards")).classes("console-muted p-2")
        self.sync()
        self.refresh_merge_bar()
        self.fresh = True
        self.c.register("cards", self.sync)
        self.c.register("counts", self.refresh_counts)

    # --- data ---------------------------------------------------------------------------------

    def _lookups(self) -> tuple[dict[int, str], dict[int, str], dict[int, tuple[str, str]]]:
        seminar = self.c.seminar()
        people = {p.id: p.display_name for p in self.c.participants()}
        groups = {g.id: g.name for g in seminar.groups} if seminar else {}
        themes = {t.id: (t.label, t.color) for t in seminar.themes} if seminar else {}
        return people, groups, themes

    def sync(self) -> None:
        """Bring the list in line with the cards: add, redraw or drop just the rows concerned.

        Newest first: a card written on a tablet comes in at the top of the list.
        """
        live = sorted(self.c.cards(), key=lambda c: (c.created_at, c.id), reverse=True)
        people, groups, themes = self._lookups()
        ids = {card.id for card in live}
        for card_id in [i for i in self.rows if i not in ids]:
            self.rows.pop(card_id).element.delete()
            self.selection.discard(card_id)
        for index, card in enumerate(live):
            sig = _signature(card, people, groups)
            row = self.rows.get(card.id)
            if row is None:
                with self.list:
                    element = ui.row().classes("console-card w-full items-start gap-2 px-2 py-1 rounded "
                                               "border border-slate-200 bg-white no-wrap").props(
                        'role="listitem"').mark(f"card-{card.id}")
                if self.fresh:
                    element.classes("is-new")
                    element.move(target_index=index)  # its place in the newest-first order
                row = self.rows[card.id] = _Row(element, (), card)
            if row.signature != sig:
                row.signature, row.card = sig, card
                row.element.clear()
                with row.element:
                    row.box, row.dots = self._fill(card, people, groups, themes)
                row.element.classes(add="is-hidden" if card.hidden else "", remove="" if card.hidden else "is-hidden")
        self._refresh_filters(live)
        self.apply_filter()
        self.refresh_counts()
        self.refresh_merge_bar()

    def _fill(self, card: Card, people, groups, themes) -> tuple[ui.checkbox, ui.label]:
        box = ui.checkbox(value=card.id in self.selection,
                          on_change=lambda e, cid=card.id: self._select(cid, e.value)).props("dense").mark(
            f"select-{card.id}").classes("mt-1")
        aria(box, tr("console.select_for_merge", text=card.text[:80]))
        with ui.column().classes("grow gap-0 min-w-0"):
            with ui.row().classes("items-center gap-2"):
                kind_badge(card.kind.value)
                if card.theme_id in themes:
                    label, color = themes[card.theme_id]
                    ui.label(label).classes("text-xs font-semibold rounded px-1 border").style(
                        f"border-color: {color}; color: #0f172a")
                if card.hidden:
                    ui.label(tr("console.hidden_badge")).classes("text-xs font-bold text-red-800")
            shown = ui.label(card.text).classes("console-card-text text-base leading-snug break-words")
            if cards.card_text_multiline(card.kind):  # an article: its first lines (whole when edited)
                shown.classes("whitespace-pre-line").style(
                    "display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 6; overflow: hidden")
            if card.details:
                ui.label(card.details).classes("text-sm console-muted whitespace-pre-line")
            who = " · ".join(x for x in (people.get(card.author_id or -1), groups.get(card.group_id or -1)) if x)
            if who or card.source:
                ui.label(" · ".join(x for x in (who, card.source) if x)).classes("text-xs console-muted")
        dots = ui.label().classes("text-sm font-bold text-blue-900 whitespace-nowrap mt-1").mark(
            f"dots-{card.id}")
        with ui.row().classes("gap-0 no-wrap shrink-0"):
            icon_button("edit", tr("console.edit_card", text=card.text[:60]),
                        lambda c=card: self._edit_dialog(c)).mark(f"edit-{card.id}")
            if card.hidden:
                icon_button("visibility", tr("console.unhide_card", text=card.text[:60]),
                            self.c.act(cards.set_hidden, card.id, False)
                            ).mark(f"unhide-{card.id}")
            else:
                icon_button("visibility_off", tr("console.hide_card", text=card.text[:60]),
                            self.c.act(cards.set_hidden, card.id, True)
                            ).mark(f"hide-{card.id}")
            icon_button("sell", tr("console.retheme_card", text=card.text[:60]),
                        lambda c=card: self._theme_dialog(c)).mark(f"theme-{card.id}")
            icon_button("cast", tr("console.project_card", text=card.text[:60]),
                        self.c.act(screen.set_screen, view="card", focus_card_id=card.id),
                        disabled=card.hidden).mark(f"project-{card.id}")
        return box, dots

    # --- filters ------------------------------------------------------------------------------

    def _refresh_filters(self, live: list[Card]) -> None:
        acts = {a.id: a for a in self.c.activities()}
        with_cards = [aid for aid in acts if any(c.activity_id == aid for c in live)]
        options = {ALL: tr("console.all_activities")} | {aid: acts[aid].title for aid in with_cards}
        if any(c.activity_id is None for c in live):
            options["none"] = tr("console.kit_cards")
        if options != self.activity_filter.options:
            self.activity_filter.set_options(options, value=self.activity_filter.value
                                             if self.activity_filter.value in options else ALL)
        kinds = sorted({c.kind.value for c in live})
        kind_options = {ALL: tr("console.all_kinds")} | {k: tr(f"kind_plural.{k}") for k in kinds}
        if kind_options != self.kind_filter.options:
            self.kind_filter.set_options(kind_options, value=self.kind_filter.value
                                         if self.kind_filter.value in kind_options else ALL)

    def _matches(self, card: Card) -> bool:
        act, kind, text = self.activity_filter.value, self.kind_filter.value, (self.search.value or "").strip()
        if act not in (ALL, None) and (card.activity_id is not None if act == "none" else card.activity_id != act):
            return False
        if kind not in (ALL, None) and card.kind.value != kind:
            return False
        return not text or text.casefold() in (card.text + " " + card.details).casefold()

    def apply_filter(self) -> None:
        shown = 0
        for row in self.rows.values():
            visible = self._matches(row.card)
            row.element.set_visibility(visible)
            shown += visible
        hidden = sum(1 for r in self.rows.values() if r.card.hidden)
        self.total.set_text(tr("console.cards_shown", shown=shown, total=len(self.rows), hidden=hidden))
        self.empty.set_visibility(shown == 0)

    # --- dots of the vote in hand ----------------------------------------------------------

    def refresh_counts(self) -> None:
        a = self.c.selected()
        tallies: dict[int, int] = {}
        if a is not None and a.interaction is Interaction.DOT_VOTE:
            tallies = {t.card_id: t.dots for t in call_now(votes.tally, self.c.db, self.c.sid, a.id) or []}
        for card_id, row in self.rows.items():
            if row.dots is not None:
                dots = tallies.get(card_id)
                row.dots.set_text(tr("console.dots", dots=dots, count=dots) if dots else "")

    # --- merge ----------------------------------------------------------------------------

    def _select(self, card_id: int, value: bool) -> None:
        if value:
            self.selection.add(card_id)
        else:
            self.selection.discard(card_id)
        self.refresh_merge_bar()

    def refresh_merge_bar(self) -> None:
        """Drawn again only when the selection changed: a card arriving must not reset the card
        chosen to keep, nor take the « Fusionner » a click is on its way to."""
        chosen = [self.rows[i].card for i in sorted(self.selection) if i in self.rows]  # oldest first: kept
        self.merge.draw(tuple((c.id, c.text) for c in chosen), lambda: self._merge_bar(chosen))

    def _merge_bar(self, chosen: list[Card]) -> None:
        self.merge_bar.set_visibility(bool(chosen))
        if not chosen:
            return
        with ui.row().classes("w-full items-center gap-3 no-wrap"):
            ui.label(tr("console.selected_count", count=len(chosen))).classes("font-semibold whitespace-nowrap")
            if len(chosen) < 2:
                ui.label(tr("console.merge_hint")).classes("text-sm grow")
            else:
                ui.space()
            ui.button(tr("console.clear_selection"), on_click=self._clear_selection).props(
                "flat dense no-caps color=primary").classes("shrink-0")
        if len(chosen) < 2:
            return
        if len({c.kind for c in chosen}) > 1:
            # the service refuses it (cards.merge): say so here rather than offer a button that fails
            ui.label(error_text(Invalid("merge_different_kinds"))).classes("text-sm").mark("merge-refused")
            return
        with ui.row().classes("w-full items-center gap-3 no-wrap"):
            # the whole width of the bar but « Fusionner »: a text still too long ends in « … » before the arrow
            keep = ui.select({c.id: c.text[:70] for c in chosen}, value=chosen[0].id,
                             label=tr("console.merge_keep")).props("outlined dense options-dense").classes(
                "grow min-w-0 bg-white console-select-fit").mark("merge-keep")

            @in_page
            async def merge() -> None:
                others = [c.id for c in chosen if c.id != keep.value]
                if await self.c.attempt(cards.merge, keep.value, others):
                    self._clear_selection()
                    ui.notify(tr("console.merged", count=len(others)), type="positive", position="top")

            ui.button(tr("console.merge"), icon="call_merge", on_click=merge).props(
                "unelevated no-caps color=primary").classes("shrink-0").mark("merge")

    def _clear_selection(self) -> None:
        for card_id in list(self.selection):
            row = self.rows.get(card_id)
            if row is not None and row.box is not None:
                row.box.set_value(False)
        self.selection.clear()
        self.refresh_merge_bar()

    # --- theme ----------------------------------------------------------------------------

    def _theme_dialog(self, card: Card) -> None:
        seminar = self.c.seminar()
        with self.c.dialog() as dialog, ui.card().classes("w-[30rem] max-w-full gap-2"):
            heading(tr("console.retheme_title"), level=2, classes="text-xl font-bold")
            ui.label(card.text).classes("text-base")

            @in_page
            async def choose(key: str | None) -> None:
                if await self.c.attempt(cards.retheme, card.id, key):
                    dialog.close()

            with ui.column().classes("w-full gap-1").props(f'role="group" aria-label="{tr("console.retheme_title")}"'):
                for theme in (seminar.themes if seminar else []):
                    chosen = theme.id == card.theme_id
                    ui.button(theme.label, on_click=lambda key=theme.key: choose(key)).props(
                        "no-caps align=left " + ("unelevated color=primary" if chosen else "outline color=dark")
                    ).classes("w-full").style(f"border-left: 8px solid {theme.color}").mark(
                        f"theme-{theme.key}").props(f'aria-pressed="{str(chosen).lower()}"')
                ui.button(tr("console.no_theme"), on_click=lambda: choose(None)).props(
                    "no-caps align=left " + ("unelevated color=primary" if card.theme_id is None
                                             else "outline color=dark")).classes("w-full")
            with ui.row().classes("w-full justify-end"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
        dialog.open()

    # --- edit -----------------------------------------------------------------------------

    def _edit_dialog(self, card: Card) -> None:
        with self.c.dialog() as dialog, ui.card().classes("w-[36rem] max-w-full gap-3"):
            heading(tr("console.edit_card_title"), level=2, classes="text-xl font-bold")
            with ui.row().classes("items-center gap-2"):
                kind_badge(card.kind.value)
            text = ui.textarea(tr("console.card_text"), value=card.text).props(
                f"outlined autogrow counter maxlength={cards.card_text_limit(card.kind)}").classes(
                "w-full").mark("card-edit-text")
            details = ui.textarea(tr("console.card_details"), value=card.details).props("outlined autogrow maxlength=2000").classes(
                "w-full")

            @in_page
            async def save() -> None:
                if await self.c.attempt(cards.moderate_edit, card.id, text=text.value or "",
                                        details=details.value or ""):
                    dialog.close()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
                ui.button(tr("ui.save"), on_click=save).props("unelevated no-caps color=primary").mark(
                    "card-edit-save")
        dialog.open()
