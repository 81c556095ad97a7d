"""What every page shares: language, translation, error display, styles. Who may open which
page (facilitator codes, staff sessions, a tablet's device token) is ``workshop.ui.access``.

Pages call services through ``call()``, which runs them off the event loop and turns a
``WorkshopError`` into a French (or English) notification instead of a crash.
On the live pages (console, tablet) a handler that awaits one is decorated with ``in_page``:
what it shows after still reaches its page when a live refresh redrew its button meanwhile.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from nicegui import run, ui

from workshop.db import Database, get_database
from workshop.errors import Forbidden, WorkshopError
from workshop.figures.style import COLLEGE_COLORS, FONT_STACK, KIND_COLORS  # one palette for pages and figures
from workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
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


def show_error(exc: WorkshopError, position: str = "top") -> None:
    ui.notify(error_text(exc), type="negative", position=position, multi_line=True, timeout=6000)


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
/* the banner pushes the page down instead of hiding its top (who the participant is): OFFLINE_JS
   keeps --offline-banner at its height */
body.is-offline {{ padding-top: var(--offline-banner, 0px); }}
/* and on a scrolled page, what comes into view (a button reached with the keyboard, a card scrolled
   to) stops below it, not under it (0 when the banner is hidden) */
html {{ scroll-padding-top: var(--offline-banner, 0px); }}
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
    var banner = document.querySelector('.offline-banner');
    if (banner && !banner.v21sized && window.ResizeObserver) {  // its height, for the page's top (BASE_CSS)
      banner.v21sized = true;
      new ResizeObserver(function () {
        document.documentElement.style.setProperty('--offline-banner', banner.offsetHeight + 'px');
      }).observe(banner);
    }
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
  window.addEventListener('online', function () { last = Date.now() - SILENCE_MS + 500; restart(); });
  // The network is back: a connection attempt begun without it is started again now. socket.io
  // would wait for its next try (up to 7.5 s), or, for an attempt the outage caught while it was
  // opening (a page loaded just before), for its 20 s timeout, the banner on and the taps held all
  // along. The restart sends the message count NiceGUI's own reconnection sends (its
  // ``reconnect_attempt`` handler), so that the server resends what the page missed.
  function restart() {
    var socket = window.socket;
    if (!socket || socket.connected) { return; }
    if (socket.io && socket.io.opts && socket.io.opts.query) {
      socket.io.opts.query.next_message_id = window.nextMessageId;
    }
    socket.disconnect();
    socket.connect();
  }
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
    ui.add_css(BASE_CSS + MODAL_CSS + LANGUAGE_TOUCH_CSS)
    ui.add_body_html(offline_js() + MODAL_JS)
    ui.html(f'<div class="offline-banner" role="status">{tr("ui.offline")}'
            '<span class="offline-note" hidden></span></div>', sanitize=False)
    # <html lang> says the page's language (screen readers' voice, the browser's offer to translate).
    # Quasar writes its own language pack's (French) there as the page's app starts, after this script:
    # written again once the document is parsed (module scripts, hence the app, have run by then).
    ui.add_body_html(f'<script>(() => {{ const set = () => {{ document.documentElement.lang = "{lang()}"; }}; '
                     "set(); document.addEventListener('DOMContentLoaded', set); })();</script>")


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


def language_switch(touch: bool = False) -> None:
    """FR | EN toggle; the page reloads in the chosen language. ``touch``: the participants' pages
    (home, join form, tablet), held in a hand: one framed pill of two 44 px keys (LANGUAGE_TOUCH_CSS),
    as tablet/join_form.js draws it; the console and the staff pages keep the small buttons."""
    current = lang()
    row = ui.row().classes("gap-1 items-center no-wrap shrink-0" + (" lang-touch" if touch else ""))
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
# The participants' switch (language_switch(touch=True), join_form.js): a finger-sized key for each
# language (44 px, WCAG 2.5.5) in one frame, 90 px wide; the tablet's 48 px boxes with a gap were 110 px
# of a 390 px phone's header, pushing the seminar's title and the participant's name onto more lines.
LANGUAGE_TOUCH_CSS = f"""
.lang-touch {{ gap: 0 !important; border: 1px solid {BRAND}; border-radius: 10px; overflow: hidden; background: #fff; }}
.lang-touch .q-btn {{ min-width: 44px !important; min-height: 44px !important; padding: 0 8px !important;
  border-radius: 0; font-size: .9375rem; font-weight: 600; }}
.lang-touch .q-btn:not(.bg-primary) {{ color: {BRAND}; }}
"""


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


def public_address(request, path: str) -> str:
    """The address people in the room open for ``path``: WORKSHOP_PUBLIC_URL if set, else this
    server on the LAN (a page opened on the laptop as localhost gives the laptop's LAN address)."""
    from workshop import config

    base = config.public_url()
    if not base:
        host = request.url.hostname or "localhost"
        if host in ("localhost", "127.0.0.1", "::1"):
            host = lan_address() or host
        port = request.url.port
        base = f"{request.url.scheme}://{host}" + (f":{port}" if port and port not in (80, 443) else "")
    return f"{base.rstrip('/')}{path}"


def join_url(request, code: str) -> str:
    """The address tablets open to join."""
    return public_address(request, f"/join/{code}")


def forbidden_page() -> None:
    ui.label(tr("ui.forbidden")).classes("text-2xl p-8")


__all__ = ["COLLEGE_COLORS", "KIND_COLORS", "Forbidden", "call", "call_now", "db", "lang", "tr"]
