"""Joining from a phone: /join/{code} (the QR code and the home page lead here)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import run, ui
from nicegui.element import Element

from workshop.errors import NotFound, WorkshopError
from workshop.i18n import LANGUAGES
from workshop.models import College
from workshop.services import access, participants, ratelimit, seminars
from workshop.ui import browser_state
from workshop.ui.access import (
    client_address,
    device_token,
    forget_device,
    remember_device,
)
from workshop.ui.common import (
    LANGUAGE_GROUP_LABEL,
    call,
    choose_language,
    db,
    error_text,
    lang,
    language_switch,
    page_setup,
    show_error,
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
            language_switch(touch=True)
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


def join_form(seminar, code: str) -> JoinForm:
    """The form, one element drawn in the browser; "join" joins and turns the page into the tablet."""
    offered = {g.id for g in seminar.groups}
    busy = {"on": False}

    async def submit(args: Any) -> None:
        # What a browser sends is checked here as the form checks it (a missing collège, a table
        # the form did not offer), then by the service (the name, the collège, the table).
        if busy["on"]:
            return
        fields = args if isinstance(args, dict) else {}
        name, college, group = fields.get("name"), fields.get("college"), fields.get("group")
        if not college or not isinstance(college, str):
            ui.notify(tr("tablet.college_required"), type="warning", position="top")
            form.finished()
            return
        if group is not None and (not isinstance(group, int) or isinstance(group, bool)
                                  or group not in offered and group != NO_GROUP):
            show_error(NotFound("not_found", what="group"))  # what the service says of a table not its seminar's
            form.finished()
            return
        busy["on"] = True
        joined = None
        try:
            joined = await call(participants.join, db(), code, display_name=name if isinstance(name, str) else "",
                                college=college, group_id=group or None,
                                device_token=device_token(seminar.id), client=client_address())
        finally:
            if joined is None:  # refused (said in a toast): the person may correct and tap again
                busy["on"] = False
                form.finished()
        if joined is None:
            return
        remember_device(joined.seminar_id, joined.device_token)
        await browser_state.saved()  # who this tablet is must outlive this worker
        await become_tablet(form, joined, seminar)

    async def language(args: Any) -> None:
        if args in LANGUAGES:
            await choose_language(args)

    current = lang()
    groups = [{"value": NO_GROUP, "label": tr("tablet.no_group")}] + [
        {"value": g.id, "label": g.name} for g in seminar.groups] if seminar.groups else []
    form = JoinForm(submit, language, texts={"title": seminar.title, **join_texts(tr)},
                    colleges=[{"value": value, "label": label} for value, label in college_options().items()],
                    groups=groups, no_group=NO_GROUP, maxlength=participants.MAX_NAME,
                    privacy_href=privacy_path(seminar.id),
                    languages=[{"code": c, "label": c.upper(), "chosen": c == current} for c in LANGUAGES],
                    languages_label=LANGUAGE_GROUP_LABEL)
    return form.classes("tablet-root gap-4").mark("join-form")


def join_texts(translate: Callable[[str], str]) -> dict[str, str]:
    """What the join form says (``translate``: the page's language), but the seminar's title."""
    keys = {"heading": "tablet.join_heading", "intro": "tablet.join_intro", "name_label": "tablet.name_label",
            "college_label": "tablet.college_label", "college_hint": "tablet.college_hint",
            "group_label": "tablet.group_label", "button": "tablet.join_button",
            "college_required": "tablet.college_required", "privacy": "privacy.link"}
    return {name: translate(key) for name, key in keys.items()}


class JoinForm(Element, component="join_form.js"):
    """The join form, drawn in the browser (``join_form.js``) from its texts and options.

    One NiceGUI element instead of some twenty: the title, the language switch, the card, its
    texts, the name, the collège (with its hint), the table, the button and the privacy link.
    The browser sends "join" {name, college, group} once, on the button (``on_join`` gets what
    it sent, unchecked), and "language" with a language's code (``on_language``).
    """

    def __init__(self, on_join: Callable[[Any], Any], on_language: Callable[[Any], Any], **props: Any) -> None:
        super().__init__()
        self._props.update(props)
        self.on("join", lambda e: on_join(e.args))
        self.on("language", lambda e: on_language(e.args))

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """The texts the browser draws (what ``user.should_see`` finds in NiceGUI's simulated browser)."""
        texts = self._props.get("texts", {})
        shown = [texts.get(key) for key in ("title", "heading", "intro", "name_label", "college_label",
                                            "college_hint", "button", "privacy")]
        if self._props.get("groups"):
            shown += [texts.get("group_label"), self._props["groups"][0]["label"]]  # "not yet", chosen at first
        return shown + [language["label"] for language in self._props.get("languages", [])]

    def finished(self) -> None:
        """The join was refused: the button is usable again (the reason is in a toast)."""
        self.run_method("finished")


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


def not_joined_page(seminar_id: int) -> None:
    """A tablet page opened by a browser that never joined (or whose identity is gone)."""
    with ui.column().classes("tablet-root gap-5"):
        with ui.row().classes("w-full justify-end"):
            language_switch(touch=True)
        ui.label(tr("tablet.not_joined")).classes("t-h1").props('role="heading" aria-level="1"')
        # Never the seminar's join code here: /tablet/1, /tablet/2… would hand out every code.
        ui.label(tr("security.join_again")).classes("text-lg")
        ui.button(tr("tablet.back_home"), on_click=lambda: ui.navigate.to("/")).props(
            "unelevated size=lg color=primary no-caps").classes("w-full")
