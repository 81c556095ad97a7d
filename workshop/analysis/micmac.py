"""Structural analysis: Godet's MICMAC, direct and indirect, on the cards' links.

*MICMAC* (Matrice d'Impacts Croisés - Multiplication Appliquée à un Classement, M. Godet,
1971-1974) reads a system from its matrix of direct influences and ranks its variables by
influence and dependence, first directly, then indirectly by raising the matrix to
successive powers.

**The direct matrix M.** One row and one column per linked card; ``M[i][j]`` is how
strongly card *i* acts on card *j*, on MICMAC's 0-3 scale: the link's weight (1 weak,
2 medium, 3 strong; a link without a weight counts 1), whatever the relation (a threat
weighs on a stake, a resource counters a threat, a stake influences another: each is one
card acting on another). **Parallel links rule**: when several links go from *i* to *j*
(e.g. an action that both *supports* and *leads to* a challenge), the cell takes the
strongest of them, never their sum, so no cell leaves the 0-3 scale. The diagonal is 0
(a link from a card to itself is refused). Links in opposite directions are two cells.

**Direct.** Influence of *i* = sum of row *i*, dependence of *j* = sum of column *j*. They
are also given as shares of the matrix total (in %), the scale of the indirect figures.

**Indirect.** ``M^k[i][j]`` sums, over every chain of *k* links from *i* to *j*, the
product of the links' strengths: the influence *i* exerts on *j* through intermediaries.
Powers are computed one after another (``M^k = M^(k-1) x M``, as row and column sums only)
and **scaled at each step** by the sum of all the entries of ``M^k``, so the numbers stay
between 0 and 1: row sums become each card's *share* of the influence carried by chains of
*k* links, column sums its share of the dependence. Then:

- **stable**: as soon as the influence ranking *and* the dependence ranking of ``M^k`` are
  those of ``M^(k-1)`` (equal shares are tied), ``M^k`` gives the indirect classification
  (the method's descriptions say it usually settles by the 3rd, 4th or 5th power, e.g.
  M. Ben Alita, master's thesis, ISET Sousse 2016, §3.4.3: « Le classement devient stable en
  général à partir d'une multiplication d'ordres 3, 4 ou 5 »).
- **no cycle** (the matrix is nilpotent: ``M^k = 0``, no chain of *k* links exists): the
  last non-zero power is used; it holds the longest chains of the map, from the cards that
  start them to the cards they end on. A chain A -> B -> C -> D gives ``M^3``: A has all
  the indirect influence, D all the dependence, B and C are autonomous.
- **cycles that never settle**: when the rankings repeat with a period *p* (2 to
  ``MAX_PERIOD``: e.g. a loop of two cards fed from one side alternates), the mean of the
  shares over the last *p* powers is used (it is the limit of the averaged powers).
- **cap**: after ``MAX_POWER`` powers without any of the above, the last power is used
  and the result says it did not settle.
- **fixed power** (``micmac(..., power=k)``, never used by the app itself): ``M^k`` is used
  whatever the rankings do, as in LIPSOR's software where the user sets the number of
  iterations; it lets a result be compared with a study that stopped at a given power. Only the
  no-cycle rule still applies (``M^k = 0``: the last non-zero power).

**Groups.** Each plane is cut at the mean: a card is high in influence (dependence) when
its share is strictly above the mean share, 1/n of the total for n cards. Driving
(moteur): high influence, low dependence; relay (relais): high, high; dependent
(dépendant): low, high; autonomous (autonome): low, low.

Where this differs from LIPSOR's MICMAC software: see the README ("Trajectory graph").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

import networkx as nx

from workshop.analysis.graph import cell_weights

#: Indirect classification: at most this many powers of the direct matrix.
MAX_POWER = 40
#: Longest period (in powers) looked for when the rankings never settle.
MAX_PERIOD = 6
#: Shares closer than this are tied in a ranking (float noise must not reorder cards).
TIE = 1e-9


class InfluenceGroup(str, Enum):
    DRIVING = "driving"        # moteur: high influence, low dependence
    RELAY = "relay"            # relais: high influence, high dependence
    DEPENDENT = "dependent"    # dépendant: low influence, high dependence
    AUTONOMOUS = "autonomous"  # autonome: low influence, low dependence


class Settled(str, Enum):
    """How the indirect classification was reached (see the module docstring)."""

    STABLE = "stable"          # rankings unchanged from one power to the next
    NO_CYCLE = "no_cycle"      # the powers reach zero: the last non-zero power
    PERIODIC = "periodic"      # rankings repeat with a period: mean over one period
    CAP = "cap"                # MAX_POWER reached: the last power
    FIXED = "fixed"            # the power was set by the caller: M^power
    DIRECT = "direct"          # no chain of two links at all: indirect = direct
    EMPTY = "empty"            # no link


def classify(influence: float, dependence: float, mean: float) -> InfluenceGroup:
    """High means strictly above the mean (so when every card scores the same, all are autonomous)."""
    high_i, high_d = influence > mean + TIE, dependence > mean + TIE
    if high_i:
        return InfluenceGroup.RELAY if high_d else InfluenceGroup.DRIVING
    return InfluenceGroup.DEPENDENT if high_d else InfluenceGroup.AUTONOMOUS


@dataclass(frozen=True)
class InfluenceScore:
    """One card on the two MICMAC planes.

    ``direct_influence``/``direct_dependence``: row and column sums of the direct matrix
    (0-3 scale); ``direct_influence_share``/``direct_dependence_share``: the same as shares
    of the matrix total (0-1); ``influence``/``dependence``: indirect shares (0-1).
    """

    card_id: int
    direct_influence: int
    direct_dependence: int
    direct_influence_share: float
    direct_dependence_share: float
    influence: float
    dependence: float
    group: InfluenceGroup
    direct_group: InfluenceGroup

    @property
    def moved(self) -> bool:
        """Its group is not the same directly and indirectly."""
        return self.group is not self.direct_group


@dataclass(frozen=True)
class Micmac:
    """The whole structural analysis: scores (most influential first) and how it settled."""

    scores: tuple[InfluenceScore, ...]
    power: int          # the power of M the indirect classification comes from (1 = direct)
    settled: Settled
    period: int = 1     # PERIODIC: the shares are the mean over this many powers

    @property
    def mean(self) -> float:
        """The mean share, where both planes are cut: 1/n."""
        return 1.0 / len(self.scores) if self.scores else 0.0


def _ranking(values: Mapping[int, float]) -> tuple[tuple[int, ...], ...]:
    """Cards from highest to lowest, cards with equal values (within ``TIE``) grouped."""
    ordered = sorted(values, key=lambda n: (-values[n], n))
    groups: list[list[int]] = []
    last = None
    for n in ordered:
        if last is not None and abs(values[n] - last) <= TIE:
            groups[-1].append(n)
        else:
            groups.append([n])
            last = values[n]
    return tuple(tuple(sorted(g)) for g in groups)


def _shares(values: Mapping[int, float]) -> dict[int, float] | None:
    total = sum(values.values())
    if total <= 0:
        return None
    return {n: v / total for n, v in values.items()}


def micmac(nodes: Iterable[int], weights: Mapping[tuple[int, int], int], *,
           power: int | None = None) -> Micmac:
    """Godet's MICMAC on the cards ``nodes`` and the direct matrix ``weights``
    (``{(i, j): 0-3}``, see ``graph.cell_weights``). Pure Python, O(links) per power.

    ``power``: compute the indirect classification at exactly ``M^power`` instead of applying
    the stop rules (see "fixed power" in the module docstring); at least 1."""
    if power is not None and (isinstance(power, bool) or not isinstance(power, int) or power < 1):
        raise ValueError(f"power must be a positive integer, not {power!r}")
    nodes = sorted(set(nodes))
    if not nodes:
        return Micmac((), 0, Settled.EMPTY)
    rows: dict[int, list[tuple[int, int]]] = {n: [] for n in nodes}
    for (u, v), w in sorted(weights.items()):
        if u != v and w > 0 and u in rows and v in rows:
            rows[u].append((v, min(int(w), 3)))
    out_deg = {n: sum(w for _, w in rows[n]) for n in nodes}
    in_deg = dict.fromkeys(nodes, 0)
    for n in nodes:
        for v, w in rows[n]:
            in_deg[v] += w

    direct_r, direct_c = _shares(out_deg), _shares(in_deg)
    if direct_r is None:
        zero = dict.fromkeys(nodes, 0.0)
        return _result(nodes, out_deg, in_deg, zero, zero, zero, zero, 0, Settled.EMPTY)

    # r = M^k . 1 and c = 1 . M^k, each scaled to sum 1 (both have the same total).
    r, c = dict(direct_r), dict(direct_c)
    history: list[tuple] = [(_ranking(r), _ranking(c))]
    recent: deque[tuple[dict[int, float], dict[int, float]]] = deque([(r, c)], maxlen=MAX_PERIOD)
    fixed = power
    settled, power, period = (Settled.CAP if fixed is None else Settled.FIXED), 1, 1
    for k in range(2, (MAX_POWER if fixed is None else fixed) + 1):
        raw_r = {n: sum(w * r[v] for v, w in rows[n]) for n in nodes}
        raw_c = dict.fromkeys(nodes, 0.0)
        for n in nodes:
            cn = c[n]
            if cn:
                for v, w in rows[n]:
                    raw_c[v] += cn * w
        new_r, new_c = _shares(raw_r), _shares(raw_c)
        if new_r is None or new_c is None:
            # M^k = 0: no chain of k links. The last non-zero power holds the longest chains.
            settled = Settled.DIRECT if k == 2 else Settled.NO_CYCLE
            break
        r, c, power = new_r, new_c, k
        if fixed is not None:
            continue
        history.append((_ranking(r), _ranking(c)))
        recent.append((r, c))
        if history[-1] == history[-2]:
            settled = Settled.STABLE
            break
        found = next((p for p in range(2, MAX_PERIOD + 1) if len(history) >= 2 * p
                      and history[-p:] == history[-2 * p:-p]), None)
        if found is not None:
            settled, period = Settled.PERIODIC, found
            last = list(recent)[-found:]
            r = {n: sum(s[0][n] for s in last) / found for n in nodes}
            c = {n: sum(s[1][n] for s in last) / found for n in nodes}
            break
    return _result(nodes, out_deg, in_deg, direct_r, direct_c, r, c, power, settled, period)


def _result(nodes, out_deg, in_deg, direct_r, direct_c, r, c, power, settled, period=1) -> Micmac:
    mean = 1.0 / len(nodes)
    scores = [InfluenceScore(
        n, out_deg[n], in_deg[n], _clean(direct_r[n]), _clean(direct_c[n]), _clean(r[n]), _clean(c[n]),
        classify(r[n], c[n], mean), classify(direct_r[n], direct_c[n], mean)) for n in nodes]
    scores.sort(key=lambda s: (-s.influence, -s.direct_influence, s.card_id))
    return Micmac(tuple(scores), power, settled, period)


def _clean(value: float) -> float:
    """Round away float noise only (12 decimals), so equal shares compare equal."""
    return round(float(value), 12) + 0.0


def influence_scores(graph: nx.MultiDiGraph, system: Iterable[int], *,
                     weights: Mapping[tuple[int, int], int] | None = None) -> Micmac:
    """MICMAC on every accepted link between the ``system`` cards (see the module docstring).

    Why it matters: driving cards are the levers that shape the rest of the map, relay cards
    are unstable and amplify what reaches them, dependent cards are outcomes to watch,
    autonomous cards weigh little on the system as a whole (which does not make them
    harmless locally: see ``readings``).
    """
    system = sorted(set(system))
    if weights is None:
        weights = cell_weights(graph, set(system))
    return micmac(system, weights)
