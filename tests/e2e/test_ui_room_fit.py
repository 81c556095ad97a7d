"""What people in the room see, in Chromium: a phone's toasts leave the title and the vote
buttons readable, the projector's instructions are shown whole (large, in the main area, while a
vote's results are hidden or the wall has no card yet), the report page's logo row
keeps its « Retirer » button, a tablet dialog passes axe's colour-contrast rule.

Seminars of their own (created in the server's database, played from the console) keep the demo
seminar as the other e2e tests expect it. Screenshots land in test-artifacts/room-fit/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import (PHONE, PROJECTOR, PROJECTOR_SMALL, TABLET, Person, Room, add_dot, connected,
                                 join, set_switch, shot)
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import SECRET, console_at, projector_at
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.rehearsal.browser import ANIMATIONS_DONE, audit, axe_source, cut_text, settle, small_text
from workshop.services import activities, cards, participants, seminars, votes

pytestmark = pytest.mark.e2e

TITLE = "Visions +21 : le Ternois en 2050, séminaire de prospective"  # two lines on a phone


def seminar_at(server, title: str, run_sheet: str, *, open_up_to: int) -> seminars.CreatedSeminar:
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        created = seminars.create_seminar(
            db, title=title, territory="Pays du Ternois", horizon_year=2050,
            run_sheet=find_run_sheet(run_sheet), kit=default_kit(), facilitator_secret=SECRET)
        for _ in range(open_up_to):
            activities.advance(db, created.seminar_id)
    finally:
        db.dispose()
    return created


RECT = "e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }"


def rect(locator) -> dict:
    return locator.first.evaluate(RECT)


def overlaps(a: dict, b: dict) -> bool:
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def toast(page: Page, text: str) -> dict:
    """The box of the toast saying ``text``, once its entrance is over."""
    note = page.locator(".q-notification", has_text=text).first
    expect(note).to_be_visible()
    page.evaluate(ANIMATIONS_DONE)  # the toast slides in: its place is where it stops
    return note.evaluate(RECT)


# --- 1. a phone's toasts cover neither the seminar's title nor the vote buttons ------------------


def test_phone_toasts_leave_the_title_and_the_vote_buttons_readable(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "room-fit"
    created = seminar_at(server, TITLE, "demi-journee-decouverte", open_up_to=3)  # the contribution round
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True))
    card = "Garder une école dans chaque village"
    phone.get_by_label("Votre enjeu", exact=True).fill(card)
    phone.get_by_role("button", name="Envoyer", exact=True).click()
    sent = toast(phone, "Contribution enregistrée")  # from Python (acknowledge)
    shot(phone, out / "phone-390x844-sent.png")
    title = phone.get_by_text(TITLE, exact=True)
    assert not overlaps(sent, rect(title)), sent
    assert not overlaps(sent, rect(phone.locator(".identity"))), sent
    assert not overlaps(sent, rect(phone.get_by_role("button", name="Envoyer", exact=True))), sent

    console = console_at(room, server, created.seminar_id, SECRET)
    for _ in range(2):  # to the dot vote, as the facilitator moves on
        next_button = console.get_by_role("button", name=re.compile("^Activité suivante"))
        upcoming = next_button.inner_text().split(":", 1)[1].strip()
        next_button.click()
        expect(console.get_by_role("heading", name=upcoming, exact=True).first).to_be_visible()
    expect(phone.locator(".budget-bar")).to_be_visible()
    add_dot(phone, card)
    voted = toast(phone, "Vote enregistré")  # from the vote panel's script
    shot(phone, out / "phone-390x844-voted.png")
    assert not overlaps(voted, rect(title)), voted
    assert not overlaps(voted, rect(phone.locator(".identity"))), voted
    assert not overlaps(voted, rect(phone.locator(".budget-bar"))), voted
    for button in phone.locator(".vote-row .q-btn").all():
        assert not overlaps(voted, rect(button)), voted


# --- 2. the projector's instructions are shown whole -----------------------------------------------

INSTRUCTIONS_FIT = """(e) => ({scroll: e.scrollHeight, client: e.clientHeight, px: parseFloat(getComputedStyle(e).fontSize),
  bottom: e.getBoundingClientRect().bottom, screen: innerHeight})"""
# stakes on the walls (and, in 2b, voted on)
VOTE_STAKES = ["Garder une école dans chaque village", "Des bus à la demande entre les villages",
               "Un tiers-lieu numérique dans chaque bourg"]


def long_instructions_beside_a_wall(room: Room, server, title: str, stakes: list[str],
                                    others: tuple[tuple[str, str], ...] = ()) -> Page:
    """The projector at 1280x720 during the contribution round with the longest participant
    instructions of the shipped run sheets (442 characters), ``stakes`` and ``others`` ((kind, text)
    cards) on its wall (an empty wall reads its instructions in the main area, see 2c): they are in
    the side panel, under the join panel (wider while the wall uses few of its columns)."""
    created = seminar_at(server, title, "deux-jours", open_up_to=3)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for kind, text in (*(("stake", stake) for stake in stakes), *others):
            cards.add_card(db, created.seminar_id, kind=kind, text=text)
    finally:
        db.dispose()
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    expect(projector.locator(".v21p-side .v21p-instr-text")).to_contain_text(
        "À votre table, commencez par lire les cartes tendances")
    expect(projector.locator(".v21p-card")).to_have_count(len(stakes) + len(others))
    connected(projector)
    return projector


def test_projector_shows_long_instructions_whole(room: Room, server, artifacts: Path) -> None:
    """Beside a wall that has cards, in the side panel under the join panel."""
    out = artifacts / "room-fit"
    projector = long_instructions_beside_a_wall(room, server, "Séminaire consigne longue", VOTE_STAKES[:1])
    text = projector.locator(".v21p-side .v21p-instr-text")
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, out / f"projector-instructions-{size['width']}x{size['height']}.png")
        fit = text.evaluate(INSTRUCTIONS_FIT)
        assert fit["scroll"] <= fit["client"] + 1, (size, fit)  # nothing hidden below the panel's edge
        assert fit["px"] >= 24, (size, fit)  # read from the back of the room
        assert fit["bottom"] <= fit["screen"], (size, fit)
        note = projector.get_by_text("Consigne complète sur vos tablettes")
        if size == PROJECTOR:  # room enough for all of it
            expect(text).to_have_text(re.compile(r"peuvent vous inspirer\.$"))
            expect(note).to_be_hidden()
        elif not text.inner_text().endswith("peuvent vous inspirer."):  # cut: the screen says so
            expect(text).to_have_text(re.compile(r"\u00a0…$"))
            expect(note).to_be_visible()


# What a person sees of the side panel's instructions: the panel's box, the text's last line, the
# note (if shown), the type's size and line height, the panel's gap between text and note.
SIDE_INSTRUCTIONS = """() => {
  const side = document.querySelector('.v21p-side'), text = side.querySelector('.v21p-instr-text');
  const note = side.querySelector('.v21p-instr-more'), panel = text.parentElement;
  const range = document.createRange(); range.selectNodeContents(text);
  const box = e => e.getBoundingClientRect(), style = getComputedStyle(text);
  return {text: text.textContent, lastLine: range.getBoundingClientRect().bottom, textBottom: box(text).bottom,
          noteShown: !note.hidden, noteTop: box(note).top, noteBottom: box(note).bottom,
          panelBottom: box(panel).bottom, sideBottom: box(side).bottom, px: parseFloat(style.fontSize),
          line: parseFloat(style.lineHeight), gap: parseFloat(getComputedStyle(panel).rowGap), screen: innerHeight};
}"""
SIDE_FIT_MIN, SIDE_FIT_MAX = 2.1, 2.9  # vh, as page.py fits the side panel's instructions (never below 24 px)


def test_projector_side_instructions_fill_the_panel_to_its_bottom(room: Room, server, artifacts: Path) -> None:
    """At 1280x720 the long instructions were cut one line early (back to the end of a sentence) and
    their note followed them, leaving an empty band at the bottom of the panel: cut, the text and
    the note now use the panel down to its bottom; whole, the text uses the room at the largest
    size that holds, larger at 1920x1080 than at 1280x720."""
    out = artifacts / "room-fit"
    # three kinds of cards: the wall uses its three columns, so the side panel keeps its narrow width
    projector = long_instructions_beside_a_wall(room, server, "Séminaire consigne remplie", VOTE_STAKES, (
        ("threat", "Canicules plus longues et plus fréquentes"), ("resource", "Le savoir-faire industriel local")))
    sizes = {}
    cut_seen = False
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, out / f"projector-side-instructions-{size['width']}x{size['height']}.png")
        seen = projector.evaluate(SIDE_INSTRUCTIONS)
        fit_min = max(24, SIDE_FIT_MIN * seen["screen"] / 100)
        assert seen["px"] >= fit_min - 0.1, (size, seen)
        assert seen["panelBottom"] <= seen["sideBottom"] + 1 <= seen["screen"] + 1, (size, seen)
        if seen["text"].endswith("peuvent vous inspirer."):  # whole: at the cap, or as large as the room holds
            assert not seen["noteShown"], (size, seen)
            if seen["px"] < max(fit_min, SIDE_FIT_MAX * seen["screen"] / 100) - 0.5:
                assert seen["textBottom"] - seen["lastLine"] < seen["line"], (size, seen)
        else:  # cut after a word: the text, then the note, down to the panel's bottom
            cut_seen = True
            assert seen["text"].endswith("\u00a0…") and seen["noteShown"], (size, seen)
            # cut at a breaking space only: the words shown are the text's own, with their French
            # no-break spaces (« : », « 15 minutes » stay whole; they were joined by plain spaces)
            shown = seen["text"].removesuffix("\u00a0…")
            full = projector.locator(".v21p-side .v21p-instr-text").get_attribute("data-full")
            assert "\u00a0" in shown and full.startswith(shown), (size, shown, full)
            assert seen["panelBottom"] - seen["noteBottom"] <= 24, (size, seen)
            assert seen["noteTop"] - seen["lastLine"] < seen["line"] + seen["gap"], (size, seen)
        sizes[size["height"]] = seen["px"]
    assert cut_seen, "the narrow panel at 1280x720 cuts these instructions: the cut case was not checked"
    assert sizes[1080] > sizes[720], sizes  # a bigger screen, bigger type


# --- 2b. while a vote's results are hidden, its instructions are read in the main area -----------

# what the projector's main area shows while results are hidden, top to bottom
MESSAGE_PARTS = (".v21p-message-big", ".v21p-message-mid", ".v21p-message-small", ".v21p-instr-main")


def hidden_dot_vote(server) -> tuple[seminars.CreatedSeminar, str]:
    """A seminar at the half day's dot vote, results hidden (as the console leaves them), two
    people voted already; and the run sheet's instructions for that vote."""
    sheet = find_run_sheet("demi-journee-decouverte")
    position = next(i for i, spec in enumerate(sheet.activities) if spec.vote is not None)
    created = seminar_at(server, "Séminaire consigne du vote", "demi-journee-decouverte", open_up_to=position)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        vote_id = activities.advance(db, created.seminar_id)
        ids = [cards.add_card(db, created.seminar_id, kind="stake", text=text).id for text in VOTE_STAKES]
        for name, college, card_id in (("Amandine R.", "elected", ids[0]), ("Bastien L.", "business", ids[1])):
            token = participants.join(db, created.join_code, display_name=name, college=college).device_token
            votes.set_dots(db, token, vote_id, card_id, 1)
    finally:
        db.dispose()
    return created, sheet.activities[position].participant_instructions.strip()


def instructions_in_main(projector: Page, instructions: str, join_code: str, size: dict) -> float:
    """The instructions are read whole (not cut after a word), at 24 px or more, under « Consigne »
    in the main area, and the side panel keeps how to join and nothing else; their size in px."""
    main = projector.locator(".v21p-main")
    text = main.locator(".v21p-instr-main .v21p-instr-text")
    expect(text).to_have_text(instructions)
    classes = text.get_attribute("class").split()
    assert "is-clamped" not in classes and "is-cut" not in classes, (size, classes)
    expect(main.locator(".v21p-instr-more")).to_be_hidden()
    expect(main.locator(".v21p-instr-main .v21p-instr-head")).to_have_text("Consigne")
    fit = text.evaluate(INSTRUCTIONS_FIT)
    assert fit["scroll"] <= fit["client"] + 1, (size, fit)
    assert fit["px"] >= 24, (size, fit)
    side = projector.locator(".v21p-side")
    expect(side.locator(".v21p-code")).to_have_text(join_code)
    expect(side.locator(".v21p-instr, .v21p-instr-text, .v21p-instr-head")).to_have_count(0)
    return fit["px"]


def test_projector_reads_a_vote_instructions_large_while_results_are_hidden(
        room: Room, server, artifacts: Path) -> None:
    """Results hidden, the main area said « Vote en cours » and little else while the instructions
    were squeezed beside the QR code (cut at 1280x720, small at 1920x1080): they are read whole,
    large, under the vote's message, and the side keeps the join panel only."""
    out = artifacts / "room-fit"
    created, instructions = hidden_dot_vote(server)
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    main = projector.locator(".v21p-main")
    count = main.locator(".v21p-message-mid")
    text = main.locator(".v21p-instr-main .v21p-instr-text")
    expect(main.get_by_text("Vote en cours", exact=True)).to_be_visible()
    expect(count).to_have_text("2 personnes ont voté")
    expect(text).to_be_visible()
    connected(projector)

    def check(size: dict, name: str) -> float:
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, out / f"projector-vote-instructions-{name}-{size['width']}x{size['height']}.png")
        px = instructions_in_main(projector, instructions, created.join_code, size)
        side = projector.locator(".v21p-side")
        expect(side.get_by_text("Consigne")).to_have_count(0)
        # each part on screen, inside the main area, none over another (nor over the side)
        boxes = {part: rect(main.locator(part)) for part in MESSAGE_PARTS}
        area = rect(main)
        for part, box in boxes.items():
            assert area["t"] - 1 <= box["t"] and box["b"] <= area["b"] + 1, (size, part, box, area)
            assert box["b"] <= size["height"], (size, part, box)
            assert not overlaps(box, rect(side)), (size, part)
        for i, a in enumerate(MESSAGE_PARTS):
            for b in MESSAGE_PARTS[i + 1:]:
                assert not overlaps(boxes[a], boxes[b]), (size, a, b, boxes[a], boxes[b])
        assert small_text(projector) == [], size
        assert cut_text(projector) == [], size
        return px

    small_px = check(PROJECTOR_SMALL, "2-voted")

    # a third person votes from a tablet: the count follows, the instructions stay as they are
    text.evaluate("e => { e.__before_vote = true; }")  # gone if the view were rebuilt
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Chantal P.", "Habitant", "habitant", None, TABLET))
    expect(tablet.locator(".budget-bar")).to_be_visible()
    add_dot(tablet, VOTE_STAKES[2])
    expect(count).to_have_text("3 personnes ont voté")
    assert text.evaluate("e => e.__before_vote === true"), "the instructions were rebuilt for a vote"

    large_px = check(PROJECTOR, "3-voted")
    assert large_px > small_px, (small_px, large_px)  # a bigger screen, bigger type

    # the facilitator closes the vote, results still hidden: the screen no longer announces the
    # vote's end, and the instructions (which no longer apply) leave
    console = console_at(room, server, created.seminar_id, SECRET)
    set_switch(console, "Votes ouverts", False)
    expect(main.get_by_text("Vote terminé", exact=True)).to_be_visible()
    expect(count).to_have_text("3 personnes ont voté")
    expect(main.locator(".v21p-message-small")).to_have_text(
        "Les résultats s'afficheront à l'écran quand l'équipe d'animation les dévoilera.")
    expect(projector.get_by_text("à la fin du vote", exact=False)).to_have_count(0)
    expect(projector.locator(".v21p-instr-text")).to_have_count(0)
    shot(projector, out / "projector-vote-closed-hidden-1920x1080.png")


# --- 2c. an empty wall: its instructions are read in the main area -------------------------------

WALL_EMPTY = "Les contributions apparaîtront ici au fur et à mesure."
WALL_STAKES = ["Garder une école dans chaque village", "Des bus à la demande entre les villages"]


def test_projector_reads_the_instructions_large_until_the_wall_gets_a_card(
        room: Room, server, artifacts: Path) -> None:
    """At the start of a contribution round the wall was empty, the main area said one small line
    and the instructions were cut beside the QR code, just when the room reads them: until the
    first card they are read whole, large, in the main area; the first card brings the wall back
    with the instructions beside it (one rebuild; later cards are appended), and a wall emptied
    again gives the instructions back their room."""
    out = artifacts / "room-fit"
    sheet = find_run_sheet("demi-journee-decouverte")
    created = seminar_at(server, "Séminaire mur vide", "demi-journee-decouverte", open_up_to=3)
    instructions = sheet.activities[2].participant_instructions.strip()
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    main, side = projector.locator(".v21p-main"), projector.locator(".v21p-side")
    expect(projector.locator(".v21p-title")).to_have_text("Enjeux, menaces et ressources du territoire")
    text = main.locator(".v21p-instr-main .v21p-instr-text")
    line = main.get_by_text(WALL_EMPTY, exact=True)
    expect(text).to_be_visible()
    expect(line).to_be_visible()
    connected(projector)

    def check_empty(size: dict, name: str) -> float:
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, out / f"projector-wall-{name}-{size['width']}x{size['height']}.png")
        px = instructions_in_main(projector, instructions, created.join_code, size)
        # the line, then the instructions: inside the main area, on screen, apart
        area, said, panel = rect(main), rect(line), rect(main.locator(".v21p-instr-main"))
        for box in (said, panel):
            assert area["t"] - 1 <= box["t"] and box["b"] <= area["b"] + 1, (size, box, area)
            assert box["b"] <= size["height"] and not overlaps(box, rect(side)), (size, box)
        assert said["b"] <= panel["t"], (size, said, panel)
        assert small_text(projector) == [], size
        assert cut_text(projector) == [], size
        return px

    small_px = check_empty(PROJECTOR_SMALL, "1-empty")
    large_px = check_empty(PROJECTOR, "1-empty")
    assert large_px > small_px, (small_px, large_px)  # a bigger screen, bigger type
    projector.set_viewport_size(PROJECTOR_SMALL)

    # a participant sends the first card: the wall shows it, the instructions go beside it
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Denise M.", "Habitant", "habitant", None, TABLET))

    def send(card: str) -> None:
        tablet.get_by_label("Votre enjeu", exact=True).fill(card)
        tablet.get_by_role("button", name="Envoyer", exact=True).click()
        expect(main.locator(".v21p-card", has_text=card)).to_be_visible()

    send(WALL_STAKES[0])
    side_text = side.locator(".v21p-instr-text")
    expect(side_text).to_be_visible()
    expect(side.locator(".v21p-instr-head")).to_have_text("Consigne")
    expect(main.locator(".v21p-instr-main, .v21p-instr-text")).to_have_count(0)
    expect(line).to_be_hidden()
    settle(projector)
    shot(projector, out / "projector-wall-2-first-card-1280x720.png")
    assert side_text.evaluate(INSTRUCTIONS_FIT)["px"] >= 24
    assert small_text(projector) == []
    assert cut_text(projector) == []

    # a second card is appended to the wall as before: nothing rebuilt
    main.locator(".v21p-wall-cols").evaluate("e => { e.__first_card = true; }")  # gone if rebuilt
    send(WALL_STAKES[1])
    expect(main.locator(".v21p-card")).to_have_count(2)
    assert main.locator(".v21p-wall-cols").evaluate("e => e.__first_card === true"), "the wall was rebuilt"
    expect(side_text).to_be_visible()
    projector.set_viewport_size(PROJECTOR)
    settle(projector)
    shot(projector, out / "projector-wall-3-two-cards-1920x1080.png")

    # both cards withdrawn: the empty wall reads its instructions large again
    for _ in WALL_STAKES:
        tablet.get_by_role("button", name=re.compile("^Retirer")).first.click()
        dialog = tablet.get_by_role("dialog", name="Retirer cette contribution ?")
        dialog.get_by_role("button", name="Retirer", exact=True).click()
        expect(tablet.get_by_role("dialog")).to_have_count(0)
    expect(main.locator(".v21p-card")).to_have_count(0)
    expect(text).to_have_text(instructions)
    expect(line).to_be_visible()
    expect(side.locator(".v21p-instr")).to_have_count(0)


# --- 3. the report page: a logo's « Retirer » stays on its row ---------------------------------------


def report_page(room: Room, server, title: str) -> Page:
    """The report page of a seminar of its own, a facilitator logged in on a laptop."""
    created = seminar_at(server, title, "demi-journee-decouverte", open_up_to=0)
    page = console_at(room, server, created.seminar_id, SECRET)
    page.goto(f"{server.url}/console/{created.seminar_id}/report")
    connected(page)
    return page


def test_a_logo_row_keeps_its_remove_button_at_1280(room: Room, server, tmp_path: Path, artifacts: Path) -> None:
    from PIL import Image

    page = report_page(room, server, "Séminaire logo")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (11, 83, 148)).save(logo, "PNG")
    page.get_by_label("Choisir une image PNG ou JPEG").first.set_input_files(str(logo))
    expect(page.get_by_text("Logo enregistré", exact=False).first).to_be_visible()
    remove = page.get_by_role("button", name="Retirer").first
    expect(remove).to_be_visible()
    remove.evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(page, artifacts / "room-fit" / "report-logo-1280x800.png")
    row = remove.evaluate("e => { const r = e.parentElement.getBoundingClientRect(); "
                          "return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }")
    button = rect(remove)
    logo_box = rect(page.get_by_role("img", name="Logo du territoire"))
    # on the logo's row: beside the picture, not wrapped under it
    assert logo_box["t"] - 1 <= button["t"] <= logo_box["b"], (button, logo_box, row)
    assert button["l"] >= logo_box["r"], (button, logo_box)
    assert row["t"] <= button["t"] and button["b"] <= row["b"] + 1, (button, row)


# --- 4. a tablet dialog passes axe's colour-contrast rule ------------------------------------------


def test_tablet_withdraw_dialog_has_readable_colours(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire retrait", "demi-journee-decouverte", open_up_to=3)
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Denise M.", "Habitant", "habitant", None, TABLET))
    tablet.get_by_label("Votre enjeu", exact=True).fill("Des bus à la demande entre les villages")
    tablet.get_by_role("button", name="Envoyer", exact=True).click()
    expect(tablet.get_by_text("Contribution enregistrée").first).to_be_visible()
    tablet.get_by_role("button", name=re.compile("^Retirer")).first.click()
    dialog = tablet.get_by_role("dialog", name="Retirer cette contribution ?")
    expect(dialog).to_be_visible()
    problems = audit(tablet, axe_source())
    shot(tablet, artifacts / "room-fit" / "tablet-768x1024-withdraw.png")
    assert problems == []  # was: the dialog's buttons judged on grey, the page's white text on white
    # the page behind is out of reach (inert) while the dialog is open, and back once it is closed
    expect(tablet.locator("#app")).to_have_attribute("inert", "")
    dialog.get_by_role("button", name="Annuler").click()
    expect(tablet.get_by_role("dialog")).to_have_count(0)
    expect(tablet.locator("#app")).not_to_have_attribute("inert", "")
    tablet.get_by_role("button", name="Envoyer", exact=True).click()  # a tap reaches the page again
    expect(tablet.get_by_text("Votre carte est vide", exact=False)).to_be_visible()
