"""The facilitators' area (/animation) and the gate in front of /console/new.

Anyone on the room's hotspot can type the laptop's address, so what these pages show
depends on where the browser is:

- On the computer that runs the server (a loopback address or one of the machine's own
  addresses, with no proxy header): every seminar is listed and seminars can be created,
  as before. Whoever sits at that laptop could read the database file anyway. Each
  console still asks for its seminar's facilitator code.
- From any other device: only the seminars this browser has logged into are listed, with
  a form to open one by its join code and facilitator code (nothing else tells which
  seminars exist), and creating a seminar first asks for the server's administration
  code (printed by ``workshop serve``; ``WORKSHOP_ADMIN_SECRET`` or ``<data>/admin-secret``)
  unless the browser is logged in with a staff administrator's account (``/staff/login``).

``WORKSHOP_LOCAL_ADMIN=0`` drops the laptop's privilege (a server behind a reverse proxy
that does not send X-Forwarded-For, where every request would look local).
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable

from nicegui import run, ui

from workshop.errors import WorkshopError
from workshop.services import access, seminars
from workshop.services.participants import normalise_code
from workshop.ui import browser_state
from workshop.ui.access import (
    browser_id,
    client_address,
    grant_facilitator,
    opened_before,
    staff_identity,
    wait_after_refusal,
)
from workshop.i18n import colon
from workshop.ui.common import (
    db,
    error_text,
    lang,
    language_switch,
    page_setup,
    tr,
)

LOCAL_ADMIN_ENV = "WORKSHOP_LOCAL_ADMIN"
_PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
_own: tuple[float, frozenset[str]] = (0.0, frozenset())


def _own_addresses() -> frozenset[str]:
    """This machine's addresses (cached a minute: the hotspot may come up after the server)."""
    global _own
    stamp, addresses = _own
    if time.monotonic() - stamp > 60:
        try:
            import ifaddr

            addresses = frozenset(str(ip.ip).split("%")[0] for adapter in ifaddr.get_adapters()
                                  for ip in adapter.ips if isinstance(ip.ip, str))
        except Exception:  # no interface list: loopback only
            addresses = frozenset()
        _own = (time.monotonic(), addresses)
    return addresses


def is_local_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or str(address) in _own_addresses()


def is_local_browser() -> bool:
    """Is this page open on the computer that runs the server?"""
    if os.environ.get(LOCAL_ADMIN_ENV, "1").strip().lower() in ("0", "off", "no", "false"):
        return False
    try:
        request = ui.context.client.request
    except (AttributeError, RuntimeError):
        return False
    if any(name in request.headers for name in _PROXY_HEADERS):
        return False
    return request.client is not None and is_local_address(request.client.host)


def may_create() -> bool:
    """The laptop, a browser that gave the administration code, or a staff administrator."""
    if is_local_browser() or browser_state.get("admin") is True:
        return True
    staff = staff_identity()
    return staff is not None and staff.is_admin


def logged_in_ids() -> set[int]:
    return {int(sid) for sid in browser_state.get("facilitator_of", []) if str(sid).isdigit()}


# --- /animation -----------------------------------------------------------------------------


def facilitator_index() -> None:
    page_setup(tr("ui.facilitator_area"))
    local = is_local_browser()
    mine = logged_in_ids()
    with ui.column().classes("w-full max-w-4xl mx-auto p-6 gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.label(tr("ui.seminars")).classes("text-3xl font-bold").props('role="heading" aria-level="1"')
            language_switch()
        ui.link(tr("console.new_seminar"), "/console/new").classes("text-lg text-blue-900 underline font-semibold")
        ui.link(tr("staff.account_login_link"), "/staff").classes("text-blue-900 underline").mark("staff-link")
        rows = seminars.list_seminars(db())
        if local:
            ui.label(tr("security.local_note")).classes("text-slate-700").mark("local-note")
        else:
            rows = [s for s in rows if s.id in mine]
            ui.label(tr("security.my_seminars")).classes("text-2xl font-semibold").props(
                'role="heading" aria-level="2"')
        if not rows:
            ui.label(tr("app.no_seminars") if local else tr("security.none_yet")).classes("text-slate-700")
        for s in rows:
            _seminar_card(s, logged_in=s.id in mine)
        if not local:
            connect_form()


def _seminar_card(s: seminars.SeminarSummary, *, logged_in: bool) -> None:
    with ui.card().classes("w-full").props("flat bordered").mark(f"seminar-{s.id}"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.label(s.title).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
            if logged_in:
                ui.label(tr("security.logged_in")).classes(
                    "text-sm font-semibold text-white bg-green-800 rounded px-2")
        ui.label(f"{s.territory} · {tr('app.horizon')} {s.horizon_year}").classes("text-slate-700")
        said = colon(lang())
        ui.label(
            f"{tr('app.participants')}{said}{s.participants} · {tr('app.cards')}{said}{s.cards} · "
            f"{tr('app.current_activity')}{said}{s.current_activity or tr('app.none_open')}"
        ).classes("text-slate-700")
        with ui.row():
            ui.link(tr("ui.open_console"), f"/console/{s.id}").classes("text-blue-900 underline")
            ui.link(tr("ui.open_screen"), f"/screen/{s.id}").classes("text-blue-900 underline")
            ui.link(tr("room.console.report_link"), f"/console/{s.id}/report").classes(
                "text-blue-900 underline").mark("report-link")
            if logged_in:
                ui.link(tr("ui.logout"), f"/console/{s.id}/logout").classes("text-blue-900 underline")


def connect_form() -> None:
    """Open a seminar from another device: its join code and its facilitator code."""
    with ui.card().classes("w-full max-w-xl p-6 gap-3").props("flat bordered"):
        ui.label(tr("security.connect_title")).classes("text-2xl font-semibold").props(
            'role="heading" aria-level="2"')
        ui.label(tr("security.connect_help")).classes("text-slate-700")
        code = ui.input(tr("security.join_code_label")).props(
            'outlined autocapitalize="characters" autocomplete="off" maxlength=16').classes("w-full").mark(
            "connect-code")
        secret = ui.input(tr("security.secret_label"), password=True, password_toggle_button=True).props(
            'outlined autocomplete="current-password" maxlength=200').classes("w-full").mark("connect-secret")
        error = ui.label().classes("text-red-800 font-semibold").props('role="alert"').mark("connect-error")
        error.set_visibility(False)

        async def submit() -> None:
            address, browser, known = client_address(), browser_id(), opened_before()
            try:  # off the loop: checking the secret costs some 40 ms of CPU
                seminar_id = await run.io_bound(access.connect_by_code, db(), normalise_code(str(code.value or "")),
                                                secret.value or "", client=address, browser=browser, known=known)
                problem = None if isinstance(seminar_id, int) else tr("error.server_stopping")  # check not run
            except WorkshopError as exc:
                await wait_after_refusal(exc)
                problem = error_text(exc)
            if problem is not None:
                secret.set_value("")
                error.set_text(problem)
                error.set_visibility(True)
                return
            grant_facilitator(seminar_id)
            await browser_state.saved()
            ui.navigate.to(f"/console/{seminar_id}")

        secret.on("keydown.enter", submit)
        ui.button(tr("security.connect_button"), on_click=submit).props(
            "unelevated size=lg no-caps color=primary").classes("w-full").mark("connect")


# --- /console/new --------------------------------------------------------------------------


def creation_gate(page: Callable[[], None]) -> Callable[[], None]:
    """``page`` for the laptop and for browsers that gave the administration code; else the code form."""

    def gated() -> None:
        if may_create():
            page()
            return
        admin_form()

    gated.__name__ = getattr(page, "__name__", "gated")
    return gated


def admin_form() -> None:
    page_setup(tr("security.admin_title"))
    with ui.column().classes("w-full max-w-md mx-auto p-6 gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link("← " + tr("ui.facilitator_area"), "/animation").classes("text-blue-900 underline")
            language_switch()
        with ui.card().classes("w-full p-6 gap-4").props("flat bordered"):
            ui.label(tr("security.admin_title")).classes("text-2xl font-bold").props(
                'role="heading" aria-level="1"')
            ui.label(tr("security.admin_help")).classes("text-slate-700")
            secret = ui.input(tr("security.admin_label"), password=True, password_toggle_button=True).props(
                'outlined autofocus autocomplete="off" maxlength=200').classes("w-full").mark("admin-secret")
            error = ui.label().classes("text-red-800 font-semibold").props('role="alert"').mark("admin-error")
            error.set_visibility(False)

            async def submit() -> None:
                try:
                    access.check_admin(secret.value or "", client=client_address(), browser=browser_id(),
                                       known=bool(browser_state.get("admin_before")))
                except WorkshopError as exc:
                    await wait_after_refusal(exc)
                    secret.set_value("")
                    error.set_text(error_text(exc))
                    error.set_visibility(True)
                    return
                browser_state.put("admin", True)
                browser_state.put("admin_before", True)  # its own throttle bucket from now on
                await browser_state.saved()
                ui.navigate.reload()

            secret.on("keydown.enter", submit)
            ui.button(tr("security.admin_button"), on_click=submit).props(
                "unelevated size=lg no-caps color=primary").classes("w-full").mark("admin-submit")
