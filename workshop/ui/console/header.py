"""The console's top bar: seminar, join code and joining switch, who is connected, links."""

from __future__ import annotations

from nicegui import ui

from workshop.services import seminars
from workshop.ui.common import call, in_page, language_switch, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import aria
from workshop.ui.live import hub


class Header:
    def __init__(self, console: Console) -> None:
        self.c = console

    def build(self) -> None:
        seminar = self.c.seminar()
        with ui.header().classes("console-header bg-white text-slate-900 border-b border-slate-300 px-4 py-0 "
                                 "items-center gap-3 no-wrap"):
            # the name on up to two lines, the room it needs taken from the items beside it (they fold
            # on two lines): « Répétition : Séminaire de prospective territoriale en un jour et demi »
            # reads whole at 1280 px; a longer one ends in « … » on the second line, whole on hover
            with ui.column().classes("console-title-box gap-0 min-w-0"):
                title = ui.label(seminar.title).classes("console-title text-slate-900").props(
                    'role="heading" aria-level="1"').mark("seminar-title")
                title.props["title"] = seminar.title
                place = ui.label(f"{seminar.territory} · {tr('app.horizon')} {seminar.horizon_year}").classes(
                    "text-sm leading-tight console-muted truncate w-full")
                place.props["title"] = place.text
            ui.space()
            with ui.row().classes("items-center gap-3 no-wrap shrink-0"):
                # the code under its label, the switch's words on two lines: room for the seminar's name
                with ui.column().classes("gap-0 items-start"):
                    ui.label(tr("console.join_code")).classes("text-xs leading-tight console-muted "
                                                              "whitespace-nowrap")
                    ui.label(seminar.join_code).classes("text-xl leading-tight font-mono font-bold "
                                                        "tracking-widest").mark("join-code")
                self.joining = ui.switch(tr("console.joining_open"), value=seminar.joining_open,
                                         on_change=self._toggle_joining).classes("console-header-switch").mark(
                    "joining")
            self.connected = ui.label().classes("console-header-fold text-sm font-semibold shrink-0").props(
                'role="status" aria-live="polite"').mark("connected-count")
            # the capitalisation report (exports and lessons), and the photos of the room it shows, taken
            # during the activities: an icon beside the report (a word would cut the title further at 1280 px)
            with ui.row().classes("items-center gap-1 no-wrap shrink-0"):
                ui.link(tr("room.console.report_link"), f"/console/{self.c.sid}/report", new_tab=True).classes(
                    "text-sm font-semibold text-blue-900 underline whitespace-nowrap").mark("report-link")
                photos = ui.link(target=f"/console/{self.c.sid}/photos", new_tab=True).classes(
                    "text-blue-900 no-underline flex items-center").mark("photos-link")
                with photos:
                    ui.icon("photo_camera", size="24px").props('aria-hidden="true"')
                aria(photos, tr("publish.ui.photos_title"))
                photos.props["title"] = tr("publish.ui.photos_title")
            language_switch()
            logout = ui.button(icon="logout", on_click=lambda: ui.navigate.to(f"/console/{self.c.sid}/logout")).props(
                "flat round dense color=primary")
            aria(logout, tr("ui.logout"))
            logout.tooltip(tr("ui.logout"))
        self.refresh()
        self.c.register("header", self.refresh)

    def refresh(self) -> None:
        seminar = self.c.seminar()
        if seminar is None:
            return
        if self.joining.value != seminar.joining_open:
            self.joining.set_value(seminar.joining_open)
        total = len(self.c.participants())
        self.connected.set_text(tr("console.connected_of", connected=hub.connected_count(self.c.sid), total=total))

    @in_page
    async def _toggle_joining(self, event) -> None:
        seminar = self.c.seminar()
        if seminar is not None and bool(event.value) == seminar.joining_open:
            return
        await call(seminars.set_joining_open, self.c.db, self.c.sid, bool(event.value))
