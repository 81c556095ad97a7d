"""What the load benchmarks measure: process memory and CPU, latencies, the printed table."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path


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
    cpu_by_process: dict[str, float] = field(default_factory=dict)  # workers mode: w1, w2, haproxy
    database_cpu_seconds: float | None = None  # PostgreSQL's own processes (the deployment's database)
    connect_seconds: float = 0.0
    spread: dict[str, int] = field(default_factory=dict)  # workers mode: tablets per worker
    projectors_on: list[str] = field(default_factory=list)
    projectors_lost: list[float] = field(default_factory=list)  # when a projector's socket dropped


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

