"""Joining from a phone: /join/{code} (the QR code and the home page lead here)."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import app, run, ui

from workshop.errors import WorkshopError
from workshop.models import College
from workshop.services import access, participants, seminars
from workshop.ui.common import (
    call,
    client_address,
    db,
    device_token,
    error_text,
    forget_device,
    language_switch,
    page_setup,
    remember_device,
    tr,
)
from workshop.ui.tablet.style import tablet_setup

NO_GROUP = 0


def _already_joined(code: str, devices: dict[str, str]) -> tuple[int | None, list[int]]:
    """The seminar this browser already joined with this code (even once joining has closed),
    and the seminars of devices the server no longer knows. Off the event loop: ``resume`` writes."""
    stale: list[int] = []
    for sid_text, token in devices.items():
        try:
            seminar = seminars.get_seminar_by_id(db(), int(sid_text))
            if seminar.join_code != code:
                continue
            joined = participants.resume(db(), token)
        except WorkshopError:
            stale.append(int(sid_text))
            continue
        except ValueError:
            continue
        if joined.seminar_id == seminar.id:
            return seminar.id, stale
    return None, stale


def _seminar_for_code(code: str, client: str | None):
    # Wrong codes are limited per address, so codes cannot be guessed by trying them all.
    return seminars.get_seminar_by_id(db(), access.seminar_for_join_code(db(), code, client=client))


def college_options() -> dict[str, str]:
    return {c.value: _capital(tr(f"college_name.{c.value}")) for c in College}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def unknown_code_page(message: str) -> None:
    with ui.column().classes("tablet-root gap-5"):
        with ui.row().classes("w-full justify-end"):
            language_switch()
        ui.label(tr("tablet.unknown_code_title")).classes("t-h1").props('role="heading" aria-level="1"')
        with ui.element("div").classes("banner banner-stop").props('role="alert"'):
            ui.icon("error_outline", size="28px").props('aria-hidden="true"')
            ui.label(message).mark("unknown-code")
        ui.button(tr("tablet.back_home"), on_click=lambda: ui.navigate.to("/")).props(
            "unelevated size=lg color=primary no-caps").classes("w-full")


def register() -> None:
    # A crowded room on a busy laptop: the database reads below may queue for a few seconds,
    # longer than NiceGUI's default 3 s for building a page (as the tablet page allows).
    @ui.page("/join/{code}", response_timeout=30)
    async def join_page(code: str):
        normal = participants.normalise_code(code)
        found = await run.io_bound(_already_joined, normal, dict(app.storage.user.get("devices", {})))
        if found is None:  # the page was given up (server stopping): nothing to build
            return None
        known, stale = found
        for seminar_id in stale:
            forget_device(seminar_id)
        if known is not None:
            return RedirectResponse(f"/tablet/{known}", status_code=303)
        page_setup(tr("tablet.join_page_title"))
        tablet_setup()
        try:
            seminar = await run.io_bound(_seminar_for_code, normal, client_address())
        except WorkshopError as exc:
            unknown_code_page(error_text(exc))
            return None
        if seminar is None:
            return None
        join_form(seminar, normal)
        return None


def join_form(seminar, code: str) -> None:
    with ui.column().classes("tablet-root gap-4"):
        with ui.row().classes("w-full items-start justify-between no-wrap gap-2"):
            ui.label(seminar.title).classes("eyebrow wrap-text").style("text-transform: none; flex: 1; min-width: 0")
            language_switch()
        with ui.card().classes("w-full gap-4 q-pa-md").props("flat bordered"):
            join_fields(seminar, code)


def join_fields(seminar, code: str) -> None:
    ui.label(tr("tablet.join_heading")).classes("t-h1").props('role="heading" aria-level="1"')
    ui.label(tr("tablet.join_intro")).classes("muted")
    name = ui.input(tr("tablet.name_label")).props(
        'outlined autocomplete="given-name" maxlength=60 enterkeyhint="next"').classes("w-full").mark("name")
    with ui.column().classes("w-full gap-1"):
        college = ui.select(college_options(), label=tr("tablet.college_label")).props(
            "outlined behavior=menu").classes("w-full").mark("college")
        ui.label(tr("tablet.college_hint")).classes("text-sm muted")
    group = None
    if seminar.groups:
        options = {NO_GROUP: tr("tablet.no_group"), **{g.id: g.name for g in seminar.groups}}
        group = ui.select(options, value=NO_GROUP, label=tr("tablet.group_label")).props(
            "outlined behavior=menu").classes("w-full").mark("group")
    busy = {"on": False}

    async def submit() -> None:
        if busy["on"]:
            return
        if not college.value:
            ui.notify(tr("tablet.college_required"), type="warning", position="top")
            return
        busy["on"] = True
        button.props("loading")
        try:
            group_id = group.value if group is not None and group.value != NO_GROUP else None
            joined = await call(participants.join, db(), code, display_name=name.value or "",
                                college=college.value, group_id=group_id,
                                device_token=device_token(seminar.id))
        finally:
            busy["on"] = False
            button.props(remove="loading")
        if joined is None:
            return
        remember_device(joined.seminar_id, joined.device_token)
        ui.navigate.to(f"/tablet/{joined.seminar_id}")

    name.on("keydown.enter", lambda: college.run_method("focus"))
    button = ui.button(tr("tablet.join_button"), on_click=submit).props(
        "unelevated size=lg color=primary no-caps").classes("w-full q-mt-sm").mark("join")


def not_joined_page(seminar_id: int) -> None:
    """A tablet page opened by a browser that never joined (or whose identity is gone)."""
    with ui.column().classes("tablet-root gap-5"):
        with ui.row().classes("w-full justify-end"):
            language_switch()
        ui.label(tr("tablet.not_joined")).classes("t-h1").props('role="heading" aria-level="1"')
        # Never the seminar's join code here: /tablet/1, /tablet/2… would hand out every code.
        ui.label(tr("security.join_again")).classes("text-lg")
        ui.button(tr("tablet.back_home"), on_click=lambda: ui.navigate.to("/")).props(
            "unelevated size=lg color=primary no-caps").classes("w-full")
