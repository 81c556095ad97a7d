"""Home: participants type the short code; facilitators go to their seminars."""

from __future__ import annotations

from nicegui import ui

from workshop.services import seminars
from workshop.ui.common import db, language_switch, page_setup, tr


def register() -> None:
    @ui.page("/")
    def home() -> None:
        page_setup("Visions +21")
        with ui.column().classes("w-full max-w-xl mx-auto p-6 gap-6"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(tr("app.name")).classes("text-4xl font-bold").props('role="heading" aria-level="1"')
                language_switch()
            ui.label(tr("app.tagline")).classes("text-lg text-slate-700")
            with ui.card().classes("w-full p-6 gap-4").props("flat bordered"):
                ui.label(tr("ui.join_title")).classes("text-2xl font-semibold").props('role="heading" aria-level="2"')
                code = ui.input(tr("ui.join_code_label")).props(
                    'outlined autocapitalize="characters" autocomplete="off" input-class="text-2xl tracking-widest"'
                ).classes("w-full text-xl")

                def go() -> None:
                    value = "".join(ch for ch in (code.value or "").upper() if ch.isalnum())
                    if value:
                        ui.navigate.to(f"/join/{value}")

                code.on("keydown.enter", go)
                ui.button(tr("ui.join_button"), on_click=go).props("unelevated size=lg color=primary").classes(
                    "w-full text-lg")
            ui.link(tr("ui.facilitator_area"), "/animation").classes("text-lg text-blue-900 underline")

    @ui.page("/animation")
    def facilitator_index() -> None:
        page_setup(tr("ui.facilitator_area"))
        with ui.column().classes("w-full max-w-4xl mx-auto p-6 gap-4"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(tr("ui.seminars")).classes("text-3xl font-bold").props('role="heading" aria-level="1"')
                language_switch()
            ui.link(tr("console.new_seminar"), "/console/new").classes("text-lg text-blue-900 underline font-semibold")
            rows = seminars.list_seminars(db())
            if not rows:
                ui.label(tr("app.no_seminars")).classes("text-slate-700")
            for s in rows:
                with ui.card().classes("w-full").props("flat bordered"):
                    ui.label(s.title).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
                    ui.label(f"{s.territory} · {tr('app.horizon')} {s.horizon_year}").classes("text-slate-700")
                    ui.label(
                        f"{tr('app.participants')} : {s.participants} · {tr('app.cards')} : {s.cards} · "
                        f"{tr('app.current_activity')} : {s.current_activity or tr('app.none_open')}"
                    ).classes("text-slate-700")
                    with ui.row():
                        ui.link(tr("ui.open_console"), f"/console/{s.id}").classes("text-blue-900 underline")
                        ui.link(tr("ui.open_screen"), f"/screen/{s.id}").classes("text-blue-900 underline")
