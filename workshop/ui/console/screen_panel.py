"""What the projector shows: the view, results revealed or not, attendance, join panel, card, wall page."""

from __future__ import annotations

from nicegui import ui

from workshop.services import screen
from workshop.services.screen import VIEWS, ScreenState
from workshop.ui.common import call_now, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import aria, attempt, heading, icon_button

class ScreenPanel:
    def __init__(self, console: Console) -> None:
        self.c = console

    def build(self) -> None:
        with ui.column().classes("console-panel w-full p-3 gap-2").mark("screen-panel"):
            with ui.row().classes("w-full items-center justify-between"):
                heading(tr("console.screen"))
                ui.link(tr("console.open_screen"), f"/screen/{self.c.sid}", new_tab=True).classes(
                    "text-sm text-blue-900 underline font-semibold")
            self.body = ui.column().classes("w-full gap-2")
        self.refresh()
        self.c.register("screen", self.refresh)

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
            self._switch("reveal_results", state.reveal_results)
            self._switch("show_attendance", state.show_attendance)
            self._switch("show_join", state.show_join)
            with ui.row().classes("w-full items-center gap-1"):
                ui.label(tr("console.wall_page", page=state.wall_page + 1)).classes("text-sm grow").mark("wall-page")
                icon_button("chevron_left", tr("console.wall_previous"),
                            lambda: self._set(wall_page=max(0, state.wall_page - 1)),
                            disabled=state.wall_page == 0)
                icon_button("chevron_right", tr("console.wall_next"),
                            lambda: self._set(wall_page=state.wall_page + 1))
            if state.focus_card_id is not None:
                card = next((c for c in self.c.cards() if c.id == state.focus_card_id), None)
                with ui.row().classes("w-full items-center gap-1 no-wrap"):
                    ui.label(tr("console.focused_card", text=card.text if card else "?")).classes(
                        "text-sm grow min-w-0 break-words")
                    icon_button("close", tr("console.unfocus"), lambda: self._set(
                        focus_card_id=None, view="activity" if state.view == "card" else state.view))

    def _switch(self, name: str, value: bool) -> None:
        switch = ui.switch(tr(f"console.screen_{name}"), value=value,
                           on_change=lambda e: self._set(**{name: bool(e.value)}) if bool(e.value) != value
                           else None).mark(f"screen-{name}")
        aria(switch, tr(f"console.screen_{name}"))

    async def _set(self, **changes) -> None:
        await attempt(screen.set_screen, self.c.db, self.c.sid, **changes)
