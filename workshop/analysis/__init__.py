"""Graph analyses of a seminar's cards and links (pure, deterministic, no UI).

``load_snapshot(db, seminar_id)`` reads a seminar into plain data, ``build_graph`` turns it
into a networkx graph and ``analyse`` runs every analysis into one ``SeminarAnalysis``:
threat severity, exposure and coverage of each stake, gaps (uncountered threats,
unsupported stakes, isolated cards), influence and dependence (MICMAC-style), feedback
loops, clusters and central cards. Each analysis says in its docstring what it computes
and why a facilitator cares.
"""

from workshop.analysis.graph import MAX_LINK_WEIGHT, build_graph
from workshop.analysis.metrics import (
    DEFAULT_RATING,
    INDIRECT_MAX_PATH,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
    MAX_LOOPS_SCANNED,
    Cluster,
    FeedbackLoop,
    GoalBalance,
    InfluenceGroup,
    InfluenceMeans,
    InfluenceScore,
    SeminarAnalysis,
    SupportOfGoal,
    ThreatAssessment,
    ThreatOnGoal,
    analyse,
    assess_threats,
    clusters,
    feedback_loops,
    goal_balances,
    influence_scores,
    isolated_cards,
    pagerank,
)
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
    "DEFAULT_RATING", "GRAPH_KINDS", "INDIRECT_MAX_PATH", "MAX_LINK_WEIGHT", "MAX_LOOP_LENGTH", "MAX_LOOPS",
    "MAX_LOOPS_SCANNED", "CardData", "Cluster", "FeedbackLoop", "GoalBalance", "InfluenceGroup",
    "InfluenceMeans", "InfluenceScore", "LinkData", "SeminarAnalysis", "Snapshot", "StepData",
    "SupportOfGoal", "ThreatAssessment", "ThreatOnGoal", "TrajectoryData", "analyse", "assess_threats",
    "build_graph", "clusters", "feedback_loops", "goal_balances", "influence_scores", "isolated_cards",
    "load_snapshot", "pagerank",
]
