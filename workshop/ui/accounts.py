"""Staff pages: log in with a personal account, the staff area, and the accounts page.

- ``/staff/login``: e-mail address and password (throttled like facilitator codes). The
  session token is kept in this browser's server-side storage, never sent to the browser.
- ``/staff``: who is logged in, the seminars the account may run or read, log out (here or
  on every device).
- ``/staff/accounts``: administrators create, disable and remove accounts and assign
  facilitators to seminars. Every action checks again that the session is an administrator's.

Rights themselves are decided in ``workshop.services.accounts`` and, for pages, through
``is_facilitator`` / ``may_read`` in ``workshop.ui.access``.
"""

from __future__ import annotations

import re

from nicegui import run, ui

from workshop.errors import Forbidden, Invalid, WorkshopError
from workshop.models import StaffRole
from workshop.services import accounts, seminars
from workshop.ui import browser_state
from workshop.ui.access import (
    STAFF_SESSION_KEY,
    client_address,
    logout_staff,
    staff_identity,
)
from workshop.ui.common import (
    db,
    error_text,
    language_switch,
    named_dialog,
    page_setup,
    show_error,
    tr,
)

# Where the login may send the browser next: local pages of the app only (no open redirect).
_NEXT = re.compile(r"^/(?:(?:console|screen)/\d{1,9}(?:/report)?|staff(?:/synthesis|/accounts)?|console/new)$")


def safe_next(target: str | None) -> str:
    return target if isinstance(target, str) and _NEXT.match(target) else "/staff"


def _header(title: str) -> None:
    with ui.row().classes("w-full items-center justify-between"):
        ui.link("← " + tr("ui.facilitator_area"), "/animation").classes("text-blue-900 underline")
        language_switch()
    ui.label(title).classes("text-3xl font-bold").props('role="heading" aria-level="1"')


def _role_name(role: StaffRole) -> str:
    return tr(f"role.{role.value}")


# --- /staff/login --------------------------------------------------------------------------


def login_page(next: str = "") -> None:  # noqa: A002 - the query parameter's name
    page_setup(tr("staff.login_title"))
    target = safe_next(next)
    with ui.column().classes("w-full max-w-md mx-auto p-6 gap-4"):
        _header(tr("staff.login_title"))
        staff = staff_identity()
        if staff is not None:
            ui.label(tr("staff.signed_in_as", email=staff.email, role=_role_name(staff.role))).mark("staff-signed-in")
            ui.link(tr("staff.home_title"), target).classes("text-blue-900 underline")
            return
        with ui.card().classes("w-full p-6 gap-4").props("flat bordered"):
            ui.label(tr("staff.login_help")).classes("text-slate-700")
            email = ui.input(tr("staff.email_label")).props(
                'outlined autofocus type=email autocomplete="username" maxlength=254').classes("w-full").mark(
                "staff-email")
            password = ui.input(tr("staff.password_label"), password=True, password_toggle_button=True).props(
                'outlined autocomplete="current-password" maxlength=200').classes("w-full").mark("staff-password")
            error = ui.label().classes("text-red-800 font-semibold").props('role="alert"').mark("staff-error")
            error.set_visibility(False)

            async def submit() -> None:
                address = client_address()
                try:  # off the event loop: Argon2 takes some 0.3 s of CPU and 64 MiB
                    token = await run.io_bound(accounts.login, db(), email.value or "", password.value or "",
                                               client=address)
                    problem = None if isinstance(token, str) else tr("error.server_stopping")
                except WorkshopError as exc:
                    problem = error_text(exc)
                if problem is not None:
                    password.set_value("")
                    error.set_text(problem)
                    error.set_visibility(True)
                    return
                browser_state.put(STAFF_SESSION_KEY, token)
                await browser_state.saved()
                ui.navigate.to(target)

            password.on("keydown.enter", submit)
            ui.button(tr("staff.login_button"), on_click=submit).props(
                "unelevated size=lg no-caps color=primary").classes("w-full").mark("staff-login")


async def _logout(everywhere: bool) -> None:
    ended = logout_staff(everywhere=everywhere)
    await browser_state.saved()
    if everywhere:
        ui.notify(tr("staff.logged_out_everywhere", count=ended or 0), type="positive", position="top")
    ui.navigate.to("/staff/login")


# --- /staff ----------------------------------------------------------------------------------


def home_page() -> None:
    page_setup(tr("staff.home_title"))
    staff = staff_identity()
    if staff is None:
        ui.navigate.to("/staff/login?next=/staff")
        return
    rows = seminars.list_seminars(db())
    run_ids = [s for s in rows if staff.may_run(s.id)]
    read_ids = [s for s in rows if staff.may_read(s.id) and not staff.may_run(s.id)]
    with ui.column().classes("w-full max-w-4xl mx-auto p-6 gap-4").mark("staff-home"):
        _header(tr("staff.home_title"))
        ui.label(tr("staff.signed_in_as", email=staff.email, role=_role_name(staff.role))).classes(
            "text-lg").mark("staff-signed-in")
        ui.label(tr("staff.session_note")).classes("text-sm text-slate-700")
        with ui.row().classes("gap-3"):
            ui.button(tr("staff.logout"), icon="logout", on_click=lambda: _logout(False)).props(
                "outline no-caps color=primary").mark("staff-logout")
            ui.button(tr("staff.logout_everywhere"), icon="devices", on_click=lambda: _logout(True)).props(
                "outline no-caps color=primary").mark("staff-logout-everywhere")
        with ui.row().classes("gap-6"):
            ui.link(tr("staff.synthesis"), "/staff/synthesis").classes("text-blue-900 underline")
            if staff.is_admin:
                ui.link(tr("staff.accounts"), "/staff/accounts").classes("text-blue-900 underline").mark(
                    "accounts-link")
                ui.link(tr("staff.new_seminar"), "/console/new").classes("text-blue-900 underline")
        for heading, listed, runs in ((tr("staff.my_seminars_run"), run_ids, True),
                                      (tr("staff.my_seminars_read"), read_ids, False)):
            if not listed and not runs:
                continue
            ui.label(heading).classes("text-2xl font-semibold").props('role="heading" aria-level="2"')
            if not listed:
                ui.label(tr("staff.no_seminar")).classes("text-slate-700")
            for s in listed:
                with ui.card().classes("w-full").props("flat bordered").mark(f"staff-seminar-{s.id}"):
                    ui.label(f"{s.territory} — {s.title}").classes("text-xl font-semibold").props(
                        'role="heading" aria-level="3"')
                    with ui.row():
                        if runs:
                            ui.link(tr("staff.open_console"), f"/console/{s.id}").classes("text-blue-900 underline")
                            ui.link(tr("staff.open_screen"), f"/screen/{s.id}").classes("text-blue-900 underline")
                        ui.link(tr("staff.open_report"), f"/console/{s.id}/report").classes("text-blue-900 underline")


# --- /staff/accounts -----------------------------------------------------------------------


def _admin_or_refuse() -> accounts.StaffIdentity | None:
    """The administrator behind this action, or None after saying why (checked at every click)."""
    staff = staff_identity()
    if staff is not None and staff.is_admin:
        return staff
    show_error(Forbidden("staff_session_over" if staff is None else "staff_admin_only"))
    return None


async def _act(fn, *args, refresh=None, done: str | None = None) -> bool:
    if _admin_or_refuse() is None:
        return False
    try:
        await run.io_bound(fn, db(), *args)
    except WorkshopError as exc:
        show_error(exc)
        return False
    ui.notify(done or tr("staff.saved"), type="positive", position="top")
    if refresh is not None:
        refresh()
    return True


def accounts_page() -> None:
    page_setup(tr("staff.accounts_title"))
    staff = staff_identity()
    if staff is None:
        ui.navigate.to("/staff/login?next=/staff/accounts")
        return
    with ui.column().classes("w-full max-w-4xl mx-auto p-6 gap-4"):
        _header(tr("staff.accounts_title"))
        if not staff.is_admin:
            ui.label(tr("staff.forbidden")).classes("text-xl").props('role="alert"').mark("staff-forbidden")
            return
        ui.label(tr("staff.accounts_help")).classes("text-slate-700")
        ui.link("← " + tr("staff.home_title"), "/staff").classes("text-blue-900 underline")
        titles = {s.id: f"{s.territory} — {s.title}" for s in seminars.list_seminars(db())}

        @ui.refreshable
        def listing() -> None:
            for account in accounts.list_accounts(db()):
                _account_card(account, titles, listing.refresh)

        _create_form(listing.refresh)
        listing()


def _create_form(refresh) -> None:
    with ui.card().classes("w-full p-5 gap-3").props("flat bordered"):
        ui.label(tr("staff.create_title")).classes("text-2xl font-semibold").props('role="heading" aria-level="2"')
        email = ui.input(tr("staff.email_label")).props(
            'outlined type=email autocomplete="off" maxlength=254').classes("w-full").mark("account-email")
        role = ui.select({r.value: tr(f"role.{r.value}") for r in StaffRole}, value=StaffRole.FACILITATOR.value,
                         label=tr("staff.role_label")).props("outlined").classes("w-full").mark("account-role")
        password = ui.input(tr("staff.password_label"), password=True, password_toggle_button=True).props(
            'outlined autocomplete="new-password" maxlength=200').classes("w-full").mark("account-password")
        again = ui.input(tr("staff.password_again_label"), password=True, password_toggle_button=True).props(
            'outlined autocomplete="new-password" maxlength=200').classes("w-full").mark("account-password-again")
        ui.label(tr("error.password_too_short", min=accounts.MIN_PASSWORD)).classes("text-sm text-slate-700")

        async def create() -> None:
            if (password.value or "") != (again.value or ""):
                show_error(Invalid("passwords_differ"))
                return
            if await _act(accounts.create_account, email.value or "", role.value, password.value or "",
                          refresh=refresh, done=tr("staff.created", email=(email.value or "").strip().lower())):
                email.set_value("")
                password.set_value("")
                again.set_value("")

        ui.button(tr("staff.create_button"), icon="person_add", on_click=create).props(
            "unelevated no-caps color=primary").mark("account-create")


def _account_card(account: accounts.AccountInfo, titles: dict[int, str], refresh) -> None:
    aid = account.id
    with ui.card().classes("w-full p-4 gap-2").props("flat bordered").mark(f"account-{aid}"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.label(account.email).classes("text-xl font-semibold break-all").props('role="heading" aria-level="2"')
            status = tr("staff.active") if account.active else tr("staff.disabled")
            ui.label(f"{_role_name(account.role)} · {status}").classes("text-slate-700").mark(f"account-status-{aid}")
        with ui.row().classes("gap-2"):
            if account.active:
                ui.button(tr("staff.disable"), on_click=lambda: _act(accounts.set_active, aid, False, refresh=refresh)
                          ).props("outline no-caps color=primary").mark(f"disable-{aid}")
            else:
                ui.button(tr("staff.enable"), on_click=lambda: _act(accounts.set_active, aid, True, refresh=refresh)
                          ).props("outline no-caps color=primary").mark(f"enable-{aid}")
            ui.button(tr("staff.end_sessions"), on_click=lambda: _act(accounts.end_sessions, aid, refresh=refresh)
                      ).props("outline no-caps color=primary").mark(f"sessions-{aid}")
            ui.button(tr("staff.new_password"), on_click=lambda: _password_dialog(account, refresh)).props(
                "outline no-caps color=primary").mark(f"password-{aid}")
            ui.button(tr("staff.remove"), on_click=lambda: _confirm_remove(account, refresh)).props(
                "outline no-caps color=negative").mark(f"remove-{aid}")
        if account.role is not StaffRole.FACILITATOR:
            return
        ui.label(tr("staff.assigned")).classes("font-semibold")
        if not account.seminar_ids:
            ui.label(tr("staff.none_assigned")).classes("text-slate-700")
        with ui.row().classes("gap-2"):
            for sid in account.seminar_ids:
                title = titles.get(sid, tr("security.seminar_number", id=sid))
                ui.button(title, icon="close", on_click=lambda s=sid: _act(accounts.unassign, aid, s, refresh=refresh)
                          ).props(f'outline no-caps dense aria-label="{tr("staff.unassign", title=title)}"').mark(
                    f"unassign-{aid}-{sid}")
        free = {sid: t for sid, t in titles.items() if sid not in account.seminar_ids}
        if free:
            with ui.row().classes("items-center gap-2 w-full"):
                choice = ui.select(free, label=tr("staff.assign_label")).props("outlined dense").classes(
                    "grow").mark(f"assign-select-{aid}")

                async def assign_chosen() -> None:
                    if choice.value is not None:
                        await _act(accounts.assign, aid, int(choice.value), refresh=refresh)

                ui.button(tr("staff.assign_button"), on_click=assign_chosen).props(
                    "unelevated no-caps color=primary").mark(f"assign-{aid}")


def _password_dialog(account: accounts.AccountInfo, refresh) -> None:
    """An administrator sets a new password (forgotten, or to hand over); the account's sessions end."""
    with named_dialog() as dialog, ui.card().classes("p-6 gap-3 w-full max-w-md"):
        ui.label(tr("staff.new_password_for", email=account.email)).classes("text-lg font-semibold").props(
            'role="heading" aria-level="2"')
        password = ui.input(tr("staff.password_label"), password=True, password_toggle_button=True).props(
            'outlined autocomplete="new-password" maxlength=200').classes("w-full").mark("new-password")
        again = ui.input(tr("staff.password_again_label"), password=True, password_toggle_button=True).props(
            'outlined autocomplete="new-password" maxlength=200').classes("w-full").mark("new-password-again")
        with ui.row().classes("gap-3 justify-end w-full"):
            ui.button(tr("staff.cancel"), on_click=dialog.close).props("flat no-caps")

            async def save() -> None:
                if (password.value or "") != (again.value or ""):
                    show_error(Invalid("passwords_differ"))
                    return
                if await _act(accounts.set_password, account.id, password.value or "", refresh=refresh):
                    dialog.close()

            ui.button(tr("staff.save_password"), on_click=save).props("unelevated no-caps color=primary").mark(
                f"save-password-{account.id}")
    dialog.open()


def _confirm_remove(account: accounts.AccountInfo, refresh) -> None:
    with named_dialog() as dialog, ui.card().classes("p-6 gap-4"):
        ui.label(tr("staff.confirm_remove", email=account.email)).classes("text-lg").props(
            'role="heading" aria-level="2"')
        with ui.row().classes("gap-3 justify-end w-full"):
            ui.button(tr("staff.cancel"), on_click=dialog.close).props("flat no-caps")

            async def remove() -> None:
                dialog.close()
                await _act(accounts.remove_account, account.id, refresh=refresh,
                           done=tr("staff.removed", email=account.email))

            ui.button(tr("staff.remove"), on_click=remove).props("unelevated no-caps color=negative").mark(
                f"confirm-remove-{account.id}")
    dialog.open()


def register() -> None:
    ui.page("/staff/login")(login_page)
    ui.page("/staff")(home_page)
    ui.page("/staff/accounts")(accounts_page)
