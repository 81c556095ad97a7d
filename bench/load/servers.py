"""The servers a load benchmark runs against: one process, workers behind HAProxy, the bare relay.

Each is started as subprocesses on free ports (optionally inside a network namespace) and
stopped with its own process group only. The seminars are created through the services
before the server starts, on SQLite (the laptop) or on a PostgreSQL schema of the run's own
(dropped at the end).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.load.client import SECRET

ROOT = Path(__file__).resolve().parents[2]
CARD_COUNT = 10
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_process(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_process(proc: subprocess.Popen, term_wait: float = 20) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL; only this process's own group."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, term_wait), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


async def wait_http(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
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


# --- the database and the seminars -----------------------------------------------------------------------


@dataclass
class Store:
    url: str  # SQLAlchemy URL (what DATABASE_URL gets; None-like "" for the data dir's SQLite)
    server_env: dict[str, str]
    cleanup: Callable[[], None] = lambda: None

    @property
    def kind(self) -> str:
        return "PostgreSQL" if self.url.startswith("postgresql") else "SQLite"


def sqlite_store(data_dir: Path) -> Store:
    return Store(f"sqlite:///{data_dir / 'workshop.sqlite3'}", {})


def postgres_store() -> Store:
    """A schema of this run's own on the machine's PostgreSQL (shared with others: never the default schema)."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"

    def drop() -> None:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    return Store(url, {"DATABASE_URL": url}, drop)


def create_seminars(store: Store, count: int, budget: int) -> list[dict[str, Any]]:
    """``count`` seminars, each with 10 stakes and the stakes dot vote open; projectors show the results."""
    from workshop.content import default_kit, find_run_sheet
    from workshop.db import Database
    from workshop.models import CardKind, Interaction
    from workshop.services import activities, cards, planning, screen, seminars

    db = Database(store.url)
    setups = []
    try:
        db.create_schema()
        kit, run_sheet = default_kit(), find_run_sheet("deux-jours")
        for n in range(count):
            created = seminars.create_seminar(
                db, title=f"Banc de charge, salle {n + 1}", territory="Bancville", horizon_year=2050,
                run_sheet=run_sheet, kit=kit, facilitator_secret=SECRET)
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
            setups.append({"seminar_id": sid, "code": created.join_code, "activity_id": vote.id, "cards": card_ids})
        return setups
    finally:
        db.dispose()


def stored_votes(store: Store, activity_ids: list[int]) -> list[tuple[int, int, str, int, int]]:
    """(row id, activity, participant name, card, dots) of every dot-vote row, in commit (id) order."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(store.url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "SELECT d.id, d.activity_id, p.display_name, d.card_id, d.dots FROM dot_votes d "
                "JOIN participants p ON p.id = d.participant_id WHERE d.activity_id IN :ids ORDER BY d.id"
            ).bindparams(bindparam("ids", expanding=True)), {"ids": activity_ids})]
    finally:
        engine.dispose()


# --- the app: one process, or workers behind HAProxy ------------------------------------------------------


@dataclass
class Deployment:
    name: str
    base: str  # what the tablets open
    projector_base: str  # what the projectors open (never across a bad link: the laptop's own browser)
    processes: Callable[[], dict[str, int]]  # name -> pid of what serves (re-read: a worker may restart)
    stop: Callable[[], None]
    logs: list[Path] = field(default_factory=list)


def app_env(data_dir: Path, store: Store, **extra: str) -> dict[str, str]:
    env = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_STORAGE_SECRET": "bench-" + uuid.uuid4().hex,
           "WORKSHOP_SNAPSHOT_MINUTES": "0", "PYTHONUNBUFFERED": "1", **store.server_env, **extra}
    if not store.server_env:
        env.pop("DATABASE_URL", None)
    return env


def netns_prefix(netns: str | None) -> list[str]:
    return ["ip", "netns", "exec", netns] if netns else []


async def start_single(data_dir: Path, store: Store, workdir: Path, *, host: str = "127.0.0.1",
                       netns: str | None = None, base_host: str = "127.0.0.1",
                       projector_host: str = "127.0.0.1", wrapper: str | None = None) -> Deployment:
    port = free_port()
    command = [wrapper] if wrapper else ["-m", "workshop"]
    log = workdir / "server.log"
    proc = start_process([*netns_prefix(netns), sys.executable, *command, "serve", "--host", host, "--port", str(port)],
                         app_env(data_dir, store), log)
    await wait_http(f"http://{projector_host}:{port}/", proc)
    return Deployment("one process", f"http://{base_host}:{port}", f"http://{projector_host}:{port}",
                      lambda: {"server": proc.pid}, lambda: stop_process(proc), [log])


async def start_workers(data_dir: Path, store: Store, workdir: Path, count: int) -> Deployment:
    """``workshop serve --workers N`` (the supervisor, N workers, HAProxy), as a user would run it."""
    port = free_port()
    log = workdir / "supervisor.log"
    env = app_env(data_dir, store, WORKSHOP_REDIS_PREFIX=f"v21bench:{uuid.uuid4().hex[:10]}:",
                  WORKSHOP_EVENTS_CHANNEL=f"v21bench_{uuid.uuid4().hex[:12]}")
    proc = start_process([sys.executable, "-m", "workshop", "serve", "--workers", str(count), "--host", "127.0.0.1",
                          "--port", str(port)], env, log)
    deadline = time.monotonic() + 180
    while "HAProxy sur" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_process(proc)
            raise RuntimeError("workers did not start:\n" + log.read_text(errors="replace"))
        await asyncio.sleep(0.3)
    run_dir = data_dir / "workers"

    def processes() -> dict[str, int]:
        found = {p.stem: int(p.read_text()) for p in sorted(run_dir.glob("*.pid"))}
        return {name: pid for name, pid in found.items() if Path(f"/proc/{pid}").exists()}

    def stop() -> None:
        stop_process(proc, term_wait=40)
        import redis

        client = redis.Redis.from_url(os.environ.get("WORKSHOP_REDIS_URL", "redis://127.0.0.1:6379/0"))
        keys = list(client.scan_iter(match=env["WORKSHOP_REDIS_PREFIX"] + "*", count=1000))
        for i in range(0, len(keys), 1000):
            client.delete(*keys[i:i + 1000])
        client.close()

    url = f"http://127.0.0.1:{port}"
    return Deployment(f"{count} workers + HAProxy", url, url, processes, stop, [log, *sorted(run_dir.glob("*.log"))])


# --- the bare python-socketio relay --------------------------------------------------------------------------


def bare_server(port: int, host: str = "127.0.0.1") -> None:
    """A minimal python-socketio ASGI server: each "vote" is broadcast to its room's projector."""
    import socketio
    import uvicorn

    sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")
    totals: dict[str, int] = {}

    @sio.on("projector")
    async def _projector(sid: str, room: str = "room") -> bool:
        await sio.enter_room(sid, str(room))
        return True

    @sio.on("vote")
    async def _vote(_sid: str, data: dict) -> int:
        room = str(data.get("room", "room"))
        totals[room] = totals.get(room, 0) + 1
        await sio.emit("update", {"vote": data["vote"], "total": totals[room]}, room=room)
        return totals[room]

    # The same websocket implementation as NiceGUI's server (uvicorn with wsproto).
    uvicorn.run(socketio.ASGIApp(sio), host=host, port=port, log_level="warning", ws="wsproto")


async def start_bare(workdir: Path, *, host: str = "127.0.0.1", netns: str | None = None,
                     base_host: str = "127.0.0.1", projector_host: str = "127.0.0.1") -> Deployment:
    port = free_port()
    log = workdir / "bare.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = start_process([*netns_prefix(netns), sys.executable, "-m", "bench.load", "bare-server", str(port), host],
                         env, log)
    await wait_http(f"http://{projector_host}:{port}/socket.io/?EIO=4&transport=polling", proc)
    return Deployment("bare python-socketio", f"http://{base_host}:{port}", f"http://{projector_host}:{port}",
                      lambda: {"bare": proc.pid}, lambda: stop_process(proc), [log])
