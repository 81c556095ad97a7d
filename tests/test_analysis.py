"""Graph analyses, checked against answers computed by hand on small maps.

The main map (``small_map``), ids in brackets, links ``source -> target (weight)``:

    stakes S1 [1], S2 [2], S3 [3]; threats T1 [11] (likelihood 4, impact 5), T2 [12] (never
    rated); resources R1 [21], R2 [22], R3 [23] (no link at all)

    T1 -> S1 weighs_on 3      R1 -> S1 supports 2       S1 -> S2 influences 3
    T1 -> S2 weighs_on None   R2 -> S2 supports 1       S2 -> S1 influences 3
    T2 -> S2 weighs_on 2      R1 -> T1 counters 3       S2 -> S3 influences 2

Severity: T1 = 4 x 5 = 20; T2 unrated = 3 x 3 = 9 (DEFAULT_RATING).
Pressure: T1 = 20 x 3 + 20 x 1 = 80; T2 = 9 x 2 = 18.
Exposure: S1 = 20 x 3 = 60; S2 = 20 x 1 + 9 x 2 = 38; S3 = 0.
Support:  S1 = 2 (R1); S2 = 1 (R2); S3 = 0.
Countered share: S1 = 1/1 = 1.0 (T1 is countered by R1); S2 = 1/2 = 0.5 (T2 is not); S3 = None.
Uncountered threats: T2. Unsupported stakes: S3. Isolated: R3. System = the 7 others.

Influence and dependence (Godet's MICMAC, direct and indirect): worked out by hand in
tests/test_micmac.py (test_the_small_map_by_hand).
Feedback loops: one, S1 -> S2 -> S1 with weights (3, 3).
"""

from __future__ import annotations

import math
import random

import pytest

from workshop.analysis import (
    DEFAULT_RATING,
    MAX_LOOPS,
    CardData,
    InfluenceGroup,
    LinkData,
    Snapshot,
    StepData,
    TrajectoryData,
    analyse,
    build_graph,
    load_snapshot,
)
from workshop.analysis import loops as loops_module
from workshop.analysis.synthetic import synthetic_snapshot
from workshop.models import CardKind, Relation
from workshop.services.links import RULES

K, R = CardKind, Relation
S1, S2, S3, T1, T2, R1, R2, R3 = 1, 2, 3, 11, 12, 21, 22, 23


def small_map() -> Snapshot:
    cards = [
        CardData(S1, K.STAKE, "Accès aux soins en zone rurale", "sante", votes=5),
        CardData(S2, K.STAKE, "Revitalisation des centres-bourgs", "habitat", votes=3),
        CardData(S3, K.STAKE, "Une vie associative qui fait lien", "cohesion-sociale"),
        CardData(T1, K.THREAT, "Désertification médicale", "sante", ratings={"likelihood": 4, "impact": 5}),
        CardData(T2, K.THREAT, "Fermeture de commerces", "economie-emploi"),
        CardData(R1, K.RESOURCE, "Université et CHU", "sante"),
        CardData(R2, K.RESOURCE, "Friches industrielles", "habitat"),
        CardData(R3, K.RESOURCE, "Réseau de chaleur urbain", "energie"),
    ]
    links = [
        LinkData(T1, S1, R.WEIGHS_ON, 3), LinkData(T1, S2, R.WEIGHS_ON, None), LinkData(T2, S2, R.WEIGHS_ON, 2),
        LinkData(R1, S1, R.SUPPORTS, 2), LinkData(R2, S2, R.SUPPORTS, 1), LinkData(R1, T1, R.COUNTERS, 3),
        LinkData(S1, S2, R.INFLUENCES, 3), LinkData(S2, S1, R.INFLUENCES, 3), LinkData(S2, S3, R.INFLUENCES, 2),
    ]
    return Snapshot(tuple(cards), tuple(links), title="Petite carte")


@pytest.fixture(scope="module")
def small():
    return analyse(small_map())


# --- the graph ---------------------------------------------------------------------------


def test_build_graph_has_one_node_per_card_and_one_edge_per_link():
    graph = build_graph(small_map())
    assert sorted(graph.nodes) == [S1, S2, S3, T1, T2, R1, R2, R3]
    assert graph.number_of_edges() == 9
    assert graph.nodes[T1]["kind"] is K.THREAT and graph.nodes[S1]["votes"] == 5
    assert graph[T1][S2]["weighs_on"]["weight"] == 1  # a link without a weight counts 1
    assert graph[R1][T1]["counters"]["relation"] is R.COUNTERS


def test_links_to_cards_missing_from_the_snapshot_are_skipped():
    snapshot = Snapshot((CardData(1, K.STAKE, "A"), CardData(2, K.THREAT, "B")),
                        (LinkData(2, 1, R.WEIGHS_ON, 2), LinkData(3, 1, R.WEIGHS_ON, 2)))
    assert build_graph(snapshot).number_of_edges() == 1


# --- threats, exposure, coverage -------------------------------------------------------------


def test_threat_severity_and_pressure(small):
    t1, t2 = small.threat(T1), small.threat(T2)
    assert (t1.likelihood, t1.impact, t1.severity, t1.rated) == (4, 5, 20, True)
    assert (t2.severity, t2.rated) == (DEFAULT_RATING * DEFAULT_RATING, False) == (9, False)
    assert t1.pressure == 80 and t2.pressure == 18
    assert t1.weighs_on == (S1, S2) and t1.countered_by == (R1,) and t1.counter_weight == 3
    assert t2.countered_by == () and not t2.countered
    assert [t.card_id for t in small.threats] == [T1, T2]  # most pressing first


def test_a_half_rated_threat_uses_the_default_for_the_missing_criterion():
    snapshot = Snapshot((CardData(1, K.THREAT, "Crues", ratings={"likelihood": 5}), CardData(2, K.STAKE, "Eau")),
                        (LinkData(1, 2, R.WEIGHS_ON, 2),))
    analysis = analyse(snapshot)
    assert analysis.threat(1).severity == 15 and not analysis.threat(1).rated  # 5 x 3
    assert analysis.goal(2).exposure == 30  # 15 x 2


def test_exposure_and_coverage_of_each_stake(small):
    s1, s2, s3 = small.goal(S1), small.goal(S2), small.goal(S3)
    assert (s1.exposure, s1.support, s1.countered_share) == (60, 2, 1.0)
    assert (s2.exposure, s2.support, s2.countered_share) == (38, 1, 0.5)
    assert (s3.exposure, s3.support, s3.countered_share) == (0, 0, None)
    assert [(t.threat_id, t.pressure, t.countered) for t in s2.threats] == [(T1, 20, True), (T2, 18, False)]
    assert [(s.card_id, s.relation, s.weight) for s in s1.supports] == [(R1, R.SUPPORTS, 2)]
    assert [g.card_id for g in small.goals] == [S1, S2, S3]  # most exposed first


def test_gaps(small):
    assert small.uncountered_threats == (T2,)
    assert small.unsupported_goals == (S3,)
    assert small.isolated_cards == (R3,)
    assert small.system == (S1, S2, S3, T1, T2, R1, R2)


def test_a_card_with_no_link_is_reported_once_as_isolated_not_again_as_a_gap():
    """An unlinked threat is uncountered and an unlinked stake unsupported, but what the room
    must hear is that nothing connects them: one list, not three."""
    cards = (CardData(1, K.STAKE, "Accès aux soins"), CardData(2, K.STAKE, "Préserver l'eau"),
             CardData(3, K.THREAT, "Canicules"), CardData(4, K.THREAT, "Pénuries d'eau"),
             CardData(5, K.RESOURCE, "Savoir-faire industriel"))
    analysis = analyse(Snapshot(cards, (LinkData(4, 2, R.WEIGHS_ON, 2),)))
    assert analysis.isolated_cards == (1, 3, 5)
    assert analysis.uncountered_threats == (4,)  # linked, nothing counters it
    assert analysis.unsupported_goals == (2,)    # linked, nothing supports it
    for card_id in analysis.cards:
        listed = [name for name in ("isolated_cards", "uncountered_threats", "unsupported_goals")
                  if card_id in getattr(analysis, name)]
        assert len(listed) <= 1, (card_id, listed)


def test_a_card_a_trajectory_uses_is_not_isolated():
    """The rehearsal's day 2: no link yet, one trajectory towards a challenge, a step taking an
    action lead. Those two are connected to the work; the other cards are isolated. The challenge
    nothing supports is then reported as unsupported, once."""
    cards = (CardData(1, K.CHALLENGE, "Garder un médecin dans chaque bourg"),
             CardData(2, K.ACTION_LEAD, "Maisons de santé"), CardData(3, K.STAKE, "Accès aux soins"),
             CardData(4, K.THREAT, "Canicules"), CardData(5, K.CHALLENGE, "Une eau garantie"))
    trajectory = TrajectoryData(7, "Des soins pour tous", target_id=1,
                                steps=(StepData(2030, "Ouvrir trois maisons", card_ids=(2,)),))
    analysis = analyse(Snapshot(cards, (), (trajectory,)))
    assert analysis.isolated_cards == (3, 4, 5)
    assert analysis.unsupported_goals == (1,)
    assert analysis.uncountered_threats == ()
    assert analysis.system == ()  # the structural analyses still read links only
    assert analyse(Snapshot(cards)).isolated_cards == (1, 2, 3, 4, 5)  # without the trajectory


def test_leads_to_counts_as_support_and_trends_weigh_but_are_not_listed_as_uncountered():
    cards = (CardData(1, K.CHALLENGE, "Comment se soigner en 2050 ?"), CardData(2, K.ACTION_LEAD, "Maisons de santé"),
             CardData(3, K.CURRENT_ACTION, "Contrat local de santé"), CardData(4, K.TREND, "Vieillissement"))
    links = (LinkData(2, 1, R.LEADS_TO, 3), LinkData(3, 1, R.SUPPORTS, 1), LinkData(4, 1, R.WEIGHS_ON, 1))
    analysis = analyse(Snapshot(cards, links))
    goal = analysis.goal(1)
    assert goal.support == 4 and goal.exposure == 9 and goal.countered_share == 0.0
    assert analysis.uncountered_threats == () and analysis.unsupported_goals == ()


# --- influence and dependence ----------------------------------------------------------------


def test_direct_influence_and_dependence(small):
    direct = {s.card_id: (s.direct_influence, s.direct_dependence) for s in small.influence}
    assert direct == {S1: (3, 8), S2: (5, 7), S3: (0, 2), T1: (4, 3), T2: (2, 0), R1: (5, 0), R2: (1, 0)}
    assert small.score(S1).direct_dependence_share == pytest.approx(8 / 20)
    assert small.group("driving") == (R1, T1)  # most influential first (indirectly)


def test_an_uncountered_autonomous_threat_is_explained(small):
    """T2 weighs on S2 and nothing counters it, yet its indirect influence is below the mean."""
    assert small.uncountered_threats == (T2,)
    assert small.score(T2).group is InfluenceGroup.AUTONOMOUS
    assert [(r.key, r.card_id, r.related) for r in small.readings] == [("uncountered_autonomous", T2, (S2,))]
    from workshop.analysis.readings import sentence

    text = sentence(small.readings[0], {c: small.cards[c].text for c in small.cards}, "fr")
    assert text.startswith("«\u00a0Fermeture de commerces\u00a0» est sans parade et pourtant autonome\u00a0: elle pèse sur "
                           "«\u00a0Revitalisation des centres-bourgs\u00a0»")


def test_a_card_driving_only_through_a_loop_is_explained():
    """A bus network supports one stake of a strong two-stake loop: directly it weighs little
    (one link of 2 where a threat has three of 3), indirectly it feeds the loop and drives."""
    cards = (CardData(1, K.RESOURCE, "Réseau de bus"), CardData(2, K.STAKE, "Mobilité"),
             CardData(3, K.STAKE, "Emploi"), CardData(4, K.THREAT, "Fermetures"), CardData(5, K.STAKE, "Santé"),
             CardData(6, K.STAKE, "Logement"), CardData(7, K.STAKE, "Eau"))
    # Directly: 2 of 17 (12 %, under the mean 1/7); indirectly: 2 of every 8 (25 %).
    links = (LinkData(1, 2, R.SUPPORTS, 2), LinkData(2, 3, R.INFLUENCES, 3), LinkData(3, 2, R.INFLUENCES, 3),
             LinkData(4, 5, R.WEIGHS_ON, 3), LinkData(4, 6, R.WEIGHS_ON, 3), LinkData(4, 7, R.WEIGHS_ON, 3))
    analysis = analyse(Snapshot(cards, links))
    bus = analysis.score(1)
    assert bus.direct_group is not InfluenceGroup.DRIVING and bus.group is InfluenceGroup.DRIVING
    reading = next(r for r in analysis.readings if r.card_id == 1)
    assert (reading.key, reading.related) == ("loop_driver", (2, 3))
    from workshop.analysis.readings import sentence

    assert sentence(reading, {c: analysis.cards[c].text for c in analysis.cards}, "fr") == (
        "«\u00a0Réseau de bus\u00a0» n'est «\u00a0moteur\u00a0» qu'à travers la boucle Mobilité → Emploi → Mobilité\u00a0: son influence "
        "directe est faible, mais ce qu'elle touche revient sur soi-même et s'amplifie\u00a0; agir sur elle, c'est agir "
        "sur toute la boucle.")


# --- loops, clusters, centrality ---------------------------------------------------------------


def test_feedback_loop(small):
    assert [(loop.card_ids, loop.weights, loop.strength) for loop in small.loops] == [((S1, S2), (3, 3), 3)]
    assert not small.loops_truncated


def test_loops_are_listed_by_increasing_length(monkeypatch):
    # 8 stakes all influencing one another: 28 loops of 2 links, 112 of 3, 420 of 4, 1344 of 5.
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in range(1, 9))
    links = tuple(LinkData(a, b, R.INFLUENCES, 1 + (a + b) % 3) for a in range(1, 9) for b in range(1, 9) if a != b)
    snapshot = Snapshot(cards, links)
    analysis = analyse(snapshot)
    assert len(analysis.loops) == MAX_LOOPS and analysis.loops_truncated
    assert [loop.length for loop in analysis.loops] == [2] * 28 + [3] * 22
    assert analysis.loops_complete_to == 2
    threes = [loop for loop in analysis.loops if loop.length == 3]
    assert min(l.strength for l in threes) >= 2  # the strongest of the 112 three-link loops
    assert all(loop.card_ids[0] == min(loop.card_ids) for loop in analysis.loops)
    monkeypatch.setattr(loops_module, "MAX_LOOPS", 10_000)
    result = loops_module.feedback_loops(build_graph(snapshot), range(1, 9))
    assert len(result.loops) == sum(math.comb(8, k) * math.factorial(k - 1) for k in range(2, 6)) == 1904
    assert (result.truncated, result.complete_to) == (False, 5)


def test_two_link_loops_are_never_dropped_for_longer_ones():
    """Dense map: many strong three-link loops and two weak two-link loops; the two-link ones come first."""
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in range(1, 13))
    links = [LinkData(a, b, R.INFLUENCES, 3) for a in range(3, 13) for b in range(3, 13) if a != b and (b - a) % 10 in (1, 2, 3)]
    links += [LinkData(1, 2, R.INFLUENCES, 1), LinkData(2, 1, R.INFLUENCES, 1)]
    analysis = analyse(Snapshot(cards, tuple(links)))
    assert analysis.loops[0].card_ids == (1, 2) and analysis.loops[0].strength == 1
    assert all(a.length <= b.length for a, b in zip(analysis.loops, analysis.loops[1:]))


def test_the_loop_search_budget_leaves_a_length_incomplete(monkeypatch):
    monkeypatch.setattr(loops_module, "MAX_LOOP_STEPS", 400)
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in range(1, 9))
    links = tuple(LinkData(a, b, R.INFLUENCES, 2) for a in range(1, 9) for b in range(1, 9) if a != b)
    result = loops_module.feedback_loops(build_graph(Snapshot(cards, links)), range(1, 9))
    assert result.truncated and result.complete_to == 2
    assert {loop.length for loop in result.loops} == {2}


def test_a_cut_loop_list_names_only_the_lengths_it_holds(monkeypatch):
    """The note under a cut loop list says « puis les plus fortes de N liens » only when loops of N
    links are listed: not when the list filled up just as a length ended (longer loops were not
    looked for), nor when the search ran out of steps within the next length."""
    from workshop.analysis.readings import loops_cut_sentence

    # 50 pairs of stakes influencing each other: 50 loops of 2 links, none longer
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in range(1, 101))
    links = tuple(LinkData(a, b, R.INFLUENCES, 1) for n in range(1, 101, 2) for a, b in ((n, n + 1), (n + 1, n)))
    full = analyse(Snapshot(cards, links))
    assert len(full.loops) == MAX_LOOPS and full.loops_truncated and full.loops_complete_to == 2
    assert loops_cut_sentence(full, "fr") == ("Liste limitée aux boucles de 2 liens ou moins (les 50)\u00a0: "
                                              "les boucles plus longues ne sont pas listées.")
    # the search runs out of steps among the loops of 3 links: none of them is listed
    monkeypatch.setattr(loops_module, "MAX_LOOP_STEPS", 400)
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in range(1, 9))
    links = tuple(LinkData(a, b, R.INFLUENCES, 2) for a in range(1, 9) for b in range(1, 9) if a != b)
    short = analyse(Snapshot(cards, links))
    assert short.loops_truncated and {loop.length for loop in short.loops} == {2}
    assert "3 liens" not in loops_cut_sentence(short, "fr")
    assert loops_cut_sentence(short, "en") == ("List limited to the loops of 2 links or fewer (all 28 of them): "
                                               "longer loops are not listed.")
    # out of steps among the loops of 2 links: nothing is listed, and the note says so
    monkeypatch.setattr(loops_module, "MAX_LOOP_STEPS", 5)
    none = analyse(Snapshot(cards, links))
    assert none.loops == () and none.loops_truncated
    assert loops_cut_sentence(none, "en") == "Too many links to look for loops: none is listed."
    # some loops of 3 links listed, the strongest: the note says so
    monkeypatch.setattr(loops_module, "MAX_LOOP_STEPS", 300_000)
    dense = analyse(Snapshot(cards, links))
    assert loops_cut_sentence(dense, "en") == ("List limited to the 50 shortest loops: every loop of 2 links or "
                                               "fewer, then the strongest of 3 links.")


def test_clusters_split_two_tight_groups_joined_by_a_weak_link():
    # Stakes 1-2-3 influence one another strongly, so do 4-5-6; a single weak link 3 -> 4.
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in range(1, 7))
    tight = [(a, b) for group in ((1, 2, 3), (4, 5, 6)) for a in group for b in group if a < b]
    links = tuple(LinkData(a, b, R.INFLUENCES, 3) for a, b in tight) + (LinkData(3, 4, R.INFLUENCES, 1),)
    analysis = analyse(Snapshot(cards, links))
    assert [c.card_ids for c in analysis.clusters] == [(1, 2, 3), (4, 5, 6)]
    assert [c.internal_weight for c in analysis.clusters] == [9, 9]


def test_louvain_matches_networkx_modularity():
    """Our compact Louvain finds partitions as good as networkx's (modularity within 0.01) on
    synthetic maps (on these three, the very same partitions; not so on every map: visiting order
    and tie-breaks may differ)."""
    import networkx as nx

    from workshop.analysis.graph import cell_weights
    from workshop.analysis.louvain import louvain

    for cards, links, seed in ((60, 120, 1), (150, 450, 7), (400, 1600, 3)):
        graph = build_graph(synthetic_snapshot(cards, links, seed=seed))
        nodes = sorted(n for n in graph if graph.degree(n))
        pairs: dict[tuple[int, int], int] = {}
        for (u, v), w in cell_weights(graph, set(nodes)).items():
            pairs[min(u, v), max(u, v)] = pairs.get((min(u, v), max(u, v)), 0) + w
        undirected = nx.Graph()
        undirected.add_nodes_from(nodes)
        undirected.add_weighted_edges_from((u, v, w) for (u, v), w in pairs.items())
        ours = louvain(nodes, pairs, seed=21)
        assert sorted(n for community in ours for n in community) == nodes  # a partition
        theirs = nx.community.louvain_communities(undirected, weight="weight", seed=21)
        q_ours = nx.community.modularity(undirected, ours)
        q_theirs = nx.community.modularity(undirected, theirs)
        assert q_ours >= q_theirs - 0.01, (cards, q_ours, q_theirs)
        assert louvain(nodes, pairs, seed=21) == ours  # deterministic


def test_pagerank_by_hand():
    # A -> B only. B has no outgoing link, so it spreads its score evenly (classic PageRank):
    #   a = 0.15/2 + 0.85 * b/2,  b = 0.15/2 + 0.85 * (a + b/2),  a + b = 1
    #   => a = 0.075 + 0.425 (1 - a) => a = 0.5 / 1.425 = 0.350877, b = 0.649123
    snapshot = Snapshot((CardData(1, K.THREAT, "A"), CardData(2, K.STAKE, "B")), (LinkData(1, 2, R.WEIGHS_ON, 2),))
    analysis = analyse(snapshot)
    assert analysis.centrality[1] == pytest.approx(0.5 / 1.425, abs=1e-6)
    assert analysis.centrality[2] == pytest.approx(1 - 0.5 / 1.425, abs=1e-6)
    assert analysis.central_cards == (2, 1)


def test_pagerank_on_a_symmetric_cycle_is_uniform_and_ties_go_by_id():
    cards = tuple(CardData(i, K.STAKE, f"Enjeu {i}") for i in (3, 1, 2))
    links = (LinkData(1, 2, R.INFLUENCES, 2), LinkData(2, 3, R.INFLUENCES, 2), LinkData(3, 1, R.INFLUENCES, 2))
    analysis = analyse(Snapshot(cards, links))
    assert all(v == pytest.approx(1 / 3, abs=1e-6) for v in analysis.centrality.values())
    assert analysis.central_cards == (1, 2, 3)


def test_the_small_map_centre_is_where_most_links_converge(small):
    # S2 receives four links (T1, T2, R2 and S1), S1 three: both stakes lead, S2 first.
    assert sum(small.centrality.values()) == pytest.approx(1, abs=1e-5)
    assert small.central_cards[:2] == (S2, S1)
    assert R3 not in small.centrality  # isolated cards are left out


# --- determinism and scale ---------------------------------------------------------------------


def test_same_answer_whatever_the_input_order():
    base = synthetic_snapshot(120, 400, seed=5)
    rng = random.Random(1)
    cards, links = list(base.cards), list(base.links)
    rng.shuffle(cards)
    rng.shuffle(links)
    shuffled = Snapshot(tuple(cards), tuple(links))
    a, b = analyse(base), analyse(shuffled)
    for field in ("system", "threats", "goals", "uncountered_threats", "unsupported_goals", "isolated_cards",
                  "influence", "loops", "clusters", "central_cards", "readings"):
        assert getattr(a, field) == getattr(b, field), field


def test_synthetic_maps_obey_the_link_rules():
    snapshot = synthetic_snapshot(300, 1200, seed=3)
    kinds = {c.id: c.kind for c in snapshot.cards}
    assert len(snapshot.links) == 1200
    assert len({(l.source, l.target, l.relation) for l in snapshot.links}) == 1200
    for link in snapshot.links:
        sources, targets = RULES[link.relation]
        assert kinds[link.source] in sources and kinds[link.target] in targets


def test_empty_map():
    analysis = analyse(Snapshot(()))
    assert analysis.goals == () and analysis.influence == () and analysis.clusters == ()
    assert analysis.central_cards == () and analysis.loops == ()


# --- through the services, on the demo seminar ---------------------------------------------------


def test_load_snapshot_of_the_demo_seminar(db):
    from workshop.demo import RESOURCES, STAKES, THREATS, build_demo
    from workshop.services import cards as cards_service
    from workshop.services import links as links_service
    from workshop.services import votes

    demo = build_demo(db)
    sid = demo.seminar_id
    snapshot = load_snapshot(db, sid)
    by_text = {c.text: c for c in snapshot.cards}
    stake = {i: by_text[text].id for i, (text, _) in enumerate(STAKES)}
    threat = {i: by_text[text].id for i, (text, _) in enumerate(THREATS)}
    resource = {i: by_text[text].id for i, (text, _) in enumerate(RESOURCES)}
    # Words and the merged duplicate stake are not in the graph; the COP lever is.
    assert "Accès aux médecins dans les villages" not in by_text
    assert all(c.kind is not K.WORD for c in snapshot.cards)
    assert len(snapshot.cards) == len(STAKES) + len(THREATS) + len(RESOURCES) + 1
    assert len(snapshot.links) == 17  # the 17 pairs linked by demo.py
    assert snapshot.horizon_year == 2055 and snapshot.by_id[stake[0]].theme == "sante"
    assert {c.id: c.votes for c in snapshot.cards if c.votes} == {t.card_id: t.dots for t in votes.tally(db, sid)}
    assert [len(t.steps) for t in snapshot.trajectories] == [4]
    assert snapshot.trajectories[0].target_id == stake[0] and snapshot.trajectories[0].steps[-1].year == 2055

    analysis = analyse(snapshot)
    # demo.py links two threats each to stakes 0 (soins), 4 (eau) and 6 (logements), one to stake 1.
    most = max(len(g.threats) for g in analysis.goals)
    assert most == 2
    assert {g.card_id for g in analysis.goals if len(g.threats) == most} == {stake[0], stake[4], stake[6]}
    # Every threat was rated by 12 people: severities are the products of the service's means.
    means = votes.mean_ratings(db, sid)
    for t in analysis.threats:
        assert t.rated and t.severity == pytest.approx(means[t.card_id]["likelihood"] * means[t.card_id]["impact"],
                                                       abs=1e-6)
    soins = analysis.goal(stake[0])
    assert soins.exposure == pytest.approx(3 * analysis.threat(threat[0]).severity
                                           + 2 * analysis.threat(threat[4]).severity, abs=1e-6)
    assert soins.support == 3 and soins.countered_share == 0.5
    # Only "désertification médicale" and "prix de l'énergie" are countered.
    assert set(analysis.uncountered_threats) == {threat[i] for i in (1, 2, 4, 5, 6)}
    assert set(analysis.unsupported_goals) == {stake[4]}  # stake[5] has no link at all: listed as isolated
    assert analysis.goal(stake[4]).countered_share == 0.0
    vélo = next(c.id for c in snapshot.cards if c.kind is K.RESOURCE and c.id not in resource.values())
    assert analysis.isolated_cards == tuple(sorted((stake[5], vélo)))
    assert analysis.loops == ()
    # Université et CHU supports "soins" and counters its main threat: the strongest lever directly.
    assert max(analysis.influence, key=lambda s: s.direct_influence).card_id == resource[1]
    assert analysis.score(resource[1]).direct_group is InfluenceGroup.DRIVING
    # No loop: the powers of the matrix reach zero, the longest chains (3 links) classify
    # indirectly: the resource that starts the only one drives, the stake it ends on depends.
    assert (analysis.micmac.settled.value, analysis.micmac.power) == ("no_cycle", 3)
    start, end = analysis.influence[0], max(analysis.influence, key=lambda s: s.dependence)
    assert (start.influence, end.dependence) == (1.0, 1.0)
    assert start.group is InfluenceGroup.DRIVING and end.group is InfluenceGroup.DEPENDENT

    # Hidden cards and proposed links stay out of the graph.
    cards_service.set_hidden(db, sid, threat[0], True)
    rejected = links_service.create_link(db, sid, resource[0], stake[1], R.SUPPORTS, weight=1)
    links_service.decide(db, sid, rejected.id, accept=False)
    hidden = load_snapshot(db, sid)
    assert threat[0] not in hidden.by_id
    assert all(threat[0] not in (l.source, l.target) for l in hidden.links)
    assert len(hidden.links) == 17 - 2  # its weighs_on and the counters link pointing at it


def test_links_to_a_withdrawn_card_leave_the_graph(db, seminar, join):
    """A withdrawn card takes its links off the graph, whichever end it is on."""
    from seminar_helpers import open_activity
    from workshop.models import Interaction
    from workshop.services import cards as cards_service
    from workshop.services import links as links_service

    sid = seminar.seminar_id
    alice = join("Alice")
    activity = open_activity(db, sid, Interaction.CONTRIBUTE, K.STAKE)
    stake = cards_service.contribute(db, alice.device_token, activity.id, kind="stake", text="Accès aux soins")
    other = cards_service.add_card(db, sid, kind="stake", text="Centres-bourgs")
    threat = cards_service.add_card(db, sid, kind="threat", text="Désertification médicale")
    into = links_service.create_link(db, sid, threat.id, stake.id, R.WEIGHS_ON, weight=2)
    out_of = links_service.create_link(db, sid, stake.id, other.id, R.INFLUENCES)
    assert {l.id for l in links_service.list_links(db, sid)} == {into.id, out_of.id}
    cards_service.withdraw_own(db, alice.device_token, stake.id)
    assert links_service.list_links(db, sid) == []
    snapshot = load_snapshot(db, sid)
    assert {c.id for c in snapshot.cards} == {other.id, threat.id} and snapshot.links == ()
    assert analyse(snapshot).isolated_cards == (other.id, threat.id)
