"""CPU per NiceGUI element built, with and without workshop/ui/speedups.py.

Each measure runs in its own Python process (the patch, once installed, stays for the
process): it builds 1,000 labels and 1,000 buttons with classes, style and props in a page's
context, seven times, and keeps the fastest. Run on a quiet machine:

    .venv/bin/python bench/element_cost.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time


def _measure(patched: bool) -> float:
    """Microseconds of CPU per element, best of seven builds."""
    from nicegui import Client, ui
    from nicegui.page import page

    from workshop.ui import speedups

    if patched and not speedups.install():
        raise SystemExit("the speed-up does not apply to this NiceGUI version")
    client = Client(page(""), request=None)

    def build(pairs: int) -> ui.column:
        with client, ui.column() as column:
            for i in range(pairs):
                ui.label(f"carte {i}").classes("text-lg font-bold").style("color: #333")
                ui.button("+", on_click=lambda: None).props("flat dense")
        return column

    build(200)  # warm-up
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        column = build(1000)
        best = min(best, time.process_time() - start)
        with client:
            column.delete()
    return best * 1e6 / 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternated pairs of measures")
    parser.add_argument("--one", choices=["with", "without"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(f"{_measure(args.one == 'with'):.1f}")
        return
    import nicegui

    figures: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.rounds):
        for mode in ("without", "with"):
            out = subprocess.run([sys.executable, __file__, "--one", mode], check=True,
                                 capture_output=True, text=True).stdout
            figures[mode].append(float(out.split()[-1]))
    print(f"NiceGUI {nicegui.__version__}: CPU per element built, best of 7 builds of 2,000 elements")
    for mode, values in figures.items():
        runs = ", ".join(f"{v:.0f}" for v in values)
        print(f"  {mode:7} the speed-up: median {sorted(values)[len(values) // 2]:.0f} µs (runs {runs})")


if __name__ == "__main__":
    main()
