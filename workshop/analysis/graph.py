"""The seminar's cards and accepted links as a networkx graph.

Nodes are card ids (inserted in id order) carrying ``kind``, ``text``, ``theme``, ``votes``
and ``ratings``; edges go ``source -> target`` with ``key`` = the relation's value and
``relation``, ``weight`` (1-3, a link without weight counts 1) and ``link_id``. Insertion
order is fixed (cards by id, links by source, target, relation), so every networkx
algorithm run on it is deterministic.
"""

from __future__ import annotations

import networkx as nx

from workshop.analysis.snapshot import Snapshot

#: Links are weighted 1 (weak) to 3 (strong).
MAX_LINK_WEIGHT = 3


def build_graph(snapshot: Snapshot) -> nx.MultiDiGraph:
    """One node per card, one edge per accepted link (links to unknown cards are skipped)."""
    graph = nx.MultiDiGraph(title=snapshot.title, seminar_id=snapshot.seminar_id)
    for card in snapshot.cards:
        graph.add_node(card.id, kind=card.kind, text=card.text, theme=card.theme, votes=card.votes,
                       ratings=dict(card.ratings))
    for link in snapshot.links:
        if link.source == link.target or link.source not in graph or link.target not in graph:
            continue
        graph.add_edge(link.source, link.target, key=link.relation.value, relation=link.relation,
                       weight=link.weight, link_id=link.id)
    return graph


def cell_weights(graph: nx.MultiDiGraph, keep: set) -> dict[tuple[int, int], int]:
    """The direct matrix: ``{(u, v): strength 1-3}`` over the links between kept cards.

    Parallel links rule: several links from ``u`` to ``v`` (different relations) count as
    the strongest of them, never their sum, so a cell stays on the 0-3 scale. ``u -> v`` and
    ``v -> u`` are two cells.
    """
    weights: dict[tuple[int, int], int] = {}
    for u, v, w in graph.edges(data="weight"):
        if u in keep and v in keep:
            weights[u, v] = min(MAX_LINK_WEIGHT, max(weights.get((u, v), 0), w))
    return weights
