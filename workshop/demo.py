"""A ready demo seminar, built through the same services the room uses.

A newcomer opens the app and finds a seminar in progress: a territory, people from each
collège around four tables, stakes, threats and resources on the wall, a dot vote done,
threats rated, links between cards and a first trajectory. Deterministic (seeded).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from workshop import clock
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.models import Activity, CardKind, College, Interaction, Relation
from workshop.services import activities, cards, links, participants, ratelimit, seminars, trajectories, votes

DEMO_SECRET = "demo-animation"

PEOPLE = [
    ("Claire M.", College.ELECTED), ("Hervé D.", College.ELECTED), ("Nadia B.", College.ELECTED),
    ("Julien P.", College.STAFF), ("Sophie L.", College.STAFF), ("Karim T.", College.STAFF),
    ("Isabelle R.", College.BUSINESS), ("Marc V.", College.BUSINESS),
    ("Aïcha S.", College.ASSOCIATION), ("Benoît G.", College.ASSOCIATION), ("Léa F.", College.ASSOCIATION),
    ("Paul H.", College.RESIDENT), ("Chloé N.", College.RESIDENT), ("Émile C.", College.RESIDENT),
    ("Fatou K.", College.RESIDENT), ("Dr Anne V.", College.EXPERT), ("Thomas J.", College.EXPERT),
    ("Mélanie O.", College.OTHER),
]

STAKES = [
    ("Accès aux soins de proximité dans les communes rurales", "sante"),
    ("Revitalisation des centres-bourgs et du centre-ville", "habitat"),
    ("Des mobilités sans voiture individuelle pour tous", "mobilite"),
    ("Une alimentation locale accessible à tous les revenus", "alimentation"),
    ("Préserver la ressource en eau et les hortillonnages", "eau-biodiversite"),
    ("Des emplois locaux dans la transition écologique", "economie-emploi"),
    ("Des logements sobres en énergie et abordables", "energie"),
    ("Une vie associative et citoyenne qui fait lien", "cohesion-sociale"),
]
THREATS = [
    ("Désertification médicale", "sante"),
    ("Canicules plus fréquentes et îlots de chaleur en ville", "climat-risques"),
    ("Crues de la Somme et remontées de nappe", "climat-risques"),
    ("Hausse durable du prix de l'énergie", "energie"),
    ("Vieillissement de la population et isolement", "cohesion-sociale"),
    ("Fermeture de commerces en centre-bourg", "economie-emploi"),
    ("Baisse de la qualité de l'eau des captages", "eau-biodiversite"),
]
RESOURCES = [
    ("Tissu associatif dense", "cohesion-sociale"),
    ("Université et CHU : formation des soignants", "sante"),
    ("Réseau de bus à haut niveau de service", "mobilite"),
    ("Maraîchers des hortillonnages et circuits courts", "alimentation"),
    ("Réseau de chaleur urbain", "energie"),
    ("Friches industrielles à reconvertir", "habitat"),
]


@dataclass(frozen=True)
class Demo:
    seminar_id: int
    join_code: str
    facilitator_secret: str


def build_demo(db: Database, *, seed: int = 21) -> Demo:
    """Create the demo seminar (Amiens Métropole, horizon 2055) part-way through day 1."""
    with ratelimit.exempt():  # eighteen simulated people voting at machine speed
        return _build_demo(db, seed=seed)


def _build_demo(db: Database, *, seed: int) -> Demo:
    rng = random.Random(seed)
    kit = default_kit()
    sheet = find_run_sheet("deux-jours")
    today = clock.now().date()
    created = seminars.create_seminar(
        db, title="Visions +21 : Amiens Métropole 2055", territory="Amiens Métropole", horizon_year=2055,
        run_sheet=sheet, kit=kit, day_dates=[today, today + timedelta(days=1)],
        group_names=["Table Somme", "Table Hortillonnages", "Table Citadelle", "Table Beffroi"],
        facilitator_secret=DEMO_SECRET,
    )
    sid = created.seminar_id
    groups = seminars.get_seminar_by_id(db, sid).groups
    tokens = []
    for i, (name, college) in enumerate(PEOPLE):
        joined = participants.join(db, created.join_code, display_name=name, college=college,
                                   group_id=groups[i % len(groups)].id)
        tokens.append(joined.device_token)

    stake_ids: list[int] = []
    threat_ids: list[int] = []
    resource_ids: list[int] = []
    notes_on: int | None = None
    current_id = activities.advance(db, sid)
    while current_id is not None:
        act = next(a for a in activities.list_activities(db, sid) if a.id == current_id)
        if act.interaction is Interaction.WORD:
            for token, text in zip(tokens, ["Solidaire", "Verte", "Vivante", "Résiliente", "Solidaire",
                                            "Accueillante", "Verte", "Apaisée", "Innovante", "Solidaire",
                                            "Nourricière", "Verte"]):
                cards.contribute(db, token, act.id, kind=CardKind.WORD, text=text)
        elif act.interaction is Interaction.CONTRIBUTE and CardKind.STAKE.value in act.card_kinds and not stake_ids:
            _contextualisation(db, sid, act, tokens, rng, stake_ids, threat_ids, resource_ids)
            notes_on = act.id
        elif act.interaction is Interaction.DOT_VOTE and CardKind.STAKE.value in act.card_kinds and stake_ids:
            _dot_vote(db, act, tokens, stake_ids, rng)
        elif act.interaction is Interaction.RATE and CardKind.THREAT.value in act.card_kinds and threat_ids:
            for token in tokens[:12]:
                for card_id in threat_ids:
                    for criterion in act.criteria:
                        votes.rate(db, token, act.id, card_id, criterion, rng.randint(2, 5))
            break  # the demo stops here: threats being rated, the rest of the run sheet to come
        current_id = activities.advance(db, sid)

    if stake_ids and threat_ids and resource_ids:
        pairs = [(threat_ids[0], stake_ids[0], Relation.WEIGHS_ON, 3), (threat_ids[4], stake_ids[0], Relation.WEIGHS_ON, 2),
                 (threat_ids[1], stake_ids[6], Relation.WEIGHS_ON, 2), (threat_ids[2], stake_ids[4], Relation.WEIGHS_ON, 3),
                 (threat_ids[3], stake_ids[6], Relation.WEIGHS_ON, 3), (threat_ids[5], stake_ids[1], Relation.WEIGHS_ON, 2),
                 (threat_ids[6], stake_ids[4], Relation.WEIGHS_ON, 2),
                 (resource_ids[1], stake_ids[0], Relation.SUPPORTS, 3), (resource_ids[0], stake_ids[7], Relation.SUPPORTS, 2),
                 (resource_ids[2], stake_ids[2], Relation.SUPPORTS, 3), (resource_ids[3], stake_ids[3], Relation.SUPPORTS, 3),
                 (resource_ids[4], stake_ids[6], Relation.SUPPORTS, 2), (resource_ids[5], stake_ids[1], Relation.SUPPORTS, 2),
                 (resource_ids[4], threat_ids[3], Relation.COUNTERS, 2), (resource_ids[1], threat_ids[0], Relation.COUNTERS, 3),
                 (stake_ids[1], stake_ids[7], Relation.INFLUENCES, 2), (stake_ids[2], stake_ids[1], Relation.INFLUENCES, 1)]
        for source, target, relation, weight in pairs:
            links.create_link(db, sid, source, target, relation, weight=weight)
        trajectory = trajectories.create_trajectory(db, sid, stake_ids[0], "Des soins à moins de 20 minutes",
                                                    group_id=groups[0].id)
        year = today.year
        for offset, title, card_ids in ((1, "Maison de santé pluriprofessionnelle dans chaque bassin de vie", [resource_ids[1]]),
                                        (6, "Internes accueillis par les communes rurales", [resource_ids[1]]),
                                        (15, "Bus à la demande vers les pôles de santé", [resource_ids[2]]),
                                        (2055 - year, "Plus aucune commune à plus de 20 minutes d'un médecin", [])):
            trajectories.add_step(db, sid, trajectory.id, year=year + offset, title=title, card_ids=card_ids)

    if notes_on is not None:
        activities.set_notes(db, sid, notes_on,
                             "Bonne énergie aux tables ; la table Beffroi a eu besoin d'exemples de ressources.")
    return Demo(sid, created.join_code, created.facilitator_secret)


def _contextualisation(db: Database, sid: int, act: Activity, tokens: list[str], rng: random.Random,
                       stake_ids: list[int], threat_ids: list[int], resource_ids: list[int]) -> None:
    kit = default_kit()
    for kind, items, out in ((CardKind.STAKE, STAKES, stake_ids), (CardKind.THREAT, THREATS, threat_ids),
                             (CardKind.RESOURCE, RESOURCES, resource_ids)):
        for text, theme in items:
            out.append(cards.contribute(db, rng.choice(tokens), act.id, kind=kind, text=text, theme=theme).id)
    # two tables wrote the same stake: the facilitator merges the duplicate
    duplicate = cards.contribute(db, tokens[5], act.id, kind=CardKind.STAKE,
                                 text="Accès aux médecins dans les villages", theme="sante")
    cards.merge(db, sid, stake_ids[0], [duplicate.id])
    lever = next(c for d in kit.decks if d.key.startswith("leviers") for c in d.cards if "Vélo" in c.text)
    resource_ids.append(cards.contribute(db, tokens[3], act.id, kind=CardKind.RESOURCE, text=lever.text,
                                         theme="mobilite", source="COP 2024").id)


def _dot_vote(db: Database, act: Activity, tokens: list[str], stake_ids: list[int], rng: random.Random) -> None:
    budget = act.vote_budget or 3
    per_card = act.vote_max_per_card or budget
    for token in tokens:
        left = budget
        for card_id in rng.sample(stake_ids, k=min(len(stake_ids), budget)):
            dots = min(left, rng.randint(1, per_card))
            if dots > 0:
                votes.set_dots(db, token, act.id, card_id, dots)
                left -= dots
