"""Joining from a phone: /join/{code} (the QR code and the home page lead here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import run, ui

from workshop.errors import WorkshopError
from workshop.models import College
from workshop.services import access, participants, ratelimit, seminars
from workshop.ui import browser_state
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
from workshop.ui.live import hub
from workshop.ui.privacy import privacy_path
from workshop.ui.tablet.style import tablet_setup

NO_GROUP = 0
# What the join page reads of a seminar (over or not, joining open, title, themes, groups) changes
# only with these events; join pages opened within LANDING_SECONDS while none came share one read.
LANDING_TOPICS = ("activity.changed", "seminar.", "group.changed")
LANDING_SECONDS = 2.0
_CODES: dict[tuple[str, str, str], int] = {}  # (page key, database, join code) -> its seminar (codes never change)


def _already_joined(code: str, devices: dict[str, str]) -> tuple[int | None, list[int]]:
    """The seminar this browser already joined with this code (even once joining has closed),
    and the seminars of devices the server no longer knows. Off the event loop: ``resume`` writes."""
    stale: list[int] = []
    for sid_text, token in devices.items():
        try:
            seminar = seminars.get_seminar_for_tablets(db(), int(sid_text))
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


def _seminar_over(code: str) -> bool:
    """Whether the seminar of this code is over (its results page, open or closed, answers).

    Asked by every join page: one query answers while an activity is not closed yet (the whole
    seminar, as the room joins); only a run sheet closed to the end asks about the results page.
    """
    from sqlalchemy import exists, select

    from workshop.models import Activity, ActivityState, Seminar
    from workshop.services import publication

    if not code:
        return False
    running = exists().where(Activity.seminar_id == Seminar.id, Activity.state != ActivityState.CLOSED)
    with db().read() as session:
        found = session.execute(select(Seminar.id, running).where(Seminar.join_code == code)).first()
    if found is None or found[1]:
        return False
    return publication.results_state(db(), found[0]) != publication.RESULTS_NOT_YET


def _seminar_for_code(code: str, client: str | None, shared=None):
    """The seminar to join; ``shared``: the one a join page read a moment before (no read, same limit)."""
    # Wrong codes are limited per address, so codes cannot be guessed by trying them all.
    if shared is not None:
        access.seminar_for_join_code(db(), code, client=client, lookup=lambda _db, _code: shared.id)
        return shared
    return seminars.get_seminar_for_tablets(db(), access.seminar_for_join_code(db(), code, client=client))


def college_options() -> dict[str, str]:
    return {c.value: _capital(tr(f"college_name.{c.value}")) for c in College}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def unknown_code_page(message: str, *, closed: bool = False) -> None:
    """A code that leads nowhere: unknown, or a seminar whose joining is closed (said as such)."""
    with ui.column().classes("tablet-root gap-5"):
        with ui.row().classes("w-full justify-end"):
            language_switch()
        title = tr("room.join_closed_title") if closed else tr("tablet.unknown_code_title")
        ui.label(title).classes("t-h1").props('role="heading" aria-level="1"')
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
        devices = dict(browser_state.get("devices", {}))
        # A room joining at once shares one read of the seminar (the rate limit still applies to each).
        key = ("join.landing", str(db().engine.url), normal)
        read_before = _CODES.get(key)  # the seminar of this code, once a join page read it
        version = hub.version(read_before, LANDING_TOPICS) if read_before is not None else None
        shared = hub.recall(key, version, LANDING_SECONDS) if read_before is not None else None
        if shared is not None and not devices and ratelimit.JOIN_CLIENT.shared is None:
            # Nothing to read, and the rate limit is this process's own: no trip off the event loop.
            landing = _landing(normal, devices, client_address(), shared)
        else:
            # One trip off the event loop for everything a join page reads (a room joins at once).
            landing = await run.io_bound(_landing, normal, devices, client_address(), shared)
        if landing is None:  # the page was given up (server stopping): nothing to build
            return None
        if shared is None and landing.seminar is not None:
            _CODES[key] = landing.seminar.id
            if read_before == landing.seminar.id and hub.version(read_before, LANDING_TOPICS) == version:
                hub.remember(key, version, landing.seminar)
        for seminar_id in landing.stale:
            forget_device(seminar_id)
        if landing.results:  # the code now opens the results page
            return RedirectResponse(f"/resultats/{normal}", status_code=303)
        if landing.known is not None:
            return RedirectResponse(f"/tablet/{landing.known}", status_code=303)
        page_setup(tr("tablet.join_page_title"))
        tablet_setup()
        if landing.refusal is not None:
            exc = landing.refusal
            unknown_code_page(error_text(exc), closed=exc.code == "joining_closed")
            return None
        join_form(landing.seminar, normal)
        return None


@dataclass
class Landing:
    """Where a join page leads: the results page, this browser's tablet, the form, or a refusal."""

    results: bool = False
    known: int | None = None
    seminar: Any = None
    refusal: WorkshopError | None = None
    stale: list[int] = field(default_factory=list)


def _landing(code: str, devices: dict[str, str], client: str | None, shared=None) -> Landing:
    """Off the event loop: the seminar over? already joined from this browser? else the seminar to join.

    ``shared``: the seminar a join page read a moment before, while it was not over and no event
    of ``LANDING_TOPICS`` came since; nothing is read again about it."""
    if shared is None and _seminar_over(code):
        return Landing(results=True)
    # A browser that never joined anything (most of a room) has nothing to look up.
    known, stale = _already_joined(code, devices) if devices else (None, [])
    if known is not None:
        return Landing(known=known, stale=stale)
    try:
        return Landing(seminar=_seminar_for_code(code, client, shared), stale=stale)
    except WorkshopError as exc:
        return Landing(refusal=exc, stale=stale)


def join_form(seminar, code: str) -> None:
    with ui.column().classes("tablet-root gap-4") as root:
        with ui.row().classes("w-full items-start justify-between no-wrap gap-2"):
            ui.label(seminar.title).classes("eyebrow wrap-text").style("text-transform: none; flex: 1; min-width: 0")
            language_switch()
        with ui.card().classes("w-full gap-4 q-pa-md").props("flat bordered"):
            join_fields(seminar, code, root)


async def become_tablet(root: ui.element, joined, seminar) -> None:
    """Turn the join page into the tablet page, on the same connection.

    A room joining at once used to cost the server two pages per person (the form, then
    ``/tablet/{id}`` loaded anew with its own socket). The address becomes ``/tablet/{id}``
    (``history.replaceState``), so a reload, a language switch or a lost server lands
    on the tablet page as before.
    """
    from workshop.ui.tablet.view import tablet_page

    sid = joined.seminar_id
    client = root.client

    def clear_form(title: str) -> None:
        root.delete()
        client.title = title  # and in the browser, with its address, in one message
        client.run_javascript(f"history.replaceState(history.state, '', '/tablet/{int(sid)}'); "
                              f"document.title = {json.dumps(title)}")

    with client.content:
        if not await tablet_page(sid, joined.device_token, joined, seminar, before_build=clear_form):
            ui.navigate.to(f"/tablet/{sid}")


def join_fields(seminar, code: str, root: ui.element) -> None:
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
                                device_token=device_token(seminar.id), client=client_address())
        finally:
            busy["on"] = False
            button.props(remove="loading")
        if joined is None:
            return
        remember_device(joined.seminar_id, joined.device_token)
        await browser_state.saved()  # who this tablet is must outlive this worker
        await become_tablet(root, joined, seminar)

    name.on("keydown.enter", lambda: college.run_method("focus"))
    button = ui.button(tr("tablet.join_button"), on_click=submit).props(
        "unelevated size=lg color=primary no-caps").classes("w-full q-mt-sm").mark("join")
    # What the app keeps about the person joining, and how to have it erased (RGPD).
    with ui.row().classes("w-full justify-center"):
        ui.link(tr("privacy.link"), privacy_path(seminar.id)).classes("text-base text-primary underline q-py-sm") \
            .mark("privacy-link")


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
