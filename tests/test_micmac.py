"""Godet's MICMAC (workshop.analysis.micmac) against hand computations and other implementations.

Published worked examples: none found that we could check. Issue 13 asks for LIPSOR/Godet
manuals, theses and papers that print a direct influence matrix *and* the resulting MICMAC
classification. A second search (public web pages, documentation and code indexes) found the
method described in many places but no source whose matrix and results could both be read as
text: the Cahiers du LIPSOR n° 5 (Godet et al., 2004), Godet's "From anticipation to action"
(UNESCO, 1994) and Arcade, Godet, Meunier & Roubelat's "Structural analysis with the MICMAC
method" (AC/UNU Millennium Project) were only reachable as their first pages; theses that ran
LIPSOR's software (e.g. M. Ben Alita, "Les déterminants de l'agritourisme en Tunisie",
ISET Sousse 2016, memoireonline.com) print the matrix and the planes as pictures; papers that
discuss non-settling rankings (Caldas & Perestrelo, DINÂMIA WP 1998/09, hal-02185183; Dema &
Barberá, CIO 2010) were readable only as their abstract. Numbers we cannot read are not
tested: no "published" value here is invented. What is tested instead, and why it is
trustworthy:

1. Hand computations that anyone can redo with a pencil, each written out below, including
   the chain A -> B -> C -> D that issue 13 cites (B and C autonomous, A's share 50% at M²).
2. An independent implementation's fixture: Jorge Catumba's ``micmac`` for networkx (2013,
   ``networkx/algorithms/link_analysis/micmac_alg.py`` and ``tests/test_micmac.py`` in the
   history of the networkx repository, citing R. Díaz, "Indirect influences", Advanced
   Studies in Contemporary Mathematics 23 (2013) 29-41, arXiv:0906.1610, and M. Godet,
   "De l'anticipation à l'action", Dunod, 1992): a 10-variable graph and the shares of
   influence and dependence of M⁴ (it computes ``A^k`` for a fixed k). Ours at the same fixed
   power (``power=4``) must give the same shares.
3. The limit of the powers (Perron-Frobenius): on a strongly connected aperiodic matrix the
   rankings settle on those of the dominant eigenvectors; networkx's own
   ``eigenvector_centrality`` computes them.
"""

from __future__ import annotations

import importlib
from fractions import Fraction

import networkx as nx
import pytest

from workshop.analysis import CardData, InfluenceGroup, LinkData, Settled, Snapshot, analyse, micmac
from workshop.analysis.readings import settled_sentence

micmac_module = importlib.import_module("workshop.analysis.micmac")
from workshop.models import CardKind, Relation

G = InfluenceGroup
K, R = CardKind, Relation


def shares(result, attribute: str) -> dict[int, float]:
    return {s.card_id: getattr(s, attribute) for s in result.scores}


def groups(result, direct: bool = False) -> dict[int, InfluenceGroup]:
    return {s.card_id: (s.direct_group if direct else s.group) for s in result.scores}


# --- 1. hand computations --------------------------------------------------------------------------


def test_the_chain_of_issue_13():
    """A -> B -> C -> D, every link of weight 1 (a resource counters a threat that weighs on a
    stake that influences another stake).

    Direct: influence A, B, C = 1 (1/3 each), dependence B, C, D = 1; mean share 1/4.
    M² = {A -> C, B -> D}: A and B have 50 % of the influence each (issue 13's hand computation:
    A's share is 50 %, where the old weighted sum W¹ + ... + W⁴ with W = M/3 gave 13/34 = 38 %).
    M³ = {A -> D}: A 100 % of the influence, D 100 % of the dependence. M⁴ = 0: no cycle, the
    last non-zero power (M³) is the indirect classification: A driving, B and C autonomous
    (the middle of a chain starts no chain of three links and ends none), D dependent.
    """
    cards = (CardData(1, K.RESOURCE, "A"), CardData(2, K.THREAT, "B"), CardData(3, K.STAKE, "C"),
             CardData(4, K.STAKE, "D"))
    links = (LinkData(1, 2, R.COUNTERS), LinkData(2, 3, R.WEIGHS_ON), LinkData(3, 4, R.INFLUENCES))
    result = analyse(Snapshot(cards, links)).micmac
    assert (result.settled, result.power) == (Settled.NO_CYCLE, 3)
    assert shares(result, "direct_influence_share") == pytest.approx({1: 1 / 3, 2: 1 / 3, 3: 1 / 3, 4: 0})
    assert groups(result, direct=True) == {1: G.DRIVING, 2: G.RELAY, 3: G.RELAY, 4: G.DEPENDENT}
    assert shares(result, "influence") == {1: 1.0, 2: 0.0, 3: 0.0, 4: 0.0}
    assert shares(result, "dependence") == {1: 0.0, 2: 0.0, 3: 0.0, 4: 1.0}
    assert groups(result) == {1: G.DRIVING, 2: G.AUTONOMOUS, 3: G.AUTONOMOUS, 4: G.DEPENDENT}


def test_the_chain_at_the_second_power(monkeypatch):
    """The same chain stopped at M² (the cap): A and B 50 % of the influence each."""
    monkeypatch.setattr(micmac_module, "MAX_POWER", 2)
    result = micmac([1, 2, 3, 4], {(1, 2): 1, (2, 3): 1, (3, 4): 1})
    assert (result.settled, result.power) == (Settled.CAP, 2)
    assert shares(result, "influence") == {1: 0.5, 2: 0.5, 3: 0.0, 4: 0.0}
    assert shares(result, "dependence") == {1: 0.0, 2: 0.0, 3: 0.5, 4: 0.5}


def test_a_fixed_power_ignores_the_stop_rules():
    """The cycle with a chord of ``test_rankings_that_settle_stop_the_powers`` settles at M⁵;
    asked for M⁷ (as LIPSOR's software computes when the user sets the iterations), we get M⁷:
    r7 = (9, 5, 7) and c7 = (7, 5, 9), total 21 (continue the sequences written there)."""
    result = micmac([1, 2, 3], {(1, 2): 1, (2, 3): 1, (3, 1): 1, (1, 3): 1}, power=7)
    assert (result.settled, result.power) == (Settled.FIXED, 7)
    assert shares(result, "influence") == pytest.approx({1: 9 / 21, 2: 5 / 21, 3: 7 / 21})
    assert shares(result, "dependence") == pytest.approx({1: 7 / 21, 2: 5 / 21, 3: 9 / 21})
    assert settled_sentence(result, "fr") == "Classement indirect calculé à la puissance 7 de la matrice, fixée d'avance."
    direct = micmac([1, 2, 3], {(1, 2): 1, (2, 3): 1, (3, 1): 1, (1, 3): 1}, power=1)
    assert (direct.settled, direct.power) == (Settled.FIXED, 1)
    assert shares(direct, "influence") == shares(direct, "direct_influence_share")


def test_a_fixed_power_past_the_longest_chain_keeps_the_no_cycle_rule():
    """M⁶ of the chain A -> B -> C -> D is 0: the last non-zero power, M³, is used and said."""
    result = micmac([1, 2, 3, 4], {(1, 2): 1, (2, 3): 1, (3, 4): 1}, power=6)
    assert (result.settled, result.power) == (Settled.NO_CYCLE, 3)
    assert shares(result, "influence") == {1: 1.0, 2: 0.0, 3: 0.0, 4: 0.0}


@pytest.mark.parametrize("power", [0, -1, True, 2.5, "3"])
def test_a_fixed_power_must_be_a_positive_integer(power):
    with pytest.raises(ValueError, match="power must be a positive integer"):
        micmac([1, 2], {(1, 2): 1}, power=power)


def test_parallel_links_never_push_a_cell_above_3():
    """An action that both supports and leads to a challenge (weights 3 and 2): one cell of 3,
    not 5 (the strongest link counts). The direct influence reads 3 on MICMAC's 0-3 scale."""
    cards = (CardData(1, K.ACTION_LEAD, "Piste"), CardData(2, K.CHALLENGE, "Défi"), CardData(3, K.STAKE, "Enjeu"))
    links = (LinkData(1, 2, R.SUPPORTS, 3), LinkData(1, 2, R.LEADS_TO, 2), LinkData(3, 2, R.SUPPORTS, 1))
    analysis = analyse(Snapshot(cards, links))
    assert analysis.score(1).direct_influence == 3
    assert analysis.score(2).direct_dependence == 4
    assert analysis.score(1).direct_influence_share == pytest.approx(3 / 4)


def test_a_loop_fed_from_one_side_alternates_and_is_averaged_over_its_period():
    """S1 <-> S2 and S1 -> S3 (weights 1).

    r = M^k.1: k=1 (S1 2, S2 1), k=2 (S1 1, S2 2), k=3 (2, 1), k=4 (1, 2): the influence
    ranking alternates with period 2; c = 1.M^k stays (1, 1, 1). So the mean of M³ and M⁴ is
    used: influence S1 = S2 = 1/2, S3 = 0; dependence 1/3 each (= the mean: not high).
    """
    result = micmac([1, 2, 3], {(1, 2): 1, (2, 1): 1, (1, 3): 1})
    assert (result.settled, result.period, result.power) == (Settled.PERIODIC, 2, 4)
    assert shares(result, "influence") == pytest.approx({1: 0.5, 2: 0.5, 3: 0.0})
    assert shares(result, "dependence") == pytest.approx({1: 1 / 3, 2: 1 / 3, 3: 1 / 3})
    assert groups(result) == {1: G.DRIVING, 2: G.DRIVING, 3: G.AUTONOMOUS}


def test_rankings_that_settle_stop_the_powers():
    """A cycle of three with a chord: 1 -> 2 -> 3 -> 1 and 1 -> 3 (weights 1).

    r1 = (2, 1, 1), r2 = M.r1 = (r1[2] + r1[3], r1[3], r1[1]) = (2, 1, 2),
    r3 = (1 + 2, 2, 2) = (3, 2, 2), r4 = (4, 2, 3), r5 = (5, 3, 4), r6 = (7, 4, 5):
    the influence ranking 1 > 3 > 2 holds from M⁴ on. c1 = (1, 1, 2), c2 = c1.M = (2, 1, 2),
    c3 = (2, 2, 3), c4 = (3, 2, 4), c5 = (4, 3, 5): dependence ranking 3 > 1 > 2 from M⁴ on.
    Both rankings of M⁵ are those of M⁴: stable at power 5, shares of M⁵ (total 12).
    """
    result = micmac([1, 2, 3], {(1, 2): 1, (2, 3): 1, (3, 1): 1, (1, 3): 1})
    assert (result.settled, result.power) == (Settled.STABLE, 5)
    assert shares(result, "influence") == pytest.approx({1: 5 / 12, 2: 3 / 12, 3: 4 / 12})
    assert shares(result, "dependence") == pytest.approx({1: 4 / 12, 2: 3 / 12, 3: 5 / 12})


SMALL = """The small map of tests/test_analysis.py (see its docstring for the links):
S1 [1], S2 [2], S3 [3], T1 [11], T2 [12], R1 [21], R2 [22]; cells T1->S1 3, T1->S2 1, T2->S2 2,
R1->S1 2, R2->S2 1, R1->T1 3, S1->S2 3, S2->S1 3, S2->S3 2 (total 20).

r_k = M^k . 1 (S1, S2, T1, T2, R1, R2; S3 is always 0):
  k=1: 3, 5, 4, 2, 5, 1        k=2: 15, 9, 14, 10, 18, 5 (total 71)
  k=3: 27, 45, 54, 18, 72, 9 (225)   k=4: 135, 81, 126, 90, 216, 45 (693)
  k=5: 243, 405, 486, 162, 648, 81 (2025)
c_k = 1 . M^k (S1, S2, S3; the others 0 from k=2): k=2: 30, 27, 14; k=3: 81, 90, 54;
  k=4: 270, 243, 180; k=5: 729, 810, 486.
Rankings of M⁴ are those of M², of M⁵ those of M³: period 2, mean of the shares of M⁴ and M⁵.
"""


def test_the_small_map_by_hand():
    from tests.test_analysis import small_map

    result = analyse(small_map()).micmac
    assert (result.settled, result.period, result.power) == (Settled.PERIODIC, 2, 5)
    r4 = {1: 135, 2: 81, 11: 126, 12: 90, 21: 216, 22: 45, 3: 0}
    r5 = {1: 243, 2: 405, 11: 486, 12: 162, 21: 648, 22: 81, 3: 0}
    c4 = {1: 270, 2: 243, 3: 180}
    c5 = {1: 729, 2: 810, 3: 486}
    influence = {n: (Fraction(r4[n], 693) + Fraction(r5[n], 2025)) / 2 for n in r4}
    dependence = {n: (Fraction(c4.get(n, 0), 693) + Fraction(c5.get(n, 0), 2025)) / 2 for n in r4}
    assert shares(result, "influence") == pytest.approx({n: float(v) for n, v in influence.items()}, abs=1e-12)
    assert shares(result, "dependence") == pytest.approx({n: float(v) for n, v in dependence.items()}, abs=1e-12)
    assert groups(result) == {1: G.RELAY, 2: G.RELAY, 3: G.DEPENDENT, 11: G.DRIVING, 21: G.DRIVING,
                              12: G.AUTONOMOUS, 22: G.AUTONOMOUS}
    assert groups(result, direct=True) == {1: G.RELAY, 2: G.RELAY, 11: G.RELAY, 21: G.DRIVING, 3: G.AUTONOMOUS,
                                           12: G.AUTONOMOUS, 22: G.AUTONOMOUS}
    assert [s.card_id for s in result.scores] == [21, 11, 2, 1, 12, 22, 3]
    assert result.mean == pytest.approx(1 / 7)


test_the_small_map_by_hand.__doc__ = SMALL


def test_no_link_and_no_chain_of_two():
    assert micmac([], {}).settled is Settled.EMPTY
    result = micmac([1, 2], {(1, 2): 3})
    assert (result.settled, result.power) == (Settled.DIRECT, 1)
    assert shares(result, "influence") == {1: 1.0, 2: 0.0}
    assert groups(result) == {1: G.DRIVING, 2: G.DEPENDENT}


# --- 2. an independent implementation's fixture --------------------------------------------------


def test_fourth_power_shares_match_catumbas_networkx_micmac():
    """networkx micmac (J. Catumba, 2013), tests/test_micmac.py: edges below, k = 4; expected
    shares as printed in that test, zipped there with the graph's nodes, which Python 2's dict
    of that time listed as 0..9 (the only order consistent with the edges: node 5 has no
    out-link, so cannot hold the 0.25 of influence). 16 walks of 4 links in all."""
    edges = [(0, 5), (1, 0), (3, 0), (1, 2), (1, 9), (3, 1), (2, 9), (2, 3), (3, 5), (4, 3), (6, 3), (6, 5),
             (6, 7), (6, 8), (7, 9)]
    expected_influence = [0.0, 0.25, 0.1875, 0.1875, 0.1875, 0.0, 0.1875, 0.0, 0.0, 0.0]
    expected_dependence = [0.125, 0.0625, 0.0625, 0.1875, 0.0, 0.3125, 0.0, 0.0, 0.0, 0.25]
    result = micmac(range(10), {edge: 1 for edge in edges}, power=4)
    assert (result.settled, result.power) == (Settled.FIXED, 4)
    assert shares(result, "influence") == pytest.approx(dict(enumerate(expected_influence)), abs=1e-4)
    assert shares(result, "dependence") == pytest.approx(dict(enumerate(expected_dependence)), abs=1e-4)


# --- 3. the limit: dominant eigenvectors ---------------------------------------------------------


def test_settled_rankings_are_those_of_the_dominant_eigenvectors():
    """Five stakes, strongly connected, loops of 2 and 3 links (so aperiodic), weights 1-3."""
    weights = {(1, 2): 3, (2, 1): 1, (2, 3): 2, (3, 4): 3, (4, 2): 1, (4, 5): 2, (5, 1): 1, (3, 5): 1}
    result = micmac(range(1, 6), weights)
    assert result.settled is Settled.STABLE
    graph = nx.DiGraph()
    graph.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    left = nx.eigenvector_centrality(graph, weight="weight", max_iter=10_000, tol=1e-12)  # dependence
    right = nx.eigenvector_centrality(graph.reverse(), weight="weight", max_iter=10_000, tol=1e-12)  # influence

    def order(values):
        return sorted(values, key=lambda n: -values[n])

    assert order(shares(result, "influence")) == order(right)
    assert order(shares(result, "dependence")) == order(left)
