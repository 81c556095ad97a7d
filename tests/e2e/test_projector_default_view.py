"""What the projector opens on, in Chromium, when the run sheet says (``screen:``): the restitution
of the robustness matrix shows the matrix, « Mur de cartes » in the console still shows the wall,
and the next activity opens on what it calls for. Screenshots in test-artifacts/default-view/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PROJECTOR, PROJECTOR_SMALL, Room, seen_lines, set_switch, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import SECRET, console_at, projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.models import College
from workshop.services import activities, cards, participants, robustness

pytestmark = pytest.mark.e2e

ROBUSTNESS_TEST = "Test de robustesse des actions face aux défis"


def robustness_tested(server) -> int:
    """A one-and-a-half-day seminar played up to its robustness test, open, with three verdicts
    on two of its four pairs."""
    created = seminar_at(server, "Séminaire restitution", "un-jour-et-demi", open_up_to=0)
    sid = created.seminar_id
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        test = next(a.id for a in activities.list_activities(db, sid) if a.title == ROBUSTNESS_TEST)
        activities.open_activity(db, sid, test)
        challenges = [cards.add_card(db, sid, kind="challenge", text=text).id
                      for text in ("Garder un médecin dans chaque bourg", "Une eau potable tous les étés")]
        action = cards.add_card(db, sid, kind="current_action", text="Maison de santé").id
        cards.add_card(db, sid, kind="current_action", text="Contrat de rivière")  # nobody rates it
        for (name, college), challenge, verdict in zip(
                (("Amandine R.", College.ELECTED), ("Bastien L.", College.RESIDENT), ("Chloé M.", College.EXPERT)),
                (challenges[0], challenges[1], challenges[1]), ("holds", "breaks", "bends")):
            token = participants.join(db, created.join_code, display_name=name, college=college).device_token
            robustness.rate(db, token, test, challenge, action, verdict)
    finally:
        db.dispose()
    return sid


# How many lines the summary's last clause, « moyenne des avis, de 0 (rompt) à 2 (tient) », is drawn on.
SCALE_LINES = """() => {
  const box = document.querySelector('.v21p-view-sub');
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let text = walker.nextNode();
  while (text && !text.data.includes('moyenne')) { text = walker.nextNode(); }
  const range = document.createRange();
  range.setStart(text, text.data.indexOf('moyenne'));
  range.setEnd(text, text.data.length);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""

def scale_lines(projector) -> int:
    expect(projector.locator(".v21p-view-sub")).to_contain_text("moyenne")
    return projector.evaluate(SCALE_LINES)


def summary_lines(projector) -> list[str]:
    expect(projector.locator(".v21p-view-sub")).to_contain_text("moyenne")
    return seen_lines(projector.locator(".v21p-view-sub"))


def test_the_restitution_opens_on_the_robustness_matrix(room: Room, server, artifacts: Path) -> None:
    sid = robustness_tested(server)
    projector = projector_at(room, server, sid, PROJECTOR_SMALL)
    expect(projector.get_by_text("Test de robustesse en cours")).to_be_visible()  # its results hidden
    console = console_at(room, server, sid, SECRET)

    console.get_by_role("button", name="Activité suivante : Restitution de la matrice de robustesse").click()
    expect(projector.locator(".v21p-title")).to_have_text("Restitution de la matrice de robustesse")
    expect(projector.get_by_role("heading", name=f"Résultats : {ROBUSTNESS_TEST}")).to_be_visible()
    matrix = projector.locator(".js-plotly-plot")
    expect(matrix).to_be_visible()
    for verdict in ("tient", "plie", "rompt"):
        expect(matrix.get_by_text(verdict, exact=True).first).to_be_visible()
    # every pair the phones ask about, the one nobody rated shown as such (« 2 défis × 1 action » before)
    expect(projector.get_by_text("2\u00a0défis × 2\u00a0actions · 2\u00a0paires évaluées sur 4 · "
                                 "3\u00a0répondants")).to_be_visible()
    expect(matrix.get_by_text("Contrat de rivière")).to_be_visible()
    expect(matrix.get_by_text("non évalué", exact=True)).to_have_count(2)  # the test closed: no answer will come
    expect(projector.get_by_text("Vote terminé")).to_have_count(0)
    folder = artifacts / "default-view"
    shot(projector, folder / "restitution-1280x720.png")
    assert scale_lines(projector) == 1  # « moyenne des avis, » no longer ends a line over the scale alone
    summary_breaks_between_units(projector)
    projector.set_viewport_size(PROJECTOR)
    shot(projector, folder / "restitution-1920x1080.png")
    assert scale_lines(projector) == 1
    summary_breaks_between_units(projector)

    # the facilitator's choice still wins while the activity is open
    wall = console.get_by_role("radio", name="Mur de cartes", exact=True)
    wall.click()
    expect(wall).to_have_attribute("aria-checked", "true")
    expect(projector.get_by_text("Maison de santé")).to_be_visible()
    expect(projector.get_by_role("heading", name=re.compile("^Résultats"))).to_have_count(0)
    shot(projector, folder / "restitution-wall-1920x1080.png")

    # the next activity, a dot vote, opens on its own view: its results hidden, not the wall
    console.get_by_role("button", name="Activité suivante : Choix des défis à porter").click()
    expect(projector.locator(".v21p-title")).to_have_text("Choix des défis à porter")
    expect(projector.get_by_text("Vote en cours")).to_be_visible()
    expect(projector.get_by_text("Maison de santé")).to_have_count(0)
    expect(console.get_by_role("radio", name="Activité", exact=True)).to_have_attribute("aria-checked", "true")


def summary_breaks_between_units(projector) -> None:
    """The summary wraps between two of its units only (each whole), and no line ends or starts with
    the « · » between them: « … 3 répondants · » over « moyenne des avis, … » read as a dangling separator."""
    lines = summary_lines(projector)
    words = [word for word in " ".join(lines).split() if word != "·"]  # every word seen, in order
    assert words == ("2 défis × 2 actions 2 paires évaluées sur 4 3 répondants "
                     "moyenne des avis, de 0 (rompt) à 2 (tient)").split(), lines
    assert [line for line in lines if line.startswith("·") or line.endswith("·")] == [], lines
    units = ("2 défis × 2 actions", "2 paires évaluées sur 4", "3 répondants", "moyenne des avis, de 0 (rompt) à 2 (tient)")
    assert all(any(unit in line for line in lines) for unit in units), lines


WELCOMES = {"demi-journee-decouverte": "Accueil et présentation de la démarche",
            "un-jour-et-demi": "Accueil, objectifs et connexion",
            "deux-jours": "Accueil, objectifs et connexion"}


@pytest.mark.parametrize("run_sheet", list(WELCOMES))
def test_the_welcome_opens_on_the_large_qr_code(room: Room, server, artifacts: Path, run_sheet: str) -> None:
    """People come into the room and join during the welcome: its run sheet (``screen: join``)
    puts the QR code on the projector as large as it goes, readable from the back of the room,
    with the join code and the address; the welcome's title stays in the header."""
    created = seminar_at(server, f"Séminaire accueil {run_sheet}", run_sheet, open_up_to=1)
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    folder = artifacts / "default-view"
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        expect(projector.locator(".v21p-title")).to_have_text(WELCOMES[run_sheet])
        expect(projector.get_by_text("Scannez le QR code avec votre téléphone")).to_be_visible()
        expect(projector.get_by_text(created.join_code, exact=True)).to_be_visible()
        qr = projector.get_by_role("img", name=re.compile("^QR code pour rejoindre"))
        expect(qr).to_be_visible()
        box = qr.bounding_box()
        assert box and box["width"] >= 0.6 * size["height"], (size, box)  # not the side panel's small one
        shot(projector, folder / f"welcome-{run_sheet}-{size['width']}x{size['height']}.png")
    if run_sheet != "demi-journee-decouverte":
        return
    # the room has joined: with the code no longer shown, the welcome's text comes in large
    console = console_at(room, server, created.seminar_id, SECRET)
    set_switch(console, "Afficher le code pour rejoindre", False)
    text = projector.locator(".v21p-bigtext")
    expect(text).to_contain_text("Bienvenue ! Connectez-vous à l'application")
    expect(projector.get_by_role("img", name=re.compile("^QR code"))).to_have_count(0)
    expect(projector.get_by_text(created.join_code, exact=True)).to_have_count(0)
    for size in (PROJECTOR, PROJECTOR_SMALL):
        projector.set_viewport_size(size)
        expect(text).to_be_visible()
        shot(projector, folder / f"welcome-{run_sheet}-code-hidden-{size['width']}x{size['height']}.png")
