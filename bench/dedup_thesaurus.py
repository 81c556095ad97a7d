"""Experiment (issue 16): does a general French thesaurus (Debian's mythes-fr) help duplicate suggestions?

    .venv/bin/python bench/dedup_thesaurus.py                # leave-one-wall-out, tuning walls only
    .venv/bin/python bench/dedup_thesaurus.py --heldout B    # then, once, the chosen variant on the held-out walls

Each card's term vector also holds the thesaurus synonyms of its words that other cards of the
wall use (``similar.Wall(thesaurus=...)``), at a share of their weight. Variants, fixed before
any figure was seen:

- A: all parts of speech, words of 3 letters or more, share 0.5
- B: nouns and verbs only, words of 5 letters or more, share 0.5
- C: nouns and verbs only, words of 5 letters or more, share 0.3

Protocol: the variant is chosen ONLY by leave-one-wall-out on the six tuning walls (threshold
chosen on the five others by bench/dedup_benchmark.py's rule): the highest mean recall among
variants whose mean precision is at least 0.80 (ties: the smaller share). ``--heldout`` then
scores that one variant on the held-out walls, at the threshold the rule picks on all six
tuning walls, next to the app (no thesaurus).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from dedup_benchmark import (leave_one_out, line, load, loo_summary, pick_threshold,  # noqa: E402
                             totals)

from workshop.dedup import text, thesaurus, vectors  # noqa: E402
from workshop.dedup.duplicates import suggest, suggested_pairs  # noqa: E402
from workshop.dedup.similar import Wall  # noqa: E402

VARIANTS = {"A": dict(min_letters=3, parts_of_speech=None, share=0.5),
            "B": dict(min_letters=5, parts_of_speech=frozenset({"Nom", "Verbe"}), share=0.5),
            "C": dict(min_letters=5, parts_of_speech=frozenset({"Nom", "Verbe"}), share=0.3)}
GRID = [round(0.20 + 0.01 * k, 2) for k in range(41)]


def method(thes, share):
    made = {}

    def at(wall, threshold):
        if wall.name not in made:
            made[wall.name] = Wall([c.text for c in wall.cards], vectors=vectors.load(), thesaurus=thes,
                                   synonym_weight=share)
        return suggested_pairs(suggest(wall.cards, threshold=threshold, wall=made[wall.name]))
    return at


def build(name):
    options = dict(VARIANTS[name])
    share = options.pop("share")
    start = time.perf_counter()
    thes = thesaurus.Thesaurus.from_file(thesaurus.path(), **options)
    print(f"  variant {name}: {len(thes)} head stems, read in {time.perf_counter() - start:.1f} s")
    return thes, share


def timing(cards, thes, share, runs=7):
    times = []
    for _ in range(runs):
        text.terms.cache_clear()
        text.ngrams.cache_clear()
        vectors.load().clear_caches()
        start = time.perf_counter()
        suggest(cards, wall=Wall([c.text for c in cards], vectors=vectors.load(), thesaurus=thes,
                                 synonym_weight=share))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", choices=sorted(VARIANTS), help="score this (chosen) variant on the held-out walls")
    args = parser.parse_args(argv)
    if thesaurus.path() is None:
        print("apt-get install mythes-fr first")
        return 1
    walls = load()
    tuning = [w for w in walls if w.split == "tuning"]
    if args.heldout:
        heldout = [w for w in walls if w.split == "heldout"]
        thes, share = build(args.heldout)
        for label, at in (("the app", method(None, 0.0)), (f"variant {args.heldout}", method(thes, share))):
            chosen = pick_threshold(tuning, at, GRID)
            print(f"\n{label}, threshold {chosen:.2f} (rule on the six tuning walls):")
            print(line("HELD-OUT walls", totals(heldout, lambda w: at(w, chosen))))
            for wall in heldout:
                print(line(f"  {wall.name}", totals([wall], lambda w: at(w, chosen))))
        every = [c for w in tuning for c in w.cards]
        for n in (150, 600):
            print(f"  {n} cards: {timing(every[:n], None, 0.0):6.1f} ms the app, "
                  f"{timing(every[:n], thes, share):6.1f} ms variant {args.heldout}")
        return 0
    rows = [("the app (no thesaurus)", method(None, 0.0))]
    for name in VARIANTS:
        rows.append((f"variant {name}", method(*build(name))))
    for label, at in rows:
        folds = leave_one_out(tuning, at, GRID)
        print(f"\n{label}:")
        for name, chosen, figures in folds:
            print(line(f"{name} (at {chosen:.2f})", figures))
        mean_p, mean_r, pooled_p, pooled_r = loo_summary(folds)
        print(f"  mean over the walls left out       precision {mean_p:5.2f}  recall {mean_r:5.2f}"
              f"   (pooled: precision {pooled_p:.2f}, recall {pooled_r:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
