"""What every page shares: language, translation, error display, facilitator login, styles.

Pages call services through ``call()``, which runs them off the event loop and turns a
``WorkshopError`` into a French (or English) notification instead of a crash.
On the live pages (console, tablet) a handler that awaits one is decorated with ``in_page``:
what it shows after still reaches its page when a live refresh redrew its button meanwhile.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from nicegui import app, run, storage, ui

from workshop.db import Database, get_database
from workshop.errors import Forbidden, WorkshopError
from workshop.figures.style import COLLEGE_COLORS, FONT_STACK, KIND_COLORS  # one palette for pages and figures
from workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from workshop.services import access, accounts
from workshop.ui import browser_state
from workshop.ui.modal import MODAL_CSS, MODAL_JS

T = TypeVar("T")

# Palette: text on background at least 7:1 (projector) or 4.5:1 (everything else).
INK = "#0f172a"        # slate-900
MUTED = "#334155"      # slate-700, 10:1 on white
BRAND = "#0b5394"      # deep blue, 8:1 on white
ACCENT = "#b45309"     # amber-700, 5:1 on white
PAPER = "#f8fafc"



def db() -> Database:
    return get_database()


def lang() -> str:
    try:
        value = browser_state.get("lang", DEFAULT_LANGUAGE)
    except (AssertionError, RuntimeError):
        return DEFAULT_LANGUAGE
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, **params: Any) -> str:
    """Translate for the current browser's language."""
    return translate(key, lang(), **params)


def clock_text(seconds: int) -> str:
    """How every countdown and elapsed time reads, on the projector and in the console (whose
    scripts write the same): 9:05, 1:14:59, +2:13 over time."""
    hours, rest = divmod(abs(int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return ("+" if seconds < 0 else "") + text


def error_text(exc: WorkshopError) -> str:
    return exc.message(lang())


def show_error(exc: WorkshopError) -> None:
    ui.notify(error_text(exc), type="negative", position="top", multi_line=True, timeout=6000)


A = TypeVar("A")


def in_page(handler: Callable[..., Awaitable[A]]) -> Callable[..., Awaitable[A]]:
    """For a click's (or a change's) handler that awaits a service, then shows something: the whole
    handler runs in its page's content (``with client:``), the client taken before any await.

    NiceGUI runs a handler in the slot of the element that fired it (the button's row) and sends a
    toast (``ui.notify``), a download, a navigation or a script to the client of the current slot's
    element. A live refresh that redraws the row while the handler waits for its service deletes
    that element, and what the handler sends next (success or refusal) reaches nobody: the
    facilitator clicks « Accepter » and sees nothing. Inside ``with client:`` the current slot is
    the page's content, which no refresh deletes. Whatever the handler builds without a container
    of its own (a dialog, a menu) lands there too, not next to the button.
    """
    @functools.wraps(handler)  # the same signature: NiceGUI still passes the event when it is asked for
    async def handle(*args: Any, **kwargs: Any) -> A:
        try:
            client = ui.context.client
        except RuntimeError:  # no element to start from (outside an event, or already deleted): as it is
            return await handler(*args, **kwargs)
        with client:
            return await handler(*args, **kwargs)

    return handle


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a service off the event loop; show its error to the user and return None on failure.

    On a live page, a handler that awaits it is decorated with ``in_page``: the error, and
    whatever it shows next, reach its page even if a live refresh deleted its button meanwhile."""
    try:
        return await run.io_bound(fn, *args, **kwargs)
    except WorkshopError as exc:
        show_error(exc)
        return None


def call_now(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Same as ``call`` for quick reads inside page building."""
    try:
        return fn(*args, **kwargs)
    except WorkshopError as exc:
        show_error(exc)
        return None


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


# --- page furniture ---------------------------------------------------------------------

BASE_CSS = f"""
:root {{ --ink: {INK}; --muted: {MUTED}; --brand: {BRAND}; }}
body, .q-field, .q-btn, .q-item, .q-menu {{ font-family: {FONT_STACK}; }}
body {{ background: {PAPER}; color: {INK}; }}
/* Quasar writes every button in capitals ("REJOINDRE"): every button reads as typed, like the others */
.q-btn {{ text-transform: none; }}
/* letters with accents above (É, À) keep their accent in a drop-down's value and its menu */
.q-select .q-field__native > span {{ line-height: 1.4; padding-top: 2px; overflow: visible; }}
.q-item__label {{ line-height: 1.4 !important; padding-top: 1px; }}
/* Quasar's important rules (.no-outline) sit in a cascade layer and beat unlayered !important;
   an !important in the first layer beats them, so keyboard focus stays visible everywhere. */
@layer theme {{
  :focus-visible {{ outline: 3px solid {ACCENT} !important; outline-offset: 2px !important; }}
  /* text fields show focus with their own highlighted border; a second box would cross the label */
  .q-field__native:focus-visible, .q-field input:focus-visible, .q-field textarea:focus-visible {{ outline: none !important; }}
}}
.offline-banner {{ position: fixed; top: 0; left: 0; right: 0; z-index: 9999; display: none;
  background: #7f1d1d; color: #fff; text-align: center; padding: .5rem; font-size: 1.1rem; }}
body.is-offline .offline-banner {{ display: block; }}
/* NiceGUI's own « Connexion perdue » popup says less than the banner above, in grey too pale to
   read (axe: 4.35:1 on white): the banner speaks for both */
#popup.nicegui-error-popup {{ display: none !important; }}
.offline-note {{ display: block; font-size: 1rem; font-weight: 600; }}
.offline-note[hidden] {{ display: none; }}
.nicegui-content {{ padding: 0; }}
"""

# NiceGUI reconnects by itself; this tells people, within about a second after a missed ping,
# when the server is out of reach: the server pings every socket each ``config.ping_seconds()``
# (1 s by default: "Connexion perdue" within about 2 s), so that silence plus one second, a
# closed socket or a browser that says it is offline all mean "Connexion perdue". A socket.io
# socket alone notices only after its ping timeout (20 s and more), which is how the banner used
# to miss most short outages. Other scripts (the tablet's) follow the state through the
# ``v21-connection`` event and ``window.v21online()``.
OFFLINE_JS = """
<script>
(function () {
  var SILENCE_MS = __SILENCE_MS__;
  var last = Date.now();
  var tick = Date.now();
  var online = true;
  function set(value) {
    if (value === online) { return; }
    online = value;
    document.body.classList.toggle('is-offline', !value);
    window.dispatchEvent(new CustomEvent('v21-connection', { detail: { online: value } }));
  }
  window.v21online = function () { return online; };
  function seen() {
    last = Date.now();
    if (window.socket && window.socket.connected && navigator.onLine) { set(true); }
  }
  function hook() {
    if (!window.socket || !window.socket.io) { return setTimeout(hook, 100); }
    window.socket.io.on('ping', seen);
    window.socket.onAny(seen);
    window.socket.on('connect', seen);
    window.socket.on('disconnect', function () { set(false); });
  }
  hook();
  window.addEventListener('offline', function () { set(false); });
  window.addEventListener('online', function () { last = Date.now() - SILENCE_MS + 500; });
  setInterval(function () {
    var now = Date.now();
    // This page itself was frozen (a busy or sleeping device): what arrived meanwhile may
    // still be queued behind this timer, so the silence is not the server's.
    if (now - tick > 1000) { last = Math.max(last, now - SILENCE_MS + 500); }
    tick = now;
    // Quasar's loading bar is a progressbar without a name: give it one (screen readers, axe)
    document.querySelectorAll('.q-loading-bar:not([aria-label])').forEach(function (bar) {
      bar.setAttribute('aria-label', document.documentElement.lang === 'en' ? 'Loading' : 'Chargement');
    });
    if (!window.socket || !window.did_handshake) { last = now; return; }
    if (!navigator.onLine || !window.socket.connected || now - last > SILENCE_MS) { set(false); }
  }, 250);
})();
</script>
"""


def offline_js() -> str:
    """OFFLINE_JS for this server's ping interval: silent for one second more than that is "lost"."""
    from workshop import config

    return OFFLINE_JS.replace("__SILENCE_MS__", str((config.ping_seconds() + 1) * 1000))


#: Quasar's default light blue (3:1) and green (2.6:1) are too pale for white text: every page
#: (tablet and console included, which add their own colours) starts from this palette.
PAGE_COLORS = {"primary": BRAND, "accent": ACCENT, "positive": "#15803d", "negative": "#b91c1c"}


def page_setup(title: str) -> None:
    """Head, styles and the offline banner, for every page."""
    ui.page_title(title)
    ui.colors(**PAGE_COLORS)
    ui.add_css(BASE_CSS + MODAL_CSS)
    ui.add_body_html(offline_js() + MODAL_JS)
    ui.html(f'<div class="offline-banner" role="status">{tr("ui.offline")}'
            '<span class="offline-note" hidden></span></div>', sanitize=False)
    ui.add_body_html(f'<script>document.documentElement.lang = "{lang()}";</script>')


def named_dialog() -> ui.dialog:
    """A dialog a screen reader names when it opens (axe rule aria-dialog-name): on opening it is
    labelled by the first heading inside it (``role="heading"``), so give every dialog one."""
    dialog = ui.dialog()
    dialog.on_value_change(lambda e: _name_after_heading(dialog) if e.value else None)
    return dialog


def _name_after_heading(dialog: ui.dialog) -> None:
    title = next((e for e in dialog.descendants() if e.props.get("role") == "heading"), None)
    if title is not None and dialog.props.get("aria-labelledby") != title.html_id:
        dialog.props["aria-labelledby"] = title.html_id
        dialog.update()


async def choose_language(value: str) -> None:
    """This browser's language from now on; the page reloads in it."""
    browser_state.put("lang", value)
    await browser_state.saved()  # the reloaded page may be built by another worker
    ui.navigate.reload()


def language_switch() -> None:
    """FR | EN toggle; the page reloads in the chosen language."""
    current = lang()
    row = ui.row().classes("gap-1 items-center no-wrap shrink-0")
    row.props.update(_SWITCH_GROUP)  # on every page: props as dicts, no string to parse
    with row:
        for code in LANGUAGES:
            # The chosen language is a filled button (a flat one would be white on white).
            button = ui.button(code.upper(), on_click=lambda c=code: choose_language(c))
            button.props.update(_SWITCH_CHOSEN if code == current else _SWITCH_OTHER)


LANGUAGE_GROUP_LABEL = "Langue / Language"
_SWITCH_GROUP = {"role": "group", "aria-label": LANGUAGE_GROUP_LABEL}
# tablet/join_form.js draws the same switch in the browser: a change here goes there too.
_SWITCH_CHOSEN = {"dense": True, "no-caps": True, "unelevated": True, "color": "primary", "text-color": "white",
                  "aria-pressed": "true"}
_SWITCH_OTHER = {"dense": True, "no-caps": True, "flat": True, "aria-pressed": "false"}


def lan_address() -> str | None:
    """The laptop's address on the room's network (hotspot), for the join QR code."""
    import ipaddress

    import ifaddr

    candidates = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str):
                address = ipaddress.ip_address(ip.ip)
                if not (address.is_loopback or address.is_link_local):
                    candidates.append((not address.is_private, ip.ip))
    return sorted(candidates)[0][1] if candidates else None


def join_url(request, code: str) -> str:
    """The address tablets open: WORKSHOP_PUBLIC_URL if set, else this server on the LAN."""
    from workshop import config

    base = config.public_url()
    if not base:
        host = request.url.hostname or "localhost"
        if host in ("localhost", "127.0.0.1", "::1"):
            host = lan_address() or host
        port = request.url.port
        base = f"{request.url.scheme}://{host}" + (f":{port}" if port and port not in (80, 443) else "")
    return f"{base.rstrip('/')}/join/{code}"


def forbidden_page() -> None:
    ui.label(tr("ui.forbidden")).classes("text-2xl p-8")


__all__ = ["COLLEGE_COLORS", "KIND_COLORS", "Forbidden", "call", "call_now", "db", "lang", "tr"]
