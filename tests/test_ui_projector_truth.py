"""The projector says only what happened, as a simulated browser sees it:

- the closing screen names what this seminar did (« écrit et voté », not « relié » when no link
  was made), counts its people with the catalogue's masculine generic (« 1 participant », as « connectés » above it) and
  writes the results address as the join panels write theirs (no « http:// »);
- the map promises links only when some can still come (a links activity still to run, or links
  proposed); else it says plainly there are none;
- the timeline of one trajectory is as tall as its row needs, without an « Année » under the years.
"""

from __future__ import annotations

import re

import pytest
from nicegui import ui
from nicegui.testing import User

from tests.seminar_helpers import find_activity
from tests.test_ui_projector_synthesis import until
from workshop.content import default_kit, find_run_sheet
from workshop.i18n import translate
from workshop.models import CardKind, College, Interaction
from workshop.services import activities, cards, links, participants, screen, seminars, votes
from workshop.services.seminars import ClosingFigures
from workshop.ui.access import login_facilitator
from workshop.ui.closing import next_steps_report

SECRET = "verite-2055"


def half_day(db, run_sheet: str = "demi-journee-decouverte"):
    return seminars.create_seminar(db, title="Séminaire vérité", territory="Amiens Métropole", horizon_year=2055,
                                   run_sheet=find_run_sheet(run_sheet), kit=default_kit(),
                                   facilitator_secret=SECRET)


async def open_seminar_screen(user: User, sid: int) -> None:
    await user.open("/")
    assert await login_facilitator(sid, SECRET)
    await user.open(f"/screen/{sid}")


def labels(user: User) -> list[str]:
    try:
        return [element.text for element in user.find(ui.label).elements]
    except AssertionError:  # nothing drawn yet
        return []


async def test_the_closing_says_only_what_the_half_day_did(ui_db, user: User) -> None:
    created = half_day(ui_db)
    sid = created.seminar_id
    token = participants.join(ui_db, created.join_code, display_name="Amandine R.",
                              college=College.ELECTED).device_token
    writing = find_activity(ui_db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    activities.open_activity(ui_db, sid, writing.id)
    card = cards.contribute(ui_db, token, writing.id, kind=CardKind.STAKE, text="Préserver la ressource en eau")
    voting = find_activity(ui_db, sid, Interaction.DOT_VOTE)
    activities.open_activity(ui_db, sid, voting.id)
    votes.set_dots(ui_db, token, voting.id, card.id, 1)
    for activity in activities.list_activities(ui_db, sid):  # the whole half-day played: results open
        activities.open_activity(ui_db, sid, activity.id)
        activities.close_activity(ui_db, sid, activity.id)

    await open_seminar_screen(user, sid)
    await user.should_see("Merci à toutes et à tous")
    # written and voted, nothing linked: the sentence says no more
    await user.should_see("Tout ce qui a été écrit et voté pendant le séminaire alimente son rapport de "
                          "capitalisation, avec les résultats des votes.")
    await user.should_not_see("relié")
    # one person: « 1 participant », agreed with its count (the plural is « participants », as « connectés »)
    shown = labels(user)
    assert any(re.fullmatch(r"1\sparticipant · 1\scontribution", text) for text in shown), shown
    assert not any(re.search(r"\b1\sparticipants\b", text) for text in shown), shown
    await user.should_see("et le transmet aux participants et au territoire.")
    # the results address as the join panels write theirs
    address = [text for text in shown if text.endswith(f"/resultats/{created.join_code}")]
    assert address and not any(text.startswith("http") for text in address), address


@pytest.mark.parametrize("lang, figures, said", [
    ("fr", ClosingFigures(3, 10, dots=12), "Tout ce qui a été écrit et voté pendant le séminaire alimente son "
                                           "rapport de capitalisation, avec les résultats des votes."),
    ("fr", ClosingFigures(3, 10, dots=12, links=4), "Tout ce qui a été écrit, voté et relié pendant le séminaire "
                                                    "alimente son rapport de capitalisation, avec les résultats "
                                                    "des votes."),
    ("fr", ClosingFigures(3, 10, ratings=5), "Tout ce qui a été écrit et noté pendant le séminaire alimente son "
                                             "rapport de capitalisation."),
    ("fr", ClosingFigures(3, 0), "Le séminaire a son rapport de capitalisation."),
    ("en", ClosingFigures(3, 10, links=2), "Everything written and linked during the seminar feeds its "
                                           "capitalisation report."),
])
def test_the_closing_sentence_names_only_what_happened(lang: str, figures: ClosingFigures, said: str) -> None:
    assert next_steps_report(figures, lambda key, **p: translate(key, lang, **p)) == said


async def test_the_map_promises_links_only_when_some_can_come(ui_db, user: User) -> None:
    """The half-day has no links activity: « Le graphe se remplit à mesure que les liens sont validés »
    would promise what never comes."""
    created = half_day(ui_db)
    sid = created.seminar_id
    for kind, text in ((CardKind.STAKE, "Accès aux soins de proximité"),
                       (CardKind.THREAT, "Canicules plus longues et plus fréquentes")):
        cards.add_card(ui_db, sid, kind=kind, text=text)
    screen.set_screen(ui_db, sid, view="graph")
    await open_seminar_screen(user, sid)
    await user.should_see("Carte des enjeux")
    await user.should_see("Aucun lien entre les cartes.")
    await user.should_not_see("se remplit")
    await user.should_not_see("validés")

    # a seminar with a links activity still to play: the promise holds, until a link is accepted
    created = half_day(ui_db, "deux-jours")
    sid = created.seminar_id
    stake = cards.add_card(ui_db, sid, kind=CardKind.STAKE, text="Accès aux soins de proximité").id
    threat = cards.add_card(ui_db, sid, kind=CardKind.THREAT, text="Canicules plus longues et plus fréquentes").id
    screen.set_screen(ui_db, sid, view="graph")
    await open_seminar_screen(user, sid)
    await user.should_see("Aucun lien accepté pour l'instant. Le graphe se remplit à mesure que les liens sont "
                          "validés.")
    await user.should_not_see("Aucun lien entre les cartes.")
    # once a link is accepted the promise goes: the map shows it
    links.create_link(ui_db, sid, threat, stake, "weighs_on", weight=2)
    await user.should_not_see("se remplit", retries=40)


async def test_one_trajectory_is_drawn_as_tall_as_its_row_without_a_year_title(ui_db, user: User) -> None:
    from workshop.demo import build_demo
    from workshop.ui.projector.graph_views import TIMELINE_H

    demo = build_demo(ui_db)  # one trajectory
    screen.set_screen(ui_db, demo.seminar_id, view="trajectories")
    await user.open("/")
    assert await login_facilitator(demo.seminar_id, demo.facilitator_secret)
    await user.open(f"/screen/{demo.seminar_id}")
    await user.should_see("Trajectoires des tables")

    def plot(u: User):
        try:
            return next(iter(u.find(ui.plotly).elements))
        except AssertionError:
            return None

    await until(user, lambda u: plot(u) is not None)
    layout = plot(user).figure["layout"]
    # no « Année » under the years: they speak for themselves, and it was the chart's biggest text
    assert not (layout["xaxis"].get("title") or {}).get("text"), layout["xaxis"]
    # one row: the drawing is not a 670 px frame with empty thirds above and below it
    assert layout["height"] < TIMELINE_H * 0.75, layout["height"]
    box = plot(user).parent_slot.parent
    assert box.props["data-h"] == str(layout["height"])  # the page scales what it draws
