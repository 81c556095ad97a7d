"""The phone's room for the activity (390x844, in Chromium): a compact header (the seminar's title
said once, the language switch one framed pill of 44 px keys, the same on the home page, the join
form and the tablet), the robustness test saying which verdict is recorded for a pair, its hints
readable, and the article's counter grouping the thousands as each language writes them.

Seminars of their own (created in the server's database) keep the demo seminar as the other e2e
tests expect it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PHONE, Person, Room, in_database, join, resident_phone
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_phone_wrap import phone_in_a_robustness_test
from tests.e2e.test_ui_room_fit import rect, seminar_at
from workshop.models import Interaction
from workshop.rehearsal.taking_part import choose_option
from workshop.services import activities

pytestmark = pytest.mark.e2e

TITLE = "Répétition : Demi-journée de découverte de la prospective territoriale"
SWITCH = "[role=group][aria-label='Langue / Language']"
KEYS = f"{SWITCH} .q-btn"
BOXES = "els => els.map(e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; })"


def luminance(css: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_phone_header_leaves_the_screen_to_the_activity(room: Room, server, artifacts) -> None:
    """On a 390x844 phone the seminar's title and the name line took some 180 px on every step, the
    title said again in the waiting screen: the activity now starts within 150 px of the top, the
    title is said once, every text stays at 14 px or more (the name 16 px or more), and the
    language keys are 44 px squares in a pill narrower than the 110 px the two boxes took."""
    created = seminar_at(server, TITLE, "demi-journee-decouverte", open_up_to=0)
    _, page = room.page(PHONE, mobile=True)
    page.goto(f"{server.url}/join/{created.join_code}")
    join(page, Person("Bastien L.", "Acteur économique", "acteur économique", None, PHONE, mobile=True))
    expect(page.get_by_role("heading", name="Le séminaire va bientôt commencer")).to_be_visible()
    page.screenshot(path=str(artifacts / "phone-header-waiting-390x844.png"))
    expect(page.get_by_text(TITLE, exact=True)).to_have_count(1)
    panel = page.locator(".tablet-panel")
    assert rect(panel)["t"] <= 150, rect(panel)
    identity = page.get_by_text("Bastien L. · acteur économique", exact=True)
    assert float(identity.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16
    title_size = page.get_by_text(TITLE, exact=True).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_size >= 14, title_size
    switch = page.locator(SWITCH)
    assert rect(switch)["r"] - rect(switch)["l"] <= 92, rect(switch)
    for width, height in page.locator(KEYS).evaluate_all(BOXES):
        assert width >= 44 and height >= 44, (width, height)


def test_the_language_switch_has_one_style_on_the_participants_pages(room: Room, server) -> None:
    """A small pill on the home page, two 48 px boxes on the join form: the same framed pill of
    44 px keys on the home page, the join form and the tablet."""
    created = seminar_at(server, "Séminaire des langues", "demi-journee-decouverte", open_up_to=0)
    _, page = room.page(PHONE, mobile=True)
    seen = {}
    page.goto(f"{server.url}/")
    expect(page.locator(KEYS)).to_have_count(2)
    seen["home"] = (page.locator(KEYS).evaluate_all(BOXES), page.locator(SWITCH).evaluate(
        "e => getComputedStyle(e).borderTopWidth + ' ' + getComputedStyle(e).borderTopColor"))
    page.goto(f"{server.url}/join/{created.join_code}")
    expect(page.get_by_role("heading", name="Bienvenue !")).to_be_visible()
    seen["join"] = (page.locator(KEYS).evaluate_all(BOXES), page.locator(SWITCH).evaluate(
        "e => getComputedStyle(e).borderTopWidth + ' ' + getComputedStyle(e).borderTopColor"))
    join(page, Person("Anne", "Habitant", "habitant", None, PHONE, mobile=True))
    expect(page.get_by_role("heading", name="Le séminaire va bientôt commencer")).to_be_visible()
    seen["tablet"] = (page.locator(KEYS).evaluate_all(BOXES), page.locator(SWITCH).evaluate(
        "e => getComputedStyle(e).borderTopWidth + ' ' + getComputedStyle(e).borderTopColor"))
    assert seen["home"] == seen["join"] == seen["tablet"], seen
    boxes, border = seen["tablet"]
    assert all(w >= 44 and h >= 44 for w, h in boxes), boxes
    assert border.startswith("1px"), border


def test_a_judged_pair_says_its_verdict_and_offers_to_change_it(room: Room, server, artifacts) -> None:
    """« Enregistrer mon avis » stayed after the pair was judged: once the verdict is recorded the
    phone says which one (« Votre avis enregistré : plie ») and the button reads « Modifier mon
    avis », in English too; the verdicts' hints are 16 px and 4.5:1 on their background."""
    page = phone_in_a_robustness_test(room, server, "Gaëlle P.")
    hints = page.locator(".verdict-btn .hint")
    expect(hints).to_have_count(3)
    for i in range(3):
        size, colour, ground = hints.nth(i).evaluate(
            "e => { const s = getComputedStyle(e), b = getComputedStyle(e.closest('.verdict-btn'));"
            " return [parseFloat(s.fontSize), s.color, b.backgroundColor]; }")
        assert size >= 16, (i, size)
        assert contrast(colour, ground) >= 4.5, (i, colour, ground)
    for label in ("Défi", "Action existante"):
        choose_option(page, label, 0)
    page.get_by_role("radio", name=re.compile("^plie")).click()
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.get_by_text("Avis enregistré").first).to_be_visible()
    expect(page.get_by_role("button", name="Modifier mon avis")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer mon avis")).to_have_count(0)
    expect(page.get_by_text("Votre avis enregistré\u00a0: plie", exact=True)).to_be_visible()
    page.get_by_role("button", name="Modifier mon avis").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "robustness-recorded-390x844.png"))
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_label("Challenge", exact=True)).to_be_visible()
    for label in ("Challenge", "Current action"):
        choose_option(page, label, 0)
    expect(page.get_by_text("Your recorded opinion: bends", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Change my opinion")).to_be_visible()


def article_phone(room: Room, server, name: str):
    created = seminar_at(server, "Séminaire des articles", "un-jour-et-demi", open_up_to=0)

    def open_the_article(db) -> None:
        writing = next(a.id for a in activities.list_activities(db, created.seminar_id)
                       if a.interaction is Interaction.CONTRIBUTE and "vision_article" in a.card_kinds)
        activities.open_activity(db, created.seminar_id, writing)

    in_database(server, open_the_article)
    return resident_phone(room, server, created.join_code, name)


def test_the_article_counter_groups_thousands_as_each_language_does(room: Room, server, artifacts) -> None:
    """« 0 / 5000 »: the article's counter reads « 0 / 5 000 » in French (a narrow no-break space)
    and « 0 / 5,000 » in English, and follows the typing and the field emptied once the article is sent."""
    page = article_phone(room, server, "Inès B.")
    field = page.locator(".q-field", has=page.get_by_placeholder(re.compile("^Un titre, une date")))
    counter = field.locator(".q-field__counter")
    expect(counter).to_have_text("0 / 5\u202f000")
    field.locator("textarea").press_sequentially("Amiens 2055")
    expect(counter).to_have_text("11 / 5\u202f000")
    field.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "article-counter-fr-390x844.png"))
    page.get_by_role("button", name="Envoyer").click()  # the server empties the field: the counter follows
    expect(page.get_by_text("Contribution enregistrée").first).to_be_visible()
    expect(counter).to_have_text("0 / 5\u202f000")
    page.get_by_role("button", name="EN", exact=True).click()
    field = page.locator(".q-field", has=page.get_by_placeholder(re.compile("^A headline, a date")))
    expect(field).to_be_visible()
    counter = field.locator(".q-field__counter")
    expect(counter).to_have_text("0 / 5,000")
    field.locator("textarea").press_sequentially("Abc")
    expect(counter).to_have_text("3 / 5,000")
