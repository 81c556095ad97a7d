"""What people see, in Chromium: the console's tabs at 1280x800, named dialogs (axe), the tablet's
« Envoyer » button, the phone's end screen, the photos link in the console's header.

Two seminars of their own (created in the server's database, played from the console) keep the
demo seminar as the other e2e tests expect it. Screenshots land in test-artifacts/polish/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, TABLET, Person, Room, connected, join, log_in, set_switch, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.rehearsal.browser import audit, axe_source
from workshop.services import activities, seminars

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 800}
SECRET = "polish-animation-2026"


# --- helpers -------------------------------------------------------------------------------


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        parts = [c / 255 for c in rgb]
        parts = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def painted(locator, path: Path) -> tuple[int, int, int]:
    """The colour a person sees at the left edge of a wide button (no text there), from a picture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    png = locator.screenshot(path=str(path), animations="disabled")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.getpixel((12, image.height // 2))


def new_seminar(server, title: str, *, open_up_to: int) -> seminars.CreatedSeminar:
    """A half-day seminar with the first ``open_up_to`` activities played (the last of them open)."""
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        created = seminars.create_seminar(
            db, title=title, territory="Pays du Ternois", horizon_year=2050,
            run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), facilitator_secret=SECRET)
        for _ in range(open_up_to):
            activities.advance(db, created.seminar_id)
    finally:
        db.dispose()
    return created


def projector_at(room: Room, server, seminar_id: int, size: dict) -> Page:
    """The seminar's projector screen at ``size``, the facilitator logged in."""
    _, projector = room.page(size)
    projector.goto(f"{server.url}/screen/{seminar_id}")
    log_in(projector, SECRET)
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{seminar_id}$"))
    return projector


def console_at(room: Room, server, seminar_id: int, secret: str, *, init_script: str | None = None) -> Page:
    """The facilitator's console at 1280x800, logged in and connected (``init_script``: run in the
    page before its own scripts, e.g. to slow its link down)."""
    context, console = room.page(LAPTOP)
    if init_script:
        context.add_init_script(init_script)
    console.goto(f"{server.url}/console/{seminar_id}")
    log_in(console, secret)
    console.wait_for_url(re.compile(rf"/console/{seminar_id}$"))
    expect(console.get_by_role("tab").first).to_be_visible()
    connected(console)
    return console


# --- 1. the console's tabs at 1280 px, and 5. the photos link -----------------------------------


TABS = ["Modération", "Historique", "Tables", "Liens proposés", "Graphe", "Enseignements"]

TAB_FIT = """(tab) => {
  const bar = tab.closest('.q-tabs__content').getBoundingClientRect();
  const box = tab.getBoundingClientRect();
  const label = tab.querySelector('.q-tab__label');
  const text = label.getBoundingClientRect();
  return {inside: box.left >= bar.left - 0.5 && box.right <= bar.right + 0.5,
          whole: label.scrollWidth <= label.clientWidth + 1,
          padLeft: text.left - box.left, padRight: box.right - text.right};
}"""


def test_every_console_tab_is_readable_and_reachable_at_1280(room: Room, server, artifacts: Path) -> None:
    console = console_at(room, server, server.seminar_id, server.secret)
    out = artifacts / "polish"
    shot(console, out / "console-1280x800.png")
    right = console.locator(".q-tabs__arrow--right")
    for name in TABS:
        tab = console.get_by_role("tab", name=re.compile(f"^{name}"))
        fit = tab.evaluate(TAB_FIT)
        for _ in range(12):  # the bar scrolls while the arrow is held down, as a person would
            if fit["inside"]:
                break
            right.click(delay=150)
            console.wait_for_timeout(250)  # the scroll's animation: not an assertion
            fit = tab.evaluate(TAB_FIT)
        assert fit["inside"], f"tab {name} cannot be brought into view at 1280 px"
        assert fit["whole"], f"tab {name}: label cut"
        # a label never touches its tab's border (they were squeezed to 1 px at 1280)
        assert fit["padLeft"] >= 6 and fit["padRight"] >= 6, (name, fit)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
    shot(console, out / "console-1280x800-last-tab.png")

    # chosen on a wider window, then the window narrows: the chosen tab stays in view
    console.set_viewport_size({"width": 1440, "height": 900})
    console.get_by_role("tab", name="Modération").click()
    console.get_by_role("tab", name="Enseignements").click()
    console.set_viewport_size(LAPTOP)
    chosen = console.get_by_role("tab", name="Enseignements")
    expect(chosen).to_have_attribute("aria-selected", "true")
    console.wait_for_function("(tab) => { const b = tab.closest('.q-tabs__content').getBoundingClientRect(); "
                              "const t = tab.getBoundingClientRect(); "
                              "return t.left >= b.left - 0.5 && t.right <= b.right + 0.5; }",
                              arg=chosen.element_handle(), timeout=5_000)
    shot(console, out / "console-1440-then-1280.png")

    # 5. the photos of the room, beside the report link (without cutting the seminar's line)
    photos = console.get_by_role("link", name="Photos de la salle")
    expect(photos).to_be_in_viewport(ratio=1)
    expect(photos).to_have_attribute("href", f"/console/{server.seminar_id}/photos")
    subtitle_cut = console.evaluate("""() => [...document.querySelectorAll('.console-header .truncate')]
        .filter(e => e.innerText.includes('Horizon')).some(e => e.scrollWidth > e.clientWidth + 1)""")
    assert not subtitle_cut
    with console.context.expect_page() as opened:
        photos.click()
    page = opened.value
    expect(page.get_by_role("heading", name="Photos de la salle", exact=True)).to_be_visible()
    shot(page, out / "photos-1280x800.png")


# --- 2. dialogs have accessible names ------------------------------------------------------------


def dialog_problems(page: Page, source: str) -> list[str]:
    # every rule, colour contrast included: the page behind an open dialog is inert and the dialog's
    # frame stacks above its backdrop (workshop/ui/modal.py), so axe reads what a person sees
    return audit(page, source)


def test_dialogs_are_named_for_screen_readers(room: Room, server, artifacts: Path) -> None:
    source = axe_source()
    console = console_at(room, server, server.seminar_id, server.secret)
    out = artifacts / "polish"

    console.get_by_role("button", name="Effectif attendu et plafond").click()
    expect(console.get_by_role("dialog", name="Effectif attendu et plafond")).to_be_visible()
    assert dialog_problems(console, source) == []
    shot(console, out / "dialog-attendance.png")
    console.get_by_role("dialog").get_by_role("button", name="Annuler").click()
    expect(console.get_by_role("dialog")).to_have_count(0)

    console.locator(".console-card").first.get_by_role("button", name=re.compile("^Modifier")).click()
    expect(console.get_by_role("dialog", name="Modifier la carte")).to_be_visible()
    assert dialog_problems(console, source) == []
    shot(console, out / "dialog-edit-card.png")
    console.get_by_role("dialog").get_by_role("button", name="Annuler").click()
    expect(console.get_by_role("dialog")).to_have_count(0)

    console.get_by_role("button", name="Ajouter une activité").click()
    expect(console.get_by_role("dialog", name="Ajouter une activité")).to_be_visible()
    assert dialog_problems(console, source) == []
    console.get_by_role("dialog").get_by_role("button", name="Annuler").click()
    expect(console.get_by_role("dialog")).to_have_count(0)

    # the graph panel's dialogs come from Console.dialog too
    console.get_by_role("tab", name="Graphe").click()
    console.get_by_role("button", name="Agrandir le graphe").click()
    expect(console.get_by_role("dialog", name="Graphe interactif")).to_be_visible()
    assert dialog_problems(console, source) == []
    console.get_by_role("dialog").get_by_role("button", name="Fermer").click()
    expect(console.get_by_role("dialog")).to_have_count(0)


# --- 3. the tablet's « Envoyer » -------------------------------------------------------------------


def test_tablet_send_button_looks_like_the_main_action(room: Room, server, artifacts: Path) -> None:
    source = axe_source()
    created = new_seminar(server, "Séminaire bouton Envoyer", open_up_to=3)  # the contribution round
    out = artifacts / "polish"
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Denise M.", "Habitant", "habitant", None, TABLET))
    send = tablet.get_by_role("button", name="Envoyer", exact=True)
    expect(send).to_be_enabled()
    white = (255, 255, 255)
    at_rest = painted(send, out / "tablet-send-at-rest.png")
    assert contrast(white, at_rest) >= 7, at_rest  # the brand blue, 7.8:1 with its white text

    tablet.get_by_label("Votre enjeu", exact=True).fill("Des bus à la demande entre les villages")
    send.click()
    expect(tablet.get_by_text("Contribution enregistrée").first).to_be_visible()
    tablet.wait_for_timeout(400)  # the toast's entrance: not an assertion
    after = painted(send, out / "tablet-send-after-tap.png")  # the pointer still rests on it
    assert contrast(white, after) >= 7, after  # was 5.5:1 (a white veil): paler than any other
    shot(tablet, out / "tablet-768x1024-sent.png")

    # a dialog of the tablet: editing my card, named after its title
    tablet.get_by_role("button", name=re.compile("^Modifier")).first.click()
    expect(tablet.get_by_role("dialog", name="Modifier ma contribution")).to_be_visible()
    assert dialog_problems(tablet, source) == []
    tablet.get_by_role("dialog").get_by_role("button", name="Annuler").click()
    expect(tablet.get_by_role("dialog")).to_have_count(0)

    # contributions closed by the facilitator: grey and disabled, not a faded blue
    console = console_at(room, server, created.seminar_id, SECRET)
    set_switch(console, "Contributions ouvertes", False)
    expect(tablet.get_by_role("button", name="Envoyer", exact=True)).to_be_disabled()
    closed = painted(tablet.get_by_role("button", name="Envoyer", exact=True), out / "tablet-send-closed.png")
    assert contrast(white, closed) < 1.5, closed  # light grey, nothing like the blue
    text_colour = tablet.get_by_role("button", name="Envoyer", exact=True).evaluate(
        "e => getComputedStyle(e).color.match(/\\d+/g).slice(0, 3).map(Number)")
    assert contrast(tuple(text_colour), closed) >= 4.5, (text_colour, closed)
    shot(tablet, out / "tablet-768x1024-closed.png")


# --- 4. the phone's end screen ---------------------------------------------------------------------


def test_phone_end_screen_shows_the_results_button_without_scrolling(room: Room, server, artifacts: Path) -> None:
    # a real title (two lines on a phone) and a participant who wrote during the seminar
    created = new_seminar(server, "Visions +21 : le Ternois en 2050, séminaire de prospective", open_up_to=3)
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True))
    phone.get_by_label("Votre enjeu", exact=True).fill("Garder une école dans chaque village")
    phone.get_by_role("button", name="Envoyer", exact=True).click()
    expect(phone.get_by_text("Contribution enregistrée").first).to_be_visible()

    console = console_at(room, server, created.seminar_id, SECRET)
    for _ in range(4):  # to the last activity, as the facilitator moves on
        next_button = console.get_by_role("button", name=re.compile("^Activité suivante"))
        title = next_button.inner_text().split(":", 1)[1].strip()
        next_button.click()
        expect(console.get_by_role("heading", name=title, exact=True).first).to_be_visible()
    # the last activity: « Clore » ends it (no second button doing the same beside it)
    expect(console.get_by_role("button", name=re.compile("^Activité suivante|^Clore la dernière"))).to_have_count(0)
    console.get_by_role("button", name="Clore", exact=True).click()

    expect(phone.get_by_role("heading", name="Merci pour votre participation !")).to_be_visible()
    expect(phone.get_by_text("Vous avez proposé 1 contribution")).to_be_visible()
    results = phone.get_by_role("button", name="Voir les résultats", exact=True)
    expect(results).to_be_in_viewport(ratio=1)
    assert phone.evaluate("() => window.scrollY") == 0
    # as wide as the card « Et ensuite ? » under it, not inset from its edges
    box = "e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; }"
    button, card = results.evaluate(box), phone.locator(".t-card", has_text="Et ensuite").evaluate(box)
    assert abs(button["l"] - card["l"]) <= 1 and abs(button["r"] - card["r"]) <= 1, (button, card)
    # its icon and its words on one line (« Voir les résultats du séminaire » put the icon on a line of
    # its own, the words on a second)
    icon, words = results.locator(".q-icon").evaluate(box), results.locator(".block").evaluate(box)
    assert words["t"] < (icon["t"] + icon["b"]) / 2 < words["b"], (icon, words)
    shot(phone, artifacts / "polish" / "phone-390x844-end.png")
    results.click()
    phone.wait_for_url(f"**/resultats/{created.join_code}")
