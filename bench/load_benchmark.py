"""The 150-tablet load benchmark on one process (kept for ``make bench-load`` and old notes).

    .venv/bin/python bench/load_benchmark.py [--tablets 150] [--seconds 60] [--join-window 30]

Same as ``python -m bench.load single``; see ``bench/load/__main__.py`` for every scenario.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["single", *sys.argv[1:]]))
