"""What the projector shows: the view, results revealed or not, attendance, join panel, card, wall page.

The pages of a wall or of the synthesis are turned here only while an open projector shows one
that takes more than one page (its count comes through ``workshop/ui/projector/pages.py``): « Mur
de cartes : page 2 sur 3 », the page wanted modulo that count (the projector's own rule), no
previous page on the first, no next on the last (the arrow greyed). Without a count (no projector
open, nothing paged on it) or with a single page, there is nothing to turn and nothing is shown.
"""

from __future__ import annotations

from nicegui import ui

from workshop.errors import Invalid
from workshop.models import Activity
from workshop.events import Event
from workshop.services import screen
from workshop.services.screen import VIEWS, ScreenState
from workshop.ui.common import call_now, in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import aria, heading, icon_button
from workshop.ui.live import hub


PAGED = ("wall", "clusters", "synthesis")  # the views the projector splits into pages


def shown_page(wall_page: int, pages: int) -> tuple[int, bool]:
    """The page the projector shows (0 first) and whether there is a next one, for the page
    wanted (``wall_page``) and the projector's page count (the pager is drawn only when it knows one)."""
    shown = wall_page % pages
    return shown, shown < pages - 1


def paged_view(view: str, current: Activity | None) -> str:
    """What the projector pages: the synthesis, the wall by theme, or a wall of cards (the view
    « Activité » shows what the run sheet gives the activity, most often its wall)."""
    if view == "activity" and current is not None and current.screen in PAGED:
        return current.screen
    return view if view in PAGED else "wall"


class ScreenPanel:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.pages: int | None = None  # the projector's page count, as it last said (None: not known)

    def build(self) -> None:
        with ui.column().classes("console-panel w-full p-3 gap-2").mark("screen-panel"):
            with ui.row().classes("w-full items-center justify-between"):
                heading(tr("console.screen"))
                ui.link(tr("console.open_screen"), f"/screen/{self.c.sid}", new_tab=True).classes(
                    "text-sm text-blue-900 underline font-semibold")
            self.body = ui.column().classes("w-full gap-2")
        self.refresh()
        self.c.register("screen", self.refresh)
        hub.watch(self.c.sid, (screen.PAGES,), self._on_pages)
        screen.ask_pages(self.c.sid)  # an open projector says its count again (this console just opened)

    def _on_pages(self, event: Event) -> None:
        try:
            pages = screen.page_count(event.data.get("pages"))
        except Invalid:
            return
        previous, self.pages = self.pages, pages
        if pages != previous:
            self.c.mark("screen")
        if pages is None and previous is not None:
            # a projector closed, or went to another view (or it was a reloaded projector's old page):
            # another one open may have a count (its answer may come at once, hence after the change)
            screen.ask_pages(self.c.sid)

    def refresh(self) -> None:
        state: ScreenState | None = call_now(screen.get_screen, self.c.db, self.c.sid)
        if state is None:
            return
        self.body.clear()
        with self.body:
            ui.label(tr("console.screen_view")).classes("text-sm font-semibold")
            with ui.grid(columns=2).classes("w-full gap-1").props(
                    f'role="radiogroup" aria-label="{tr("console.screen_view")}"'):
                for view in VIEWS:
                    chosen = state.view == view
                    button = ui.button(tr(f"console.view.{view}"), on_click=lambda v=view: self._set(view=v)).props(
                        "no-caps dense align=left " + ("unelevated color=primary" if chosen
                                                        else "outline color=primary")).classes(
                        "w-full px-2 py-1").mark(f"view-{view}")
                    button.props(f'role="radio" aria-checked="{str(chosen).lower()}"')
                    if view == "card" and state.focus_card_id is None:
                        # no card chosen: the room would read « Cette carte n'est plus affichée. »; a card
                        # is put on screen from the cards' list (its « Projeter » icon), which opens this view
                        button.disable()
                        button.props["title"] = tr("console.view_card_none")
            self._switch("reveal_results", state.reveal_results)
            self._switch("show_attendance", state.show_attendance)
            self._switch("show_join", state.show_join)
            if self.pages is not None and self.pages > 1:
                self._pager(state, self.pages)
            if state.focus_card_id is not None:
                card = next((c for c in self.c.cards() if c.id == state.focus_card_id), None)
                with ui.row().classes("w-full items-center gap-1 no-wrap"):
                    ui.label(tr("console.focused_card", text=card.text if card else "?")).classes(
                        "text-sm grow min-w-0 break-words")
                    icon_button("close", tr("console.unfocus"), lambda: self._set(
                        focus_card_id=None, view="activity" if state.view == "card" else state.view))

    def _pager(self, state: ScreenState, pages: int) -> None:
        """« Mur de cartes : page 2 sur 3 », and the arrows to turn them; disabled arrows greyed."""
        shown, more = shown_page(state.wall_page, pages)
        what = tr(f"console.paged.{paged_view(state.view, self.c.current())}")
        with ui.row().classes("w-full items-center gap-1 no-wrap console-pager").mark("wall-pager"):
            ui.label(tr("console.wall_page_of", what=what, page=shown + 1, pages=pages)).classes(
                "text-sm grow min-w-0").mark("wall-page")
            # an arrow with nowhere to go in light grey (Quasar only fades a disabled button to 60 %:
            # the dark blue arrow looked nearly as usable as the other), and it takes no click
            first, last = shown == 0, not more
            icon_button("chevron_left", tr("console.wall_previous", what=what),
                        lambda: self._set(wall_page=max(0, shown - 1)), disabled=first,
                        color="grey-6" if first else "primary").mark("wall-previous")
            icon_button("chevron_right", tr("console.wall_next", what=what),
                        lambda: self._set(wall_page=shown + 1), disabled=last,
                        color="grey-6" if last else "primary").mark("wall-next")

    def _switch(self, name: str, value: bool) -> None:
        switch = ui.switch(tr(f"console.screen_{name}"), value=value,
                           on_change=lambda e: self._set(**{name: bool(e.value)}) if bool(e.value) != value
                           else None).mark(f"screen-{name}")
        aria(switch, tr(f"console.screen_{name}"))

    @in_page
    async def _set(self, **changes) -> None:
        await self.c.attempt(screen.set_screen, **changes)
