"""What a participant sees on a phone, in Chromium, over a round of writing: the toast saying a card
was sent leaves every card's text in sight.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/tablet-look/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PHONE, Person, Room, join, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_room_fit import RECT, overlaps, seminar_at, toast

pytestmark = pytest.mark.e2e

STAKES = ["Garder un médecin dans chaque bourg d'ici 2035", "Zéro voiture solo pour aller au travail",
          "Une eau potable garantie tous les étés", "Des logements pour les jeunes actifs"]

# The boxes of the cards' text on screen (the page's own cards and « Mes contributions »).
TEXTS_ON_SCREEN = """() => [...document.querySelectorAll('.tablet-root .card-text')].map(e => {
  const r = e.getBoundingClientRect(); return {text: e.innerText, l: r.left, t: r.top, r: r.right, b: r.bottom};
}).filter(b => b.b > 0 && b.t < innerHeight && b.r > b.l)"""


def test_phone_toast_after_envoyer_covers_no_card_text(room: Room, server, artifacts: Path) -> None:
    """« Contribution enregistrée » came in over the card below the one just sent (the rehearsal's
    phone at « Compléter les actions existantes »: the toast stood over « Zéro voiture solo… »): it
    was placed before « Mes contributions » showed the new card, which then scrolled the page."""
    created = seminar_at(server, "Séminaire toasts", "demi-journee-decouverte", open_up_to=3)
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True))
    for n, text in enumerate(STAKES, start=1):
        phone.get_by_label("Votre enjeu", exact=True).fill(text)
        phone.get_by_role("button", name="Envoyer", exact=True).click()
        sent = toast(phone, "Contribution enregistrée")
        expect(phone.locator(".t-card", has=phone.get_by_text(text, exact=True))).to_be_visible()
        # the page as it stands once the new card is brought into sight, with its room for the toast
        expect(phone.locator(".mine-card.just-sent")).to_have_count(1)
        phone.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        shot(phone, artifacts / "tablet-look" / f"phone-390x844-sent-{n}.png")
        sent = phone.locator(".q-notification").first.evaluate(RECT)
        covered = [box["text"] for box in phone.evaluate(TEXTS_ON_SCREEN) if overlaps(sent, box)]
        assert covered == [], (n, sent, covered)
        phone.locator(".q-notification").first.wait_for(state="detached")


# Each field label of the tablet on screen: the room its field gives it (beside a drop-down's arrow)
# and the room its text needs.
LABEL_ROOM = """() => [...document.querySelectorAll('.tablet-root .q-field__label')]
  .filter(l => l.getClientRects().length)
  .map(l => ({text: l.textContent, room: l.parentElement.clientWidth, needs: l.scrollWidth}))"""


def test_phone_trajectory_fields_are_named_with_room_to_spare(room: Room, server, artifacts: Path) -> None:
    """« Pour quel enjeu ou quel défi ? » fitted its field on a 390 px phone by some 8 px: a phone whose
    font is a little wider, or whose text is set a little larger, cut it (« … quel dé… »). Every field
    of the trajectory panel says its name with a fifth of its width to spare, in French and in English."""
    from workshop.db import Database
    from workshop.services import cards

    created = seminar_at(server, "Séminaire rétroplanning", "deux-jours", open_up_to=17)  # the backcasting
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        cards.add_card(db, created.seminar_id, kind="stake", text="Accès aux soins de proximité")
    finally:
        db.dispose()
    _, page = room.page(PHONE, mobile=True)
    page.goto(f"{server.url}/join/{created.join_code}")
    join(page, Person("Fabien G.", "Habitant", "habitant", None, PHONE, mobile=True))
    target = page.locator(".q-field", has_text="Enjeu ou défi visé")
    expect(target).to_be_visible()
    target.scroll_into_view_if_needed()
    shot(page, artifacts / "tablet-look" / "phone-390x844-trajectory-fr.png")
    for language, name in (("FR", "Enjeu ou défi visé"), ("EN", "Stake or challenge")):
        if language == "EN":
            page.get_by_role("button", name="EN", exact=True).click()
            expect(page.get_by_text("Start a trajectory")).to_be_visible()
            if not page.locator(".q-field__label", has_text=name).is_visible():
                page.get_by_text("Start a trajectory").click()
        expect(page.locator(".q-field__label", has_text=name)).to_be_visible()
        labels = page.evaluate(LABEL_ROOM)
        assert labels, language
        tight = [label for label in labels if label["needs"] > 0.8 * label["room"]]
        assert tight == [], (language, tight)


def test_landscape_tablet_budget_bar_lines_up_with_the_page(room: Room, server, artifacts: Path) -> None:
    """On a tablet held sideways (1024x768) the dot vote's bar (« Il vous reste 3 gommettes sur 3 », its
    dots, « 2 au plus par carte ») started 16 px left of the cards and ended 16 px right of them: its
    lines start and end where the cards do."""
    from workshop.db import Database
    from workshop.services import activities, cards

    created = seminar_at(server, "Séminaire barre", "demi-journee-decouverte", open_up_to=3)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for stake in STAKES[:3]:
            cards.add_card(db, created.seminar_id, kind="stake", text=stake)
        activities.advance(db, created.seminar_id)  # the pooling of the stakes
        activities.advance(db, created.seminar_id)  # the dot vote
    finally:
        db.dispose()
    landscape = {"width": 1024, "height": 768}
    _, tablet = room.page(landscape)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Amandine R.", "Élu", "élu", None, landscape))
    bar = tablet.locator(".budget-bar")
    expect(bar.locator(".remaining")).to_have_text(re.compile(r"^Il\svous\sreste\s3\sgommettes\ssur\s3$"))
    shot(tablet, artifacts / "tablet-look" / "tablet-1024x768-vote.png")
    card = tablet.locator(".vote-row").first.evaluate(RECT)
    for part in (".remaining", ".budget-line"):
        line = bar.locator(part).evaluate(RECT)
        assert abs(line["l"] - card["l"]) <= 1, (part, line, card)
    line = bar.locator(".budget-line").evaluate(RECT)
    assert abs(line["r"] - card["r"]) <= 1, (line, card)


ARTICLE = ("Amiens, ville cyclable de l'année\nLe Courrier picard, 12 mai 2055.\n\n"
           + "Dix ans après la fermeture de la rocade aux voitures solo, les bourgs respirent. " * 4
           + "\n\nEt si la ligne de car express n'avait pas été votée en 2031 ? La question reste ouverte.")
LOOKS = "e => ({text: e.innerText, weight: getComputedStyle(e).fontWeight})"


def test_phone_wall_reads_an_article_as_written(room: Room, server, artifacts: Path) -> None:
    """« Lecture et comparaison des scénarios »: each table reads its article aloud, from the phone.
    The wall showed a whole article as one run of bold text, its date and paragraphs run together;
    it shows its headline in bold over the rest in the reading type, each paragraph on its own lines."""
    from workshop.db import Database
    from workshop.services import activities, cards

    created = seminar_at(server, "Séminaire lecture", "un-jour-et-demi", open_up_to=0)
    sid = created.seminar_id
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        cards.add_card(db, sid, kind="vision_article", text=ARTICLE)
        reading = next(a.id for a in activities.list_activities(db, sid)
                       if a.title == "Lecture et comparaison des scénarios")
        activities.open_activity(db, sid, reading)
    finally:
        db.dispose()
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Inès B.", "Habitant", "habitant", None, PHONE, mobile=True))
    card = phone.locator(".t-card", has_text="Amiens, ville cyclable de l'année")
    expect(card).to_be_visible()
    card.scroll_into_view_if_needed()
    shot(phone, artifacts / "tablet-look" / "phone-390x844-article-wall.png")
    texts = [box.evaluate(LOOKS) for box in card.locator(".card-text").all()]
    assert len(texts) == 2, texts
    headline, body = texts
    assert headline["text"] == "Amiens, ville cyclable de l'année" and int(headline["weight"]) >= 600, texts
    assert int(body["weight"]) <= 400, body
    assert body["text"].startswith("Le Courrier picard, 12 mai 2055.\n"), body  # the date on a line of its own
    assert "\n\nEt si la ligne" in body["text"], body  # a paragraph apart


# The icon each folding section of the tablet shows to open it (Material icons draw their name).
TOGGLES = """() => [...document.querySelectorAll('.tablet-root .q-expansion-item')].map(e => ({
  name: e.querySelector('.q-item__label, .q-item__section--main').innerText.trim(),
  icon: e.querySelector('.q-expansion-item__toggle-icon').innerText.trim()}))"""


def test_phone_folding_sections_open_with_the_same_chevron(room: Room, server, artifacts: Path) -> None:
    """« Écrire le scénario souhaitable »: its long instructions fold under « Consignes », whose opener was
    a small triangle while « Précisions (facultatif) » and « Mes contributions » just under it had a
    chevron. Every folding section of the page opens with the same chevron."""
    from workshop.db import Database
    from workshop.services import activities

    created = seminar_at(server, "Séminaire consignes", "un-jour-et-demi", open_up_to=0)
    sid = created.seminar_id
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        scenario = next(a.id for a in activities.list_activities(db, sid) if a.title == "Écrire le scénario souhaitable")
        activities.open_activity(db, sid, scenario)
    finally:
        db.dispose()
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Inès B.", "Habitant", "habitant", None, PHONE, mobile=True))
    expect(phone.get_by_text("Consignes", exact=True)).to_be_visible()
    shot(phone, artifacts / "tablet-look" / "phone-390x844-instructions.png")
    toggles = phone.evaluate(TOGGLES)
    assert any(t["name"] == "Consignes" for t in toggles), toggles
    assert len({t["icon"] for t in toggles}) == 1, toggles


def _whitish(pixel: tuple) -> bool:
    return min(pixel[:3]) > 200


def test_phone_chosen_end_segment_fills_its_frame_to_the_corner(room: Room, server, artifacts: Path) -> None:
    """« Type de carte » (and each 1-to-5 rating) is a row of segments in a blue frame with rounded
    corners. The chosen segment at either end (« Ressource », « 5 ») was drawn with corners rounder
    than the frame's inside: a white crescent showed between its blue and the frame, at both corners.
    On a phone's sharp screen (3 device pixels a pixel), the diagonal from the frame's top-right corner
    inwards meets blue (the frame) then stays blue or bluish: no white between the frame and the fill."""
    import io

    from PIL import Image

    created = seminar_at(server, "Séminaire segments", "demi-journee-decouverte", open_up_to=3)
    context = room.browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True,
                                       locale="fr-FR")
    room.contexts.append(context)
    phone = context.new_page()
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True))
    toggle = phone.locator(".t-toggle").first
    toggle.get_by_role("button", name="Ressource", exact=True).click()
    expect(phone.get_by_label("Votre ressource", exact=True)).to_be_visible()
    phone.wait_for_timeout(400)  # Quasar's colour change on the segment
    picture = Image.open(io.BytesIO(toggle.screenshot(animations="disabled"))).convert("RGB")
    picture.save(artifacts / "tablet-look" / "phone-390x844-toggle-x3.png")
    width = picture.width
    diagonal = [picture.getpixel((width - 1 - i, i)) for i in range(30)]
    first_blue = next(i for i, p in enumerate(diagonal) if not _whitish(p))
    gaps = [i for i in range(first_blue, len(diagonal)) if _whitish(diagonal[i])]
    assert gaps == [], (first_blue, gaps, diagonal)
