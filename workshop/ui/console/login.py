"""Facilitator login and logout for one seminar."""

from __future__ import annotations

from nicegui import ui

from workshop.errors import WorkshopError
from workshop.services import seminars
from workshop.ui import browser_state
from workshop.ui.access import (
    facilitator_login_error,
    is_facilitator,
    logout_facilitator,
    logout_staff,
)
from workshop.ui.common import (
    db,
    language_switch,
    tr,
)
from workshop.ui.console.widgets import heading, setup_console_page


def safe_next(seminar_id: int, target: str | None) -> str:
    """Where to go after logging in: this seminar's console, projector or report page only
    (local paths from a fixed list: no open redirect)."""
    allowed = {f"/console/{seminar_id}", f"/screen/{seminar_id}", f"/console/{seminar_id}/report"}
    return target if target in allowed else f"/console/{seminar_id}"


def login_page(seminar_id: int, next: str = "") -> None:  # noqa: A002 - the query parameter's name
    setup_console_page(tr("ui.login_title"))
    target = safe_next(seminar_id, next)
    # Off the server's laptop, this page says nothing about the seminar (not even whether it
    # exists): /console/1/login, /console/2/login… must not list the seminars.
    from workshop.ui.facilitator_area import is_local_browser

    local = is_local_browser()
    try:
        seminar = seminars.get_seminar_by_id(db(), seminar_id)
    except WorkshopError:
        seminar = None
    with ui.column().classes("w-full max-w-md mx-auto p-6 gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link("← " + tr("ui.facilitator_area"), "/animation").classes("text-blue-900 underline")
            language_switch()
        if seminar is None and local:
            ui.label(tr("console.seminar_missing")).classes("text-xl").props('role="alert"')
            return
        if seminar is not None and is_facilitator(seminar_id):
            ui.navigate.to(target)
            return
        with ui.card().classes("w-full p-6 gap-4").props("flat bordered"):
            heading(tr("ui.login_title"), level=1, classes="text-2xl font-bold")
            ui.label(seminar.title if local and seminar is not None
                     else tr("security.seminar_number", id=seminar_id)).classes("text-lg")
            ui.label(tr("console.login_help")).classes("text-sm console-muted")
            secret = ui.input(tr("ui.secret_label"), password=True, password_toggle_button=True).props(
                'outlined autofocus autocomplete="current-password" maxlength=200').classes("w-full").mark("secret")
            error = ui.label().classes("text-red-800 font-semibold").props('role="alert"').mark("login-error")
            error.set_visibility(False)

            async def submit() -> None:
                problem = await facilitator_login_error(seminar_id, secret.value or "")  # throttled
                if problem is None:
                    ui.navigate.to(target)
                    return
                secret.set_value("")
                error.set_text(problem)
                error.set_visibility(True)

            secret.on("keydown.enter", submit)
            ui.button(tr("ui.login_button"), on_click=submit).props("unelevated size=lg no-caps color=primary").classes(
                "w-full").mark("login")
        ui.link(tr("staff.account_login_link"), f"/staff/login?next={target}").classes(
            "text-blue-900 underline").mark("staff-login-link")


async def logout_page(seminar_id: int) -> None:
    """The console's "Se déconnecter": the seminar's code goes, and so does a staff session
    (otherwise the account would open the console again at once)."""
    logout_facilitator(seminar_id)
    logout_staff()
    await browser_state.saved()
    ui.navigate.to(f"/console/{seminar_id}/login")
