"""Load benchmarks: simulated tablets voting through the real websocket path. Prints figures.

    .venv/bin/python -m bench.load single   [--tablets 150]              one process, SQLite (the laptop)
    .venv/bin/python -m bench.load workers  [--tablets 500 --workers 2]  a plenary on workers + HAProxy, PostgreSQL
    .venv/bin/python -m bench.load rooms    [--rooms 10 --tablets 50]    ten seminars at once, each its projector
    .venv/bin/python -m bench.load badwifi  [--tablets 150]              one process, tablets behind tc netem
    .venv/bin/python -m bench.load floor    [--tablets 150]              NiceGUI's floor: the pages, no app work

Every run, all on this machine: fresh data (SQLite file, or a PostgreSQL schema of its own,
dropped at the end), seminars with 10 stakes and the dot vote open (budget 5), the server(s)
as subprocesses, a simulated projector per seminar (logs in through the login form, records
every "N votants · M gommettes" it shows), and tablets with their own cookie jars that join
through the join form within ``--join-window`` seconds and tap "+" on ``--budget`` cards at
random moments until ``--seconds``. Then: the database against the acknowledged votes (lost,
duplicated), vote -> projector latency (p50/p95), server memory per tablet, server CPU; and
the same schedule against a bare python-socketio relay (its CPU is the yardstick).

Exit status 1 when a vote is lost or duplicated or a target is missed (p95 < 250 ms,
< 2 MB per tablet). Not a test: run by hand (``make bench-load…``), a few minutes each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import floor, netns  # noqa: E402
from bench.load.measure import cpu_pressure_us, no_client_gc_pauses  # noqa: E402
from bench.load.run import bench_app, bench_bare, report  # noqa: E402
from bench.load.servers import (  # noqa: E402
    CARD_COUNT,
    bare_server,
    create_seminars,
    postgres_store,
    sqlite_store,
    start_bare,
    start_single,
    start_workers,
)

DEFAULTS = {  # scenario -> (tablets per seminar, seminars, workers)
    "single": (150, 1, 1),
    "workers": (500, 1, 2),
    "rooms": (50, 10, 2),
    "badwifi": (150, 1, 1),
    "floor": (150, 1, 1),
}


async def scenario(args: argparse.Namespace, workdir: Path) -> int:
    if args.scenario == "floor":
        return await floor_scenario(args, workdir)
    data_dir = workdir / "data"
    data_dir.mkdir()
    postgres = args.scenario in ("workers", "rooms") or args.postgres
    store = postgres_store() if postgres else sqlite_store(data_dir)
    link = netns.Link(**json.loads(args.inner_link)) if args.inner_link else None
    try:
        setups = create_seminars(store, args.rooms, args.budget)
        load_before = os.getloadavg()[0]
        pressure_before, wall_before = cpu_pressure_us(), time.monotonic()
        if args.workers > 1:
            deployment = await start_workers(data_dir, store, workdir, args.workers)
        elif link is not None:
            deployment = await start_single(data_dir, store, workdir, host="0.0.0.0", netns=link.server_ns,
                                            base_host=link.wifi_server, projector_host=link.cable_server)
        else:
            deployment = await start_single(data_dir, store, workdir, wrapper=args.server_wrapper)
        spy = None
        try:
            print(f"{deployment.name} up (logs in {workdir}); {args.rooms} x {args.tablets} tablets, "
                  f"{args.seconds:.0f} s of votes…", flush=True)
            if args.py_spy:
                processes = deployment.processes()  # workers mode: w1, not HAProxy
                pid = processes.get("w1") or next(iter(processes.values()))
                spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                                        "--rate", "100", "--gil", "--nonblocking", "-o", args.py_spy, "--pid", str(pid)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with no_client_gc_pauses():
                ours = await bench_app(args, deployment, store, setups)
        finally:
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=60)
            deployment.stop()
        bare = None if args.no_bare else await run_bare(args, workdir, setups, link)
        pressure = pressure_since(pressure_before, wall_before)
        title = {
            "single": "Load benchmark, one process (the laptop)",
            "workers": f"Load benchmark, one plenary on {args.workers} workers behind HAProxy",
            "rooms": f"Load benchmark, {args.rooms} seminars at once, "
                     + (f"{args.workers} workers behind HAProxy" if args.workers > 1 else "one process"),
            "badwifi": (f"Load benchmark, bad wifi ({link.netem} on each direction of the tablets' link, by {link.how}; "
                        "projectors on a clean link)") if link else "Load benchmark, bad wifi",
        }[args.scenario]
        title += (f": {args.rooms} x {args.tablets} tablets, {args.budget} votes each within {args.seconds:.0f} s "
                  f"(joins within {args.join_window:.0f} s), {args.rooms} projector(s); {store.kind}")
        ok = report(title, args.rooms * args.tablets, ours, bare, (load_before, os.getloadavg()[0], pressure),
                    latency_target=args.scenario != "badwifi")
        return 0 if ok else 1
    finally:
        store.cleanup()


async def run_bare(args: argparse.Namespace, workdir: Path, setups: list[dict], link: netns.Link | None = None):
    """The same schedule against the bare python-socketio relay (on the bad link too, when there is one)."""
    if link is not None:
        relay = await start_bare(workdir, host="0.0.0.0", netns=link.server_ns, base_host=link.wifi_server,
                                 projector_host=link.cable_server)
    else:
        relay = await start_bare(workdir)
    try:
        print("bare python-socketio relay up; same schedule…", flush=True)
        with no_client_gc_pauses():
            return await bench_bare(args, relay, setups)
    finally:
        relay.stop()


def pressure_since(before: float | None, wall_before: float) -> float | None:
    """Share of the time (%) some task waited for a CPU since ``before`` (None where the kernel does not say)."""
    after = cpu_pressure_us()
    if before is None or after is None:
        return None
    return (after - before) / 1e6 / (time.monotonic() - wall_before) * 100


async def floor_scenario(args: argparse.Namespace, workdir: Path) -> int:
    """The single-process schedule against NiceGUI's floor (``bench/load/floor.py``), then the bare relay."""
    cards = {i: f"Enjeu n° {i} : un territoire plus sobre et solidaire" for i in range(1, CARD_COUNT + 1)}
    setups = [{"seminar_id": 1, "code": "FLOOR", "activity_id": 1, "cards": cards}]
    load_before = os.getloadavg()[0]
    pressure_before, wall_before = cpu_pressure_us(), time.monotonic()
    deployment = await floor.start(workdir)
    try:
        print(f"{deployment.name} up (logs in {workdir}); 1 x {args.tablets} tablets, {args.seconds:.0f} s of votes…",
              flush=True)
        with no_client_gc_pauses():
            ours = await bench_app(args, deployment, None, setups, lambda _ids: floor.stored(deployment.base))
    finally:
        deployment.stop()
    bare = await run_bare(args, workdir, setups)
    pressure = pressure_since(pressure_before, wall_before)
    title = (f"NiceGUI's floor (the app's pages and messages, no app work): 1 x {args.tablets} tablets, "
             f"{args.budget} votes each within {args.seconds:.0f} s (joins within {args.join_window:.0f} s)")
    ok = report(title, args.tablets, ours, bare, (load_before, os.getloadavg()[0], pressure), latency_target=True)
    return 0 if ok else 1


def run_badwifi_outside(args: argparse.Namespace, argv: list[str]) -> int:
    """Make the namespaces, run this benchmark again inside the client one, remove them."""
    try:
        link = netns.create(args.netem)
    except RuntimeError as exc:
        print(f"bad-wifi benchmark impossible here: {exc}", file=sys.stderr)
        return 2
    try:
        inner = ["ip", "netns", "exec", link.client_ns, sys.executable, "-m", "bench.load", *argv,
                 "--inner-link", json.dumps(link.__dict__)]
        return subprocess.run(inner, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).returncode
    finally:
        netns.remove(link)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    p.add_argument("scenario", choices=sorted(DEFAULTS))
    p.add_argument("--tablets", type=int, help="tablets per seminar (default: 150; 500 workers; 50 rooms)")
    p.add_argument("--rooms", type=int, help="seminars at once, each with its projector (default 1; 10 rooms)")
    p.add_argument("--workers", type=int, help="worker processes behind HAProxy (default 1; 2 workers and rooms)")
    p.add_argument("--postgres", action="store_true", help="PostgreSQL for a one-process run too")
    p.add_argument("--seconds", type=float, default=60.0, help="votes happen within this many seconds")
    p.add_argument("--join-window", type=float, default=30.0, help="tablets join within this many seconds")
    p.add_argument("--budget", type=int, default=5, help="dots per tablet (each on a different card)")
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--netem", default="delay 80ms 40ms loss 2%",
                   help="badwifi: netem settings of each direction ('none': the same namespaces, no impairment)")
    p.add_argument("--no-bare", action="store_true", help="skip the bare python-socketio baseline")
    p.add_argument("--py-spy", metavar="FILE", help="profile the (first) server process with py-spy (collapsed stacks)")
    p.add_argument("--keep", action="store_true", help="keep the temporary data directory and logs")
    p.add_argument("--inner-link", help=argparse.SUPPRESS)  # badwifi: running inside the client namespace
    p.add_argument("--server-wrapper", metavar="SCRIPT", help=argparse.SUPPRESS)  # diagnosis: python SCRIPT serve …
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["floor-server"]:
        floor.floor_server(int(argv[1]))
        return 0
    if argv[:1] == ["bare-server"]:
        bare_server(int(argv[1]), argv[2] if len(argv) > 2 else "127.0.0.1")
        return 0
    args = parser().parse_args(argv)
    tablets, rooms, workers = DEFAULTS[args.scenario]
    args.tablets = args.tablets or tablets
    args.rooms = args.rooms or rooms
    args.workers = args.workers or workers
    if not 1 <= args.budget <= CARD_COUNT:
        parser().error(f"--budget must be between 1 and {CARD_COUNT}")
    if args.scenario == "badwifi" and not args.inner_link:
        return run_badwifi_outside(args, argv)
    workdir = Path(tempfile.mkdtemp(prefix=f"workshop-load-{args.scenario}-"))
    try:
        return asyncio.run(scenario(args, workdir))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
