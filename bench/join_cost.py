"""What one tablet join costs the server: CPU seconds per join. Prints figures; not a test.

    .venv/bin/python bench/join_cost.py [--tablets 150] [--at-once 1] [--repeat 3] [--py-spy FILE]

Each repetition: fresh SQLite data (one seminar, 10 stakes, the dot vote open, as
``python -m bench.load single``), the real server (``workshop serve``) as a subprocess, a few
warm-up joins (not counted), then ``--tablets`` simulated tablets join one after another (or
``--at-once`` at a time): GET /join/{code}, connect its socket, send what the join form sends
on "Entrer dans le séminaire" (its one "join" message: name, collège, table), until the
tablet's dot-vote panel is there (``bench.load.client.Tablet.join``).
The server's CPU (user + system, all its threads, from /proc) over those joins, divided by the
number of joins, is one figure; the median of the repetitions is printed (the machine is
shared: single runs are noisy). No projector is open; the tablets stay connected until the
end of their repetition, so the figure includes what already-connected tablets cost while
idle (a ping a second each): that share is estimated from 5 s of quiet after the joins and
printed, and the median without it too.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load.client import Tablet, TabletRun  # noqa: E402
from bench.load.measure import cpu_seconds, no_client_gc_pauses, percentile  # noqa: E402
from bench.load.servers import create_seminars, sqlite_store, start_single  # noqa: E402

WARM_UP = 5
IDLE_SECONDS = 5.0


async def join_all(base: str, setup: dict, first: int, count: int, at_once: int) -> tuple[list[Tablet], list[str]]:
    tablets = [Tablet(base, setup["code"], setup["seminar_id"], setup["cards"], TabletRun(first + i, 0.0, []))
               for i in range(count)]
    errors: list[str] = []
    queue = iter(tablets)

    async def worker() -> None:
        for tablet in queue:
            try:
                await tablet.join()
            except Exception as exc:  # noqa: BLE001 - reported
                errors.append(f"{tablet.run.index}: {type(exc).__name__}: {exc}")

    await asyncio.gather(*(worker() for _ in range(at_once)))
    return tablets, errors


async def repetition(args: argparse.Namespace, n: int, workdir: Path) -> dict:
    data_dir = workdir / f"data{n}"
    data_dir.mkdir()
    store = sqlite_store(data_dir)
    setup = create_seminars(store, 1, 5)[0]
    deployment = await start_single(data_dir, store, workdir)
    pid = deployment.processes()["server"]
    spy = None
    tablets: list[Tablet] = []
    try:
        warm, errors = await join_all(deployment.base, setup, 1, WARM_UP, 1)
        tablets += warm
        await asyncio.sleep(1.0)
        if args.py_spy and n == 0:
            spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                                    "--rate", "200", "--gil", "--nonblocking", "-o", args.py_spy, "--pid", str(pid)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.sleep(1.0)
        cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
        with no_client_gc_pauses():
            joined, more_errors = await join_all(deployment.base, setup, WARM_UP + 1, args.tablets, args.at_once)
        cpu, wall = cpu_seconds(pid) - cpu_before, time.perf_counter() - wall_before
        tablets += joined
        errors += more_errors
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
            spy = None
        # What connected tablets cost while nothing happens (a ping a second each, NiceGUI's outbox):
        # part of the figure above, as tablets that joined stay connected while the others join.
        idle_before, idle_wall = cpu_seconds(pid), time.perf_counter()
        await asyncio.sleep(IDLE_SECONDS)
        idle_rate = (cpu_seconds(pid) - idle_before) / (time.perf_counter() - idle_wall) / len(tablets)
        end = wall_before + wall
        connected_s = WARM_UP * wall + sum(end - t.run.joined_at for t in joined if t.run.joined_at is not None)
        totals = [t.run.join_total_s for t in joined if t.run.join_total_s is not None]
        return {"cpu_ms": cpu / args.tablets * 1000, "wall_s": wall, "errors": errors,
                "idle_ms": idle_rate * connected_s / args.tablets * 1000,
                "p50_ms": percentile(totals, 0.5) * 1000, "p95_ms": percentile(totals, 0.95) * 1000}
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        await asyncio.gather(*(t.close() for t in tablets), return_exceptions=True)
        deployment.stop()


async def main_async(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="workshop-join-cost-"))
    results = []
    try:
        for n in range(args.repeat):
            result = await repetition(args, n, workdir)
            results.append(result)
            print(f"run {n + 1}: {result['cpu_ms']:.1f} ms of server CPU per join "
                  f"(of which ~{result['idle_ms']:.1f} ms: the tablets already connected, idle; "
                  f"{args.tablets} joins, {args.at_once} at a time, {result['wall_s']:.1f} s; "
                  f"join -> dot-vote panel p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms)"
                  + (f"; {len(result['errors'])} failed: {result['errors'][:3]}" if result["errors"] else ""),
                  flush=True)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    figures = sorted(r["cpu_ms"] for r in results)
    net = sorted(r["cpu_ms"] - r["idle_ms"] for r in results)
    print(f"server CPU per join: median {statistics.median(figures):.1f} ms "
          f"(runs: {', '.join(f'{f:.1f}' for f in figures)} ms); "
          f"without the idle tablets' share: median {statistics.median(net):.1f} ms")
    return 1 if any(r["errors"] for r in results) else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tablets", type=int, default=150, help="joins measured per repetition (default 150)")
    p.add_argument("--at-once", type=int, default=1, help="tablets joining at the same time (default 1)")
    p.add_argument("--repeat", type=int, default=3, help="repetitions, each on a fresh server (default 3)")
    p.add_argument("--py-spy", metavar="FILE", help="profile the first repetition's joins (py-spy raw, GIL samples)")
    p.add_argument("--keep", action="store_true", help="keep the temporary data directory and logs")
    args = p.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
