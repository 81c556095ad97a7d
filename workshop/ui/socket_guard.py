"""What a socket may send: its own page's events, well-formed, at a person's pace.

NiceGUI routes a socket message by the ``client_id`` written *in the message*, so a socket
that learned another page's id (a screenshot of the HTML, a shared link with the page open)
could click that page's buttons. And a malformed message raised inside the socket layer, where
python-socketio logged a full traceback for each one. This module wraps NiceGUI's socket.io
handlers (``install()``, idempotent), without touching NiceGUI's code:

- **bound to the socket**: ``event``, ``javascript_response``, ``ack`` and ``log`` messages are
  handled only when the sending socket did the handshake of the page they name (NiceGUI
  records each page's sockets at the handshake: ``_shook_hands``);
- **well-formed**: a message must be an object with the fields and types NiceGUI's page script
  sends; a text field (``ui.input``, ``ui.textarea``) only takes text or nothing;
- **paced**: at most ``SOCKET_BURST`` messages at once per connection, then ``SOCKET_PER_SECOND``;
- **quiet**: whatever is refused, and whatever still raises, is counted in ``refused`` (by
  reason) and logged at most once a minute (``ratelimit.QuietLog``), never a traceback each.

Written against NiceGUI 3.18 (``nicegui.nicegui`` registers ``sio.on('event')`` and friends);
``install`` refuses to wrap handlers it does not find, and tests/test_socket_guard.py drives
a real server with a raw python-socketio client.

It also installs the facilitator check on every event handler (``access.facilitator_guard``):
a console, screen or report tab opened before a logout does nothing any more.
"""

from __future__ import annotations

import collections
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import nicegui
from nicegui import core, events
from nicegui.client import Client
from nicegui.elements.input import Input

from workshop.services.ratelimit import QuietLog, RateLimiter

WRITTEN_FOR = "3.18."       # the NiceGUI version whose socket handlers and Client this wraps
SOCKET_BURST = 120          # a quick typist's keystrokes, a drag, a reconnection's replays
SOCKET_PER_SECOND = 30.0

log = logging.getLogger(__name__)
_quiet = QuietLog(log)
refused: collections.Counter[str] = collections.Counter()
PACE = RateLimiter("socket-events", burst=SOCKET_BURST, per_second=SOCKET_PER_SECOND)  # this process only
BOUND = ("event", "javascript_response", "ack", "log")
_installed: dict[str, Callable[..., Any]] = {}
_original_handle_event: Callable[..., None] | None = None


def _refuse(reason: str, sid: str) -> None:
    refused[reason] += 1
    _quiet.note("socket messages refused (last: %s from %s)", reason, sid)


def _is_json_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _well_formed(event: str, msg: Any) -> bool:
    if not isinstance(msg, dict) or not isinstance(msg.get("client_id"), str):
        return False
    if event == "event":
        return (isinstance(msg.get("id"), int) and not isinstance(msg.get("id"), bool)
                and isinstance(msg.get("listener_id"), str)
                and isinstance(msg.get("args", []), list) and all(_is_json_text(a) for a in msg.get("args", [])))
    if event == "javascript_response":
        return isinstance(msg.get("request_id"), str)
    if event == "ack":
        return isinstance(msg.get("next_message_id"), int) and not isinstance(msg.get("next_message_id"), bool)
    if event == "log":
        return msg.get("level") in ("debug", "info", "warning", "error") and isinstance(msg.get("message"), str)
    return True


def _text_field_takes(client: Client, msg: dict) -> bool:
    """A text field's new value must be text (or nothing): ``123`` or ``{}`` would reach code that expects a str."""
    sender = client.elements.get(msg["id"])
    if not isinstance(sender, Input):
        return True
    listener = sender._event_listeners.get(msg["listener_id"])  # noqa: SLF001 - NiceGUI 3.18's own lookup
    if listener is None:
        return False
    if listener.type != f"update:{sender.VALUE_PROP}":
        return True
    try:
        values = [None if a is None else json.loads(a) for a in msg.get("args", [])]
    except ValueError:
        return False
    return all(v is None or isinstance(v, str) for v in values)


def _shook_hands(sid: str, client_id: str) -> bool:
    """Did socket ``sid`` do the handshake of page ``client_id``? NiceGUI 3.18 keeps each page's
    sockets in ``Client._socket_to_document_id`` (filled by the handshake, emptied at disconnect):
    one dictionary lookup, where ``sio.rooms(sid)`` would walk every room of the server."""
    client = Client.instances.get(client_id)
    return client is not None and sid in client._socket_to_document_id  # noqa: SLF001


def _bound(event: str, handler: Callable[..., Any]) -> Callable[[str, Any], Any]:
    def guarded(sid: str, msg: Any = None, *rest: Any) -> Any:
        try:
            if not _well_formed(event, msg):
                _refuse(f"malformed {event}", sid)
                return None
            if not _shook_hands(sid, msg["client_id"]):  # not the page this socket shook hands for
                _refuse(f"{event} for another page", sid)
                return None
            if event != "ack" and PACE.take(sid):
                _refuse(f"{event} too fast", sid)
                return None
            if event == "event":
                client = Client.instances.get(msg["client_id"])
                if client is not None and not _text_field_takes(client, msg):
                    _refuse("wrong value type", sid)
                    return None
            return handler(sid, msg, *rest)
        except Exception:  # noqa: BLE001 - counted and logged quietly, never a traceback per message
            _refuse(f"{event} raised", sid)
            return None

    guarded.__wrapped__ = handler  # type: ignore[attr-defined]
    return guarded


def _quiet_async(event: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    async def guarded(sid: str, *args: Any) -> Any:
        if event == "handshake" and not (args and isinstance(args[0], dict)
                                         and all(isinstance(args[0].get(k), str)
                                                 for k in ("client_id", "tab_id", "document_id"))):
            _refuse("malformed handshake", sid)
            return False
        try:
            return await handler(sid, *args)
        except Exception as exc:  # noqa: BLE001
            if type(exc).__name__ == "ConnectionRefusedError":
                raise  # python-socketio's own way of refusing a connection
            _refuse(f"{event} raised", sid)
            return False

    guarded.__wrapped__ = handler  # type: ignore[attr-defined]
    return guarded


def _forget(handler: Callable[..., Any]) -> Callable[..., Any]:
    takes_reason = len(inspect.signature(handler).parameters) > 1

    def guarded(sid: str, *args: Any) -> Any:
        PACE.forget(sid)
        return handler(sid, *args) if takes_reason else handler(sid)

    guarded.__wrapped__ = handler  # type: ignore[attr-defined]
    return guarded


def _handle_event(handler: Any, arguments: Any, **kwargs: Any) -> None:
    if handler is not None and not _facilitator_guard()(getattr(arguments, "client", None)):
        return
    assert _original_handle_event is not None
    _original_handle_event(handler, arguments, **kwargs)


_guard: Callable[[Any], bool] | None = None


def _facilitator_guard() -> Callable[[Any], bool]:
    global _guard
    if _guard is None:
        from workshop.ui.access import facilitator_guard  # imported late: access imports the services

        _guard = facilitator_guard
    return _guard


def install() -> None:
    """Wrap NiceGUI's socket handlers and its event dispatch (once)."""
    global _original_handle_event
    if not nicegui.__version__.startswith(WRITTEN_FOR):
        log.warning("socket guard written for NiceGUI %sx, running on %s: check workshop/ui/socket_guard.py",
                    WRITTEN_FOR, nicegui.__version__)
    if _original_handle_event is None:
        _original_handle_event = events.handle_event
        events.handle_event = _handle_event
    handlers = core.sio.handlers.get("/", {})
    for event in (*BOUND, "handshake", "connect", "disconnect"):
        handler = handlers.get(event)
        if handler is None or _installed.get(event) is handler:
            continue
        if event in BOUND:
            wrapped = _bound(event, handler)
        elif event == "disconnect":
            wrapped = _forget(handler)
        elif inspect.iscoroutinefunction(handler):
            wrapped = _quiet_async(event, handler)
        else:
            continue
        handlers[event] = _installed[event] = wrapped
