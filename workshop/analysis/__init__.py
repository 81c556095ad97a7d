"""Graph analyses of a seminar's cards and links (pure, deterministic, no UI).

``load_snapshot(db, seminar_id)`` reads a seminar into plain data, ``build_graph`` turns it
into a networkx graph and ``analyse`` runs every analysis into one ``SeminarAnalysis``:
threat severity, exposure and coverage of each stake, gaps (uncountered threats,
unsupported stakes, isolated cards), influence and dependence (Godet's MICMAC, direct and
indirect), feedback loops, clusters, central cards, and the readings that reconcile them. Each analysis says in its docstring what it computes
and why a facilitator cares.
"""

from workshop.analysis.graph import MAX_LINK_WEIGHT, build_graph, cell_weights
from workshop.analysis.loops import MAX_LOOP_LENGTH, MAX_LOOPS, FeedbackLoop, LoopList, feedback_loops
from workshop.analysis.metrics import (
    DEFAULT_RATING,
    Cluster,
    GoalBalance,
    SeminarAnalysis,
    SupportOfGoal,
    ThreatAssessment,
    ThreatOnGoal,
    analyse,
    assess_threats,
    clusters,
    goal_balances,
    isolated_cards,
    pagerank,
)
from workshop.analysis.micmac import InfluenceGroup, InfluenceScore, Micmac, Settled, influence_scores, micmac
from workshop.analysis.readings import Reading
from workshop.analysis.snapshot import (
    GRAPH_KINDS,
    CardData,
    LinkData,
    Snapshot,
    StepData,
    TrajectoryData,
    load_snapshot,
)

__all__ = [
    "DEFAULT_RATING", "GRAPH_KINDS", "MAX_LINK_WEIGHT", "MAX_LOOP_LENGTH", "MAX_LOOPS", "CardData", "Cluster",
    "FeedbackLoop", "GoalBalance", "InfluenceGroup", "InfluenceScore", "LinkData", "LoopList", "Micmac", "Reading",
    "SeminarAnalysis", "Settled", "Snapshot", "StepData", "SupportOfGoal", "ThreatAssessment", "ThreatOnGoal",
    "TrajectoryData", "analyse", "assess_threats", "build_graph", "cell_weights", "clusters", "feedback_loops",
    "goal_balances", "influence_scores", "isolated_cards", "load_snapshot", "micmac", "pagerank",
]
