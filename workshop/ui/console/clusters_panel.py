"""Theme groups, in the moderation tab: propose a grouping of one kind of card, accept it,
rename groups, move cards between them, and project the grouped wall.

The proposal is computed off the event loop and shown unsaved; accepting stores it
(``services.sorting``). Once accepted, the groups follow the wall live: a new card shows
under "Cartes sans groupe" until it is moved. The body (the proposal, or the groups) is drawn
again only when what it shows changed: a card arriving leaves it in place, a card's corrected
text is drawn again. The buttons under it (accept or cancel the proposal, project or clear the
groups) are built once and only shown or hidden, so no redraw deletes a button a click is on
its way to.
"""

from __future__ import annotations

from nicegui import ui

from workshop.dedup.themes import ProposedGroup
from workshop.models import Card, CardKind
from workshop.services import cards, screen, sorting
from workshop.services.sorting import ThemeGroup
from workshop.ui.common import call, db, in_page, tr
from workshop.ui.console.refresher import LiveRefresher
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import Redrawn, aria, heading, icon_button

MIN_CARDS = 4
GROUPABLE = tuple(k.value for k in CardKind if k is not CardKind.WORD)


def proposed_names(proposal: list[ProposedGroup]) -> list[str]:
    """What each proposed group is called, and saved as if accepted: its label, « Autres » for the
    cards that fit no group, « Thème 1 », « Thème 2 »… for groups whose cards share no word widely."""
    out: list[str] = []
    unnamed = 0
    for group in proposal:
        if group.label:
            out.append(group.label)
        elif group.other:
            out.append(tr("clusters.other"))
        else:
            unnamed += 1
            out.append(tr("clusters.unnamed", n=unnamed))
    return out


def _load(seminar_id: int, kind: str) -> tuple[list[ThemeGroup], dict[int, Card]]:
    database = db()
    groups = sorting.theme_groups(database, seminar_id, kind)
    texts = {c.id: c for c in cards.list_cards(database, seminar_id, kinds=[CardKind(kind)])}
    return groups, texts


class ClustersPanel:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.kind: str | None = None
        self.proposal: list[ProposedGroup] | None = None
        self.groups: list[ThemeGroup] = []
        self.cards: dict[int, Card] = {}
        self.live = LiveRefresher(self._fetch, lambda _done: self.render())

    def build(self) -> None:
        with ui.expansion(value=False).classes("console-panel w-full").props(
                'dense header-class="px-3 py-1"').mark("clusters-panel") as self.box:
            with self.box.add_slot("header"):
                with ui.row().classes("w-full items-baseline gap-3 no-wrap"):
                    heading(tr("clusters.title"))
                    self.summary = ui.label().classes("text-sm console-muted").props('role="status"')
            with ui.column().classes("w-full gap-2 px-3 pb-3"):
                ui.label(tr("clusters.intro")).classes("text-sm console-muted")
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    self.kind_select = ui.select({}, label=tr("clusters.kind"),
                                                 on_change=lambda e: self._choose(e.value)).props(
                        "outlined dense options-dense").classes("w-56").mark("clusters-kind")
                    aria(self.kind_select, tr("clusters.kind"))
                    self.propose_button = ui.button(tr("clusters.propose"), icon="auto_awesome",
                                                    on_click=self._propose).props(
                        "unelevated dense no-caps color=primary").mark("clusters-propose")
                self.body = Redrawn(ui.column().classes("w-full gap-2").mark("clusters-body"))  # see render
                # built once, shown or hidden by render: a redraw of the body leaves them in place
                with ui.row().classes("gap-2") as self.proposal_buttons:
                    ui.button(tr("clusters.accept"), icon="check", on_click=self._accept).props(
                        "unelevated dense no-caps color=primary").mark("clusters-accept")
                    ui.button(tr("clusters.cancel"), on_click=self._drop).props("flat dense no-caps color=primary")
                with ui.row().classes("gap-2") as self.group_buttons:
                    ui.button(tr("clusters.project"), icon="cast", on_click=self._project).props(
                        "unelevated dense no-caps color=primary").mark("clusters-project")
                    ui.button(tr("clusters.clear"), icon="delete_outline", on_click=self._clear).props(
                        "flat dense no-caps color=negative").mark("clusters-clear")
                self.proposal_buttons.set_visibility(False)
                self.group_buttons.set_visibility(False)
        self.live.start(self.c.sid, ("card.", "cluster.changed"), every=1.0, first=0.05)

    # --- data ---------------------------------------------------------------------------------

    def _kinds(self) -> dict[str, str]:
        counts: dict[str, int] = {}
        for card in self.c.cards():
            if not card.hidden and card.kind.value in GROUPABLE:
                counts[card.kind.value] = counts.get(card.kind.value, 0) + 1
        return {k: f"{tr(f'kind_plural.{k}')} ({counts[k]})" for k in GROUPABLE if k in counts}

    def _default_kind(self, options: dict[str, str]) -> str | None:
        current = self.c.current()
        for kind in (current.card_kinds if current else []):
            if kind in options:
                return kind
        return max(options, key=lambda k: int(options[k].rsplit("(", 1)[1].rstrip(")")), default=None)

    async def _fetch(self) -> bool:
        """The kind options first (they decide which kind to load), then its groups off the event loop."""
        with self.c.batch():
            options = self._kinds()
        if options != self.kind_select.options:
            self.kind_select.set_options(options)
        if self.kind not in options:
            self.kind = self._default_kind(options)
        if self.kind_select.value != self.kind:
            self.kind_select.set_value(self.kind)
        loaded = await call(_load, self.c.sid, self.kind) if self.kind else ([], {})
        if loaded is not None:
            self.groups, self.cards = loaded
        return True  # drawn even when the load failed: the select and buttons follow the chosen kind

    def _choose(self, kind: str | None) -> None:
        if kind != self.kind:
            self.kind, self.proposal = kind, None
            self.live.mark_dirty()

    # --- actions ------------------------------------------------------------------------------

    @in_page
    async def _propose(self) -> None:
        if self.kind is None:
            return
        if len(self.cards) < MIN_CARDS:
            ui.notify(tr("clusters.too_few"), type="warning", position="top")
            return
        self.propose_button.props("loading")
        proposal = await call(sorting.propose_theme_groups, db(), self.c.sid, self.kind)
        self.propose_button.props(remove="loading")
        if proposal is not None:
            self.proposal = proposal
            self.render()

    @in_page
    async def _accept(self) -> None:
        if not self.proposal or self.kind is None:
            return
        groups = [(name, list(g.card_ids)) for name, g in zip(proposed_names(self.proposal), self.proposal)]
        if await self.c.attempt(sorting.accept_theme_groups, self.kind, groups):
            self.proposal = None
            self.live.mark_dirty()
            ui.notify(tr("clusters.accepted"), type="positive", position="top")

    def _drop(self) -> None:
        self.proposal = None
        self.render()

    @in_page
    async def _rename(self, group_id: int, value: str, before: str) -> None:
        if (value or "").strip() == before:
            return
        if await self.c.attempt(sorting.rename_theme_group, group_id, value or ""):
            ui.notify(tr("clusters.renamed"), type="positive", position="top")

    @in_page
    async def _move(self, card_id: int, group_id: int | None, dialog: ui.dialog) -> None:
        dialog.close()
        await self.c.attempt(sorting.move_to_theme_group, card_id, group_id)

    @in_page
    async def _project(self) -> None:
        if self.kind and await self.c.attempt(screen.set_screen, view="clusters",
                                              cluster_kind=self.kind, wall_page=0):
            ui.notify(tr("clusters.projected"), type="positive", position="top")

    @in_page
    async def _clear(self) -> None:
        if self.kind and await self.c.attempt(sorting.clear_theme_groups, self.kind):
            ui.notify(tr("clusters.cleared"), type="info", position="top")

    # --- drawing ------------------------------------------------------------------------------

    def render(self) -> None:
        accepted = [g for g in self.groups if g.id is not None]
        self.summary.set_text(" · ".join(g.label for g in accepted)[:90] if accepted else "")
        self.propose_button.set_text(tr("clusters.propose_again" if accepted else "clusters.propose"))
        self.propose_button.set_enabled(self.kind is not None)
        self.body.draw(self._shown(accepted), lambda: self._draw_body(accepted))
        self.proposal_buttons.set_visibility(self.proposal is not None)
        self.group_buttons.set_visibility(self.proposal is None and bool(accepted))

    def _draw_body(self, accepted: list[ThemeGroup]) -> None:
        if self.proposal is not None:
            self._draw_proposal()
        elif accepted:
            self._draw_groups()
        elif self.kind is not None:
            ui.label(tr("clusters.none_yet")).classes("text-sm console-muted")

    def _shown(self, accepted: list[ThemeGroup]) -> tuple:
        """What the body would show: the proposal, else the accepted groups (with their cards), else
        the "none yet" line."""
        if self.proposal is not None:
            return ("proposal", self.kind, tuple((g, tuple(self._texts(g.card_ids))) for g in self.proposal))
        if accepted:
            return ("groups", self.kind, tuple((g.id, g.label, tuple((i, self.cards[i].text) for i in g.card_ids
                                                                    if i in self.cards)) for g in self.groups))
        return ("none", self.kind)

    def _texts(self, ids) -> list[str]:
        return [self.cards[i].text for i in ids if i in self.cards]

    def _draw_proposal(self) -> None:
        ui.label(tr("clusters.proposal")).classes("text-sm font-semibold")
        with ui.element("div").classes("w-full grid grid-cols-2 gap-2").mark("clusters-proposal"):
            proposal = self.proposal or []
            for name, group in zip(proposed_names(proposal), proposal):
                with ui.column().classes("gap-1 p-2 rounded border border-slate-300 bg-white min-w-0"):
                    ui.label(name).classes("font-bold text-blue-900")
                    if not group.label and not group.other:
                        ui.label(self._unnamed_hint(group)).classes("text-xs console-muted")
                    for text in self._texts(group.card_ids):
                        ui.label(text).classes("text-sm leading-snug break-words")

    @staticmethod
    def _unnamed_hint(group: ProposedGroup) -> str:
        hint = tr("clusters.unnamed_hint")
        if group.frequent:
            hint += " " + tr("clusters.frequent", words=", ".join(
                tr("clusters.word_cards", word=word, count=count) for word, count in group.frequent))
        return hint

    def _draw_groups(self) -> None:
        accepted = [g for g in self.groups if g.id is not None]
        with ui.element("div").classes("w-full grid grid-cols-2 gap-2").mark("clusters-groups"):
            for group in self.groups:
                if group.id is None and not group.card_ids:
                    continue
                with ui.column().classes("gap-1 p-2 rounded border border-slate-300 bg-white min-w-0").mark(
                        f"cluster-{group.id or 'loose'}"):
                    if group.id is None:
                        ui.label(tr("clusters.loose")).classes("font-bold console-muted")
                    else:
                        with ui.row().classes("w-full items-center gap-1 no-wrap"):
                            name = ui.input(value=group.label).props(
                                'dense outlined maxlength=80').classes("grow font-bold").mark(
                                f"cluster-label-{group.id}")
                            aria(name, tr("clusters.label"))
                            name.on("keydown.enter", lambda _e, g=group, n=name: self._rename(g.id, n.value, g.label))
                            name.on("blur", lambda _e, g=group, n=name: self._rename(g.id, n.value, g.label))
                            ui.label(tr("clusters.group_size", count=len(group.card_ids))).classes(
                                "text-xs console-muted whitespace-nowrap")
                    for card_id in group.card_ids:
                        card = self.cards.get(card_id)
                        if card is None:
                            continue
                        with ui.row().classes("w-full items-start gap-1 no-wrap"):
                            ui.label(card.text).classes("text-sm leading-snug grow min-w-0 break-words")
                            icon_button("drive_file_move", tr("clusters.move_to", text=card.text[:60]),
                                        lambda c=card, g=group: self._move_dialog(c, g, accepted)).mark(
                                f"cluster-move-{card.id}")

    def _move_dialog(self, card: Card, current: ThemeGroup, accepted: list[ThemeGroup]) -> None:
        with self.c.dialog() as dialog, ui.card().classes("w-[26rem] max-w-full gap-2"):
            heading(tr("clusters.move_to", text=card.text[:80]), level=2, classes="text-lg font-bold")
            for group in accepted + [ThemeGroup(None, tr("clusters.loose"), ())]:
                chosen = group.id == current.id
                ui.button(group.label, on_click=lambda g=group: self._move(card.id, g.id, dialog)).props(
                    "no-caps align=left " + ("unelevated color=primary" if chosen else "outline color=dark")
                ).classes("w-full").mark(f"move-to-{group.id or 'loose'}")
            with ui.row().classes("w-full justify-end"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
        dialog.open()
