"""What a facilitator reads off the card graph, computed from a ``Snapshot``.

Every function here is pure and deterministic: same snapshot, same answer, in the same
order (ties are always broken by card id, smallest first). ``analyse`` gathers them all
into one ``SeminarAnalysis`` for the projector, the console and the capitalisation report.

Vocabulary used below:

- *goal*: a stake (enjeu) or a challenge (défi): what the territory wants to hold on to.
- *pressure card*: a threat (menace) or a trend (tendance): what ``weighs_on`` a goal.
- *lever*: a resource, a current action or an action lead: what ``supports`` or
  ``leads_to`` a goal, or ``counters`` a threat.
- *system*: the cards with at least one accepted link; the others are left out of the
  structural analyses (they would only drag the means down).
- *isolated*: a card with no accepted link that no trajectory uses either (as its target or
  in a step): nothing connects it to the rest of the work. Isolated cards are listed apart,
  once: the gaps (uncountered threats, unsupported goals) list only the cards that are not,
  so a card is never reported twice for one missing link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import mul, sub
from types import MappingProxyType

import networkx as nx

from workshop.analysis.graph import build_graph, cell_weights
from workshop.analysis.loops import FeedbackLoop, LoopList, feedback_loops
from workshop.analysis.louvain import louvain
from workshop.analysis.micmac import InfluenceGroup, InfluenceScore, Micmac, influence_scores
from workshop.analysis.readings import Reading, readings
from workshop.analysis.snapshot import GRAPH_KINDS, IMPACT, LIKELIHOOD, CardData, Snapshot, TrajectoryData
from workshop.models import CardKind, Relation

K = CardKind
GOAL_KINDS = frozenset({K.STAKE, K.CHALLENGE})
PRESSURE_KINDS = frozenset({K.THREAT, K.TREND})
LEVER_KINDS = frozenset({K.RESOURCE, K.CURRENT_ACTION, K.ACTION_LEAD})
SUPPORT_RELATIONS = frozenset({Relation.SUPPORTS, Relation.LEADS_TO})

#: A criterion nobody rated yet counts as the middle of the 1-5 scale. So an unrated threat
#: weighs 3 x 3 = 9 out of 25: "medium", neither hidden (1 x 1 would make it vanish from the
#: exposure of its stakes) nor alarming. A fixed value, not the median of the rated threats,
#: so that a card's severity does not move when *other* cards get rated. Cards using it are
#: flagged ``rated=False`` so a screen can say "à noter".
DEFAULT_RATING = 3.0

#: PageRank damping factor (the classic 0.85); iterations stop when the scores move by less
#: than ``PAGERANK_TOLERANCE`` per card (sum of absolute changes < cards x tolerance).
PAGERANK_ALPHA = 0.85
PAGERANK_TOLERANCE = 1e-9
PAGERANK_MAX_ITERATIONS = 200

#: Seed of the Louvain community detection (any fixed value: it makes clusters reproducible).
CLUSTER_SEED = 21


def _r(value: float) -> float:
    """Round away float noise so equal sums compare equal (and ties fall back to the id).
    Used for sorting and for PageRank scores only: severities, pressures and exposures
    keep their exact value (rounding is for display)."""
    return round(float(value), 6) + 0.0  # + 0.0 turns -0.0 into 0.0


# --- threats: severity ------------------------------------------------------------------


@dataclass(frozen=True)
class ThreatAssessment:
    """A threat (or trend) with its severity and what it weighs on / what counters it.

    ``severity`` = mean likelihood x mean impact (1-25; ``DEFAULT_RATING`` for a criterion
    not rated yet). ``pressure`` = sum over its ``weighs_on`` links of severity x weight:
    how hard it bears on the map as a whole. Why it matters: the facilitator sees at once
    which threats the room fears most and whether anything answers them.
    """

    card_id: int
    likelihood: float
    impact: float
    rated: bool
    severity: float
    weighs_on: tuple[int, ...]
    pressure: float
    countered_by: tuple[int, ...]
    counter_weight: int

    @property
    def countered(self) -> bool:
        return bool(self.countered_by)


def severity(card: CardData) -> tuple[float, float, float, bool]:
    """(likelihood, impact, likelihood x impact, fully rated?) of a card."""
    likelihood = card.ratings.get(LIKELIHOOD)
    impact = card.ratings.get(IMPACT)
    rated = likelihood is not None and impact is not None
    likelihood = DEFAULT_RATING if likelihood is None else float(likelihood)
    impact = DEFAULT_RATING if impact is None else float(impact)
    return likelihood, impact, likelihood * impact, rated


def assess_threats(graph: nx.MultiDiGraph, cards: Mapping[int, CardData]) -> tuple[ThreatAssessment, ...]:
    """Every threat and trend, most pressing first (pressure, then severity, then id)."""
    out = []
    for card_id in graph.nodes:
        card = cards[card_id]
        if card.kind not in PRESSURE_KINDS:
            continue
        likelihood, impact, sev, rated = severity(card)
        weighs_on, pressure = [], 0.0
        for _, target, data in graph.out_edges(card_id, data=True):
            if data["relation"] is Relation.WEIGHS_ON:
                weighs_on.append(target)
                pressure += sev * data["weight"]
        countered_by, counter_weight = [], 0
        for source, _, data in graph.in_edges(card_id, data=True):
            if data["relation"] is Relation.COUNTERS and cards[source].kind in LEVER_KINDS:
                countered_by.append(source)
                counter_weight += data["weight"]
        out.append(ThreatAssessment(card_id, likelihood, impact, rated, sev, tuple(sorted(set(weighs_on))),
                                    pressure, tuple(sorted(set(countered_by))), counter_weight))
    return tuple(sorted(out, key=lambda t: (-_r(t.pressure), -_r(t.severity), t.card_id)))


# --- stakes and challenges: exposure and coverage ------------------------------------------


@dataclass(frozen=True)
class ThreatOnGoal:
    threat_id: int
    severity: float
    weight: int
    pressure: float  # severity x weight
    countered: bool  # countered by at least one lever, anywhere on the map


@dataclass(frozen=True)
class SupportOfGoal:
    card_id: int
    relation: Relation
    weight: int


@dataclass(frozen=True)
class GoalBalance:
    """A stake or challenge: what weighs on it, what supports it, and the balance.

    - ``exposure`` = sum over the threats weighing on it of severity x link weight.
    - ``support`` = sum of the weights of the ``supports`` and ``leads_to`` links it receives
      from resources and actions.
    - ``countered_share`` = share of its threats that at least one resource/action
      ``counters`` (``None`` when nothing weighs on it).

    Why it matters: a highly exposed stake with little support or uncountered threats is
    where the room should look for resources and action leads next.
    """

    card_id: int
    kind: CardKind
    threats: tuple[ThreatOnGoal, ...]
    supports: tuple[SupportOfGoal, ...]
    exposure: float
    support: int
    countered_share: float | None

    @property
    def countered_count(self) -> int:
        return sum(1 for t in self.threats if t.countered)

    @property
    def supported(self) -> bool:
        return bool(self.supports)


def goal_balances(graph: nx.MultiDiGraph, cards: Mapping[int, CardData],
                  threats: Iterable[ThreatAssessment]) -> tuple[GoalBalance, ...]:
    """Every stake and challenge, most exposed first (exposure, then id)."""
    by_threat = {t.card_id: t for t in threats}
    out = []
    for card_id in graph.nodes:
        card = cards[card_id]
        if card.kind not in GOAL_KINDS:
            continue
        on_it, supports = [], []
        for source, _, data in graph.in_edges(card_id, data=True):
            relation, weight = data["relation"], data["weight"]
            if relation is Relation.WEIGHS_ON and source in by_threat:
                threat = by_threat[source]
                on_it.append(ThreatOnGoal(source, threat.severity, weight, threat.severity * weight,
                                          threat.countered))
            elif relation in SUPPORT_RELATIONS and cards[source].kind in LEVER_KINDS:
                supports.append(SupportOfGoal(source, relation, weight))
        on_it.sort(key=lambda t: (-_r(t.pressure), t.threat_id))
        supports.sort(key=lambda s: (-s.weight, s.card_id, s.relation.value))
        share = None
        if on_it:
            share = sum(1 for t in on_it if t.countered) / len(on_it)
        out.append(GoalBalance(card_id, card.kind, tuple(on_it), tuple(supports),
                               sum(t.pressure for t in on_it), sum(s.weight for s in supports), share))
    return tuple(sorted(out, key=lambda g: (-_r(g.exposure), g.card_id)))


# --- gaps ----------------------------------------------------------------------------------


def isolated_cards(graph: nx.MultiDiGraph, trajectories: Iterable[TrajectoryData] = ()) -> tuple[int, ...]:
    """Cards of a linkable kind (``GRAPH_KINDS``) with no accepted link at all and used by no
    trajectory (neither its target nor a card of one of its steps), by id.

    Why it matters: a card nobody connected is either a forgotten idea or one the room has
    not understood yet; worth a word in plenary before the map is used to decide anything.
    A card a table built a trajectory towards, or took as a step, is not forgotten: it is
    connected to the work by that trajectory, even before any link is drawn.
    """
    in_trajectories = trajectory_cards(trajectories)
    return tuple(n for n in sorted(graph.nodes)
                 if graph.degree(n) == 0 and graph.nodes[n]["kind"] in GRAPH_KINDS and n not in in_trajectories)


def trajectory_cards(trajectories: Iterable[TrajectoryData]) -> frozenset[int]:
    """The cards the trajectories use: their targets and the cards of their steps."""
    return frozenset(card_id for t in trajectories for card_id in (t.target_id, *(c for s in t.steps
                                                                                   for c in s.card_ids)))


# --- clusters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """Cards more tightly linked to one another than to the rest of the map."""

    card_ids: tuple[int, ...]
    main_card_id: int  # its most central card (PageRank), the one to name the cluster after
    internal_weight: int  # sum of the weights of the links inside the cluster

    @property
    def size(self) -> int:
        return len(self.card_ids)


def clusters(graph: nx.MultiDiGraph, system: Iterable[int], centrality: Mapping[int, float], *,
             weights: Mapping[tuple[int, int], int] | None = None) -> tuple[Cluster, ...]:
    """Louvain communities (modularity, seeded by ``CLUSTER_SEED``; see ``analysis.louvain``)
    on the undirected graph whose edge weights are the summed link weights (``a -> b`` and
    ``b -> a`` add up); clusters of one card are dropped. Largest first, then by smallest id.
    Louvain rather than greedy modularity: same quality here, and greedy modularity takes
    1.7 s on a 1,000-card map against about 20 ms.

    Why it matters: clusters are the "sub-systems" of the territory (e.g. health and
    ageing, water and floods): natural topics for the sub-group tables and for the
    trajectories, often cutting across the themes the cards were written under.
    """
    if weights is None:
        weights = cell_weights(graph, set(system))
    pairs: dict[tuple[int, int], int] = {}
    for (u, v), w in weights.items():
        key = (u, v) if u < v else (v, u)
        pairs[key] = pairs.get(key, 0) + w
    communities = louvain(sorted(system), pairs, seed=CLUSTER_SEED)
    member = {n: i for i, community in enumerate(communities) for n in community}
    internal: dict[int, int] = defaultdict(int)
    for (u, v), w in pairs.items():
        if member[u] == member[v]:
            internal[member[u]] += w
    out = []
    for i, community in enumerate(communities):
        if len(community) < 2:
            continue
        ids = tuple(sorted(community))
        main = min(ids, key=lambda n: (-centrality.get(n, 0.0), n))
        out.append(Cluster(ids, main, internal[i]))
    return tuple(sorted(out, key=lambda c: (-c.size, c.card_ids[0])))


# --- centrality -------------------------------------------------------------------------------


def pagerank(graph: nx.MultiDiGraph, system: Iterable[int], *,
             weights: Mapping[tuple[int, int], int] | None = None) -> dict[int, float]:
    """Weighted PageRank on the directed graph (damping 0.85; a card with no outgoing link
    spreads its score evenly, as usual). Plain power iteration, so no scipy is needed.

    Why PageRank: a card ranks high when strong links come to it from cards that rank high
    themselves, i.e. where the map's chains of pressure and effort converge (a stake that
    many weighty threats and supported stakes bear on). Unlike dependence it rewards links
    from important cards, and unlike betweenness it stays fast (O(links) per iteration) on a
    1,000-card map. Why it matters: the most central cards are the ones to put on the agenda
    first and to keep visible on the projector.
    """
    nodes = sorted(set(system))
    if not nodes:
        return {}
    count = len(nodes)
    index = {n: i for i, n in enumerate(nodes)}
    if weights is None:
        weights = cell_weights(graph, set(nodes))
    out_weight = [0.0] * count
    for (u, _), w in weights.items():
        out_weight[index[u]] += w
    sources: list[list[int]] = [[] for _ in nodes]
    shares: list[list[float]] = [[] for _ in nodes]
    for (u, v), w in weights.items():
        sources[index[v]].append(index[u])
        shares[index[v]].append(w / out_weight[index[u]])
    dangling = [i for i in range(count) if out_weight[i] == 0]
    rank = [1.0 / count] * count
    alpha = PAGERANK_ALPHA
    for _ in range(PAGERANK_MAX_ITERATIONS):
        base = alpha * sum(rank[i] for i in dangling) / count + (1 - alpha) / count
        get = rank.__getitem__
        new = [base + alpha * sum(map(mul, map(get, sources[i]), shares[i])) for i in range(count)]
        delta = sum(map(abs, map(sub, new, rank)))
        rank = new
        if delta < count * PAGERANK_TOLERANCE:
            break
    return {n: _r(rank[i]) for n, i in index.items()}


# --- everything together -----------------------------------------------------------------------


@dataclass(frozen=True)
class SeminarAnalysis:
    """All the analyses of one snapshot (see each function for what it computes and why)."""

    cards: Mapping[int, CardData]
    system: tuple[int, ...]                 # cards with at least one accepted link, by id
    threats: tuple[ThreatAssessment, ...]   # most pressing first
    goals: tuple[GoalBalance, ...]          # most exposed first
    uncountered_threats: tuple[int, ...]    # threats no lever counters, most pressing first (not isolated)
    unsupported_goals: tuple[int, ...]      # stakes/challenges no lever supports, most exposed first (not isolated)
    isolated_cards: tuple[int, ...]         # no link and in no trajectory, by id (only listed here)
    micmac: Micmac                          # direct and indirect MICMAC (see analysis.micmac)
    loops: tuple[FeedbackLoop, ...]         # shortest first (see analysis.loops)
    loops_complete_to: int                  # every loop of at most this many links is listed
    loops_truncated: bool                   # ... and some longer ones are not
    clusters: tuple[Cluster, ...]
    centrality: Mapping[int, float]         # PageRank of the system cards
    central_cards: tuple[int, ...]          # system cards, most central first
    readings: tuple[Reading, ...] = ()      # where two analyses seem to disagree (analysis.readings)

    @property
    def influence(self) -> tuple[InfluenceScore, ...]:
        """MICMAC scores of the system cards, most influential (indirectly) first."""
        return self.micmac.scores

    @cached_property
    def goals_by_id(self) -> Mapping[int, GoalBalance]:
        return MappingProxyType({g.card_id: g for g in self.goals})

    @cached_property
    def threats_by_id(self) -> Mapping[int, ThreatAssessment]:
        return MappingProxyType({x.card_id: x for x in self.threats})

    @cached_property
    def scores_by_id(self) -> Mapping[int, InfluenceScore]:
        return MappingProxyType({s.card_id: s for s in self.influence})

    def goal(self, card_id: int) -> GoalBalance:
        return self.goals_by_id[card_id]

    def threat(self, card_id: int) -> ThreatAssessment:
        return self.threats_by_id[card_id]

    def score(self, card_id: int) -> InfluenceScore:
        return self.scores_by_id[card_id]

    def group(self, group: InfluenceGroup | str, *, direct: bool = False) -> tuple[int, ...]:
        """Cards of one influence group, most influential first."""
        group = InfluenceGroup(group)
        return tuple(s.card_id for s in self.influence if (s.direct_group if direct else s.group) is group)


def analyse(snapshot: Snapshot, graph: nx.MultiDiGraph | None = None) -> SeminarAnalysis:
    """Run every analysis on a snapshot (pass ``graph`` if already built from it)."""
    graph = build_graph(snapshot) if graph is None else graph
    cards = snapshot.by_id
    isolated = isolated_cards(graph, snapshot.trajectories)
    apart = set(isolated)  # reported once, as isolated, not again as a gap
    system = tuple(n for n in sorted(graph.nodes) if graph.degree(n) > 0)
    threats = assess_threats(graph, cards)
    goals = goal_balances(graph, cards, threats)
    weights = cell_weights(graph, set(system))  # shared by the structural analyses
    structural = influence_scores(graph, system, weights=weights)
    loops: LoopList = feedback_loops(graph, system, weights=weights)
    rank = pagerank(graph, system, weights=weights)
    uncountered = tuple(t.card_id for t in threats
                        if cards[t.card_id].kind is K.THREAT and not t.countered and t.card_id not in apart)
    return SeminarAnalysis(
        cards=cards,
        system=system,
        threats=threats,
        goals=goals,
        uncountered_threats=uncountered,
        unsupported_goals=tuple(g.card_id for g in goals if not g.supported and g.card_id not in apart),
        isolated_cards=isolated,
        micmac=structural,
        loops=loops.loops,
        loops_complete_to=loops.complete_to,
        loops_truncated=loops.truncated,
        clusters=clusters(graph, system, rank, weights=weights),
        centrality=MappingProxyType(rank),
        central_cards=tuple(sorted(rank, key=lambda n: (-rank[n], n))),
        readings=readings(structural.scores, uncountered, loops.loops, weights,
                          {t.card_id: t.weighs_on for t in threats}),
    )
