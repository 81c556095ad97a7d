"""Two details of the tablet on a phone (390x844), in Chromium: « Besoin d'idées ? 13 amorces » wraps
between its parts, never between the count and « amorces » nor before « ? »; the three verdict
buttons of the robustness test (tient / plie / rompt) have the same height, though their hints
wrap, and each hint takes two lines at most.

Seminars of their own (created in the server's database) keep the demo seminar as the other e2e
tests expect it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_projector_default_view import robustness_tested
from tests.e2e.test_room import PHONE, Person, Room, in_database, join, resident_phone, seen_lines
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_room_fit import rect, seminar_at
from workshop.rehearsal.browser import settle
from workshop.services import seminars

pytestmark = pytest.mark.e2e

# The line (its top, in px) on which each word of an element's text is drawn.
WORD_LINES = """el => {
  const out = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /\\S+/g; let m;
    while ((m = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      out.push([m[0], Math.round(range.getClientRects()[0].top)]);
    }
  }
  return out;
}"""


def test_the_prompts_title_wraps_between_its_parts(room: Room, server) -> None:
    created = seminar_at(server, "Séminaire amorces", "demi-journee-decouverte", open_up_to=3)  # the contribution round
    page = resident_phone(room, server, created.join_code, "Chloé M.")
    label = page.locator(".q-expansion-item .q-item__label", has_text="Besoin d'idées").first
    expect(label).to_be_visible()
    words = label.evaluate(WORD_LINES)
    line = dict(words)
    assert len(set(line.values())) == 2, words  # it does wrap on a phone
    assert line["d'idées"] == line["?"], words
    count = next(w for w, _ in words if w.isdigit())
    assert line[count] == line["amorces"], words


def phone_in_a_robustness_test(room: Room, server, name: str):
    """A resident joined on a phone to a seminar whose robustness test is open."""
    sid = robustness_tested(server)
    code = in_database(server, lambda db: seminars.get_seminar_for_tablets(db, sid).join_code)
    return resident_phone(room, server, code, name)


def test_the_verdict_buttons_have_one_height(room: Room, server) -> None:
    page = phone_in_a_robustness_test(room, server, "Denis K.")
    buttons = page.locator(".verdict-btn")
    expect(buttons).to_have_count(3)
    expect(buttons.first).to_be_visible()
    heights = buttons.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().height))")
    assert len(set(heights)) == 1, heights


def test_the_verdict_hints_take_two_lines_at_most(room: Room, server, artifacts) -> None:
    """« elle doit / être / adaptée » took three lines under « plie » on a phone: each hint of the
    three verdict buttons is read in two lines at most, in French and in English."""
    page = phone_in_a_robustness_test(room, server, "Émilie T.")
    for language, bends in (("FR", "elle doit être adaptée"), ("EN", "it needs adapting")):
        if language == "EN":
            page.get_by_role("button", name="EN", exact=True).click()
        hints = page.locator(".verdict-btn .hint")
        expect(hints).to_have_count(3)
        expect(hints.nth(1)).to_have_text(bends)
        hints.first.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"verdict-hints-{language.lower()}-390x844.png"))
        for i in range(3):
            words = hints.nth(i).evaluate(WORD_LINES)
            assert len({top for _, top in words}) <= 2, (language, words)


# The labels of the fields on screen cut short by an ellipsis (« Pour quel enjeu ou quel dé… »).
CUT_LABELS = """() => [...document.querySelectorAll('.tablet-root .q-field__label')]
  .filter(l => l.getClientRects().length && l.scrollWidth > l.clientWidth + 1)
  .map(l => ({text: l.textContent, shown: l.clientWidth, needs: l.scrollWidth}))"""


def test_the_trajectory_fields_are_named_whole(room: Room, server, artifacts) -> None:
    """« Pour quel enjeu ou quel dé… »: on a phone the backcasting's fields said their question cut
    short. Each field of the trajectory forms (starting one, adding a step) is named whole, in French
    and in English."""
    from workshop.services import cards

    created = seminar_at(server, "Séminaire rétroplanning", "deux-jours", open_up_to=17)  # the backcasting
    def two_cards(db) -> None:
        cards.add_card(db, created.seminar_id, kind="stake", text="Accès aux soins de proximité")
        cards.add_card(db, created.seminar_id, kind="resource", text="Un réseau de maisons de santé")

    in_database(server, two_cards)
    page = resident_phone(room, server, created.join_code, "Fabien G.")
    target = page.locator(".q-field", has=page.locator("[aria-label]")).filter(has_text="enjeu").first
    expect(target).to_be_visible()
    target.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "trajectory-fields-start-390x844.png"))
    assert page.evaluate(CUT_LABELS) == []
    target.click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.locator(".q-field", has_text="Titre de la trajectoire").locator("input").fill("Des soins à moins de 20 minutes")
    page.get_by_role("button", name="Créer la trajectoire").click()
    levers = page.locator(".tablet-root .q-field", has_text="ressources")
    expect(levers).to_be_visible()
    levers.scroll_into_view_if_needed()
    settle(page)
    hint = levers.locator(".q-field__messages")
    expect(hint).to_have_text("Facultatif : celles sur lesquelles l'étape s'appuie")
    below = page.get_by_role("button", name="Ajouter l'étape")
    assert rect(hint)["b"] <= rect(below)["t"], (rect(hint), rect(below))  # the hint is not under the button
    page.screenshot(path=str(artifacts / "trajectory-fields-step-390x844.png"))
    assert page.evaluate(CUT_LABELS) == []
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator(".tablet-root .q-field", has_text="resources")).to_be_visible()
    page.get_by_text("Start a trajectory").click()
    expect(page.locator(".q-field", has_text="Stake or challenge")).to_be_visible()
    settle(page)
    page.screenshot(path=str(artifacts / "trajectory-fields-en-390x844.png"))
    assert page.evaluate(CUT_LABELS) == []


LONG_TITLE = "Répétition : Demi-journée de découverte de la prospective territoriale"


def test_a_long_seminar_title_takes_one_line_of_the_phone(room: Room, server, artifacts) -> None:
    """« Répétition : Demi-journée de découverte de la prospective territoriale » took three lines at the top
    of a phone, above the name's two, and pushed the activity down: the title is one line beside the
    language switch, ended with « … », and the name one line under both (« Bastien L. · acteur économique ·
    Table Citadelle » wraps between its parts only, never after a « · »); a tap on the title shows it
    whole, another one line again."""
    created = seminar_at(server, LONG_TITLE, "demi-journee-decouverte", open_up_to=1)  # the welcome
    in_database(server, lambda db: seminars.add_group(db, created.seminar_id, "Table Citadelle"))
    _, page = room.page(PHONE, mobile=True)
    page.goto(f"{server.url}/join/{created.join_code}")
    join(page, Person("Bastien L.", "Acteur économique", "acteur économique", "Table Citadelle", PHONE, mobile=True))
    title = page.locator(".tablet-head .seminar-title")
    expect(title).to_have_text(LONG_TITLE)  # whole for screen readers
    expect(page.get_by_role("heading", name="Accueil et présentation de la démarche")).to_be_visible()
    settle(page)
    page.screenshot(path=str(artifacts / "phone-long-title-390x844.png"))
    shown = title.evaluate("e => ({lines: Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)),"
                           " cut: e.scrollWidth > e.clientWidth + 1})")
    assert shown == {"lines": 1, "cut": True}, shown
    head, switch, name = (rect(page.locator(s)) for s in (".tablet-head", ".tablet-head .lang-touch", ".tablet-head .identity"))
    assert name["t"] >= switch["b"], (switch, name)  # the name under the switch and the title, on the whole width
    lines = seen_lines(page.locator(".tablet-head .identity"))
    assert lines == ["Bastien L. · acteur économique", "Table Citadelle"], lines  # never « … Table » / « Citadelle »
    # the switch's row and the name's two lines: the title's three lines made it 113 px high
    assert head["b"] - head["t"] <= (switch["b"] - switch["t"]) + 64, (head, switch)
    title.click()
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().height > "
                          "1.5 * parseFloat(getComputedStyle(e).lineHeight)")
    page.screenshot(path=str(artifacts / "phone-long-title-whole-390x844.png"))
    title.click()
    assert title.evaluate("e => e.scrollWidth > e.clientWidth + 1")
