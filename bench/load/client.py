"""A simulated browser: NiceGUI's client protocol over httpx and python-socketio.

``Page`` loads a NiceGUI page (its elements are in the HTML) and connects its socket like
nicegui.js; ``Projector`` logs in as the facilitator and records the dot-vote summary;
``Tablet`` joins through the join form (the "join" message of its one element) and taps "+"; ``plan`` says who joins and votes when.
"""

from __future__ import annotations

import ast
import asyncio
import json
import random
import re
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import socketio

from workshop.i18n import catalogue, translate

SECRET = "bench-facilitator"
STEP_TIMEOUT = 30.0  # seconds for any one page load, socket connect or acknowledgement
NICEGUI_WS_PATH = "/_nicegui_ws/socket.io"
VOTE_PANEL_TAG = "nicegui-vote_panel"  # workshop/ui/tablet/vote_panel.js
JOIN_FORM_TAG = "nicegui-join_form"  # workshop/ui/tablet/join_form.js


def tr(key: str, **params: Any) -> str:
    return translate(key, "fr", **params)


_ELEMENTS = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.S)
_QUERY = re.compile(r"query: (\{.*?\}),\n")
_VOTED = re.compile(r'return runMethod\((\d+), "voted", (.*)\)$', re.S)
_UNESCAPE = (("&#36;", "$"), ("&#96;", "`"), ("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&"))


class Page:
    """One loaded page: its elements, and its socket once connected (as nicegui.js does it)."""

    def __init__(self, base: str, http: httpx.AsyncClient, path: str) -> None:
        self.base = base
        self.http = http
        self.path = path
        self.elements: dict[str, dict] = {}
        self.client_id = ""
        self.next_message_id = 0
        self.sio: socketio.AsyncClient | None = None
        self.opened: asyncio.Future | None = None  # path of the next "open" (navigation) message
        self.on_update: list = []  # callables (receive time, update message)
        self.on_javascript: list = []  # callables (receive time, code): what the browser would run
        self.notifications: list[dict] = []
        self.acked_message_id = -1
        self.ack_task: asyncio.Task | None = None
        self.lost_at: float | None = None  # the socket dropped (a real browser would reconnect and reload)
        self.on_lost: list = []  # callables, called once when the socket drops

    async def load(self) -> None:
        response = await self.http.get(self.path)
        response.raise_for_status()
        self.path = response.url.path  # after redirects
        html = response.text
        match = _ELEMENTS.search(html)
        if not match:
            raise RuntimeError(f"no NiceGUI page at {self.path} (status {response.status_code})")
        raw = match.group(1)
        for old, new in _UNESCAPE:
            raw = raw.replace(old, new)
        self.elements = json.loads(raw)
        query = ast.literal_eval(_QUERY.search(html).group(1))  # a Python dict literal in the page
        self.client_id = query["client_id"]
        self.next_message_id = query["next_message_id"]

    async def connect(self) -> None:
        sio = socketio.AsyncClient(reconnection=False)
        self.sio = sio
        loop = asyncio.get_running_loop()
        self.opened = loop.create_future()

        def seen(msg: dict) -> None:
            if isinstance(msg, dict) and isinstance(msg.get("_id"), int):
                self.next_message_id = max(self.next_message_id, msg.pop("_id") + 1)

        @sio.on("update")
        def _update(msg: dict) -> None:
            now = time.perf_counter()
            seen(msg)
            for element_id, element in msg.items():
                if element is None:
                    self.elements.pop(element_id, None)
                else:
                    self.elements[element_id] = element
            for handler in self.on_update:
                handler(now, msg)

        @sio.on("open")
        def _open(msg: dict) -> None:
            seen(msg)
            if self.opened is not None and not self.opened.done():
                self.opened.set_result(msg.get("path"))

        @sio.on("disconnect")
        def _lost(*_args: Any) -> None:
            if self.sio is not None and self.lost_at is None:
                self.lost_at = time.perf_counter()
                for handler in self.on_lost:
                    handler()

        @sio.on("run_javascript")
        def _javascript(msg: dict) -> None:
            now = time.perf_counter()
            seen(msg)
            for handler in self.on_javascript:
                handler(now, msg.get("code", "") if isinstance(msg, dict) else "")

        @sio.on("notify")
        def _notify(msg: dict) -> None:
            seen(msg)
            self.notifications.append(msg)

        @sio.on("*")
        def _other(_event: str, msg: Any = None) -> None:
            seen(msg)

        query = urllib.parse.urlencode({
            "client_id": self.client_id, "next_message_id": self.next_message_id, "implicit_handshake": "true",
            "document_id": str(uuid.uuid4()), "tab_id": str(uuid.uuid4()),
        })
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        await sio.connect(f"{self.base}?{query}", headers={"Cookie": cookies} if cookies else {},
                          transports=["websocket"], socketio_path=NICEGUI_WS_PATH, wait_timeout=STEP_TIMEOUT)
        self.ack_task = asyncio.create_task(self._ack_loop())

    async def _ack_loop(self) -> None:
        """Like nicegui.js: every 3 s, tell the server which messages arrived (it prunes its history)."""
        while self.sio is not None:
            await asyncio.sleep(3.0)
            if self.sio is not None and self.acked_message_id < self.next_message_id:
                try:
                    await self.sio.emit("ack", {"client_id": self.client_id, "next_message_id": self.next_message_id})
                except Exception:  # noqa: BLE001 - disconnected meanwhile
                    return
                self.acked_message_id = self.next_message_id

    async def emit(self, element_id: str, event_type: str, *args: Any) -> None:
        element = self.elements[element_id]
        listener = next(e for e in element.get("events", []) if e["type"] == event_type)
        await self.sio.emit("event", {"id": int(element_id), "client_id": self.client_id,
                                      "listener_id": listener["listener_id"],
                                      "args": [json.dumps(a) for a in args]})

    def find(self, tag: str, **props: Any) -> str:
        for element_id, element in self.elements.items():
            if element.get("tag") != tag:
                continue
            if all(element.get("props", {}).get(k) == v for k, v in props.items()):
                return element_id
        raise LookupError(f"no <{tag}> with {props} on {self.path}")

    def parent_of(self, element_id: str) -> str:
        for parent_id, element in self.elements.items():
            if int(element_id) in element.get("children", []):
                return parent_id
        raise LookupError(element_id)

    async def close(self) -> None:
        if self.ack_task is not None:
            self.ack_task.cancel()
            self.ack_task = None
        if self.sio is not None:
            sio, self.sio = self.sio, None
            try:
                await asyncio.wait_for(sio.disconnect(), 5)
            except Exception:  # noqa: BLE001 - closing anyway
                pass


# --- the projector -------------------------------------------------------------------------------------------


def _counted(name: str) -> str:
    """A regular expression for ``projector.count.<name>`` in any of its plural forms, the number captured."""
    forms = {catalogue("fr")[f"projector.count.{name}.{form}"] for form in ("zero", "one", "other")
             if f"projector.count.{name}.{form}" in catalogue("fr")}
    nouns = sorted((re.escape(f.replace("{count}", "", 1).strip()) for f in forms), key=len, reverse=True)
    return r"(\d+)\s(?:" + "|".join(nouns) + ")"  # \s: the French catalogue keeps a count with its noun (U+00A0)


def summary_pattern() -> re.Pattern:
    """What the projector's dot-vote summary says (« 150 votants · 750 gommettes »), the two numbers captured;
    any space of the catalogue's (plain or no-break) is matched by any other."""
    template = re.escape(tr("projector.dot_summary", voters="VOTERS", dots="DOTS")).replace(r"\ ", r"\s")
    return re.compile(template.replace("VOTERS", _counted("voters")).replace("DOTS", _counted("dots")))


class Projector:
    def __init__(self, base: str, seminar_id: int) -> None:
        self.base = base
        self.sid = seminar_id
        self.http = httpx.AsyncClient(base_url=base, timeout=STEP_TIMEOUT, follow_redirects=True)
        self.page: Page | None = None
        self.totals: list[tuple[float, int]] = []  # (receive time, dots shown)
        self.drops: list[float] = []  # when its socket dropped (it then loads the page again)
        self.reopen_errors: list[str] = []
        self.closing = False
        self._reopening: asyncio.Future | None = None
        self.pattern = summary_pattern()

    async def start(self) -> None:
        login = Page(self.base, self.http, f"/console/{self.sid}/login?next=/screen/{self.sid}")
        await login.load()
        await login.connect()
        secret = login.find("nicegui-input", label=tr("ui.secret_label"))
        button = login.find("q-btn", label=tr("ui.login_button"))
        await login.emit(secret, "update:value", SECRET)
        await login.emit(button, "click")
        target = await asyncio.wait_for(login.opened, STEP_TIMEOUT)
        await login.close()
        if target != f"/screen/{self.sid}":
            raise RuntimeError(f"facilitator login went to {target}")
        await self._open_screen(target)

    async def _open_screen(self, target: str) -> None:
        page = Page(self.base, self.http, target)
        await page.load()
        if page.path != target:
            raise RuntimeError(f"projector redirected to {page.path}")
        self.on_update(time.perf_counter(), page.elements)  # what the page shows when it arrives
        page.on_update.append(self.on_update)
        page.on_lost.append(self._lost)
        self.page = page
        await page.connect()

    def _lost(self) -> None:
        """Like nicegui.js: a dropped socket reconnects, and a page the server forgot is loaded again."""
        self.drops.append(time.perf_counter())
        if not self.closing:
            self._reopening = asyncio.ensure_future(self._reopen())

    async def _reopen(self) -> None:
        try:
            old, self.page = self.page, None
            if old is not None:
                await old.close()
            await self._open_screen(f"/screen/{self.sid}")
        except Exception as exc:  # noqa: BLE001 - reported by the run
            self.reopen_errors.append(f"{type(exc).__name__}: {exc}")

    def on_update(self, now: float, msg: dict) -> None:
        for element in msg.values():
            text = element.get("text") if isinstance(element, dict) else None
            if text:
                match = self.pattern.search(text)
                if match:
                    self.totals.append((now, int(match.group(2))))

    async def close(self) -> None:
        self.closing = True
        if self.page is not None:
            await self.page.close()
        await self.http.aclose()


# --- a tablet ------------------------------------------------------------------------------------------------


@dataclass
class Vote:
    tablet: int
    card_id: int
    planned: float  # seconds after the start of the run
    sent: float | None = None  # perf_counter
    acked: float | None = None
    refused: str | None = None


@dataclass
class TabletRun:
    index: int
    join_at: float
    votes: list[Vote]
    name: str = ""
    joined_at: float | None = None  # perf_counter when its tablet page was connected
    error: str | None = None
    join_page_s: float | None = None  # GET /join/{code}
    tablet_page_s: float | None = None  # the tablet shown after "Rejoindre" (in place, or GET /tablet/{id})
    join_total_s: float | None = None  # from opening the join page to a connected tablet page


COLLEGES = ("elected", "staff", "business", "association", "resident", "expert", "other")


class Tablet:
    def __init__(self, base: str, code: str, seminar_id: int, cards: dict[int, str], run: TabletRun) -> None:
        self.base = base
        self.code = code
        self.sid = seminar_id
        self.cards = cards
        self.run = run
        self.http = httpx.AsyncClient(base_url=base, timeout=STEP_TIMEOUT, follow_redirects=True)
        self.page: Page | None = None
        self.panel: str | None = None  # element id of the dot-vote panel
        self.waiting: dict[int, asyncio.Future] = {}  # card id -> resolved when the panel shows its dot

    async def join(self) -> None:
        run = self.run
        run.name = f"Tablette {run.index:03d}"
        form = Page(self.base, self.http, f"/join/{self.code}")
        began = time.perf_counter()
        await form.load()
        run.join_page_s = time.perf_counter() - began
        await form.connect()
        # The form is one element drawn in the browser: what it sends on "Entrer dans le séminaire".
        join_form = form.find(JOIN_FORM_TAG)
        props = form.elements[join_form]["props"]
        wanted = tr(f"college_name.{COLLEGES[run.index % len(COLLEGES)]}")
        college = next(o["value"] for o in props["colleges"] if o["label"].casefold() == wanted.casefold())
        group = props.get("no_group", 0) if props.get("groups") else None
        self.page = form
        form.on_update.append(self.on_update)
        form.on_javascript.append(self.on_javascript)
        clicked = time.perf_counter()
        await form.emit(join_form, "join", {"name": run.name, "college": college, "group": group})
        # The join page becomes the tablet page on the same socket (as in a browser); a server that
        # sends the browser to /tablet/{id} instead is followed there.
        deadline = time.monotonic() + STEP_TIMEOUT
        while not self._find_buttons() and not form.opened.done():
            if time.monotonic() > deadline:
                raise RuntimeError(f"join: no tablet after {STEP_TIMEOUT:.0f} s: "
                                   f"{[n.get('message') for n in form.notifications]}")
            await asyncio.sleep(0.05)
        if self.panel is not None:
            run.tablet_page_s = time.perf_counter() - clicked
        else:
            target = form.opened.result()
            await form.close()  # the browser leaves the join page
            if target != f"/tablet/{self.sid}":
                raise RuntimeError(f"join went to {target}: {[n.get('message') for n in form.notifications]}")
            page = Page(self.base, self.http, target)
            self.page = page
            loading = time.perf_counter()
            await page.load()
            run.tablet_page_s = time.perf_counter() - loading
            page.on_update.append(self.on_update)
            page.on_javascript.append(self.on_javascript)
            await page.connect()
        deadline = time.monotonic() + STEP_TIMEOUT
        while not self._find_buttons():
            if time.monotonic() > deadline:
                raise RuntimeError("no dot-vote panel on the tablet page")
            await asyncio.sleep(0.1)
        run.joined_at = time.perf_counter()
        run.join_total_s = run.joined_at - began

    def _find_buttons(self) -> bool:
        """The dot-vote panel (one element drawn in the browser) with a row for every card."""
        for element_id, element in list(self.page.elements.items()):
            if element.get("tag") != VOTE_PANEL_TAG:
                continue
            shown = {row.get("id") for row in element.get("props", {}).get("cards", [])}
            if set(self.cards) <= shown:
                self.panel = element_id
                return True
        return False

    def on_update(self, now: float, msg: dict) -> None:
        element = msg.get(self.panel) if self.panel else None
        if not element:
            return
        self._shown(now, element.get("props", {}).get("dots", {}))

    def on_javascript(self, now: float, code: str) -> None:
        """The panel's ``voted`` call (voting.py), as the browser would run it: my dots after a vote."""
        match = _VOTED.match(code)
        if match and self.panel is not None and match.group(1) == self.panel:
            self._shown(now, json.loads(match.group(2))[0])

    def _shown(self, now: float, dots: dict) -> None:
        for card_id, future in list(self.waiting.items()):
            if dots.get(str(card_id)) == 1 and not future.done():
                future.set_result(now)

    async def vote(self, vote: Vote) -> None:
        """A tap on "+" of a card: what the panel emits; acknowledged when the card shows my dot."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[vote.card_id] = future
        seen = len(self.page.notifications)
        vote.sent = time.perf_counter()
        await self.page.emit(self.panel, "tap", {"card": vote.card_id, "delta": 1})
        deadline = time.monotonic() + STEP_TIMEOUT
        try:
            while not future.done():
                refusals = [n for n in self.page.notifications[seen:] if n.get("type") == "negative"]
                if refusals:
                    vote.refused = str(refusals[0].get("message"))
                    return
                if time.monotonic() > deadline:
                    return
                await asyncio.wait({future}, timeout=0.05)
            vote.acked = future.result()
        finally:
            self.waiting.pop(vote.card_id, None)

    async def close(self) -> None:
        self.closing = True
        if self.page is not None:
            await self.page.close()
        await self.http.aclose()


async def run_tablet(tablet: Tablet, start: float) -> None:
    run = tablet.run
    try:
        await asyncio.sleep(max(0.0, start + run.join_at - time.perf_counter()))
        await tablet.join()
        for vote in run.votes:
            await asyncio.sleep(max(0.0, start + vote.planned - time.perf_counter()))
            await tablet.vote(vote)
    except Exception as exc:  # noqa: BLE001 - reported in the table
        run.error = f"{type(exc).__name__}: {exc}"


def plan(tablets: int, seconds: float, join_window: float, budget: int, card_ids: list[int],
         seed: int) -> list[TabletRun]:
    """Who joins when and presses "+" on which cards when (the same plan for the bare baseline)."""
    rng = random.Random(seed)
    runs = []
    for i in range(tablets):
        join_at = rng.uniform(0, join_window)
        times = sorted(rng.uniform(join_at + 3.0, seconds) for _ in range(budget))
        chosen = rng.sample(card_ids, k=budget)
        runs.append(TabletRun(i + 1, join_at, [Vote(i + 1, c, t) for c, t in zip(chosen, times)]))
    return runs


# --- the run against the app ---------------------------------------------------------------------------------


