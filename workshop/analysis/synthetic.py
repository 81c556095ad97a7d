"""Seeded synthetic card maps for benchmarks and figure tests (never shown to a seminar).

The kind mix and the relation mix follow what a two-day seminar produces, scaled up:
about a fifth each of stakes, threats and resources, fewer challenges, some current
actions and action leads; every link obeys ``services.links.RULES`` and is never doubled;
a few stakes and threats attract many links (as in a room, where some cards "take").
"""

from __future__ import annotations

import random
from datetime import date

from workshop.analysis.snapshot import CardData, LinkData, Snapshot, StepData, TrajectoryData
from workshop.models import CardKind, Relation
from workshop.services.links import RULES

KIND_MIX = {
    CardKind.STAKE: 0.20, CardKind.THREAT: 0.20, CardKind.RESOURCE: 0.20, CardKind.CHALLENGE: 0.10,
    CardKind.CURRENT_ACTION: 0.12, CardKind.ACTION_LEAD: 0.13, CardKind.TREND: 0.05,
}
RELATION_MIX = {
    Relation.WEIGHS_ON: 0.30, Relation.SUPPORTS: 0.25, Relation.COUNTERS: 0.20,
    Relation.INFLUENCES: 0.15, Relation.LEADS_TO: 0.10,
}
THEMES = ["sante", "habitat", "mobilite", "alimentation", "eau-biodiversite", "economie-emploi", "energie",
          "cohesion-sociale", "climat-risques", "gouvernance"]
WORDS = ["accès", "soins", "centres-bourgs", "mobilités", "alimentation", "locale", "ressource", "eau",
         "emplois", "transition", "logements", "sobres", "vie", "associative", "canicules", "crues",
         "énergie", "vieillissement", "commerces", "captages", "réseau", "chaleur", "friches", "maraîchers",
         "bus", "haut", "niveau", "service", "tissu", "citoyen", "coopération", "jeunes", "formation",
         "numérique", "agriculture", "biodiversité", "tourisme", "culture", "sécurité", "quartiers"]


def _text(rng: random.Random, kind: CardKind, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
    return f"{kind.value} {n} : {words}"


def synthetic_snapshot(cards: int = 1000, links: int = 5000, *, seed: int = 21, horizon_year: int = 2050,
                       trajectories: int = 0, today: date | None = None) -> Snapshot:
    """A map of ``cards`` cards and (at most, if the kinds cannot hold more) ``links`` accepted links."""
    rng = random.Random(seed)
    kinds = list(KIND_MIX)
    by_kind: dict[CardKind, list[int]] = {k: [] for k in kinds}
    card_list = []
    for card_id in range(1, cards + 1):
        kind = rng.choices(kinds, weights=[KIND_MIX[k] for k in kinds])[0] if card_id > len(kinds) else kinds[card_id - 1]
        ratings = {}
        if kind is CardKind.THREAT and rng.random() < 0.8:
            ratings = {"likelihood": round(rng.uniform(1, 5), 2), "impact": round(rng.uniform(1, 5), 2)}
        votes = int(rng.paretovariate(1.5)) - 1 if kind in (CardKind.STAKE, CardKind.CHALLENGE) else 0
        card_list.append(CardData(card_id, kind, _text(rng, kind, card_id), rng.choice(THEMES), votes, ratings))
        by_kind[kind].append(card_id)
    # popularity: a few cards attract most links
    popularity = {c.id: rng.paretovariate(1.2) for c in card_list}
    relations = list(RELATION_MIX)
    seen: set[tuple[int, int, Relation]] = set()
    link_list = []
    attempts = 0
    while len(link_list) < links and attempts < links * 20:
        attempts += 1
        relation = rng.choices(relations, weights=[RELATION_MIX[r] for r in relations])[0]
        sources, targets = RULES[relation]
        source_pool = [c for k in sorted(sources, key=lambda k: k.value) for c in by_kind.get(k, [])]
        target_pool = [c for k in sorted(targets, key=lambda k: k.value) for c in by_kind.get(k, [])]
        if not source_pool or not target_pool:
            continue
        source = rng.choices(source_pool, weights=[popularity[c] for c in source_pool])[0]
        target = rng.choices(target_pool, weights=[popularity[c] for c in target_pool])[0]
        if source == target or (source, target, relation) in seen:
            continue
        seen.add((source, target, relation))
        link_list.append(LinkData(source, target, relation, rng.choice([None, 1, 2, 2, 3]), id=len(link_list) + 1))
    trajectory_list = []
    start = (today or date.today()).year
    goals = by_kind[CardKind.STAKE] + by_kind[CardKind.CHALLENGE]
    levers = by_kind[CardKind.RESOURCE] + by_kind[CardKind.CURRENT_ACTION] + by_kind[CardKind.ACTION_LEAD]
    for n in range(trajectories):
        years = sorted(rng.sample(range(start, horizon_year + 1), k=min(4, horizon_year - start + 1)))
        steps = tuple(StepData(year, _text(rng, CardKind.ACTION_LEAD, i), "", tuple(rng.sample(levers, k=1)))
                      for i, year in enumerate(years))
        trajectory_list.append(TrajectoryData(n + 1, f"Trajectoire {n + 1}", rng.choice(goals), steps))
    return Snapshot(tuple(card_list), tuple(link_list), tuple(trajectory_list), horizon_year=horizon_year,
                    title=f"Synthèse {cards} cartes")
