"""Duplicate suggestions and theme groups in headless Chromium, against a real server.

A facilitator sees a suggestion, merges it, dismisses another, reloads the console and the
dismissal is still there; then accepts theme groups and projects the grouped wall. Cards
are written straight into the server's database beforehand (as tablets would have), so the
console computes its suggestions when it opens. Screenshots: test-artifacts/e2e/sorting-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_room import CONSOLE, PROJECTOR, PROJECTOR_SMALL, TIMEOUT_MS, connected, log_in
from workshop.db import Database
from workshop.services import cards, sorting

pytestmark = pytest.mark.e2e

MEDICAL = ("Pénurie de médecins généralistes dans les bourgs", "Désert médical dans les villages ruraux")
DROUGHT = ("Sécheresses estivales à répétition", "Épisodes de sécheresse plus fréquents l'été")
MORE = ("Fermeture des petits commerces de proximité", "Disparition des commerces dans les villages",
        "Hausse du prix des carburants", "Flambée du prix de l'essence et du gazole",
        "Inondations et coulées de boue", "Ruissellement et coulées boueuses après les orages",
        "Vieillissement de la population rurale", "Départ des jeunes vers les grandes villes",
        "Artificialisation des terres agricoles", "Étalement urbain sur les champs")


@pytest.fixture
def wall(server):
    database = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    ids = {text: cards.add_card(database, server.seminar_id, kind="threat", text=text).id
           for text in MEDICAL + DROUGHT + MORE}
    yield database, ids
    database.dispose()


def suggestion(page: Page, text: str, other: str | None = None):
    """The suggestion showing this card (and that one)."""
    found = page.get_by_role("listitem").filter(has_text=text)
    if other is not None:
        found = found.filter(has_text=other)
    return found.filter(has=page.get_by_role("button", name=re.compile("^Fusionner")))


def test_merge_dismiss_reload_and_project_the_grouped_wall(browser, server, wall, artifacts) -> None:
    database, ids = wall
    sid = server.seminar_id
    found = sorting.duplicate_suggestions(database, sid)
    assert any(ids[DROUGHT[0]] in s.card_ids and ids[DROUGHT[1]] in s.card_ids for s in found)
    medical_group = next(s.card_ids for s in found if ids[MEDICAL[1]] in s.card_ids)
    assert ids[MEDICAL[0]] in medical_group
    out = artifacts / "e2e"
    out.mkdir(parents=True, exist_ok=True)

    context = browser.new_context(viewport=CONSOLE, locale="fr-FR")
    console = context.new_page()
    console.set_default_timeout(TIMEOUT_MS)
    console.goto(f"{server.url}/console/{sid}/login")
    log_in(console, server.secret)
    console.wait_for_url(re.compile(rf"/console/{sid}$"))
    connected(console)

    medical, drought = suggestion(console, MEDICAL[1]), suggestion(console, DROUGHT[1], DROUGHT[0])
    expect(medical).to_be_visible()
    expect(medical).to_contain_text(MEDICAL[0])
    expect(medical).to_contain_text("Mots en commun")
    expect(drought).to_be_visible()
    console.screenshot(path=str(out / "sorting-console-1440x900.png"))
    console.set_viewport_size({"width": 1280, "height": 800})
    console.screenshot(path=str(out / "sorting-console-1280x800.png"))
    console.set_viewport_size(CONSOLE)

    # merge: the first card written is kept, the other leaves the wall (undoable in the history)
    medical.get_by_role("button", name=re.compile("^Fusionner")).click()
    expect(console.get_by_text(re.compile(r"cartes? fusionnées? \(annulable"))).to_be_visible()
    expect(suggestion(console, MEDICAL[1])).to_have_count(0)
    live = {c.id for c in cards.list_cards(database, sid)}
    assert medical_group[0] in live and not live & set(medical_group[1:]), "the first card written is kept"

    # dismiss: remembered in the database, so a reload does not bring it back
    drought.get_by_role("button", name=re.compile("^Écarter")).click()
    expect(suggestion(console, DROUGHT[1], DROUGHT[0])).to_have_count(0)
    expect(console.get_by_text(re.compile(r"^\d+\spaires? écartées?$"))).to_be_visible()
    console.reload()
    connected(console)
    expect(console.get_by_text(re.compile(r"^\d+\spaires? écartées?$"))).to_be_visible()
    expect(suggestion(console, MORE[1])).to_be_visible()  # the panel has computed its suggestions again
    expect(suggestion(console, DROUGHT[1], DROUGHT[0])).to_have_count(0)
    assert (min(ids[DROUGHT[0]], ids[DROUGHT[1]]), max(ids[DROUGHT[0]], ids[DROUGHT[1]])) in \
        sorting.dismissed_pairs(database, sid)

    # theme groups: propose, accept, project
    clusters = console.get_by_text("Regroupement par thèmes", exact=True)
    clusters.click()
    console.get_by_role("combobox", name="Type de cartes").click()
    console.get_by_role("option", name=re.compile("^Menaces")).click()
    console.get_by_role("button", name=re.compile("Proposer")).click()
    expect(console.get_by_text("Proposition (non enregistrée) :")).to_be_visible()
    console.screenshot(path=str(out / "sorting-console-proposal-1440x900.png"), full_page=True)
    console.get_by_role("button", name="Accepter ces groupes").click()
    expect(console.get_by_text("Groupes enregistrés", exact=False)).to_be_visible()
    console.get_by_role("button", name="Projeter sur le mur").click()
    expect(console.get_by_text("Le mur par thèmes est projeté.")).to_be_visible()
    console.screenshot(path=str(out / "sorting-console-groups-1440x900.png"))
    groups = sorting.theme_groups(database, sid, "threat")
    assert groups and groups[0].label

    projector_context = browser.new_context(viewport=PROJECTOR, locale="fr-FR")
    projector = projector_context.new_page()
    projector.set_default_timeout(TIMEOUT_MS)
    projector.goto(f"{server.url}/screen/{sid}")
    log_in(projector, server.secret)
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    connected(projector)
    view = projector.get_by_label("Le mur, regroupé par thèmes")
    expect(view.get_by_role("heading", name=groups[0].label, exact=True)).to_be_visible()
    expect(view.get_by_text(MORE[2], exact=True)).to_be_visible()
    projector.wait_for_timeout(500)  # the page's layout pass (fit and paging) runs on the next frames
    projector.screenshot(path=str(out / "sorting-projector-1920x1080.png"))
    projector.set_viewport_size(PROJECTOR_SMALL)
    projector.wait_for_timeout(500)
    projector.screenshot(path=str(out / "sorting-projector-1280x720.png"))
    sizes = projector.eval_on_selector_all(
        ".v21p-clusters .v21p-card", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 24, f"card text at 1280x720: {min(sizes)} px"
    projector_context.close()
    context.close()
