"""Facilitator login and logout for one seminar."""

from __future__ import annotations

from nicegui import ui

from workshop.services import seminars
from workshop.ui.common import call_now, db, is_facilitator, language_switch, login_facilitator, logout_facilitator, tr
from workshop.ui.console.widgets import heading, setup_console_page


def safe_next(seminar_id: int, target: str | None) -> str:
    """Where to go after logging in: this seminar's console or projector only (no open redirect)."""
    allowed = {f"/console/{seminar_id}", f"/screen/{seminar_id}"}
    return target if target in allowed else f"/console/{seminar_id}"


def login_page(seminar_id: int, next: str = "") -> None:  # noqa: A002 - the query parameter's name
    setup_console_page(tr("ui.login_title"))
    target = safe_next(seminar_id, next)
    seminar = call_now(seminars.get_seminar_by_id, db(), seminar_id)
    with ui.column().classes("w-full max-w-md mx-auto p-6 gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link("← " + tr("ui.facilitator_area"), "/animation").classes("text-blue-900 underline")
            language_switch()
        if seminar is None:
            ui.label(tr("console.seminar_missing")).classes("text-xl").props('role="alert"')
            return
        if is_facilitator(seminar_id):
            ui.navigate.to(target)
            return
        with ui.card().classes("w-full p-6 gap-4").props("flat bordered"):
            heading(tr("ui.login_title"), level=1, classes="text-2xl font-bold")
            ui.label(seminar.title).classes("text-lg")
            ui.label(tr("console.login_help")).classes("text-sm console-muted")
            secret = ui.input(tr("ui.secret_label"), password=True, password_toggle_button=True).props(
                'outlined autofocus autocomplete="current-password"').classes("w-full").mark("secret")
            error = ui.label().classes("text-red-800 font-semibold").props('role="alert"').mark("login-error")
            error.set_visibility(False)

            def submit() -> None:
                if login_facilitator(seminar_id, secret.value or ""):
                    ui.navigate.to(target)
                    return
                secret.set_value("")
                error.set_text(tr("ui.bad_secret"))
                error.set_visibility(True)

            secret.on("keydown.enter", submit)
            ui.button(tr("ui.login_button"), on_click=submit).props("unelevated size=lg no-caps color=primary").classes(
                "w-full").mark("login")


def logout_page(seminar_id: int) -> None:
    logout_facilitator(seminar_id)
    ui.navigate.to(f"/console/{seminar_id}/login")
