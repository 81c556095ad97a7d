"""What the room reads on the projector, in its own words, as a simulated browser sees it:

- the day's summary and the next morning's opening show what their sentence promises (the day's
  priority stakes, major threats and retained challenges: ``screen: synthesis``), and say only the
  days worked so far;
- a rating and a robustness test are answered, not voted (« ont répondu », « à la fin de la
  notation », « à la fin du test »);
- the synthesis lists every threat nothing counters without « dont », says what weighs on the
  most exposed stake without the analysis's figures, and gives a seminar's days compactly;
- the map explains arrows only when it has some, and says nothing of the console (the
  facilitator's laptop, which the room never sees).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from nicegui.testing import User

from tests.test_ui_projector import activity_id, newcomer, open_screen, robustness_test_open
from tests.test_ui_projector_synthesis import shown, until
from workshop.content import default_kit, find_run_sheet
from workshop.demo import build_demo
from workshop.i18n import quoted, translate
from workshop.models import CardKind, College
from workshop.reports.document import long_date
from workshop.services import activities, cards, links, participants, robustness, screen, seminars, votes
from workshop.ui.access import login_facilitator
from workshop.ui.results import build_results_view

CHOICE = "Choix des défis à porter demain"
CHALLENGES = ("Garder un médecin dans chaque bourg d'ici 2035", "Une eau potable garantie tous les étés")


def context(sentences: list[str]) -> str:
    return next(s for s in sentences if "sur l'avenir de leur territoire" in s)


@pytest.mark.parametrize("title, day", [("Bilan de la première journée", 1),
                                        ("Ouverture de la deuxième journée", 2)])
async def test_the_days_summary_shows_the_stakes_threats_and_challenges_it_announces(
        ui_db, user: User, title: str, day: int) -> None:
    """« Voici ce que nous avons produit aujourd'hui : les enjeux prioritaires, les menaces
    majeures et les défis retenus » / « Nous rappelons … les résultats d'hier »: the projector
    shows them, not that sentence above an empty screen."""
    demo = build_demo(ui_db)  # two days; stakes voted, threats rated
    sid = demo.seminar_id
    choice = activity_id(ui_db, demo, CHOICE)
    activities.open_activity(ui_db, sid, choice)
    ids = [cards.add_card(ui_db, sid, kind=CardKind.CHALLENGE, text=text).id for text in CHALLENGES]
    votes.set_dots(ui_db, newcomer(ui_db, demo), choice, ids[0], 1)
    activities.open_activity(ui_db, sid, activity_id(ui_db, demo, title))
    await open_screen(user, demo)
    await user.should_see(title)
    await user.should_see("L'essentiel")
    await until(user, lambda u: bool(shown(u)))
    sentences = shown(user)
    assert any(s.startswith("Les enjeux mis en tête par les votes") for s in sentences), sentences
    assert any(s.startswith("Les menaces jugées les plus sérieuses") for s in sentences), sentences
    assert f"Le défi mis en tête par les votes\u00a0: {quoted(CHALLENGES[0], 'fr')} (1\u00a0gommette)." in sentences, \
        sentences
    await user.should_not_see("Voici ce que nous avons produit aujourd'hui")
    await user.should_not_see("Nous rappelons en quelques minutes")
    # the days worked so far: neither the first day's evening nor the second day's opening (nothing
    # of that day played yet) says « les 6 et 7 décembre »
    first = seminars.get_seminar_by_id(ui_db, sid).days[0].date
    said = context(sentences)
    assert f" le {long_date(first)} sur" in said, (day, said)  # « le 6 décembre », not « les 6 et 7 »


@pytest.mark.parametrize("run_sheet, titles", [
    ("deux-jours", ["Bilan de la première journée", "Ouverture de la deuxième journée",
                    "Synthèse et suites du séminaire"]),
    ("un-jour-et-demi", ["Bilan de la première journée", "Synthèse et suites du séminaire"]),
    ("demi-journee-decouverte", ["Synthèse et suites possibles"]),
])
def test_the_activities_that_show_the_results_open_on_the_synthesis(run_sheet: str, titles: list[str]) -> None:
    sheet = find_run_sheet(run_sheet)
    assert [a.title for a in sheet.activities if a.screen == "synthesis"] == titles
    # the half-day's closing promises what « L'essentiel » says, not the word cloud nor the map
    for activity in sheet.activities:
        if activity.screen == "synthesis":
            assert "nuage de mots" not in activity.participant_instructions
            assert "la carte" not in activity.participant_instructions


async def test_a_rating_is_answered_not_voted(ui_db, user: User) -> None:
    demo = build_demo(ui_db)  # the demo is rating threats
    await open_screen(user, demo)
    await user.should_see("Notation en cours")
    await user.should_see("12\u00a0personnes ont répondu")
    await user.should_see("Les résultats s'afficheront à l'écran à la fin de la notation.")
    await user.should_not_see("ont voté")
    await user.should_not_see("à la fin du vote")
    activities.set_votes_open(ui_db, demo.seminar_id, activity_id(ui_db, demo, "Probabilité"), False)
    await user.should_see("Notation terminée", retries=20)
    await user.should_not_see("Vote terminé")
    screen.set_screen(ui_db, demo.seminar_id, reveal_results=True)  # and its results: answered too
    await user.should_see("12\u00a0répondants · moyennes de 1\u00a0à 5", retries=20)
    await user.should_not_see("votants")


async def test_a_robustness_test_is_answered_not_voted(ui_db, user: User) -> None:
    created, test, challenges, actions = robustness_test_open(ui_db, "Séminaire robustesse", "robustesse-2050")
    sid = created.seminar_id
    first = participants.join(ui_db, created.join_code, display_name="Amandine R.", college=College.ELECTED)
    robustness.rate(ui_db, first.device_token, test, challenges[0], actions[0], "holds")
    await user.open("/")
    assert await login_facilitator(sid, "robustesse-2050")
    await user.open(f"/screen/{sid}")
    await user.should_see("Test de robustesse en cours")
    await user.should_see("1\u00a0personne a répondu")
    await user.should_see("Les résultats s'afficheront à l'écran à la fin du test.")
    await user.should_not_see("a voté")
    await user.should_not_see("à la fin du vote")
    activities.set_votes_open(ui_db, sid, test, False)
    await user.should_see("Test de robustesse terminé", retries=20)
    await user.should_not_see("Vote terminé")


HEAT, DROUGHT = "Canicules plus longues et plus fréquentes", "Pénuries d'eau potable en été"
CARE = "Accès aux soins de proximité"


def seminar_with_a_map(db, *, linked: bool = True):
    """A two-day seminar at its synthesis: a stake, two threats weighing on it (when ``linked``),
    nothing countering them nor supporting it."""
    created = seminars.create_seminar(db, title="Séminaire carte", territory="Amiens Métropole", horizon_year=2055,
                                      run_sheet=find_run_sheet("deux-jours"), kit=default_kit(),
                                      facilitator_secret="carte-2055")
    sid = created.seminar_id
    stake = cards.add_card(db, sid, kind=CardKind.STAKE, text=CARE).id
    threats = [cards.add_card(db, sid, kind=CardKind.THREAT, text=text).id for text in (HEAT, DROUGHT)]
    if linked:
        for threat in threats:
            links.create_link(db, sid, threat, stake, "weighs_on", weight=2)
    return created


async def open_seminar_screen(user: User, sid: int, secret: str) -> None:
    await user.open("/")
    assert await login_facilitator(sid, secret)
    await user.open(f"/screen/{sid}")


async def test_the_synthesis_names_every_uncountered_threat_without_dont_and_no_analysis_figure(
        ui_db, user: User) -> None:
    created = seminar_with_a_map(ui_db)
    sid = created.seminar_id
    synthesis = next(a for a in activities.list_activities(ui_db, sid) if a.title == "Synthèse et suites du séminaire")
    activities.open_activity(ui_db, sid, synthesis.id)
    await open_seminar_screen(user, sid, "carte-2055")
    await until(user, lambda u: bool(shown(u)))
    sentences = shown(user)
    # both threats named: « : « … » et « … » », not « dont »
    assert (f"Sur la carte, rien ne contre encore 2\u00a0menaces\u00a0: {quoted(HEAT, 'fr')} et {quoted(DROUGHT, 'fr')}."
            in sentences), sentences
    assert not any(", dont" in s and "menaces" in s for s in sentences), sentences
    # the most exposed stake in plain words: what weighs on it, what counters it; no « exposition 16 »
    assert (f"L'enjeu le plus exposé aux menaces est {quoted(CARE, 'fr')}\u00a0: 2\u00a0menaces pèsent sur lui et rien ne les "
            "contre encore.") in sentences, sentences
    await user.should_not_see("exposition")
    await user.should_not_see("sur 2)")
    # the results page (and the report, from the same sentences) says the same
    page = [text for text, _ref in build_results_view(sid)[0].essential]
    assert all(s in page for s in sentences if "carte" in s or "exposé" in s)


@pytest.mark.parametrize("lang, days, said", [
    ("fr", [date(2026, 12, 6)], " le 6 décembre 2026"),
    ("fr", [date(2026, 12, 6), date(2026, 12, 7)], " les 6 et 7 décembre 2026"),
    ("fr", [date(2026, 12, 6), date(2026, 12, 9)], " les 6 et 9 décembre 2026"),
    ("fr", [date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 8)], " du 6 au 8 décembre 2026"),
    ("fr", [date(2026, 12, 6), date(2026, 12, 8), date(2026, 12, 10)], " les 6, 8 et 10 décembre 2026"),
    ("fr", [date(2026, 11, 30), date(2026, 12, 1)], " les 30 novembre et 1er décembre 2026"),
    ("fr", [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)], " du 30 novembre au 2 décembre 2026"),
    ("fr", [date(2026, 12, 31), date(2027, 1, 1)], " les 31 décembre 2026 et 1er janvier 2027"),
    ("fr", [date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)], " du 30 décembre 2026 au 1er janvier 2027"),
    ("en", [date(2026, 12, 6), date(2026, 12, 7)], " on 6 and 7 December 2026"),
    ("en", [date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 8)], " from 6 to 8 December 2026"),
    ("en", [date(2026, 11, 30), date(2026, 12, 1)], " on 30 November and 1 December 2026"),
    ("fr", [], ""),
])
def test_a_seminars_days_are_said_compactly(lang: str, days: list[date], said: str) -> None:
    """« les 6 et 7 décembre 2026 », not « du 6 décembre 2026 au 7 décembre 2026 »; « du … au … »
    only for three days or more in a row (it says every day in between)."""
    from workshop.reports.essential import when

    assert when(days, lang, lambda key, **p: translate(key, lang, **p)) == said


async def test_the_map_explains_arrows_only_when_it_has_some_and_never_sends_the_room_to_the_console(
        ui_db, user: User) -> None:
    created = seminar_with_a_map(ui_db, linked=False)
    sid = created.seminar_id
    screen.set_screen(ui_db, sid, view="graph")
    await open_seminar_screen(user, sid, "carte-2055")
    await user.should_see("Carte des enjeux")  # cards only: neither trajectories nor links to name
    await user.should_not_see("Graphe des trajectoires")
    await user.should_not_see("Graphe des liens")
    await user.should_not_see("gommettes reçues")  # no dot given yet: every dot is the same size
    await user.should_not_see("Flèche")

    threats = [c.id for c in cards.list_cards(ui_db, sid) if c.kind is CardKind.THREAT]
    stake = next(c.id for c in cards.list_cards(ui_db, sid) if c.kind is CardKind.STAKE)
    for threat in threats:
        links.create_link(ui_db, sid, threat, stake, "weighs_on", weight=2)
    await user.should_see("Flèche\u00a0: de ce qui agit vers ce qui est touché", retries=40)
    await user.should_not_see("épaisseur")  # both links weigh 2: one width, nothing to read in it
    # the most exposed stake in plain words, no analysis figure
    await user.should_see("2\u00a0menaces pèsent dessus, sans parade\u00a0; rien ne le soutient", retries=20)
    await user.should_not_see("exposition")
    await user.should_not_see("soutien\u00a00")
    # the line counting findings left out for lack of room: nothing about the console
    left = " ".join(json.loads(next(iter(user.find(marker="graph-findings-left").elements)).props["data-left"]))
    assert "console" not in left and "constat non affiché" in left, left
    await user.should_not_see("console")
