"""Home: participants type the short code; facilitators go to their seminars."""

from __future__ import annotations

from nicegui import ui

from workshop.ui.common import language_switch, page_setup, tr


def register() -> None:
    @ui.page("/")
    def home() -> None:
        page_setup("Visions +21")
        with ui.column().classes("w-full max-w-xl mx-auto p-6 gap-6"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(tr("app.name")).classes("text-4xl font-bold").props('role="heading" aria-level="1"')
                language_switch(touch=True)
            ui.label(tr("app.tagline")).classes("text-lg text-slate-700")
            with ui.card().classes("w-full p-6 gap-4").props("flat bordered"):
                ui.label(tr("ui.join_title")).classes("text-2xl font-semibold").props('role="heading" aria-level="2"')
                code = ui.input(tr("ui.join_code_label")).props(
                    'outlined autocapitalize="characters" autocomplete="off" maxlength=16 '
                    'input-class="text-2xl tracking-widest"'
                ).classes("w-full text-xl")

                def go() -> None:
                    value = "".join(ch for ch in (code.value or "").upper() if ch.isalnum())
                    if value:
                        ui.navigate.to(f"/join/{value}")

                code.on("keydown.enter", go)
                ui.button(tr("ui.join_button"), on_click=go).props("unelevated size=lg color=primary no-caps").classes(
                    "w-full text-lg")
            ui.link(tr("ui.facilitator_area"), "/animation").classes("text-lg text-blue-900 underline")

    @ui.page("/animation")
    def facilitator_index() -> None:
        # Lists every seminar only on the laptop running the server; elsewhere, the ones this
        # browser logged into and a form to open one by its codes (see facilitator_area.py).
        from workshop.ui.facilitator_area import facilitator_index as page

        page()
