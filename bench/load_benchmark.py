"""Load benchmark: 150 simulated tablets voting through the real websocket path.

    .venv/bin/python bench/load_benchmark.py [--tablets 150] [--seconds 60] [--join-window 30]

What it does, all on localhost:

1. Creates a fresh data directory (SQLite) with one seminar: 10 stake cards, the stakes
   dot vote open (budget 5), the projector set to show the results, revealed.
2. Starts the real server as a subprocess (``python -m workshop serve``).
3. A simulated projector logs in through the ``/console/{id}/login`` form (socket events,
   like a browser), then loads ``/screen/{id}`` and records every update of the
   "N votants · M gommettes" summary.
4. 150 simulated tablets, each with its own cookie jar, join at random moments in the
   first ``--join-window`` seconds: GET ``/join/{code}``, fill the form and press the
   button through socket events, follow the redirect to ``/tablet/{id}`` (a new page,
   a new socket), then press "+" on ``--budget`` random cards at random moments until
   ``--seconds``. A vote is acknowledged when the tablet's counter for that card shows 1
   (the page updates it after the service committed).
5. Checks the database against the acknowledged votes (lost, duplicated), and measures
   the latency of each vote from its send to the first projector update whose total
   includes it (votes are matched by commit order: every vote puts a first dot on a
   card, so it inserts one row and the row ids give the commit order; a read of the
   tally sees a prefix of that order).
6. Runs the same vote schedule against a bare python-socketio server (uvicorn with
   wsproto, as NiceGUI runs it): each vote event is broadcast to one projector socket;
   same send -> projector latency.

Prints a table: votes lost/duplicated, p50/p95 latency (ours and bare, and the ratio),
server memory per connected tablet. Targets: p95 < 250 ms, <= 3x the bare baseline,
< 2 MB per tablet. Exit status 1 when a vote is lost or duplicated or a target is missed.
Not a test: run it by hand (``make bench-load``); it takes about three minutes.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import gc
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import socketio  # noqa: E402

from workshop.i18n import translate  # noqa: E402

SECRET = "bench-facilitator"
CARD_COUNT = 10
TARGET_P95_MS = 250.0
TARGET_RATIO = 3.0
TARGET_MB_PER_TABLET = 2.0
STEP_TIMEOUT = 30.0  # seconds for any one page load, socket connect or acknowledgement
NICEGUI_WS_PATH = "/_nicegui_ws/socket.io"


def tr(key: str, **params: Any) -> str:
    return translate(key, "fr", **params)


# --- setup: a seminar through the services, before the server starts ---------------------------------------


def create_seminar(db_path: Path, budget: int) -> dict[str, Any]:
    """Fresh seminar with 10 stakes and the stakes dot vote open; the projector shows its results."""
    from workshop.content import default_kit, find_run_sheet
    from workshop.db import Database
    from workshop.models import CardKind, Interaction
    from workshop.services import activities, cards, planning, screen, seminars

    db = Database(f"sqlite:///{db_path}")
    try:
        db.create_schema()
        created = seminars.create_seminar(
            db, title="Banc de charge : 150 tablettes", territory="Bancville", horizon_year=2050,
            run_sheet=find_run_sheet("deux-jours"), kit=default_kit(), facilitator_secret=SECRET)
        sid = created.seminar_id
        vote = next(a for a in activities.list_activities(db, sid)
                    if a.interaction is Interaction.DOT_VOTE and CardKind.STAKE.value in a.card_kinds)
        planning.update_activity(db, sid, vote.id, vote_budget=budget, vote_max_per_card=None)
        card_ids = {}
        for i in range(CARD_COUNT):
            text = f"Enjeu n° {i + 1} : un territoire plus sobre et solidaire"
            card_ids[cards.add_card(db, sid, kind=CardKind.STAKE, text=text, theme=None).id] = text
        activities.open_activity(db, sid, vote.id)
        screen.set_screen(db, sid, view="results", reveal_results=True, show_join=False)
        return {"seminar_id": sid, "code": created.join_code, "activity_id": vote.id, "cards": card_ids}
    finally:
        db.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- process helpers -----------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_pressure_us() -> int | None:
    """Linux PSI: total µs during which some runnable task waited for a CPU (None if unavailable)."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(first.rsplit("total=", 1)[1])


def cpu_seconds(pid: int) -> float:
    fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")


def start_process(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_process(proc: subprocess.Popen) -> None:
    """SIGTERM (uvicorn's clean shutdown), then SIGKILL; only this process's own group."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


async def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with status {proc.returncode}")
            try:
                response = await client.get(url)
                if response.status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise TimeoutError(f"server not answering at {url}")


# --- a simulated browser page (NiceGUI's client protocol) ----------------------------------------------------

_ELEMENTS = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.S)
_QUERY = re.compile(r"query: (\{.*?\}),\n")
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
        self.notifications: list[dict] = []
        self.acked_message_id = -1
        self.ack_task: asyncio.Task | None = None

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


def summary_pattern() -> re.Pattern:
    template = re.escape(tr("projector.dot_summary", voters="VOTERS", dots="DOTS"))
    return re.compile(template.replace("VOTERS", r"(\d+)").replace("DOTS", r"(\d+)"))


class Projector:
    def __init__(self, base: str, seminar_id: int) -> None:
        self.base = base
        self.sid = seminar_id
        self.http = httpx.AsyncClient(base_url=base, timeout=STEP_TIMEOUT, follow_redirects=True)
        self.page: Page | None = None
        self.totals: list[tuple[float, int]] = []  # (receive time, dots shown)
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
        self.page = Page(self.base, self.http, target)
        await self.page.load()
        if self.page.path != target:
            raise RuntimeError(f"projector redirected to {self.page.path}")
        self.page.on_update.append(self.on_update)
        await self.page.connect()

    def on_update(self, now: float, msg: dict) -> None:
        for element in msg.values():
            text = element.get("text") if isinstance(element, dict) else None
            if text:
                match = self.pattern.search(text)
                if match:
                    self.totals.append((now, int(match.group(2))))

    async def close(self) -> None:
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
    tablet_page_s: float | None = None  # GET /tablet/{id}
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
        self.counters: dict[int, str] = {}  # card id -> element id of its dot counter
        self.plus: dict[int, str] = {}  # card id -> element id of its "+" button
        self.waiting: dict[str, tuple[asyncio.Future, str]] = {}

    async def join(self) -> None:
        run = self.run
        run.name = f"Tablette {run.index:03d}"
        form = Page(self.base, self.http, f"/join/{self.code}")
        began = time.perf_counter()
        await form.load()
        run.join_page_s = time.perf_counter() - began
        await form.connect()
        name = form.find("nicegui-input", label=tr("tablet.name_label"))
        college = form.find("nicegui-select", label=tr("tablet.college_label"))
        button = form.find("q-btn", label=tr("tablet.join_button"))
        options = form.elements[college]["props"]["options"]
        wanted = tr(f"college_name.{COLLEGES[run.index % len(COLLEGES)]}")
        option = next(o for o in options if o["label"].casefold() == wanted.casefold())
        await form.emit(name, "update:value", run.name)
        await form.emit(college, "update:modelValue", option)
        await form.emit(button, "click")
        target = await asyncio.wait_for(form.opened, STEP_TIMEOUT)
        await form.close()  # the browser leaves the join page
        if target != f"/tablet/{self.sid}":
            raise RuntimeError(f"join went to {target}: {[n.get('message') for n in form.notifications]}")
        page = Page(self.base, self.http, target)
        self.page = page
        loading = time.perf_counter()
        await page.load()
        run.tablet_page_s = time.perf_counter() - loading
        page.on_update.append(self.on_update)
        await page.connect()
        deadline = time.monotonic() + STEP_TIMEOUT
        while not self._find_buttons():
            if time.monotonic() > deadline:
                raise RuntimeError("no vote buttons on the tablet page")
            await asyncio.sleep(0.1)
        run.joined_at = time.perf_counter()
        run.join_total_s = run.joined_at - began

    def _find_buttons(self) -> bool:
        labels = {tr("tablet.add_dot", text=text): card_id for card_id, text in self.cards.items()}
        page = self.page
        for element_id, element in list(page.elements.items()):
            card_id = labels.get(element.get("props", {}).get("aria-label"))
            if card_id is None or element.get("tag") != "q-btn":
                continue
            row = page.elements[page.parent_of(element_id)]
            counter = next(str(c) for c in row.get("children", [])
                           if "dot-count" in page.elements.get(str(c), {}).get("class", []))
            self.plus[card_id] = element_id
            self.counters[card_id] = counter
        return len(self.plus) == len(self.cards)

    def on_update(self, now: float, msg: dict) -> None:
        for element_id, (future, text) in list(self.waiting.items()):
            element = msg.get(element_id)
            if element and element.get("text") == text and not future.done():
                future.set_result(now)

    async def vote(self, vote: Vote) -> None:
        counter = self.counters[vote.card_id]
        future = asyncio.get_running_loop().create_future()
        self.waiting[counter] = (future, "1")
        seen = len(self.page.notifications)
        vote.sent = time.perf_counter()
        await self.page.emit(self.plus[vote.card_id], "click")
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
            self.waiting.pop(counter, None)

    async def close(self) -> None:
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


@dataclass
class Figures:
    name: str
    sent: int = 0
    acked: int = 0
    refused: int = 0
    unanswered: int = 0
    tablet_errors: list[str] = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    stored_unacked: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    joining_ms: list[float] = field(default_factory=list)  # latencies of votes sent while tablets were joining
    after_joins_ms: list[float] = field(default_factory=list)  # latencies of votes sent once all had joined
    ack_ms: list[float] = field(default_factory=list)  # send -> the tablet's own counter shows the vote
    join_page_s: list[float] = field(default_factory=list)
    tablet_page_s: list[float] = field(default_factory=list)
    join_total_s: list[float] = field(default_factory=list)
    client_cpu_seconds: float = 0.0
    client_lag_ms: list[float] = field(default_factory=list)  # this process's event loop: lateness of a 20 ms tick
    not_shown: int = 0
    final_total: int | None = None
    db_total: int | None = None
    rss_before: float = 0.0
    rss_connected: float = 0.0
    rss_end: float = 0.0
    cpu_seconds: float = 0.0
    connect_seconds: float = 0.0


async def loop_lag(out: list[float], tick: float = 0.02) -> None:
    """How late this process's own event loop runs (a late loop delays the timestamps it takes)."""
    while True:
        before = time.perf_counter()
        await asyncio.sleep(tick)
        out.append((time.perf_counter() - before - tick) * 1000)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def bench_app(args: argparse.Namespace, base: str, setup: dict, server: subprocess.Popen,
                    db_path: Path) -> Figures:
    figures = Figures("Visions +21 (NiceGUI)")
    projector = Projector(base, setup["seminar_id"])
    await projector.start()
    await asyncio.sleep(2.0)
    figures.rss_before = rss_mb(server.pid)
    cpu_before = cpu_seconds(server.pid)
    own_cpu = time.process_time()
    runs = plan(args.tablets, args.seconds, args.join_window, args.budget, sorted(setup["cards"]), args.seed)
    tablets = [Tablet(base, setup["code"], setup["seminar_id"], setup["cards"], run) for run in runs]
    start = time.perf_counter()
    tasks = [asyncio.create_task(run_tablet(t, start)) for t in tablets]

    async def sample_connected() -> None:
        while any(r.joined_at is None and r.error is None for r in runs):
            await asyncio.sleep(0.2)
        figures.connect_seconds = time.perf_counter() - start
        figures.rss_connected = rss_mb(server.pid)

    sampler = asyncio.create_task(sample_connected())
    ticker = asyncio.create_task(loop_lag(figures.client_lag_ms))
    limit = args.seconds + 3 * STEP_TIMEOUT
    done, pending = await asyncio.wait(tasks, timeout=limit)
    for task in pending:
        task.cancel()
    ticker.cancel()
    await sampler
    await asyncio.sleep(2.0)  # the last projector redraws
    figures.rss_end = rss_mb(server.pid)
    figures.cpu_seconds = cpu_seconds(server.pid) - cpu_before
    figures.client_cpu_seconds = time.process_time() - own_cpu
    figures.final_total = projector.totals[-1][1] if projector.totals else 0

    votes = [v for r in runs for v in r.votes]
    figures.sent = sum(v.sent is not None for v in votes)
    figures.acked = sum(v.acked is not None for v in votes)
    figures.refused = sum(v.refused is not None for v in votes)
    figures.unanswered = sum(v.sent is not None and v.acked is None and v.refused is None for v in votes)
    figures.tablet_errors = [f"{r.name or r.index}: {r.error}" for r in runs if r.error]

    # The database against what the tablets saw acknowledged.
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT d.id, p.display_name, d.card_id, d.dots FROM dot_votes d JOIN participants p "
            "ON p.id = d.participant_id WHERE d.activity_id = ? ORDER BY d.id", (setup["activity_id"],)).fetchall()
    stored: dict[tuple[str, int], int] = {}
    rank: dict[tuple[str, int], int] = {}
    for position, (_row_id, name, card_id, dots) in enumerate(rows, 1):
        key = (name, card_id)
        stored[key] = stored.get(key, 0) + dots
        rank.setdefault(key, position)
    figures.db_total = sum(stored.values())
    names = {r.index: r.name for r in runs}
    acked = {(names[v.tablet], v.card_id) for v in votes if v.acked is not None}
    figures.lost = sum(1 for key in acked if stored.get(key, 0) < 1)
    figures.duplicated = sum(max(0, n - 1) for n in stored.values())
    figures.stored_unacked = sum(1 for key in stored if key not in acked)

    # Latency: send -> first projector update whose total includes the vote (by commit rank).
    shown = projector.totals
    for vote in votes:
        key = (names[vote.tablet], vote.card_id)
        if vote.sent is None or key not in rank:
            continue
        at = next((t for t, total in shown if total >= rank[key] and t >= vote.sent), None)
        if at is None:
            figures.not_shown += 1
        else:
            figures.latencies_ms.append((at - vote.sent) * 1000)
            if vote.sent - start < figures.connect_seconds:
                figures.joining_ms.append((at - vote.sent) * 1000)
            else:
                figures.after_joins_ms.append((at - vote.sent) * 1000)
    if args.keep:  # raw timings, for a closer look
        (Path(args.workdir) / "votes.json").write_text(json.dumps({
            "votes": [{"tablet": v.tablet, "card": v.card_id, "sent": v.sent - start if v.sent else None,
                       "acked": v.acked - start if v.acked else None,
                       "rank": rank.get((names[v.tablet], v.card_id))} for v in votes],
            "projector": [(t - start, total) for t, total in shown],
            "start_wall": time.time() - (time.perf_counter() - start),
            "joins": [(r.index, r.join_at, r.joined_at - start if r.joined_at else None) for r in runs]}))
    figures.join_page_s = [r.join_page_s for r in runs if r.join_page_s is not None]
    figures.tablet_page_s = [r.tablet_page_s for r in runs if r.tablet_page_s is not None]
    figures.join_total_s = [r.join_total_s for r in runs if r.join_total_s is not None]
    figures.ack_ms = [(v.acked - v.sent) * 1000 for v in votes if v.acked is not None]

    await asyncio.gather(*(t.close() for t in tablets), return_exceptions=True)
    await projector.close()
    return figures


# --- the bare python-socketio baseline -----------------------------------------------------------------------


def bare_server(port: int) -> None:
    """A minimal python-socketio ASGI server: each "vote" is broadcast to the projector room."""
    import uvicorn

    sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")
    total = 0

    @sio.on("projector")
    async def _projector(sid: str) -> bool:
        await sio.enter_room(sid, "projector")
        return True

    @sio.on("vote")
    async def _vote(_sid: str, data: dict) -> int:
        nonlocal total
        total += 1
        await sio.emit("update", {"vote": data["vote"], "total": total}, room="projector")
        return total

    # The same websocket implementation as NiceGUI's server (uvicorn with wsproto).
    uvicorn.run(socketio.ASGIApp(sio), host="127.0.0.1", port=port, log_level="warning", ws="wsproto")


async def bench_bare(args: argparse.Namespace, base: str, server: subprocess.Popen) -> Figures:
    figures = Figures("bare python-socketio")
    received: dict[str, float] = {}
    projector = socketio.AsyncClient(reconnection=False)

    @projector.on("update")
    def _update(msg: dict) -> None:
        received.setdefault(msg["vote"], time.perf_counter())

    await projector.connect(base, transports=["websocket"], wait_timeout=STEP_TIMEOUT)
    await projector.call("projector", timeout=STEP_TIMEOUT)
    await asyncio.sleep(1.0)
    figures.rss_before = rss_mb(server.pid)
    cpu_before = cpu_seconds(server.pid)
    runs = plan(args.tablets, args.seconds, args.join_window, args.budget, list(range(1, CARD_COUNT + 1)), args.seed)
    start = time.perf_counter()
    sent: dict[str, float] = {}
    clients: list[socketio.AsyncClient] = []

    async def one(run: TabletRun) -> None:
        try:
            await asyncio.sleep(max(0.0, start + run.join_at - time.perf_counter()))
            client = socketio.AsyncClient(reconnection=False)
            clients.append(client)
            await client.connect(base, transports=["websocket"], wait_timeout=STEP_TIMEOUT)
            run.joined_at = time.perf_counter()
            for vote in run.votes:
                await asyncio.sleep(max(0.0, start + vote.planned - time.perf_counter()))
                key = f"{run.index}:{vote.card_id}"
                vote.sent = sent[key] = time.perf_counter()
                await client.call("vote", {"vote": key}, timeout=STEP_TIMEOUT)
                vote.acked = time.perf_counter()
        except Exception as exc:  # noqa: BLE001
            run.error = f"{type(exc).__name__}: {exc}"

    tasks = [asyncio.create_task(one(r)) for r in runs]

    async def sample_connected() -> None:
        while any(r.joined_at is None and r.error is None for r in runs):
            await asyncio.sleep(0.2)
        figures.connect_seconds = time.perf_counter() - start
        figures.rss_connected = rss_mb(server.pid)

    sampler = asyncio.create_task(sample_connected())
    done, pending = await asyncio.wait(tasks, timeout=args.seconds + 3 * STEP_TIMEOUT)
    for task in pending:
        task.cancel()
    await sampler
    await asyncio.sleep(1.0)
    figures.rss_end = rss_mb(server.pid)
    figures.cpu_seconds = cpu_seconds(server.pid) - cpu_before
    votes = [v for r in runs for v in r.votes]
    figures.sent = len(sent)
    figures.acked = sum(v.acked is not None for v in votes)
    figures.unanswered = figures.sent - figures.acked
    figures.tablet_errors = [f"{r.index}: {r.error}" for r in runs if r.error]
    figures.latencies_ms = [(received[k] - t) * 1000 for k, t in sent.items() if k in received]
    figures.not_shown = sum(1 for k in sent if k not in received)
    figures.final_total = len(received)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    await projector.disconnect()
    return figures


# --- report ----------------------------------------------------------------------------------------------------


def report(args: argparse.Namespace, ours: Figures, bare: Figures | None, load: tuple) -> bool:
    p50, p95 = percentile(ours.latencies_ms, 0.5), percentile(ours.latencies_ms, 0.95)
    mb_connected = (ours.rss_connected - ours.rss_before) / args.tablets
    mb_end = (ours.rss_end - ours.rss_before) / args.tablets
    mb = max(mb_connected, mb_end)
    ok = True

    def line(label: str, value: str, target: str = "", passed: bool | None = None) -> None:
        mark = "" if passed is None else ("OK" if passed else "MISSED")
        print(f"  {label:<44} {value:>22}   {target:<16} {mark}")

    print()
    print(f"Load benchmark: {args.tablets} tablets, {args.budget} votes each within {args.seconds:.0f} s "
          f"(joins within {args.join_window:.0f} s), 1 projector")
    print(f"  machine: {os.cpu_count()} CPUs, load average before {load[0]:.2f} / after {load[1]:.2f} (1 min)"
          + (f", CPU pressure {load[2]:.0f}% of the time (some task waiting for a CPU)" if load[2] is not None else ""))
    print("  the simulated clients run in this one process, on the same machine as the server")
    print()
    print(f"  {'':<44} {'measured':>22}   {'target':<16}")
    line("votes sent / acknowledged", f"{ours.sent} / {ours.acked}")
    line("votes refused / unanswered (30 s)", f"{ours.refused} / {ours.unanswered}", "0", ours.refused + ours.unanswered == 0)
    line("tablets failed", str(len(ours.tablet_errors)), "0", not ours.tablet_errors)
    lost_ok = ours.lost == 0 and ours.duplicated == 0 and ours.stored_unacked == 0
    line("votes lost / duplicated / stored unacked", f"{ours.lost} / {ours.duplicated} / {ours.stored_unacked}",
         "0 / 0 / 0", lost_ok)
    line("dots in DB / on projector at the end", f"{ours.db_total} / {ours.final_total}", "equal",
         ours.db_total == ours.final_total)
    line("votes never shown on the projector", str(ours.not_shown), "0", ours.not_shown == 0)
    line("latency vote -> projector p50 (ms)", f"{p50:.0f}")
    line("latency vote -> projector p95 (ms)", f"{p95:.0f}", f"< {TARGET_P95_MS:.0f}", p95 < TARGET_P95_MS)
    line("latency max (ms)", f"{max(ours.latencies_ms, default=float('nan')):.0f}")
    line("  p50 / p95 while tablets join (ms)",
         f"{percentile(ours.joining_ms, 0.5):.0f} / {percentile(ours.joining_ms, 0.95):.0f} (n={len(ours.joining_ms)})")
    line("  p50 / p95 once all have joined (ms)",
         f"{percentile(ours.after_joins_ms, 0.5):.0f} / {percentile(ours.after_joins_ms, 0.95):.0f}"
         f" (n={len(ours.after_joins_ms)})")
    line("  tablet ack p50 / p95 (ms)", f"{percentile(ours.ack_ms, 0.5):.0f} / {percentile(ours.ack_ms, 0.95):.0f}")
    ok &= lost_ok and p95 < TARGET_P95_MS and not ours.tablet_errors and ours.not_shown == 0
    ok &= ours.db_total == ours.final_total and ours.refused + ours.unanswered == 0
    if bare is not None:
        b50, b95 = percentile(bare.latencies_ms, 0.5), percentile(bare.latencies_ms, 0.95)
        line("bare socket.io p50 / p95 (ms)", f"{b50:.1f} / {b95:.1f}")
        line("bare votes sent / broadcast / failed", f"{bare.sent} / {bare.final_total} / {len(bare.tablet_errors)}")
        ratio95, ratio50 = p95 / b95, p50 / b50
        line("ratio ours / bare, p95", f"{ratio95:.1f}x", f"<= {TARGET_RATIO:.0f}x", ratio95 <= TARGET_RATIO)
        line("ratio ours / bare, p50", f"{ratio50:.1f}x")
        ok &= ratio95 <= TARGET_RATIO
    line("server RSS before / all connected / end (MB)",
         f"{ours.rss_before:.0f} / {ours.rss_connected:.0f} / {ours.rss_end:.0f}")
    line("memory per connected tablet (MB)", f"{mb:.2f}", f"< {TARGET_MB_PER_TABLET:.0f}", mb < TARGET_MB_PER_TABLET)
    ok &= mb < TARGET_MB_PER_TABLET
    line("all tablets connected after (s)", f"{ours.connect_seconds:.1f}")
    line("join page / tablet page load p50 / p95 (s)",
         f"{percentile(ours.join_page_s, .5):.2f}/{percentile(ours.join_page_s, .95):.2f} "
         f"{percentile(ours.tablet_page_s, .5):.2f}/{percentile(ours.tablet_page_s, .95):.2f}")
    line("join -> voting tablet p50 / p95 (s)",
         f"{percentile(ours.join_total_s, .5):.2f} / {percentile(ours.join_total_s, .95):.2f}")
    line("server CPU during the run (s, of 2 cores)", f"{ours.cpu_seconds:.1f}"
         + (f" (bare {bare.cpu_seconds:.1f})" if bare else ""))
    line("benchmark clients' CPU (s, this process)", f"{ours.client_cpu_seconds:.1f}")
    line("  its event loop lateness p50 / p99 / max (ms)", f"{percentile(ours.client_lag_ms, .5):.0f} / "
         f"{percentile(ours.client_lag_ms, .99):.0f} / {max(ours.client_lag_ms, default=0):.0f}")
    for error in (ours.tablet_errors + (bare.tablet_errors if bare else []))[:10]:
        print("  ! " + error)
    print()
    print("  all targets met" if ok else "  TARGETS MISSED (see above)")
    return ok


@contextlib.contextmanager
def no_client_gc_pauses():
    """No garbage collection in this (measuring) process during a run.

    The 150 simulated clients keep every page's elements; collections over them paused this
    process's event loop for up to 250 ms, and a pause while a projector update arrives is
    counted as server latency. Applied to both runs (ours and bare) alike; memory is freed after.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


async def main_async(args: argparse.Namespace, workdir: Path) -> int:
    data_dir = workdir / "data"
    data_dir.mkdir()
    db_path = data_dir / "workshop.sqlite3"
    setup = create_seminar(db_path, args.budget)
    env = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_STORAGE_SECRET": "bench-" + uuid.uuid4().hex,
           "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    load_before = os.getloadavg()[0]
    pressure_before, wall_before = cpu_pressure_us(), time.monotonic()
    port = args.port or free_port()
    command = [args.server_wrapper] if args.server_wrapper else ["-m", "workshop"]
    server = start_process([sys.executable, *command, "serve", "--host", "127.0.0.1", "--port", str(port)],
                           env, workdir / "server.log")
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_http(base + "/", server)
        print(f"server up (pid {server.pid}, log {workdir / 'server.log'}); running {args.seconds:.0f} s of votes…",
              flush=True)
        spy = None
        if args.py_spy:
            spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                                    "--rate", "100", "--gil", "--nonblocking", "-o", args.py_spy, "--pid", str(server.pid)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with no_client_gc_pauses():
                ours = await bench_app(args, base, setup, server, db_path)
        finally:
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=30)
    finally:
        stop_process(server)
    bare = None
    if not args.no_bare:
        port = free_port()
        server = start_process([sys.executable, __file__, "--bare-server", str(port)], env, workdir / "bare.log")
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_http(base + "/socket.io/?EIO=4&transport=polling", server)
            print("bare python-socketio server up; same schedule…", flush=True)
            with no_client_gc_pauses():
                bare = await bench_bare(args, base, server)
        finally:
            stop_process(server)
    pressure_after = cpu_pressure_us()
    pressure = None
    if pressure_before is not None and pressure_after is not None:
        pressure = (pressure_after - pressure_before) / 1e6 / (time.monotonic() - wall_before) * 100
    ok = report(args, ours, bare, (load_before, os.getloadavg()[0], pressure))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tablets", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=60.0, help="votes happen within this many seconds")
    parser.add_argument("--join-window", type=float, default=30.0, help="tablets join within this many seconds")
    parser.add_argument("--budget", type=int, default=5, help="dots per tablet (each on a different card)")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--port", type=int, default=0, help="port of the app server (default: a free one)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare python-socketio baseline")
    parser.add_argument("--py-spy", metavar="FILE", help="profile the app server with py-spy (collapsed stacks)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory and logs")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--server-wrapper", metavar="SCRIPT", help=argparse.SUPPRESS)  # diagnosis: python SCRIPT serve …
    args = parser.parse_args(argv)
    if args.bare_server:
        bare_server(args.bare_server)
        return 0
    if not 1 <= args.budget <= CARD_COUNT:
        parser.error(f"--budget must be between 1 and {CARD_COUNT}")
    workdir = Path(tempfile.mkdtemp(prefix="workshop-load-"))
    args.workdir = str(workdir)
    try:
        return asyncio.run(main_async(args, workdir))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
