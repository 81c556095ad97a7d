"""Feedback loops of the card map, shortest first.

A loop is a simple cycle ``a -> b -> ... -> a`` of accepted links (in practice stakes and
challenges influencing one another: nothing points back to a resource or a threat).
Loops are enumerated **by increasing length** (2, 3, 4, then 5 links): every loop of a
length is found before any longer one is looked at, and the search stops once a length is
complete and ``MAX_LOOPS`` loops are collected. So a list that had to be cut always holds
every loop up to some length, then the strongest loops of the next length: "only the
shortest are listed" is true. A budget of search steps keeps a very dense map fast; when
it runs out inside a length, that length is marked incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from workshop.analysis.graph import cell_weights

#: Loops of at most this many links are looked for.
MAX_LOOP_LENGTH = 5
#: At most this many loops are listed.
MAX_LOOPS = 50
#: Search steps (links followed) allowed for one seminar map, all lengths together.
MAX_LOOP_STEPS = 300_000


@dataclass(frozen=True)
class FeedbackLoop:
    """A cycle ``card_ids[0] -> card_ids[1] -> ... -> card_ids[0]``, written from its
    smallest id; ``weights[i]`` is the weight of the link leaving ``card_ids[i]``."""

    card_ids: tuple[int, ...]
    weights: tuple[int, ...]

    @property
    def length(self) -> int:
        return len(self.card_ids)

    @property
    def strength(self) -> int:
        """A loop is as strong as its weakest link."""
        return min(self.weights)


@dataclass(frozen=True)
class LoopList:
    """The loops listed, and what the list holds.

    ``complete_to``: every loop of at most this many links is in the list (0: none is
    known to be complete). ``truncated``: the list does not hold every loop of at most
    ``MAX_LOOP_LENGTH`` links (some were cut, or longer lengths were not searched).
    """

    loops: tuple[FeedbackLoop, ...]
    complete_to: int
    truncated: bool


class _OutOfSteps(Exception):
    pass


def _core(weights: Mapping[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """Only cards with links both in and out can sit on a loop: trim the others, repeatedly."""
    core = dict(weights)
    while True:
        has_in = {v for _, v in core}
        has_out = {u for u, _ in core}
        kept = {(u, v): w for (u, v), w in core.items() if u in has_in and v in has_out}
        if len(kept) == len(core):
            return core
        core = kept


def _cycles_of_length(successors: dict[int, list[int]], length: int, budget: list[int]) -> list[tuple[int, ...]]:
    """Every simple cycle of exactly ``length`` links, each once, written from its smallest id."""
    found: list[tuple[int, ...]] = []
    for start in sorted(successors):
        path = [start]
        on_path = {start}

        def extend() -> None:
            for nxt in successors[path[-1]]:
                budget[0] -= 1
                if budget[0] < 0:
                    raise _OutOfSteps
                if nxt == start:
                    if len(path) == length:
                        found.append(tuple(path))
                elif nxt > start and nxt not in on_path and len(path) < length:
                    path.append(nxt)
                    on_path.add(nxt)
                    extend()
                    on_path.discard(path.pop())

        extend()
    return found


def feedback_loops(graph: nx.MultiDiGraph, system: Iterable[int], *,
                   weights: Mapping[tuple[int, int], int] | None = None) -> LoopList:
    """Loops of 2 to ``MAX_LOOP_LENGTH`` links, shortest first, then strongest, then by ids.

    Why it matters: a loop is a vicious or virtuous circle; acting anywhere on it moves all
    of it, so it is a good place to look for leverage (and for runaway risks).
    """
    if weights is None:
        weights = cell_weights(graph, set(system))
    core = _core(weights)
    successors: dict[int, list[int]] = {}
    for u, v in sorted(core):
        successors.setdefault(u, []).append(v)
        successors.setdefault(v, [])
    budget = [MAX_LOOP_STEPS]
    out: list[FeedbackLoop] = []
    complete_to, truncated = 0, False
    for length in range(2, MAX_LOOP_LENGTH + 1):
        partial = False
        try:
            cycles = _cycles_of_length(successors, length, budget)
        except _OutOfSteps:
            partial = True
            cycles = []  # the loops of this length found so far would not be the strongest: drop them
        loops = [FeedbackLoop(ids, tuple(core[ids[i], ids[(i + 1) % length]] for i in range(length)))
                 for ids in cycles]
        loops.sort(key=lambda loop: (-loop.strength, loop.card_ids))
        room = MAX_LOOPS - len(out)
        if partial or len(loops) > room:
            out.extend(loops[:room])
            truncated = True
            break
        out.extend(loops)
        complete_to = length
        if len(out) >= MAX_LOOPS and length < MAX_LOOP_LENGTH:
            truncated = True  # a length is complete and the list is full: longer loops are not searched
            break
    return LoopList(tuple(out), complete_to, truncated)
