"""Forged socket messages against a real server (workshop/ui/socket_guard.py).

A raw python-socketio client speaks NiceGUI's protocol (bench/load/client.py's ``Page``): it
loads a page, reads the page's id and elements from the HTML and connects its socket as
nicegui.js does. The home page is the target: typing a code and pressing "Rejoindre" sends
the page to ``/join/<code>`` (an "open" message), which is what these tests watch for.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import time
from pathlib import Path

import httpx
import pytest

from live_server import server_env, start_server, stop_server
from workshop.i18n import translate
from workshop.ui.socket_guard import SOCKET_BURST, SOCKET_PER_SECOND

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load.client import Page  # noqa: E402
from e2e.conftest import _free_port  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("socket-guard")
    port = _free_port()
    log = data / "server.log"
    process = start_server(server_env(data), port, log)
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        stop_server(process)


class Home:
    """The home page, loaded and connected by its own browser (its own cookies)."""

    def __init__(self, base: str) -> None:
        self.http = httpx.AsyncClient(base_url=base, timeout=30)
        self.page = Page(base, self.http, "/")
        self.opens: list[str] = []
        self.opened_at: list[float] = []  # time.monotonic() of each "open"

    async def open(self) -> Home:
        await self.page.load()
        await self.page.connect()
        original = self.page.sio.handlers["/"]["open"]

        def counted(msg):
            self.opens.append(msg.get("path"))
            self.opened_at.append(time.monotonic())
            original(msg)

        self.page.sio.handlers["/"]["open"] = counted
        return self

    @property
    def field(self) -> str:
        return next(i for i, e in self.page.elements.items()
                    if any(ev["type"] == "update:value" for ev in e.get("events", [])))

    @property
    def button(self) -> str:
        return self.page.find("q-btn", label=translate("ui.join_button", "fr"))

    def message(self, element_id: str, event_type: str, *args, client_id: str | None = None) -> dict:
        element = self.page.elements[element_id]
        listener = next(e for e in element["events"] if e["type"] == event_type)
        return {"id": int(element_id), "client_id": client_id or self.page.client_id,
                "listener_id": listener["listener_id"], "args": [json.dumps(a) for a in args]}

    async def close(self) -> None:
        await self.page.close()
        await self.http.aclose()


async def _wait(check, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds * 10)):
        if check():
            return True
        await asyncio.sleep(0.1)
    return check()


async def test_a_socket_cannot_act_on_another_page_whose_id_it_learned(server) -> None:
    base, _ = server
    victim, attacker = await Home(base).open(), await Home(base).open()
    try:
        # the attacker writes the victim's page id into its messages: type a code, press the button
        await attacker.page.sio.emit("event", victim.message(victim.field, "update:value", "PIRATE"))
        await attacker.page.sio.emit("event", victim.message(victim.button, "click", {}))
        await asyncio.sleep(1.5)
        assert victim.opens == [] and attacker.opens == []
        # the same messages from the victim's own socket work (the forgery was well-formed)
        await victim.page.sio.emit("event", victim.message(victim.field, "update:value", "ABCD"))
        await victim.page.sio.emit("event", victim.message(victim.button, "click", {}))
        assert await _wait(lambda: victim.opens == ["/join/ABCD"])
    finally:
        await victim.close()
        await attacker.close()


def _malformed(home: Home) -> list[tuple[str, object]]:
    own = home.page.client_id
    field, button = home.field, home.button
    return [
        ("event", "du texte"), ("event", 42), ("event", None), ("event", []), ("event", {}),
        ("event", {"client_id": 5}), ("event", {"client_id": own, "id": "x", "listener_id": "y"}),
        ("event", {"client_id": own, "id": 99999, "listener_id": "nope", "args": []}),
        ("event", {"client_id": own, "id": int(button), "listener_id": "nope", "args": []}),
        ("event", {"client_id": own, "id": int(button), "listener_id": "x", "args": ["{pas du json"]}),
        ("event", {**home.message(field, "update:value", "x"), "args": ["{pas du json"]}),
        ("event", home.message(field, "update:value", 123)),        # a number into a text field
        ("event", home.message(field, "update:value", {"a": [1]})),  # an object into a text field
        ("event", home.message(button, "click", {})),                # then press: no AttributeError
        ("javascript_response", {"client_id": own}), ("javascript_response", "x"),
        ("ack", {"client_id": own, "next_message_id": "x"}), ("ack", 7),
        ("log", {"client_id": own, "level": "critical", "message": "x"}), ("log", []),
        ("handshake", "x"), ("handshake", {"client_id": 1}),
    ]


async def test_malformed_messages_are_refused_quietly_and_the_server_keeps_serving(server) -> None:
    base, log = server
    home, bystander = await Home(base).open(), await Home(base).open()
    try:
        size = log.stat().st_size
        kinds = _malformed(home)
        for i in range(3000):
            event, payload = kinds[i % len(kinds)]
            await home.page.sio.emit(event, payload)
        await asyncio.sleep(2)
        grown = log.read_text(errors="replace")[size:]
        assert len(grown) < 2_000, grown[:3000]  # a line a minute at most, no traceback per message
        assert "Traceback" not in grown
        # the bystander's page answers at once, and so does the attacker's own page once it slows down
        await bystander.page.sio.emit("event", bystander.message(bystander.field, "update:value", "ABCD"))
        await bystander.page.sio.emit("event", bystander.message(bystander.button, "click", {}))
        assert await _wait(lambda: bystander.opens == ["/join/ABCD"])
        assert (await bystander.http.get("/")).status_code == 200
        await asyncio.sleep(2)
        home.opens.clear()
        await home.page.sio.emit("event", home.message(home.field, "update:value", "EFGH"))
        await home.page.sio.emit("event", home.message(home.button, "click", {}))
        assert await _wait(lambda: "/join/EFGH" in home.opens)
    finally:
        await home.close()
        await bystander.close()


async def test_a_flood_on_one_connection_does_not_slow_the_others_down(server) -> None:
    base, _ = server
    flooder, neighbour = await Home(base).open(), await Home(base).open()
    try:
        await flooder.page.sio.emit("event", flooder.message(flooder.field, "update:value", "ABCD"))
        click = flooder.message(flooder.button, "click", {})
        for _ in range(1000):
            await flooder.page.sio.emit("event", click)
        await neighbour.page.sio.emit("event", neighbour.message(neighbour.field, "update:value", "WXYZ"))
        await neighbour.page.sio.emit("event", neighbour.message(neighbour.button, "click", {}))
        assert await _wait(lambda: neighbour.opens == ["/join/WXYZ"])
        assert len(flooder.opens) < 1000
    finally:
        await flooder.close()
        await neighbour.close()


def test_socket_messages_are_paced_per_connection(fake_clock, monkeypatch) -> None:
    """120 messages at once, then 30 a second, per socket (the wrapper alone, time frozen)."""
    from workshop.ui import socket_guard

    handled: list[str] = []
    monkeypatch.setattr(socket_guard, "_shook_hands", lambda sid, client_id: True)
    monkeypatch.setattr(socket_guard.Client, "instances", {})
    guarded = socket_guard._bound("event", lambda sid, msg: handled.append(sid))
    message = {"client_id": "page", "id": 5, "listener_id": "l", "args": ["{}"]}
    for _ in range(1000):
        guarded("flooder", message)
    assert len(handled) == SOCKET_BURST
    guarded("neighbour", message)
    assert handled[-1] == "neighbour"  # its own bucket
    fake_clock.advance(seconds=1)
    for _ in range(1000):
        guarded("flooder", message)
    assert handled.count("flooder") == SOCKET_BURST + SOCKET_PER_SECOND
    assert socket_guard.refused["event too fast"] >= 2000 - SOCKET_BURST - SOCKET_PER_SECOND
    socket_guard.PACE.forget("flooder")
    socket_guard.PACE.forget("neighbour")


def test_the_guard_is_installed_on_the_nicegui_version_it_was_written_for() -> None:
    """NiceGUI internals are wrapped (handlers, Client's socket map): an upgrade must be checked."""
    import nicegui
    from nicegui import core, events
    from nicegui.client import Client

    from workshop.ui import socket_guard

    assert nicegui.__version__.startswith(socket_guard.WRITTEN_FOR)
    socket_guard.install()
    socket_guard.install()  # idempotent
    handlers = core.sio.handlers["/"]
    for event in (*socket_guard.BOUND, "handshake", "connect", "disconnect"):
        assert handlers[event] is socket_guard._installed[event]
        assert not hasattr(handlers[event].__wrapped__, "__wrapped__")  # wrapped once
    assert events.handle_event is socket_guard._handle_event
    # the handshake still records the page's sockets where _shook_hands looks for them
    assert "self._socket_to_document_id[socket_id] = document_id" in inspect.getsource(Client.handle_handshake)
