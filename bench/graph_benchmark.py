"""Benchmark of the graph analyses and figures on a large synthetic seminar map.

    .venv/bin/python bench/graph_benchmark.py [--cards 1000] [--links 5000] [--runs 5] [--export]

Builds a seeded synthetic map (realistic kind mix, only links allowed by the link rules),
then times each analysis and each figure: median (and min/max) of ``--runs`` runs, in ms.
Target: every analysis under 200 ms on a 2-core machine. Exit status 3 if one is over (``OVER_TARGET``; 1 is a crash).
Not a test: run it by hand (or ``make bench``) after touching workshop/analysis.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.analysis import metrics  # noqa: E402
from workshop.analysis.graph import build_graph  # noqa: E402
from workshop.analysis.synthetic import synthetic_snapshot  # noqa: E402
from workshop.figures import (  # noqa: E402
    influence_dependence_figure,
    render_images,
    static_export_problem,
    trajectories_timeline_figure,
    trajectory_graph_figure,
)

ANALYSIS_TARGET_MS = 200.0
OVER_TARGET = 3  # exit status when a figure is over its target (a crash exits 1)


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median reported)")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--export", action="store_true", help="also time a PNG export of each figure (kaleido)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    snapshot = synthetic_snapshot(args.cards, args.links, seed=args.seed, trajectories=12)
    made = (time.perf_counter() - start) * 1000
    print(f"Synthetic map: {len(snapshot.cards)} cards, {len(snapshot.links)} links, "
          f"{len(snapshot.trajectories)} trajectories (seed {args.seed}, built in {made:.0f} ms)")
    print(f"Machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"{platform.machine()}; median of {args.runs} runs\n")

    graph = build_graph(snapshot)
    cards = snapshot.by_id
    isolated = metrics.isolated_cards(graph)
    system = tuple(n for n in sorted(graph.nodes) if n not in set(isolated))
    threats = metrics.assess_threats(graph, cards)
    rank = metrics.pagerank(graph, system)
    analysis = metrics.analyse(snapshot, graph)
    print(f"MICMAC: indirect classification from power {analysis.micmac.power} ({analysis.micmac.settled.value}"
          f"{f', period {analysis.micmac.period}' if analysis.micmac.period > 1 else ''}); "
          f"{len(analysis.loops)} loops listed (complete up to {analysis.loops_complete_to} links)\n")

    analyses = [
        ("build_graph", lambda: build_graph(snapshot)),
        ("threat severity (assess_threats)", lambda: metrics.assess_threats(graph, cards)),
        ("exposure & coverage (goal_balances)", lambda: metrics.goal_balances(graph, cards, threats)),
        ("isolated cards", lambda: metrics.isolated_cards(graph)),
        ("influence/dependence (Godet's MICMAC)", lambda: metrics.influence_scores(graph, system)),
        ("feedback loops", lambda: metrics.feedback_loops(graph, system)),
        ("centrality (PageRank)", lambda: metrics.pagerank(graph, system)),
        ("clusters (Louvain)", lambda: metrics.clusters(graph, system, rank)),
        ("analyse() - everything", lambda: metrics.analyse(snapshot)),
    ]
    figures = [
        ("map, projector", lambda: trajectory_graph_figure(snapshot, analysis, mode="projector")),
        ("map, interactive", lambda: trajectory_graph_figure(snapshot, analysis, mode="interactive")),
        ("map, print", lambda: trajectory_graph_figure(snapshot, analysis, mode="print")),
        ("influence plane, projector", lambda: influence_dependence_figure(analysis, mode="projector")),
        ("influence plane, print", lambda: influence_dependence_figure(analysis, mode="print")),
        ("map, report (labels placed)", lambda: trajectory_graph_figure(snapshot, analysis, mode="print", width=1000,
                                                                        max_height=1200)),
        ("influence plane, report (labels placed)", lambda: influence_dependence_figure(
            analysis, mode="print", width=900, height=640, mentioned=tuple(s.card_id for s in analysis.influence[:20]))),
        ("timeline, projector", lambda: trajectories_timeline_figure(snapshot, mode="projector")),
    ]

    rows: list[tuple[str, str, list[float], str]] = []
    over = []
    for name, fn in analyses:
        times, _ = timed(fn, args.runs)
        # The per-analysis target; analyse() is the sum of all of them and only reported.
        target = name.startswith("analyse") is False
        median = statistics.median(times)
        status = ("ok" if median < ANALYSIS_TARGET_MS else "OVER") if target else "(sum)"
        if status == "OVER":
            over.append(name)
        rows.append(("analysis", name, times, status))
    for name, fn in figures:
        times, _ = timed(fn, max(1, min(args.runs, 3)))
        rows.append(("figure", name, times, ""))
    if args.export:
        problem = static_export_problem()
        if problem:
            print(f"Static export skipped: {problem}\n")
        else:
            items = [(trajectory_graph_figure(snapshot, analysis, mode="print"), "png", 1600, 1800),
                     (influence_dependence_figure(analysis, mode="print"), "png", 1200, 800),
                     (trajectories_timeline_figure(snapshot, mode="print"), "png", 1600, 1200)]
            times, _ = timed(lambda: render_images(items), 1)
            rows.append(("export", "3 PNGs with one browser (kaleido)", times, ""))

    width = max(len(name) for _, name, _, _ in rows)
    header = f"{'kind':<9} {'step':<{width}} {'median ms':>10} {'min':>8} {'max':>8}  target {ANALYSIS_TARGET_MS:.0f} ms"
    print(header)
    print("-" * len(header))
    for kind, name, times, status in rows:
        print(f"{kind:<9} {name:<{width}} {statistics.median(times):>10.1f} {min(times):>8.1f} {max(times):>8.1f}  {status}")
    print()
    if over:
        print(f"OVER TARGET: {', '.join(over)}")
        return OVER_TARGET
    print(f"Every analysis is under {ANALYSIS_TARGET_MS:.0f} ms.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
