"""Likely duplicates, in the moderation tab: merge one suggestion in one click, or dismiss it.

Suggestions are computed off the event loop (``services.sorting``) when cards change, at
most once a second, and redrawn only when they changed. Merging goes through the usual
undoable merge (``cards.merge``); a dismissal is stored, so it survives a reload.
"""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui

from workshop.dedup.duplicates import Suggestion
from workshop.models import Card
from workshop.services import cards, sorting
from workshop.ui.common import call, db, in_page, tr
from workshop.ui.console.refresher import LiveRefresher
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import aria, heading, kind_badge

SHOWN = 12  # suggestions drawn at once (the best ones); the next come as these are handled
REFRESH_SECONDS = 1.0


@dataclass
class _Found:
    suggestions: list[Suggestion]
    cards: dict[int, Card]
    dismissed: int


def _load(seminar_id: int) -> _Found:
    database = db()
    found = sorting.duplicate_suggestions(database, seminar_id)
    shown = {i for s in found[:SHOWN] for i in s.card_ids}
    by_id = {c.id: c for c in cards.list_cards(database, seminar_id, include_hidden=True) if c.id in shown}
    return _Found(found, by_id, sorting.dismissed_count(database, seminar_id))


def suggestion_key(suggestion: Suggestion) -> str:
    return "-".join(str(i) for i in sorted(suggestion.card_ids))


class DuplicatesPanel:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.live = LiveRefresher(lambda: call(_load, self.c.sid), self.render)  # in a worker thread
        self.signature: tuple | None = None
        self.total: int | None = None  # suggestions shown last time

    def build(self) -> None:
        with ui.expansion(value=True).classes("console-panel w-full").props(
                'dense header-class="px-3 py-1"').mark("duplicates-panel") as self.box:
            with self.box.add_slot("header"):
                with ui.row().classes("w-full items-baseline gap-3 no-wrap"):
                    heading(tr("dedup.title"))
                    self.count = ui.label(tr("dedup.computing")).classes("text-sm console-muted").props(
                        'role="status"').mark("duplicates-count")
            with ui.column().classes("w-full gap-2 px-3 pb-3"):
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    ui.label(tr("dedup.intro")).classes("text-sm console-muted grow")
                    self.dismissed = ui.label().classes("text-sm console-muted whitespace-nowrap").mark(
                        "duplicates-dismissed")
                    self.restore = ui.button(tr("dedup.restore"), on_click=self._restore).props(
                        "flat dense no-caps color=primary").mark("duplicates-restore")
                self.list = ui.column().classes("w-full gap-2").props('role="list"').mark("duplicates-list")
        self.live.start(self.c.sid, ("card.", "dedup.changed"), every=REFRESH_SECONDS, first=0.05)

    def render(self, found: _Found) -> None:
        total = len(found.suggestions)
        self.count.set_text(tr("dedup.count", count=total) if total else tr("dedup.none"))
        if self.total is None or (self.total == 0) != (total == 0):
            # nothing to look at: folded, so the cards stay in view on a 1280x800 laptop; it opens
            # by itself when suggestions come (and otherwise stays as the facilitator left it)
            self.box.set_value(total > 0)
        self.total = total
        self.dismissed.set_text(tr("dedup.dismissed_count", count=found.dismissed) if found.dismissed else "")
        self.restore.set_visibility(found.dismissed > 0)
        shown = found.suggestions[:SHOWN]
        signature = tuple((s.card_ids, s.score, tuple(found.cards[i].text for i in s.card_ids if i in found.cards))
                          for s in shown)
        if signature == self.signature:
            return
        self.signature = signature
        self.list.clear()
        with self.list:
            for suggestion in shown:
                if all(i in found.cards for i in suggestion.card_ids):
                    self._item(suggestion, [found.cards[i] for i in suggestion.card_ids])

    def _item(self, suggestion: Suggestion, members: list[Card]) -> None:
        key = suggestion_key(suggestion)
        texts = " / ".join(c.text[:60] for c in members)
        with ui.column().classes("w-full gap-1 p-2 rounded border border-amber-700 bg-amber-50").props(
                'role="listitem"').mark(f"dup-{key}"):
            with ui.row().classes("w-full items-center gap-2"):
                kind_badge(members[0].kind.value)
                ui.label(tr("dedup.cards_in_group", count=len(members)) + " · " +
                         tr("dedup.similarity", percent=round(suggestion.score * 100))).classes(
                    "text-sm font-semibold")
            keep = ui.radio({c.id: c.text for c in members}, value=members[0].id).props("dense").classes(
                "text-base leading-snug").mark(f"dup-keep-{key}")
            aria(keep, tr("dedup.keep"))
            shared = ", ".join(suggestion.shared[:4])
            ui.label(tr("dedup.shared", words=shared) if shared else tr("dedup.nothing_shared")).classes(
                "text-sm console-muted")
            with ui.row().classes("gap-2"):
                merge = ui.button(tr("dedup.merge"), icon="call_merge",
                                  on_click=lambda k=keep, m=members: self._merge(k.value, m)).props(
                    "unelevated dense no-caps color=primary").mark(f"dup-merge-{key}")
                aria(merge, tr("dedup.merge_aria", text=members[0].text[:80]))
                dismiss = ui.button(tr("dedup.dismiss"), icon="close",
                                    on_click=lambda m=members: self._dismiss(m)).props(
                    "outline dense no-caps color=primary").mark(f"dup-dismiss-{key}")
                aria(dismiss, tr("dedup.dismiss_aria", texts=texts))

    @in_page
    async def _merge(self, keep_id: int, members: list[Card]) -> None:
        others = [c.id for c in members if c.id != keep_id]
        if await self.c.attempt(cards.merge, keep_id, others):
            ui.notify(tr("dedup.merged", count=len(others)), type="positive", position="top")
            self.live.mark_dirty()

    @in_page
    async def _dismiss(self, members: list[Card]) -> None:
        if await self.c.attempt(sorting.dismiss_duplicates, [c.id for c in members]):
            ui.notify(tr("dedup.dismissed"), type="info", position="top")
            self.live.mark_dirty()

    @in_page
    async def _restore(self) -> None:
        if await self.c.attempt(sorting.restore_dismissed):
            ui.notify(tr("dedup.restored"), type="info", position="top")
            self.live.mark_dirty()
