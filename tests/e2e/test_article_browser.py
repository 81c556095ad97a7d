"""« Écrire le scénario souhaitable », in Chromium: the phone writes a whole article from the
future (a title, a date, paragraphs) in a tall field that grows; the projector's wall shows its
first lines, and in focus its headline over the whole article. Screenshots in test-artifacts/article/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PHONE, PROJECTOR, PROJECTOR_SMALL, Person, Room, join, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.services import activities, cards, screen

pytestmark = pytest.mark.e2e

SCENARIO = "Écrire le scénario souhaitable"
HEADLINE = "Amiens, ville cyclable de l'année"
PARAGRAPHS = [
    "Le Courrier picard, 12 mai 2055.",
    "Dix ans après la fermeture de la rocade aux voitures solo, les bourgs respirent. " * 6,
    "« On n'y croyait pas », raconte Inès, cheminote à Longueau. " * 5,
    "Et si la ligne de car express n'avait pas été votée en 2031 ? La question reste ouverte.",
]


def test_an_article_is_written_in_a_page_and_read_whole_in_focus(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire article", "un-jour-et-demi", open_up_to=0)
    sid = created.seminar_id
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        scenario = next(a.id for a in activities.list_activities(db, sid) if a.title == SCENARIO)
        activities.open_activity(db, sid, scenario)
    finally:
        db.dispose()
    folder = artifacts / "article"

    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Inès B.", "Habitant", "habitant", None, PHONE, mobile=True))
    field = phone.get_by_label("Votre article du futur", exact=True)
    expect(field).to_be_visible()
    assert field.evaluate("e => e.tagName") == "TEXTAREA"
    assert field.get_attribute("maxlength") == "5000"
    empty = field.bounding_box()
    assert empty and empty["height"] >= 150, empty  # a page to write in, not a one-line field
    shot(phone, folder / "phone-390x844-empty.png")
    article = HEADLINE + "\n" + "\n\n".join(p.strip() for p in PARAGRAPHS)
    field.fill(article)
    written = field.bounding_box()
    assert written and written["height"] > empty["height"] + 100, (empty, written)  # it grew with the text
    # the live counter, in French figures (« 944 / 5 000 », a narrow no-break space in the thousands)
    assert len(article) < 1000, len(article)
    expect(phone.locator(".live-counter")).to_have_text(f"{len(article)} / 5\u202f000")
    shot(phone, folder / "phone-390x844-written.png")
    phone.get_by_role("button", name="Envoyer", exact=True).click()
    expect(phone.get_by_text("Contribution enregistrée").first).to_be_visible()

    projector = projector_at(room, server, sid, PROJECTOR_SMALL)
    card = projector.locator(".v21p-card-article")
    expect(card).to_contain_text(HEADLINE)
    box = card.bounding_box()
    assert box and box["height"] < 0.3 * PROJECTOR_SMALL["height"], box  # its first lines, not the screen
    shot(projector, folder / "wall-1280x720.png")

    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        [stored] = cards.list_cards(db, sid)
        assert stored.text == article
        screen.set_screen(db, sid, view="card", focus_card_id=stored.id)
    finally:
        db.dispose()
    projector.reload()  # the change was made in this process: the server's page reads it on load
    expect(projector.get_by_role("heading", name=HEADLINE)).to_be_visible()
    body = projector.locator(".v21p-focus-details.is-article")
    expect(body).to_contain_text("Le Courrier picard, 12 mai 2055.")
    expect(body).to_contain_text("La question reste ouverte.")
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        projector.wait_for_timeout(300)  # the text is fitted to its box: not an assertion
        shot(projector, folder / f"focus-{size['width']}x{size['height']}.png")
