"""Who may open which page, and act on it, kept apart from what every page shares (common.py).

A facilitator page opens for a browser that gave the seminar's facilitator code, or whose staff
session (a personal account) may run the seminar; the report page also for one that may read
it. Every event handler on a protected page asks again (``facilitator_guard``, installed by
``workshop.ui.socket_guard``), so a tab left open after a logout does nothing. A tablet is
recognised by the device token this browser remembers for each seminar it joined.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nicegui import app, run, storage, ui

from workshop.errors import WorkshopError
from workshop.i18n import translate
from workshop.services import access, accounts
from workshop.ui import browser_state
from workshop.ui.common import db, error_text, lang, tr


# --- facilitator access -----------------------------------------------------------------


STAFF_SESSION_KEY = "staff_session"  # this browser's staff session token (server-side storage)


def code_granted(seminar_id: int) -> bool:
    """Did this browser give the seminar's facilitator code (or create the seminar)?"""
    try:
        return str(seminar_id) in browser_state.get("facilitator_of", [])
    except (AssertionError, RuntimeError):  # outside a page: no browser, no right
        return False


def staff_identity() -> accounts.StaffIdentity | None:
    """The staff account this browser is logged in with, if its session is still valid."""
    try:
        token = browser_state.get(STAFF_SESSION_KEY)
    except (AssertionError, RuntimeError):
        return None
    return accounts.identity(db(), token) if token else None


def _seminar_number(seminar_id: int | str) -> int | None:
    try:
        return int(seminar_id)
    except (TypeError, ValueError):
        return None


def is_facilitator(seminar_id: int) -> bool:
    """May this browser run this seminar? The one decision for every facilitator page and action:
    granted by the seminar's facilitator code (guests, laptop mode) OR by a staff account allowed
    to run it (an administrator, or a facilitator assigned to it)."""
    if code_granted(seminar_id):
        return True
    number = _seminar_number(seminar_id)
    staff = staff_identity() if number is not None else None
    return staff is not None and staff.may_run(number)


def may_read(seminar_id: int, staff: accounts.StaffIdentity | None | bool = True) -> bool:
    """May this browser read the seminar's reports (and compare it in a synthesis)?

    Whoever may run it, and readers and administrators. ``staff``: the identity already read
    (pages that check many seminars read it once), or True to read it here.
    """
    if code_granted(seminar_id):
        return True
    number = _seminar_number(seminar_id)
    if number is None:
        return False
    identity = staff_identity() if staff is True else staff
    return isinstance(identity, accounts.StaffIdentity) and identity.may_read(number)


def client_address() -> str:
    """The browser's address (for throttling guesses); "local" outside a page (tests, scripts)."""
    try:
        return ui.context.client.ip or "local"
    except (AttributeError, RuntimeError):
        return "local"


def grant_facilitator(seminar_id: int) -> None:
    granted = set(browser_state.get("facilitator_of", []))
    granted.add(str(seminar_id))
    browser_state.put("facilitator_of", sorted(granted))
    # Remembered after logout too: this browser's later logins count in its own throttle bucket,
    # not its address's (access.login_key), so nobody on the same hotspot can lock it out.
    known = set(browser_state.get("opened_before", []))
    known.add(str(seminar_id))
    browser_state.put("opened_before", sorted(known))


def browser_id() -> str | None:
    try:
        value = app.storage.browser.get("id")
    except (AssertionError, RuntimeError, KeyError):
        return None
    return value if isinstance(value, str) else None


def opened_before() -> set[int]:
    """The seminars this browser logged into before (even if it logged out since)."""
    return {int(s) for s in browser_state.get("opened_before", []) if str(s).isdigit()}


async def wait_after_refusal(exc: WorkshopError) -> None:
    """A wrong code is answered slowly (services/access.py says how slowly), off the event loop."""
    delay = exc.params.get("delay")
    if isinstance(delay, (int, float)) and delay > 0:
        await asyncio.sleep(delay)


async def facilitator_login_error(seminar_id: int, secret: str) -> str | None:
    """Log this browser in as the seminar's facilitator; the French message if refused, else None.

    Wrong secrets are throttled per address, or per browser once it opened this seminar before,
    and answered slowly (services/access.py). The check (scrypt, some 40 ms of CPU) runs off the
    event loop: a login must not stall the room's votes.
    """
    address, browser, known = client_address(), browser_id(), opened_before()

    def check() -> bool:
        access.facilitator_login(db(), seminar_id, secret, client=address, browser=browser, known=known)
        return True

    try:
        # True only from a check that ran: a stopping server's io_bound gives None without running it.
        granted = await run.io_bound(check) is True
    except WorkshopError as exc:
        await wait_after_refusal(exc)
        return error_text(exc)
    if not granted:
        return tr("error.server_stopping")
    grant_facilitator(seminar_id)
    await browser_state.saved()
    return None


async def login_facilitator(seminar_id: int, secret: str) -> bool:
    return await facilitator_login_error(seminar_id, secret) is None


def logout_staff(*, everywhere: bool = False) -> int:
    """End this browser's staff session (or every session of its account); how many ended."""
    try:
        token = browser_state.pop(STAFF_SESSION_KEY, None)
    except (AssertionError, RuntimeError):
        return 0
    return accounts.logout(db(), token, everywhere=everywhere) if token else 0


def logout_facilitator(seminar_id: int) -> None:
    granted = set(browser_state.get("facilitator_of", []))
    granted.discard(str(seminar_id))
    browser_state.put("facilitator_of", sorted(granted))
    _close_protected_tabs(seminar_id)


def require_facilitator(seminar_id: int, next_path: str | None = None) -> bool:
    """On a protected page: True if allowed, else send the browser to the login page (and back after).

    An allowed page is also marked as this seminar's: from then on every event handler on it
    checks the right again (``facilitator_guard``), so a tab left open after a logout does nothing.
    """
    if is_facilitator(seminar_id):
        guard_page(seminar_id)
        return True
    ui.navigate.to(f"/console/{seminar_id}/login" + (f"?next={next_path}" if next_path else ""))
    return False


_GUARD = "v21_facilitator_of"  # attribute set on the NiceGUI client of a protected page: (seminar, check)


def guard_page(seminar_id: int, check: Callable[[int], bool] | None = None) -> None:
    """Mark this page as the seminar's: every event handler on it asks ``check`` (by default
    ``is_facilitator``; ``may_read`` for the report page) again before it runs."""
    setattr(ui.context.client, _GUARD, (seminar_id, check or is_facilitator))


def facilitator_guard(client: Any) -> bool:
    """Before any event handler runs (workshop.ui.socket_guard): may it run on this page?

    True for every page but the protected ones; on those, True while this browser is still the
    seminar's facilitator (``is_facilitator``). Else the tab is told in French and sent to the
    login page, once, and the handler does not run: no extension, no save, no download.
    """
    guarded = getattr(client, _GUARD, None)
    if guarded is None:
        return True
    seminar_id, check = guarded
    token = storage.request_contextvar.set(client.request)
    try:
        if check(seminar_id):
            return True
    except (AssertionError, RuntimeError, KeyError):
        pass  # no browser storage any more: not allowed
    finally:
        storage.request_contextvar.reset(token)
    if not getattr(client, "v21_sent_to_login", False):
        client.v21_sent_to_login = True
        with client:
            ui.notify(translate("security.logged_out", _client_lang(client)), type="warning",
                      position="top", timeout=6000)
            ui.navigate.to(f"/console/{seminar_id}/login")
    return False


def _client_lang(client: Any) -> str:
    token = storage.request_contextvar.set(client.request)
    try:
        return lang()
    finally:
        storage.request_contextvar.reset(token)


def _close_protected_tabs(seminar_id: int) -> None:
    """Logout: this browser's other open tabs of the seminar (in this process) go to the login page."""
    try:
        browser = app.storage.browser.get("id")
    except (AssertionError, RuntimeError):
        return
    from nicegui import Client

    for client in list(Client.instances.values()):
        if (getattr(client, _GUARD, None) or (None,))[0] != seminar_id or client is _current_client():
            continue
        session = getattr(getattr(client, "request", None), "session", None) or {}
        if browser is not None and session.get("id") == browser:
            facilitator_guard(client)


def _current_client() -> Any:
    try:
        return ui.context.client
    except (AttributeError, RuntimeError):
        return None


# --- participant identity -------------------------------------------------------------


def device_token(seminar_id: int) -> str | None:
    return browser_state.get("devices", {}).get(str(seminar_id))


def remember_device(seminar_id: int, token: str) -> None:
    devices = dict(browser_state.get("devices", {}))
    devices[str(seminar_id)] = token
    browser_state.put("devices", devices)


def forget_device(seminar_id: int) -> None:
    devices = dict(browser_state.get("devices", {}))
    devices.pop(str(seminar_id), None)
    browser_state.put("devices", devices)
