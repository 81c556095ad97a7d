"""A ready demo seminar, built through the same services the room uses.

A newcomer opens the app and finds a seminar in progress: a territory, people from each
collège around four tables, stakes, threats and resources on the wall, a dot vote done,
threats rated, links between cards and a first trajectory. Deterministic (seeded).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from workshop import clock
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.models import Activity, CardKind, College, Interaction, Relation
from workshop.services import activities, cards, links, participants, ratelimit, robustness, seminars, trajectories, votes

DEMO_SECRET = "demo-animation"
PAST_DEMO_SECRET = "demo-creil"

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
            _rate(db, act, tokens[:12], threat_ids, rng)
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
        _map_and_steps(db, sid, pairs, stake_ids[0], "Des soins à moins de 20 minutes", groups[0].id, 2055, (
            (1, "Maison de santé pluriprofessionnelle dans chaque bassin de vie", [resource_ids[1]]),
            (6, "Internes accueillis par les communes rurales", [resource_ids[1]]),
            (15, "Bus à la demande vers les pôles de santé", [resource_ids[2]]),
            (None, "Plus aucune commune à plus de 20 minutes d'un médecin", [])))

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


def _rate(db: Database, act: Activity, tokens: list[str], card_ids: list[int], rng: random.Random) -> None:
    for token in tokens:
        for card_id in card_ids:
            for criterion in act.criteria:
                votes.rate(db, token, act.id, card_id, criterion, rng.randint(2, 5))


def _map_and_steps(db: Database, sid: int, pairs: list[tuple[int, int, Relation, int]], target_id: int, title: str,
                   group_id: int, horizon: int, steps: tuple[tuple[int | None, str, list[int]], ...]) -> None:
    """Link the cards, then one table's trajectory: steps ``offset`` years from now (None: the horizon)."""
    _link(db, sid, pairs)
    trajectory = trajectories.create_trajectory(db, sid, target_id, title, group_id=group_id)
    year = clock.now().year
    for offset, step_title, card_ids in steps:
        trajectories.add_step(db, sid, trajectory.id, year=horizon if offset is None else year + offset,
                              title=step_title, card_ids=card_ids)


def _link(db: Database, sid: int, pairs: list[tuple[int, int, Relation, int]]) -> None:
    for source, target, relation, weight in pairs:
        links.create_link(db, sid, source, target, relation, weight=weight)


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


# --- a second, finished seminar: what a territory looks like after its two days ------------------------------

CREIL_PEOPLE = [
    ("Sylvie A.", College.ELECTED), ("Mohamed E.", College.ELECTED), ("Jean-Luc R.", College.STAFF),
    ("Camille D.", College.STAFF), ("Yasmina H.", College.STAFF), ("Patrice L.", College.BUSINESS),
    ("Nathalie G.", College.BUSINESS), ("Rachid B.", College.ASSOCIATION), ("Océane P.", College.ASSOCIATION),
    ("Gérard M.", College.RESIDENT), ("Inès T.", College.RESIDENT), ("Kevin S.", College.RESIDENT),
    ("Dr Luc F.", College.EXPERT), ("Manon C.", College.OTHER),
]

CREIL_CARDS: dict[CardKind, list[tuple[str, str | None]]] = {
    CardKind.STAKE: [
        ("Accès aux soins de proximité pour tous les habitants", "sante"),
        ("Des mobilités sans voiture entre les communes de l'agglomération", "mobilite"),
        ("Reconvertir les friches industrielles de la vallée de l'Oise", "economie-emploi"),
        ("Former les jeunes aux métiers de la transition écologique", "economie-emploi"),
        ("Rénover les logements pour sortir de la précarité énergétique", "energie"),
        ("Reconquérir les berges de l'Oise et la nature en ville", "eau-biodiversite"),
        ("Une alimentation saine et locale accessible à tous", "alimentation"),
    ],
    CardKind.THREAT: [
        ("Désertification médicale", "sante"),
        ("Inondations de l'Oise plus fréquentes", "climat-risques"),
        ("Pollution des sols des anciens sites industriels", "eau-biodiversite"),
        ("Hausse durable du prix de l'énergie", "energie"),
        ("Décrochage scolaire et chômage des jeunes", "cohesion-sociale"),
        ("Saturation des trains vers Paris", "mobilite"),
    ],
    CardKind.RESOURCE: [
        ("Gare de Creil, nœud ferroviaire régional", "mobilite"),
        ("Savoir-faire industriel et entreprises de la métallurgie", "economie-emploi"),
        ("Une population jeune", "cohesion-sociale"),
        ("Jardins familiaux et associations d'insertion", "alimentation"),
        ("Centre hospitalier de Creil", "sante"),
    ],
    CardKind.CHALLENGE: [
        ("Comment garder un médecin à moins de 15 minutes de chaque habitant ?", "sante"),
        ("Comment faire des friches des lieux d'emploi pour les jeunes du territoire ?", "economie-emploi"),
        ("Comment vivre avec une Oise qui déborde plus souvent ?", "climat-risques"),
    ],
    CardKind.CURRENT_ACTION: [
        ("Contrat local de santé", "sante"),
        ("Programme de renouvellement urbain des quartiers Rouher et Les Martinets", "habitat"),
        ("Plan de prévention du risque inondation", "climat-risques"),
    ],
    CardKind.VISION_ARTICLE: [
        # whole articles, as the tables write them (headline, date, paragraphs): the report prints them
        ("2050 : la vallée de l'Oise, premier bassin d'emplois du réemploi en Hauts-de-France\n"
         "Montataire, le 14 mars 2050\n\n"
         "Là où fumaient les hauts fourneaux, on démonte, répare et revend aujourd'hui : mille personnes "
         "travaillent dans les ateliers du réemploi installés sur trois anciennes friches de la vallée.\n\n"
         "Tout a commencé en 2028 par l'inventaire des friches et la dépollution de la première. En 2032, "
         "une école de production a ouvert à Montataire : les jeunes du territoire y apprennent la réparation "
         "auprès d'anciens métallurgistes devenus formateurs.\n\n"
         "«\u00a0Nos apprentis sont embauchés avant la fin de leur formation\u00a0», se réjouit sa directrice. "
         "Les entreprises du bâtiment de l'agglomération achètent désormais ici leurs matériaux de seconde main.",
         "economie-emploi"),
        ("Les berges de l'Oise rendues aux promeneurs, de Creil à Nogent\n"
         "Nogent-sur-Oise, le 21 juin 2050\n\n"
         "Ce dimanche, des centaines de familles ont longé l'Oise à pied et à vélo, de la gare de Creil "
         "jusqu'au Thérain, sur une promenade continue de berges redevenues naturelles.\n\n"
         "Les anciens quais industriels ont laissé place à des prairies inondables. Lors de la crue de "
         "l'hiver 2047, l'eau s'y est étalée au lieu d'envahir les caves du centre-ville.\n\n"
         "Jardins familiaux, guinguettes et classes en plein air animent les rives : les habitants de "
         "l'agglomération ont retrouvé leur rivière.",
         "eau-biodiversite"),
    ],
    CardKind.ACTION_LEAD: [
        ("Un centre de santé intercommunal avec des médecins salariés", "sante"),
        ("Une école de production dans une friche de Montataire", "economie-emploi"),
        ("Des navettes électriques entre les gares et les zones d'emploi", "mobilite"),
        ("Un fonds local pour la rénovation des copropriétés", "energie"),
    ],
    CardKind.TREND: [],
}

CREIL_WORDS = ["Industrielle", "Jeune", "Verte", "Solidaire", "Renouvelée", "Jeune", "Fluviale", "Active", "Verte"]

CREIL_LESSONS = (
    "Le collège des habitants a pesé dans le vote sur les enjeux : la santé et l'emploi des jeunes sont sortis "
    "devant les grands projets d'infrastructure.\n"
    "Le test de robustesse a montré que le plan de prévention du risque inondation plie face à des crues plus "
    "fréquentes : à reprendre avec le syndicat de bassin.\n"
    "Méthode : prévoir plus de temps pour le rétroplanning, les tables ont manqué de temps le deuxième jour."
)


def _paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo("Europe/Paris")).astimezone(timezone.utc)


class _PlayedClock:
    """Stands in for ``workshop.clock.now`` while a past seminar is played: time moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def build_past_demo(db: Database, *, seed: int = 50, run_sheet: str = "un-jour-et-demi") -> Demo:
    """Create a finished seminar (Creil Sud Oise, horizon 2050, two months ago), played activity by activity.

    With Amiens Métropole it gives staff two territories to compare in a synthesis, and a complete
    report (timings, robustness, trajectories, action leads, lessons learned) to look at. Another
    ``run_sheet`` plays that one instead (each activity with what it asks for), e.g. to see the
    report of a half-day seminar.
    """
    first_day = clock.now().date() - timedelta(days=60)
    played = _PlayedClock(_paris(first_day, 9))
    real_now = clock.now
    clock.now = played
    try:
        with ratelimit.exempt():
            return _build_past_demo(db, random.Random(seed), first_day, played, run_sheet)
    finally:
        clock.now = real_now


def _build_past_demo(db: Database, rng: random.Random, first_day: date, played: _PlayedClock, run_sheet: str) -> Demo:
    sheet = find_run_sheet(run_sheet)
    created = seminars.create_seminar(
        db, title="Visions +21 : Creil Sud Oise 2050", territory="Creil Sud Oise", horizon_year=2050,
        run_sheet=sheet, kit=default_kit(),
        day_dates=[first_day + timedelta(days=n) for n in range(sheet.days)],
        group_names=["Table Oise", "Table Brêche", "Table Thérain"], facilitator_secret=PAST_DEMO_SECRET,
    )
    sid = created.seminar_id
    groups = seminars.get_seminar_by_id(db, sid).groups
    tokens = [participants.join(db, created.join_code, display_name=name, college=college,
                                group_id=groups[i % len(groups)].id).device_token
              for i, (name, college) in enumerate(CREIL_PEOPLE)]
    made: dict[CardKind, list[int]] = {kind: [] for kind in CardKind}
    plan = activities.list_activities(db, sid)
    for index, act in enumerate(plan):
        activities.open_activity(db, sid, act.id)
        _play(db, sid, act, tokens, made, rng)
        # activities run a little over or under their planned time, as in a real room
        played.now += timedelta(minutes=act.planned_minutes + rng.choice((-5, 0, 0, 5, 10)))
        activities.close_activity(db, sid, act.id)
        day = first_day + timedelta(days=act.day - 1)
        if index + 1 < len(plan) and plan[index + 1].day != act.day:  # the next morning at 9:00
            played.now = _paris(first_day + timedelta(days=plan[index + 1].day - 1), 9)
        elif _paris(day, 12) <= played.now < _paris(day, 13):
            played.now = _paris(day, 13, 30)  # lunch
        else:
            played.now += timedelta(minutes=2)  # handing over to the next activity
    # the facilitator draws the map in the console; the tables build a trajectory only if the run sheet has it
    _map_and_trajectory(db, sid, made, groups[0].id,
                        trajectory=any(a.interaction is Interaction.TRAJECTORY for a in plan))
    seminars.set_lessons_learned(db, sid, CREIL_LESSONS)
    seminars.set_joining_open(db, sid, False)  # the seminar is over
    return Demo(sid, created.join_code, PAST_DEMO_SECRET)


def _play(db: Database, sid: int, act: Activity, tokens: list[str], made: dict[CardKind, list[int]],
          rng: random.Random) -> None:
    kinds = [CardKind(k) for k in act.card_kinds]
    if act.interaction is Interaction.WORD:
        for token, word in zip(tokens, CREIL_WORDS):
            cards.contribute(db, token, act.id, kind=CardKind.WORD, text=word)
    elif act.interaction is Interaction.CONTRIBUTE:
        for kind in kinds:
            if made[kind]:
                continue
            for text, theme in CREIL_CARDS.get(kind, []):
                made[kind].append(cards.contribute(db, rng.choice(tokens), act.id, kind=kind, text=text,
                                                   theme=theme).id)
        if kinds and kinds[0] is CardKind.STAKE:
            activities.set_notes(db, sid, act.id, "Tables très productives ; la table Thérain a mélangé enjeux et "
                                                  "actions, recadrée au bout de 20 minutes.")
    elif act.interaction is Interaction.DOT_VOTE:
        ids = [i for kind in kinds for i in made[kind]]
        if ids:
            _dot_vote(db, act, tokens, ids, rng)
    elif act.interaction is Interaction.RATE:
        _rate(db, act, tokens[:10], [i for kind in kinds for i in made[kind]], rng)
    elif act.interaction is Interaction.ROBUSTNESS:
        for token in tokens[:9]:
            for challenge_id in made[CardKind.CHALLENGE]:
                for action_id in made[CardKind.CURRENT_ACTION]:
                    verdict = rng.choice(("holds", "bends", "bends", "breaks"))
                    robustness.rate(db, token, act.id, challenge_id, action_id, verdict,
                                          "Moyens insuffisants à l'échelle de l'agglomération"
                                          if verdict == "breaks" else "")


def _map_and_trajectory(db: Database, sid: int, made: dict[CardKind, list[int]], group_id: int, *,
                        trajectory: bool = True) -> None:
    stakes, threats, resources = made[CardKind.STAKE], made[CardKind.THREAT], made[CardKind.RESOURCE]
    if not (stakes and threats and resources):
        return
    pairs = [(threats[0], stakes[0], Relation.WEIGHS_ON, 3), (threats[1], stakes[5], Relation.WEIGHS_ON, 3),
             (threats[2], stakes[2], Relation.WEIGHS_ON, 2), (threats[3], stakes[4], Relation.WEIGHS_ON, 3),
             (threats[4], stakes[3], Relation.WEIGHS_ON, 3), (threats[5], stakes[1], Relation.WEIGHS_ON, 2),
             (resources[4], stakes[0], Relation.SUPPORTS, 3), (resources[0], stakes[1], Relation.SUPPORTS, 3),
             (resources[1], stakes[2], Relation.SUPPORTS, 2), (resources[2], stakes[3], Relation.SUPPORTS, 2),
             (resources[3], stakes[6], Relation.SUPPORTS, 2), (resources[1], threats[4], Relation.COUNTERS, 1),
             (stakes[2], stakes[3], Relation.INFLUENCES, 3), (stakes[3], stakes[2], Relation.INFLUENCES, 1)]
    if not trajectory:
        _link(db, sid, pairs)
        return
    target = made[CardKind.CHALLENGE][1] if made[CardKind.CHALLENGE] else stakes[2]
    _map_and_steps(db, sid, pairs, target, "Des friches aux emplois", group_id, 2050, (
        (2, "Inventaire des friches, dépollution de la première", [resources[1]]),
        (6, "Une école de production ouvre à Montataire", made[CardKind.ACTION_LEAD][1:2]),
        (15, "Trois friches reconverties en ateliers du réemploi", [resources[1], resources[2]]),
        (None, "Mille emplois locaux dans le réemploi et la rénovation", [])))


def ensure_demos(db: Database) -> list[Demo]:
    """The two demo seminars, created if missing (found again by territory on later starts)."""
    out = []
    for territory, build, secret in (("Amiens Métropole", build_demo, DEMO_SECRET),
                                     ("Creil Sud Oise", build_past_demo, PAST_DEMO_SECRET)):
        found = next((s for s in seminars.list_seminars(db) if s.territory == territory), None)
        out.append(Demo(found.id, found.join_code, secret) if found else build(db))
    return out
