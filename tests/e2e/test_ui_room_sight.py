"""What people see, in Chromium: the projector's results read from the back of a 1080p room, a
phone's toast leaves the card just sent in sight, the report page's file pickers speak the page's
language, a dialog dims the page behind it.

Seminars of their own (created in the server's database) keep the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/room-sight/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, PROJECTOR, PROJECTOR_SMALL, TABLET, Person, Room, connected, join, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import LAPTOP, projector_at
from tests.e2e.test_ui_room_fit import RECT, overlaps, rect, report_page, seminar_at, toast
from workshop.db import Database
from workshop.rehearsal.browser import audit, axe_source, cut_text, settle, small_text
from workshop.services import activities, cards, participants, ratelimit, screen, votes

pytestmark = pytest.mark.e2e

# --- 1. the projector's results: the summary and the colour key scale with the screen ----------

STAKES = ["Garder une école dans chaque village", "Des bus à la demande entre les villages",
          "Un tiers-lieu numérique dans chaque bourg"]
VOTERS = [("Amandine R.", "elected", [2, 1, 0]), ("Bastien L.", "business", [1, 1, 1]),
          ("Chantal P.", "resident", [0, 1, 2])]  # 3 dots each

FONT_PX = "e => parseFloat(getComputedStyle(e).fontSize)"


def revealed_dot_vote(server) -> int:
    """A seminar at its dot vote (activity 5 of the half day), three voters, results on screen."""
    created = seminar_at(server, "Séminaire résultats", "demi-journee-decouverte", open_up_to=4)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        vote_id = activities.advance(db, created.seminar_id)
        ids = [cards.add_card(db, created.seminar_id, kind="stake", text=text).id for text in STAKES]
        for name, college, dots in VOTERS:
            token = participants.join(db, created.join_code, display_name=name, college=college).device_token
            for card_id, n in zip(ids, dots):
                if n:
                    votes.set_dots(db, token, vote_id, card_id, n)
        screen.set_screen(db, created.seminar_id, view="results", reveal_results=True)
    finally:
        db.dispose()
    return created.seminar_id


def test_projector_results_summary_and_key_scale_with_the_screen(room: Room, server, artifacts: Path) -> None:
    sid = revealed_dot_vote(server)
    projector = projector_at(room, server, sid, PROJECTOR)
    summary = projector.locator(".v21p-view-sub")
    expect(summary).to_have_text(re.compile(r"^3\svotants · 9\sgommettes"))
    key = projector.locator(".v21p-legend-item")
    # an élu, an acteur économique, a habitant: one voter each, so not broken down (statistical secrecy)
    expect(key).to_have_text([re.compile(r"^Non détaillé \(moins de 3\svotants\)$")])
    expect(projector.locator(".js-plotly-plot")).to_be_visible()
    connected(projector)
    for size, floor in ((PROJECTOR, 36), (PROJECTOR_SMALL, 24)):  # 24 px at 720 lines is 36 at 1080
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "room-sight" / f"projector-results-{size['width']}x{size['height']}.png")
        sizes = {"summary": summary.evaluate(FONT_PX),
                 "key": min(item.evaluate(FONT_PX) for item in key.all())}
        assert min(sizes.values()) >= floor - 0.5, (size, sizes)
        assert small_text(projector) == [], size  # the chart, made smaller by them, still reads at 24 px
        assert cut_text(projector) == [], size
        bottom = projector.locator(".v21p-scale").evaluate(RECT)["b"]
        assert bottom <= size["height"], (size, bottom)



THREATS = ["Fermeture des dernières classes des villages", "Départ à la retraite des médecins généralistes",
           "Hausse du prix des carburants", "Sécheresses estivales à répétition",
           "Vacance commerciale dans les centres-bourgs", "Saturation de la rocade aux heures de pointe"]
# (likelihood, impact) of each threat, per voter
SCORES = [[(4, 5), (5, 5), (3, 4), (4, 4), (3, 3), (2, 3)], [(5, 4), (4, 5), (4, 3), (3, 5), (2, 3), (3, 2)],
          [(4, 4), (5, 4), (3, 3), (4, 5), (3, 2), (2, 2)]]

HEADER = {"context": ".v21p-context", "clock label": ".v21p-clock-label"}
RANKING = {"ranking heading": ".v21p-ranking .v21p-instr-head", "ranking text": ".v21p-rank-text",
           "ranking values": ".v21p-rank-values", "ranking number": ".v21p-rank-num", "summary": ".v21p-view-sub"}
SIDE = {"code label": ".v21p-code-label", "address": ".v21p-address"}
# results hidden: the instructions are read in the main area, under the vote's message
HIDDEN = {"instructions heading": ".v21p-main .v21p-instr-head", "results soon": ".v21p-message-small"}
# the smallest font size (px) of each kind of secondary text on screen (null: none shown)
SIZES = """sels => Object.fromEntries(Object.entries(sels).map(([name, sel]) => [name,
  [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
    .map(e => parseFloat(getComputedStyle(e).fontSize)).reduce((a, b) => (a === null ? b : Math.min(a, b)), null)]))"""
# an item of a list shown in part only (its bottom below the list's): a cut line of text
PART_SHOWN = """sel => [...document.querySelectorAll(sel)].flatMap(list => {
  const box = list.getBoundingClientRect();
  return [...list.children].filter(e => e.offsetParent !== null).filter(e => {
    const r = e.getBoundingClientRect();
    return r.top < box.bottom - 1 && r.bottom > box.bottom + 1;
  }).map(e => e.textContent.trim().slice(0, 60));
})"""


def revealed_threat_ratings(server) -> int:
    """A seminar at its threat rating (probability and severity), three voters, results on screen."""
    created = seminar_at(server, "Séminaire menaces", "un-jour-et-demi", open_up_to=5)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        rating_id = activities.advance(db, created.seminar_id)
        ids = [cards.add_card(db, created.seminar_id, kind="threat", text=text).id for text in THREATS]
        for (name, college, _), scores in zip(VOTERS, SCORES):
            token = participants.join(db, created.join_code, display_name=name, college=college).device_token
            for card_id, (likelihood, impact) in zip(ids, scores):
                votes.rate(db, token, rating_id, card_id, "likelihood", likelihood)
                votes.rate(db, token, rating_id, card_id, "impact", impact)
                ratelimit.reset_all()  # a whole ballot at once: faster than any hand
        screen.set_screen(db, created.seminar_id, view="results", reveal_results=True)
    finally:
        db.dispose()
    return created.seminar_id


def test_projector_secondary_text_scales_with_the_screen(room: Room, server, artifacts: Path) -> None:
    """The header's context line, the ratings list beside the chart and the join panel's labels
    read at 36 px on a 1080p screen as they do at 24 px at 720 lines (they stayed at 24-26 px)."""
    sid = revealed_threat_ratings(server)
    projector = projector_at(room, server, sid, PROJECTOR)
    expect(projector.locator(".v21p-ranking .v21p-instr-head")).to_have_text("Probabilité · Gravité")
    expect(projector.locator(".v21p-rank")).to_have_count(len(THREATS))
    expect(projector.locator(".v21p-context")).to_contain_text("Pays du Ternois")
    expect(projector.locator(".js-plotly-plot")).to_be_visible()
    connected(projector)
    check_secondary_text(projector, {**HEADER, **RANKING}, artifacts, "ratings")
    assert projector.evaluate(PART_SHOWN, ".v21p-ranking") == []  # whole items only (last size: 720p)

    # while the rating runs: the join panel beside the main view, the instructions in it
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        screen.set_screen(db, sid, view="activity", reveal_results=False)
    finally:
        db.dispose()
    projector.set_viewport_size(PROJECTOR)
    projector.reload()
    expect(projector.locator(".v21p-code-label")).to_be_visible()
    expect(projector.locator(".v21p-main .v21p-instr-text")).to_be_visible()
    connected(projector)
    check_secondary_text(projector, {**HEADER, **SIDE, **HIDDEN}, artifacts, "rating-running")


def test_the_header_context_is_read_whole_beside_the_clock_and_the_attendance(room: Room, server,
                                                                                artifacts: Path) -> None:
    """Day 2 of a two-day seminar, in groups, attendance shown (« CONNECTÉS »):
    « Amiens Métropole · horizon 2055 · jour 2 · en sous-groupes » whole, not « … en sous-gro… »."""
    from workshop.content import default_kit, find_run_sheet
    from workshop.models import ActivityMode
    from workshop.services import seminars
    from tests.e2e.test_ui_polish import SECRET

    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        created = seminars.create_seminar(db, title="Séminaire deux jours", territory="Amiens Métropole",
                                          horizon_year=2055, run_sheet=find_run_sheet("deux-jours"),
                                          kit=default_kit(), facilitator_secret=SECRET)
        sid = created.seminar_id
        day_two = next(a for a in activities.list_activities(db, sid) if a.day == 2 and a.mode is ActivityMode.GROUPS)
        activities.open_activity(db, sid, day_two.id)
        screen.set_screen(db, sid, show_attendance=True)
        for n in range(3):
            participants.join(db, created.join_code, display_name=f"Personne {n}", college="resident")
    finally:
        db.dispose()
    projector = projector_at(room, server, sid, PROJECTOR)
    expect(projector.locator(".v21p-context")).to_have_text(
        "Amiens Métropole · horizon\u00a02055 · jour\u00a02 · en sous-groupes")
    expect(projector.locator(".v21p-people-label")).to_contain_text("connecté")
    for size in (PROJECTOR, PROJECTOR_SMALL):
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "room-sight" / f"projector-header-{size['width']}x{size['height']}.png")
        widths = projector.locator(".v21p-context").evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] <= widths[1] + 1, (size, widths)  # no « … » at its end


def check_secondary_text(projector: Page, parts: dict[str, str], artifacts: Path, name: str) -> None:
    """At 1080p then at 720 lines: every part at 36 px (24 px), nothing small, cut or out of its place."""
    for size, floor in ((PROJECTOR, 36), (PROJECTOR_SMALL, 24)):
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "room-sight" / f"projector-{name}-{size['width']}x{size['height']}.png")
        sizes = projector.evaluate(SIZES, parts)
        assert None not in sizes.values(), (size, sizes)  # each part is on screen
        assert min(sizes.values()) >= floor - 0.5, (size, sizes)
        assert small_text(projector) == [], size
        assert cut_text(projector) == [], size
        head = projector.locator(".v21p-head-text").evaluate(RECT)
        for part in (".v21p-context", ".v21p-title"):  # both header lines inside the header, apart
            box = projector.locator(part).evaluate(RECT)
            assert head["t"] - 1 <= box["t"] and box["b"] <= head["b"] + 1, (size, part, box, head)
        assert not overlaps(projector.locator(".v21p-context").evaluate(RECT),
                            projector.locator(".v21p-title").evaluate(RECT)), size
        bottom = projector.locator(".v21p-body").evaluate(RECT)["b"]
        assert bottom <= size["height"], (size, bottom)

# --- 2. a phone: the toast after « Envoyer » leaves the card just sent in sight ------------------


# A busy phone draws the row of the card just sent after the toast saying so has come in and found
# its place (CI, 6 December: the toast had stepped up off the older cards' text, then the new card
# scrolled under it). Here the page's look-up misses the new row for 0.3 s, as such a phone would.
DRAWN_LATE_JS = """() => {
  const byId = window.v21byId = window.v21byId || document.getElementById.bind(document);
  let misses = 6;
  document.getElementById = id => {
    const found = byId(id);
    return found && found.classList.contains('mine-card') && misses-- > 0 ? null : found;
  };
}"""


@pytest.mark.parametrize("drawn", ["at-once", "late"])
def test_phone_toast_leaves_the_card_just_sent_in_sight(room: Room, server, artifacts: Path, drawn: str) -> None:
    created = seminar_at(server, f"Séminaire envoi {drawn}", "demi-journee-decouverte", open_up_to=3)  # contribution round
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True))
    for text in STAKES[:2]:
        if drawn == "late":
            phone.evaluate(DRAWN_LATE_JS)
        phone.get_by_label("Votre enjeu", exact=True).fill(text)
        phone.get_by_role("button", name="Envoyer", exact=True).click()
        sent = toast(phone, "Contribution enregistrée")
        newest = phone.locator(".t-card", has=phone.get_by_text(text, exact=True))
        expect(newest).to_be_visible()
        shot(phone, artifacts / "room-sight" / f"phone-390x844-sent-{STAKES.index(text) + 1}-{drawn}.png")
        card = rect(newest)
        assert 0 <= card["t"] and card["b"] <= PHONE["height"], card  # on screen…
        assert not overlaps(sent, card), (sent, card)  # …and not under the toast
        phone.locator(".q-notification").first.wait_for(state="detached")


def test_phone_warning_answered_goes_with_the_acknowledgement(room: Room, server, artifacts: Path) -> None:
    """« Votre carte est vide » stood beside « Contribution enregistrée » over the card just sent,
    for the rest of its five seconds, once the person had written their card and sent it."""
    created = seminar_at(server, "Séminaire avertissement", "demi-journee-decouverte", open_up_to=3)
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True))
    phone.get_by_role("button", name="Envoyer", exact=True).click()  # nothing written yet
    warning = phone.locator(".q-notification", has_text="Votre carte est vide")
    expect(warning).to_be_visible()
    phone.get_by_label("Votre enjeu", exact=True).fill(STAKES[0])
    phone.get_by_role("button", name="Envoyer", exact=True).click()
    expect(phone.locator(".q-notification", has_text="Contribution enregistrée")).to_be_visible()
    expect(warning).to_be_hidden(timeout=1000)  # not in the 4 s the warning had left
    shot(phone, artifacts / "room-sight" / "phone-390x844-sent-after-warning.png")
    expect(phone.locator(".q-notification")).to_have_count(1)


# --- 3. the report page's file pickers speak the page's language ---------------------------------

PICKERS = """() => [...document.querySelectorAll('.uploader-pick')].map(label => {
  const input = label.querySelector('input[type=file]');
  const r = input.getBoundingClientRect();
  return {text: label.innerText.replace(/\\s+/g, ' ').trim(), input: [r.width, r.height]};
})"""


def test_report_logo_pickers_speak_the_page_language(room: Room, server, tmp_path: Path, artifacts: Path) -> None:
    from PIL import Image

    page = report_page(room, server, "Séminaire sélecteur")
    # Playwright turns Chromium's file-chooser interception on with a message it does not wait for,
    # sent when the page gets its first "filechooser" listener: a key pressed right after can open
    # the chooser before interception is on, and the event never comes (CI, 2 December). Listening
    # from here keeps interception on for the whole test, long before the first key.
    page.on("filechooser", lambda chooser: None)
    territory = page.get_by_label("Choisir une image PNG ou JPEG").first
    expect(territory).to_be_attached()
    expect(page.get_by_role("button", name="Revenir au texte généré")).to_be_visible()  # the page above is drawn
    territory.evaluate("e => e.closest('.uploader-pick').scrollIntoView({block: 'center'})")
    shot(page, artifacts / "room-sight" / "report-pickers-fr-1280x800.png")
    pickers = page.evaluate(PICKERS)
    assert len(pickers) == 2, pickers
    for picker in pickers:
        # Chromium's own « Choose File / No file chosen » is not drawn: a French button is
        assert picker["input"][0] <= 1 and picker["input"][1] <= 1, picker
        assert picker["text"] == "Choisir une image PNG ou JPEG Parcourir…", picker

    # from the keyboard: the picker takes the focus, shows it, and opens the file chooser
    territory.focus()  # then away and back with the keyboard, as a keyboard user arrives
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "file"
    ring = page.locator(".uploader-pick-button").first.evaluate("e => getComputedStyle(e).outlineStyle")
    assert ring != "none", ring
    shot(page, artifacts / "room-sight" / "report-picker-focused-1280x800.png")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (11, 83, 148)).save(logo, "PNG")
    assert page.evaluate("() => document.activeElement.type") == "file"  # still, after the screenshot
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(logo))
    expect(page.get_by_text("Logo enregistré", exact=False).first).to_be_visible()
    expect(page.get_by_role("img", name="Logo du territoire")).to_be_visible()

    # a pointer: the whole French button opens it too
    with page.expect_file_chooser():
        page.locator(".uploader-pick-button").nth(1).click()

    # the photos page, on a facilitator's phone
    page.set_viewport_size(PHONE)
    page.goto(page.url.replace("/report", "/photos"))
    expect(page.get_by_label("Prendre ou choisir une photo (PNG ou JPEG)")).to_be_attached()
    connected(page)
    shot(page, artifacts / "room-sight" / "photos-picker-390x844.png")
    [photo] = page.evaluate(PICKERS)
    assert photo["input"][0] <= 1 and photo["input"][1] <= 1, photo
    assert photo["text"] == "Prendre ou choisir une photo (PNG ou JPEG) Parcourir…", photo
    page.set_viewport_size(LAPTOP)
    page.go_back()
    connected(page)

    # in English
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_label("Choose a PNG or JPEG image").first).to_be_attached()
    expect(page.get_by_role("button", name="Back to the generated text")).to_be_visible()
    connected(page)
    page.get_by_label("Choose a PNG or JPEG image").first.evaluate(
        "e => e.closest('.uploader-pick').scrollIntoView({block: 'center'})")
    shot(page, artifacts / "room-sight" / "report-pickers-en-1280x800.png")
    assert {p["text"] for p in page.evaluate(PICKERS)} == {"Choose a PNG or JPEG image Browse…"}


# --- 4. a dialog dims the page behind it ----------------------------------------------------------

PIXEL = 5, 5  # the page's white corner, behind any dialog


def brightness(page: Page) -> float:
    from PIL import Image

    red, green, blue = Image.open(io.BytesIO(page.screenshot())).convert("RGB").getpixel(PIXEL)
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_a_dialog_dims_the_page_behind_it(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire pénombre", "demi-journee-decouverte", open_up_to=3)
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Denise M.", "Habitant", "habitant", None, TABLET))
    tablet.get_by_label("Votre enjeu", exact=True).fill(STAKES[1])
    tablet.get_by_role("button", name="Envoyer", exact=True).click()
    expect(tablet.get_by_text("Contribution enregistrée").first).to_be_visible()
    before = brightness(tablet)
    tablet.get_by_role("button", name=re.compile("^Retirer")).first.click()
    dialog = tablet.get_by_role("dialog", name="Retirer cette contribution ?")
    expect(dialog).to_be_visible()
    problems = audit(tablet, axe_source())  # waits for the backdrop's fade to end
    shot(tablet, artifacts / "room-sight" / "tablet-768x1024-dialog.png")
    after = brightness(tablet)
    assert before > 0.95, before
    assert after <= 0.45, after  # clearly dimmed (Quasar's own backdrop leaves it at 0.58)
    assert problems == []
