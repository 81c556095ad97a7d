"""The projector's synthesis (``screen: synthesis``): « L'essentiel » in large for the room, as a
simulated browser sees it. Sizes and what fits are measured in Chromium
(tests/e2e/test_projector_synthesis.py)."""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User

from tests.test_ui_projector import activity_id, open_screen
from workshop.content import default_kit, find_run_sheet
from workshop.demo import DEMO_SECRET, build_demo
from workshop.reports.document import full_stops
from workshop.reports.essential import chapter_numbers, essential_sentences
from workshop.reports.layout import seminar_document
from workshop.reports.model import build_report
from workshop.services import activities, publication, screen, seminars
from workshop.ui.access import login_facilitator
from workshop.ui.results import build_results_view

SYNTHESIS = "Synthèse et suites du séminaire"  # the demo's run sheet (deux-jours): the synthesis activity


def generated(db, seminar_id: int):
    """« L'essentiel » as the report writes it: sentences with their chapter references."""
    report = build_report(db, seminar_id)
    return essential_sentences(report, chapter_numbers(seminar_document(report, [], {}).sections))


def shown(user: User) -> list[str]:
    """The sentences on the projector, in order (none while they are being read)."""
    try:
        lists = list(user.find(marker="synthesis-sentences").elements)
    except AssertionError:  # not there (yet)
        return []
    assert len(lists) == 1
    return [item.text for item in lists[0].default_slot.children]


async def until(user: User, check, seconds: float = 6.0) -> None:
    """Wait for ``check(user)`` (the view reads its sentences at most once a second)."""
    for _ in range(int(seconds / 0.1)):
        if check(user):
            return
        await asyncio.sleep(0.1)
    assert check(user)


async def test_the_synthesis_activity_shows_the_essential_sentences(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    activities.open_activity(ui_db, demo.seminar_id, activity_id(ui_db, demo, SYNTHESIS))
    sentences = generated(ui_db, demo.seminar_id)
    assert len(sentences) >= 5 and any(s.key == "stakes" for s in sentences)  # the demo has votes
    await open_screen(user, demo)
    await user.should_see("L'essentiel")  # the view's heading, under the activity's title
    await until(user, lambda u: bool(shown(u)))
    # the same sentences as the report and the results page, in the same order…
    findings = [full_stops(s.text) for s in sentences if s.key not in ("interim", "next")]
    assert shown(user) == findings
    results_page = [text for text, _ref in build_results_view(demo.seminar_id)[0].essential]
    assert shown(user) == [text for text in results_page if text in findings]
    # …but those on the seminar's own progress: stale (« 12 activités jouées sur 14 ») or naming the
    # activity on screen as the next one; the results page and the report keep them
    progress = [full_stops(s.text) for s in sentences if s.key in ("interim", "next")]
    assert len(progress) == 2 and all(text in results_page for text in progress)
    assert progress[0].startswith("Rapport intermédiaire") and progress[1].startswith("Et ensuite")
    for text in progress:
        await user.should_not_see(text)
    await user.should_not_see("Rapport intermédiaire")
    await user.should_not_see("Et ensuite")
    await user.should_see("Des emplois locaux dans la transition écologique")  # the first stake of the vote
    # …without the chapter references the report prints after them
    for sentence in sentences:
        await user.should_not_see(sentence.ref)
    await user.should_not_see("→")
    # the synthesis takes the place of the participants' paragraph and of the side panel
    await user.should_not_see("Voici la synthèse de nos deux jours")
    await user.should_not_see(demo.join_code)
    # the line saying where the rest is stays hidden until the page's script finds sentences left out
    left = next(iter(user.find(marker="synthesis-left").elements))
    assert "hidden" in left.props
    assert "suite dans le rapport, et sur la page des résultats à la fin du séminaire" in left.props["data-left"]


async def test_staff_text_wins_and_follows_its_edits(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    publication.set_report_text(
        ui_db, demo.seminar_id, "essential",
        "Nous avons classé nos enjeux : l'emploi local d'abord. (→ chapitre 3 « Les enjeux classés par les votes »,"
        " tableau (colonnes par collège))\n\nLe territoire manque de parades face aux crues."
        "\n\nEt ensuite : la communauté de communes reprend les pistes d'action.")
    screen.set_screen(ui_db, demo.seminar_id, view="synthesis")  # the facilitator's choice, any activity
    await open_screen(user, demo)
    # staff's text as written, its « Et ensuite » too (only the generated progress sentences are left out)
    await until(user, lambda u: shown(u) == ["Nous avons classé nos enjeux : l'emploi local d'abord.",
                                             "Le territoire manque de parades face aux crues.",
                                             "Et ensuite : la communauté de communes reprend les pistes d'action."])
    await user.should_not_see("chapitre 3")  # the reference staff's text kept, left to the report
    first = generated(ui_db, demo.seminar_id)[0].text
    await user.should_not_see(first)
    # rewritten while on screen: the room sees the new text; back to the generated one likewise
    publication.set_report_text(ui_db, demo.seminar_id, "essential", "Une seule phrase, revue par l'équipe.")
    await until(user, lambda u: shown(u) == ["Une seule phrase, revue par l'équipe."])
    publication.reset_report_text(ui_db, demo.seminar_id, "essential")
    await until(user, lambda u: shown(u)[:1] == [full_stops(first)])


async def test_a_seminar_without_results_says_so(ui_db, user: User) -> None:
    created = seminars.create_seminar(
        ui_db, title="Synthèse vide", territory="Pays du Ternois", horizon_year=2050,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), facilitator_secret="secret-synthese")
    synthesis = next(a for a in activities.list_activities(ui_db, created.seminar_id) if a.screen == "synthesis")
    activities.open_activity(ui_db, created.seminar_id, synthesis.id)
    await user.open("/")
    assert await login_facilitator(created.seminar_id, "secret-synthese")
    await user.open(f"/screen/{created.seminar_id}")
    await user.should_see("L'essentiel")
    await user.should_see("Pas encore de synthèse", retries=40)
    await user.should_see("Aucun vote, aucune note et aucun lien sur la carte pour l'instant", retries=1)
    await user.should_not_see(marker="synthesis-sentences")


@pytest.mark.parametrize("run_sheet, title", [
    ("demi-journee-decouverte", "Synthèse et suites possibles"),
    ("un-jour-et-demi", SYNTHESIS),
    ("deux-jours", SYNTHESIS),
])
def test_each_run_sheet_projects_its_synthesis(run_sheet: str, title: str) -> None:
    """The closing shows the synthesis (so do the day's summaries: tests/test_ui_projector_words.py)."""
    sheet = find_run_sheet(run_sheet)
    assert [a.title for a in sheet.activities if a.screen == "synthesis"][-1] == title


async def test_the_console_puts_the_synthesis_on_the_projector(demo, user: User) -> None:
    """« Synthèse » among the console's projector views: chosen, the projector shows L'essentiel."""
    db, d = demo
    await user.open(f"/console/{d.seminar_id}/login")
    user.find(marker="secret").type(DEMO_SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="view-synthesis", retries=20)
    await user.should_see("Synthèse")
    user.find(marker="view-synthesis").click()
    for _ in range(50):
        if screen.get_screen(db, d.seminar_id).view == "synthesis":
            break
        await asyncio.sleep(0.1)
    assert screen.get_screen(db, d.seminar_id).view == "synthesis"


async def test_the_console_turns_the_synthesis_pages(ui_db, user: User) -> None:
    """The console's page buttons (``wall_page``) turn the synthesis' pages as they turn a wall's: the
    list says which page is wanted (the page's script shows it, tests/e2e/test_projector_synthesis.py)."""
    demo = build_demo(ui_db)
    activities.open_activity(ui_db, demo.seminar_id, activity_id(ui_db, demo, SYNTHESIS))
    await open_screen(user, demo)
    await until(user, lambda u: bool(shown(u)))

    def wanted(u: User) -> str | None:
        return next(iter(u.find(marker="synthesis-sentences").elements)).props.get("data-page")

    assert wanted(user) == "0"
    assert "data-label" in next(iter(user.find(marker="synthesis-pager").elements)).props
    screen.set_screen(ui_db, demo.seminar_id, wall_page=1)
    await until(user, lambda u: wanted(u) == "1")
    screen.set_screen(ui_db, demo.seminar_id, wall_page=0)
    await until(user, lambda u: wanted(u) == "0")
