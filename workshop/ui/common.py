"""What every page shares: language, translation, error display, facilitator login, styles.

Pages call services through ``call()``, which runs them off the event loop and turns a
``WorkshopError`` into a French (or English) notification instead of a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from nicegui import app, run, ui

from workshop.db import Database, get_database
from workshop.errors import Forbidden, WorkshopError
from workshop.figures.style import KIND_COLORS  # one palette for pages and figures
from workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from workshop.services import access

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
        value = app.storage.user.get("lang", DEFAULT_LANGUAGE)
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


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a service off the event loop; show its error to the user and return None on failure."""
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


def is_facilitator(seminar_id: int) -> bool:
    return str(seminar_id) in app.storage.user.get("facilitator_of", [])


def client_address() -> str:
    """The browser's address (for throttling guesses); "local" outside a page (tests, scripts)."""
    try:
        return ui.context.client.ip or "local"
    except (AttributeError, RuntimeError):
        return "local"


def grant_facilitator(seminar_id: int) -> None:
    granted = set(app.storage.user.get("facilitator_of", []))
    granted.add(str(seminar_id))
    app.storage.user["facilitator_of"] = sorted(granted)


async def facilitator_login_error(seminar_id: int, secret: str) -> str | None:
    """Log this browser in as the seminar's facilitator; the French message if refused, else None.

    Wrong secrets are throttled per address and per seminar (services/access.py). The check
    (scrypt, some 40 ms of CPU) runs off the event loop: a login must not stall the room's votes.
    """
    address = client_address()

    def check() -> bool:
        access.facilitator_login(db(), seminar_id, secret, client=address)
        return True

    try:
        # True only from a check that ran: a stopping server's io_bound gives None without running it.
        granted = await run.io_bound(check) is True
    except WorkshopError as exc:
        return error_text(exc)
    if not granted:
        return tr("error.server_stopping")
    grant_facilitator(seminar_id)
    return None


async def login_facilitator(seminar_id: int, secret: str) -> bool:
    return await facilitator_login_error(seminar_id, secret) is None


def logout_facilitator(seminar_id: int) -> None:
    granted = set(app.storage.user.get("facilitator_of", []))
    granted.discard(str(seminar_id))
    app.storage.user["facilitator_of"] = sorted(granted)


def require_facilitator(seminar_id: int, next_path: str | None = None) -> bool:
    """On a protected page: True if allowed, else send the browser to the login page (and back after)."""
    if is_facilitator(seminar_id):
        return True
    ui.navigate.to(f"/console/{seminar_id}/login" + (f"?next={next_path}" if next_path else ""))
    return False


# --- participant identity -------------------------------------------------------------


def device_token(seminar_id: int) -> str | None:
    return app.storage.user.get("devices", {}).get(str(seminar_id))


def remember_device(seminar_id: int, token: str) -> None:
    devices = dict(app.storage.user.get("devices", {}))
    devices[str(seminar_id)] = token
    app.storage.user["devices"] = devices


def forget_device(seminar_id: int) -> None:
    devices = dict(app.storage.user.get("devices", {}))
    devices.pop(str(seminar_id), None)
    app.storage.user["devices"] = devices


# --- page furniture ---------------------------------------------------------------------

BASE_CSS = f"""
:root {{ --ink: {INK}; --muted: {MUTED}; --brand: {BRAND}; }}
body {{ background: {PAPER}; color: {INK}; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }}
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
.nicegui-content {{ padding: 0; }}
"""

# NiceGUI reconnects by itself; this only tells people when it is trying.
OFFLINE_JS = """
<script>
(function () {
  function hook() {
    if (!window.socket) { return setTimeout(hook, 300); }
    window.socket.on('disconnect', function () { document.body.classList.add('is-offline'); });
    window.socket.on('connect', function () { document.body.classList.remove('is-offline'); });
  }
  hook();
})();
</script>
"""


def page_setup(title: str) -> None:
    """Head, styles and the offline banner, for every page."""
    ui.page_title(title)
    # Quasar's default light blue (3:1) and green (2.6:1) are too pale for white text.
    ui.colors(primary=BRAND, accent=ACCENT, positive="#15803d", negative="#b91c1c")
    ui.add_css(BASE_CSS)
    ui.add_body_html(OFFLINE_JS)
    ui.html(f'<div class="offline-banner" role="status">{tr("ui.offline")}</div>', sanitize=False)
    ui.add_body_html(f'<script>document.documentElement.lang = "{lang()}";</script>')


def language_switch() -> None:
    """FR | EN toggle; the page reloads in the chosen language."""

    def choose(value: str) -> None:
        app.storage.user["lang"] = value
        ui.navigate.reload()

    with ui.row().classes("gap-1 items-center").props('role="group" aria-label="Langue / Language"'):
        for code in LANGUAGES:
            # The chosen language is a filled button (a flat one would be white on white).
            button = ui.button(code.upper(), on_click=lambda c=code: choose(c)).props(
                "dense no-caps " + ("unelevated color=primary text-color=white" if code == lang() else "flat"))
            button.props(f'aria-pressed="{str(code == lang()).lower()}"')


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
    import os

    base = os.environ.get("WORKSHOP_PUBLIC_URL")
    if not base:
        host = request.url.hostname or "localhost"
        if host in ("localhost", "127.0.0.1", "::1"):
            host = lan_address() or host
        port = request.url.port
        base = f"{request.url.scheme}://{host}" + (f":{port}" if port and port not in (80, 443) else "")
    return f"{base.rstrip('/')}/join/{code}"


def forbidden_page() -> None:
    ui.label(tr("ui.forbidden")).classes("text-2xl p-8")


__all__ = ["KIND_COLORS", "Forbidden", "call", "call_now", "db", "lang", "tr"]
