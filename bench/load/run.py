"""One measured run: rooms of simulated tablets and their projectors against a deployment.

A *room* is a seminar with its projector and its tablets. Every tablet joins through the
join form at a random moment of the join window, then taps "+" on ``budget`` cards at
random moments within the run; the same schedule is replayed against the bare relay.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from pathlib import Path
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

import socketio

from bench.load.client import STEP_TIMEOUT, Projector, Tablet, TabletRun, plan, run_tablet
from bench.load.measure import Figures, cpu_seconds, loop_lag, percentile, rss_mb
from bench.load.servers import Deployment, Store, stored_votes

TARGET_P95_MS = 250.0
TARGET_MB_PER_TABLET = 2.0


@dataclass
class Room:
    setup: dict[str, Any]
    runs: list[TabletRun]
    projector: Projector | None = None


def rooms_plan(setups: list[dict], args: argparse.Namespace) -> list[Room]:
    rng = random.Random(args.seed)
    return [Room(setup, plan(args.tablets, args.seconds, args.join_window, args.budget, sorted(setup["cards"]),
                             rng.randrange(1 << 30)))
            for setup in setups]


def _rss(deployment: Deployment) -> float:
    return sum(rss_mb(pid) for pid in deployment.processes().values())


class CpuMeter:
    """CPU seconds of some processes (name -> pid, re-read at each sample); a process that died keeps
    what it had used, one born during the run counts from zero."""

    def __init__(self, processes: Callable[[], dict[str, int]]) -> None:
        self.processes = processes
        self.names: dict[int, str] = {}
        self.start = self._now()
        self.last = dict(self.start)

    def _now(self) -> dict[int, float]:
        found = {}
        for name, pid in self.processes().items():
            try:
                found[pid] = cpu_seconds(pid)
            except OSError:
                continue
            self.names[pid] = name
        return found

    def sample(self) -> None:
        self.last.update(self._now())

    def used(self) -> float:
        return sum(self.by_name().values())

    def by_name(self) -> dict[str, float]:
        self.sample()
        totals: dict[str, float] = {}
        for pid, value in self.last.items():
            name = self.names[pid]
            totals[name] = totals.get(name, 0.0) + value - self.start.get(pid, 0.0)
        return totals


def postgres_processes() -> dict[str, int]:
    """The machine's PostgreSQL server processes (the backends of every connection among them), all named
    "postgres": the database's own CPU, which a deployment on PostgreSQL spends outside its processes."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "postgres":
                found[f"postgres {stat.parent.name}"] = int(stat.parent.name)
        except OSError:
            continue
    return found


def deployment_meters(deployment: Deployment, store: Store | None) -> tuple[CpuMeter, CpuMeter | None]:
    database = CpuMeter(postgres_processes) if store is not None and store.kind == "PostgreSQL" else None
    return CpuMeter(deployment.processes), database


def take_cpu(figures: Figures, cpu: CpuMeter, database: CpuMeter | None) -> None:
    figures.cpu_by_process = cpu.by_name()
    figures.cpu_seconds = sum(figures.cpu_by_process.values())
    if database is not None:
        figures.database_cpu_seconds = database.used()


async def bench_app(args: argparse.Namespace, deployment: Deployment, store: Store | None, setups: list[dict],
                    stored: Callable[[list[int]], list[tuple]] | None = None) -> Figures:
    """The schedule against a deployment; ``stored`` reads its votes (default: the app's database)."""
    figures = Figures(f"Visions +21 ({deployment.name}, {store.kind})" if store else deployment.name)
    rooms = rooms_plan(setups, args)
    # Made before the projectors connect: 500 HTTP clients take this process's event loop some
    # seconds (TLS contexts), long enough for the server to drop a projector that misses its pings.
    tablets = [Tablet(deployment.base, room.setup["code"], room.setup["seminar_id"], room.setup["cards"], run)
               for room in rooms for run in room.runs]
    for room in rooms:
        room.projector = Projector(deployment.projector_base, room.setup["seminar_id"])
        await room.projector.start()
    await asyncio.sleep(2.0)
    figures.rss_before = _rss(deployment)
    cpu, database = deployment_meters(deployment, store)
    own_cpu = time.process_time()
    runs = [run for room in rooms for run in room.runs]
    start = time.perf_counter()
    tasks = [asyncio.create_task(run_tablet(t, start)) for t in tablets]

    async def sample_connected() -> None:
        while any(r.joined_at is None and r.error is None for r in runs):
            cpu.sample()
            if database is not None:
                database.sample()
            await asyncio.sleep(0.2)
        figures.connect_seconds = time.perf_counter() - start
        figures.rss_connected = _rss(deployment)

    sampler = asyncio.create_task(sample_connected())
    ticker = asyncio.create_task(loop_lag(figures.client_lag_ms))
    done, pending = await asyncio.wait(tasks, timeout=args.seconds + 3 * STEP_TIMEOUT)
    for task in pending:
        task.cancel()
    ticker.cancel()
    await sampler
    await asyncio.sleep(2.0)  # the last projector redraws
    figures.rss_end = _rss(deployment)
    take_cpu(figures, cpu, database)
    figures.client_cpu_seconds = time.process_time() - own_cpu
    figures.final_total = sum(room.projector.totals[-1][1] if room.projector.totals else 0 for room in rooms)

    votes = [v for r in runs for v in r.votes]
    figures.sent = sum(v.sent is not None for v in votes)
    figures.acked = sum(v.acked is not None for v in votes)
    figures.refused = sum(v.refused is not None for v in votes)
    figures.unanswered = sum(v.sent is not None and v.acked is None and v.refused is None for v in votes)
    figures.tablet_errors = [f"room {i + 1} {r.name or r.index}: {r.error}"
                             for i, room in enumerate(rooms) for r in room.runs if r.error]

    # The database against what the tablets saw acknowledged (each vote puts a first dot on a card).
    activity_ids = [room.setup["activity_id"] for room in rooms]
    rows = stored(activity_ids) if stored else stored_votes(store, activity_ids)
    figures.db_total = sum(dots for *_, dots in rows)
    for room in rooms:
        activity = room.setup["activity_id"]
        stored: dict[tuple[str, int], int] = {}
        rank: dict[tuple[str, int], int] = {}
        for _row_id, act, name, card_id, dots in rows:
            if act != activity:
                continue
            key = (name, card_id)
            stored[key] = stored.get(key, 0) + dots
            rank.setdefault(key, len(rank) + 1)
        names = {r.index: r.name for r in room.runs}
        room_votes = [v for r in room.runs for v in r.votes]
        acked = {(names[v.tablet], v.card_id) for v in room_votes if v.acked is not None}
        figures.lost += sum(1 for key in acked if stored.get(key, 0) < 1)
        figures.duplicated += sum(max(0, n - 1) for n in stored.values())
        figures.stored_unacked += sum(1 for key in stored if key not in acked)
        # Latency: send -> the room's first projector update whose total includes the vote (by commit rank).
        shown = room.projector.totals
        for vote in room_votes:
            key = (names[vote.tablet], vote.card_id)
            if vote.sent is None or key not in rank:
                continue
            at = next((t for t, total in shown if total >= rank[key] and t >= vote.sent), None)
            if at is None:
                figures.not_shown += 1
                continue
            latency = (at - vote.sent) * 1000
            figures.latencies_ms.append(latency)
            (figures.joining_ms if vote.sent - start < figures.connect_seconds else figures.after_joins_ms).append(latency)
    figures.join_page_s = [r.join_page_s for r in runs if r.join_page_s is not None]
    figures.tablet_page_s = [r.tablet_page_s for r in runs if r.tablet_page_s is not None]
    figures.join_total_s = [r.join_total_s for r in runs if r.join_total_s is not None]
    figures.ack_ms = [(v.acked - v.sent) * 1000 for v in votes if v.acked is not None]
    spread: dict[str, int] = {}
    for tablet in tablets:
        worker = tablet.http.cookies.get("V21WORKER")
        if worker:
            spread[worker] = spread.get(worker, 0) + 1
    figures.spread = spread
    figures.projectors_on = sorted({room.projector.http.cookies.get("V21WORKER") or "-" for room in rooms})
    figures.projectors_lost = [round(at - start, 1) for room in rooms for at in room.projector.drops]
    figures.tablet_errors += [f"room {i + 1} projector: {e}" for i, room in enumerate(rooms)
                              for e in room.projector.reopen_errors]

    await asyncio.gather(*(t.close() for t in tablets), return_exceptions=True)
    await asyncio.gather(*(room.projector.close() for room in rooms), return_exceptions=True)
    return figures


async def bench_bare(args: argparse.Namespace, deployment: Deployment, setups: list[dict]) -> Figures:
    """The same schedule against the bare relay: each vote is broadcast to its room's projector socket."""
    figures = Figures("bare python-socketio")
    received: dict[str, float] = {}
    projectors = []
    for n, _setup in enumerate(setups):
        projector = socketio.AsyncClient(reconnection=False)

        @projector.on("update")
        def _update(msg: dict) -> None:
            received.setdefault(msg["vote"], time.perf_counter())

        await projector.connect(deployment.projector_base, transports=["websocket"], wait_timeout=STEP_TIMEOUT)
        await projector.call("projector", f"room{n}", timeout=STEP_TIMEOUT)
        projectors.append(projector)
    await asyncio.sleep(1.0)
    figures.rss_before = _rss(deployment)
    cpu = CpuMeter(deployment.processes)
    rooms = rooms_plan(setups, args)
    start = time.perf_counter()
    sent: dict[str, float] = {}
    clients: list[socketio.AsyncClient] = []

    async def one(n: int, run: TabletRun) -> None:
        try:
            await asyncio.sleep(max(0.0, start + run.join_at - time.perf_counter()))
            client = socketio.AsyncClient(reconnection=False)
            clients.append(client)
            await client.connect(deployment.base, transports=["websocket"], wait_timeout=STEP_TIMEOUT)
            run.joined_at = time.perf_counter()
            for vote in run.votes:
                await asyncio.sleep(max(0.0, start + vote.planned - time.perf_counter()))
                key = f"{n}:{run.index}:{vote.card_id}"
                vote.sent = sent[key] = time.perf_counter()
                await client.call("vote", {"vote": key, "room": f"room{n}"}, timeout=STEP_TIMEOUT)
                vote.acked = time.perf_counter()
        except Exception as exc:  # noqa: BLE001
            run.error = f"{type(exc).__name__}: {exc}"

    runs = [(n, run) for n, room in enumerate(rooms) for run in room.runs]
    tasks = [asyncio.create_task(one(n, r)) for n, r in runs]

    async def sample_connected() -> None:
        while any(r.joined_at is None and r.error is None for _, r in runs):
            await asyncio.sleep(0.2)
        figures.connect_seconds = time.perf_counter() - start
        figures.rss_connected = _rss(deployment)

    sampler = asyncio.create_task(sample_connected())
    done, pending = await asyncio.wait(tasks, timeout=args.seconds + 3 * STEP_TIMEOUT)
    for task in pending:
        task.cancel()
    await sampler
    await asyncio.sleep(1.0)
    figures.rss_end = _rss(deployment)
    take_cpu(figures, cpu, None)
    votes = [v for _, r in runs for v in r.votes]
    figures.sent = len(sent)
    figures.acked = sum(v.acked is not None for v in votes)
    figures.unanswered = figures.sent - figures.acked
    figures.tablet_errors = [f"{r.index}: {r.error}" for _, r in runs if r.error]
    figures.latencies_ms = [(received[k] - t) * 1000 for k, t in sent.items() if k in received]
    figures.not_shown = sum(1 for k in sent if k not in received)
    figures.final_total = len(received)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    await asyncio.gather(*(p.disconnect() for p in projectors), return_exceptions=True)
    return figures


def report(title: str, tablets: int, ours: Figures, bare: Figures | None, load: tuple, *,
           latency_target: bool = True) -> bool:
    """Print the table; True when every target is met (the p95 target only where it applies: not on bad wifi;
    the CPU ratio only where the bare relay ran)."""
    p50, p95 = percentile(ours.latencies_ms, 0.5), percentile(ours.latencies_ms, 0.95)
    mb = max(ours.rss_connected - ours.rss_before, ours.rss_end - ours.rss_before) / max(1, tablets)
    ok = True

    def line(label: str, value: str, target: str = "", passed: bool | None = None) -> None:
        mark = "" if passed is None else ("OK" if passed else "MISSED")
        print(f"  {label:<46} {value:>24}   {target:<12} {mark}")

    print()
    print(title)
    print(f"  server: {ours.name}")
    print(f"  machine: {os.cpu_count()} CPUs, load average before {load[0]:.2f} / after {load[1]:.2f} (1 min)"
          + (f", CPU pressure {load[2]:.0f}% of the time (some task waiting for a CPU)" if load[2] is not None else ""))
    print("  the simulated clients run in this one process, on the same machine as the server")
    if getattr(ours, "spread", None):
        print(f"  tablets per worker: {', '.join(f'{w} {n}' for w, n in sorted(ours.spread.items()))}; "
              f"projectors on {', '.join(ours.projectors_on)}")
    print()
    print(f"  {'':<46} {'measured':>24}   {'target':<12}")
    line("votes sent / acknowledged", f"{ours.sent} / {ours.acked}")
    line("votes refused / unanswered (30 s)", f"{ours.refused} / {ours.unanswered}", "0", ours.refused + ours.unanswered == 0)
    line("tablets failed", str(len(ours.tablet_errors)), "0", not ours.tablet_errors)
    lost_ok = ours.lost == 0 and ours.duplicated == 0 and ours.stored_unacked == 0
    line("votes lost / duplicated / stored unacked", f"{ours.lost} / {ours.duplicated} / {ours.stored_unacked}",
         "0 / 0 / 0", lost_ok)
    line("dots in DB / on projectors at the end", f"{ours.db_total} / {ours.final_total}", "equal",
         ours.db_total == ours.final_total)
    line("votes never shown on their projector", str(ours.not_shown), "0", ours.not_shown == 0)
    if ours.projectors_lost:  # each then loaded its page again, as nicegui.js does
        line("projector sockets dropped (s after start)", ", ".join(map(str, ours.projectors_lost[:4])), "none", False)
        ok = False
    line("latency vote -> projector p50 (ms)", f"{p50:.0f}")
    if latency_target:
        line("latency vote -> projector p95 (ms)", f"{p95:.0f}", f"< {TARGET_P95_MS:.0f}", p95 < TARGET_P95_MS)
        ok &= p95 < TARGET_P95_MS
    else:
        line("latency vote -> projector p95 (ms)", f"{p95:.0f}", "(printed)")
    line("latency max (ms)", f"{max(ours.latencies_ms, default=float('nan')):.0f}")
    line("  p50 / p95 while tablets join (ms)",
         f"{percentile(ours.joining_ms, 0.5):.0f} / {percentile(ours.joining_ms, 0.95):.0f} (n={len(ours.joining_ms)})")
    line("  p50 / p95 once all have joined (ms)",
         f"{percentile(ours.after_joins_ms, 0.5):.0f} / {percentile(ours.after_joins_ms, 0.95):.0f}"
         f" (n={len(ours.after_joins_ms)})")
    line("  tablet ack p50 / p95 (ms)", f"{percentile(ours.ack_ms, 0.5):.0f} / {percentile(ours.ack_ms, 0.95):.0f}")
    ok &= lost_ok and not ours.tablet_errors and ours.not_shown == 0
    ok &= ours.db_total == ours.final_total and ours.refused + ours.unanswered == 0
    if bare is not None:
        b50, b95 = percentile(bare.latencies_ms, 0.5), percentile(bare.latencies_ms, 0.95)
        line("bare socket.io p50 / p95 (ms)", f"{b50:.1f} / {b95:.1f}")
        line("bare votes sent / broadcast / failed", f"{bare.sent} / {bare.final_total} / {len(bare.tablet_errors)}")
        line("latency ratio ours / bare, p95 (for reference)", f"{p95 / b95:.1f}x")
    line("server RSS before / all connected / end (MB)",
         f"{ours.rss_before:.0f} / {ours.rss_connected:.0f} / {ours.rss_end:.0f}")
    line("memory per connected tablet (MB)", f"{mb:.2f}", f"< {TARGET_MB_PER_TABLET:.0f}", mb < TARGET_MB_PER_TABLET)
    ok &= mb < TARGET_MB_PER_TABLET
    line("all tablets connected after (s)", f"{ours.connect_seconds:.1f}")
    line("join page load / tablet after joining p50/p95 (s)",
         f"{percentile(ours.join_page_s, .5):.2f}/{percentile(ours.join_page_s, .95):.2f} "
         f"{percentile(ours.tablet_page_s, .5):.2f}/{percentile(ours.tablet_page_s, .95):.2f}")
    line("join -> voting tablet p50 / p95 (s)",
         f"{percentile(ours.join_total_s, .5):.2f} / {percentile(ours.join_total_s, .95):.2f}")
    line("server CPU during the run (s, all its processes)", f"{ours.cpu_seconds:.1f}")
    if len(ours.cpu_by_process) > 1:
        names = sorted(ours.cpu_by_process)
        line(f"  of which {' / '.join(names)}"[:46], " / ".join(f"{ours.cpu_by_process[n]:.1f}" for n in names))
    if ours.database_cpu_seconds is not None:
        line("PostgreSQL's CPU during the run (s, not above)", f"{ours.database_cpu_seconds:.1f}")
    if bare is not None:
        line("bare relay CPU, same schedule (s)", f"{bare.cpu_seconds:.1f}")
        ratio = ours.cpu_seconds / bare.cpu_seconds if bare.cpu_seconds else float("nan")
        line("CPU ratio ours / bare", f"{ratio:.1f}x", "<= 6x (§2)", ratio <= 6)
        ok &= ratio <= 6
        if ours.database_cpu_seconds is not None and bare.cpu_seconds:
            line("  with PostgreSQL's CPU (for reference)",
                 f"{(ours.cpu_seconds + ours.database_cpu_seconds) / bare.cpu_seconds:.1f}x")
        line("server CPU per tablet (ms)", f"{ours.cpu_seconds / max(1, tablets) * 1000:.0f}")
    line("benchmark clients' CPU (s, this process)", f"{ours.client_cpu_seconds:.1f}")
    line("  its event loop lateness p50 / p99 / max (ms)", f"{percentile(ours.client_lag_ms, .5):.0f} / "
         f"{percentile(ours.client_lag_ms, .99):.0f} / {max(ours.client_lag_ms, default=0):.0f}")
    for error in (ours.tablet_errors + (bare.tablet_errors if bare else []))[:10]:
        print("  ! " + error)
    print()
    print("  all targets met" if ok else "  TARGETS MISSED (see above)")
    return ok
