"""The projector's side panel beside a wall of few columns, in Chromium.

A wall with a few cards of one kind used one ~275 px column of the main area at 1280x720: some
600 px stayed blank between it and the side panel, while the instructions in that 27vw panel were
cut (« … », « Consigne complète sur vos tablettes »). The side panel now takes the room the wall
does not use, and gives it back as the wall needs more columns; a full wall keeps its columns' width.
Screenshots land in test-artifacts/room-fit/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PROJECTOR, PROJECTOR_SMALL, TABLET, Person, Room, connected, join, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.content import find_run_sheet
from workshop.db import Database
from workshop.rehearsal.browser import cut_text, settle, small_text
from workshop.services import cards

pytestmark = pytest.mark.e2e

# the longest participant instructions of the shipped run sheets (442 characters), for a wall of
# stakes, threats and resources
SHEET, ACTIVITY = "deux-jours", 3
NOTE = "Consigne complète sur vos tablettes"

# what a person sees: the side panel's width, the blank between the wall's last column and the
# panel, the narrowest card, and the instructions (their type size and how much of them shows)
MEASURE = """() => {
  const side = document.querySelector('.v21p-side').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.v21p-main .v21p-card, .v21p-main .v21p-group-title')]
    .map(e => e.getBoundingClientRect());
  const text = document.querySelector('.v21p-side .v21p-instr-text');
  return {side: side.width, gap: side.left - Math.max(...boxes.map(b => b.right)),
          narrowest: Math.min(...boxes.map(b => b.width)), px: parseFloat(getComputedStyle(text).fontSize),
          text: text.innerText.trim(), screen: innerWidth};
}"""


def projector_with(room: Room, server, title: str, wall: dict[str, list[str]]) -> Page:
    """The projector of a seminar of its own at the long-instructions wall, with these cards."""
    created = seminar_at(server, title, SHEET, open_up_to=ACTIVITY)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for kind, texts in wall.items():
            for text in texts:
                cards.add_card(db, created.seminar_id, kind=kind, text=text)
    finally:
        db.dispose()
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    expect(projector.locator(".v21p-card")).to_have_count(sum(len(texts) for texts in wall.values()))
    expect(projector.locator(".v21p-side .v21p-instr-text")).to_be_visible()
    connected(projector)
    return projector


def measured(projector: Page, size: dict, out: Path, name: str) -> dict:
    projector.set_viewport_size(size)
    settle(projector)
    shot(projector, out / "room-fit" / f"projector-side-{name}-{size['width']}x{size['height']}.png")
    return projector.evaluate(MEASURE)


STAKES = ["Garder une école dans chaque village", "Des bus à la demande entre les villages",
          "Un tiers-lieu numérique dans chaque bourg"]


THREATS = ["La fermeture des petites lignes de car", "Des bourgs qui se vident de leurs commerces"]


@pytest.mark.parametrize("name, wall", [("3-stakes", {"stake": STAKES}),
                                        ("2-kinds", {"stake": STAKES[:2], "threat": THREATS})])
def test_the_side_panel_takes_the_room_a_small_wall_leaves(
        room: Room, server, artifacts: Path, name: str, wall: dict[str, list[str]]) -> None:
    """Three stakes (one column) or two kinds (two): the instructions beside the wall are read
    whole, larger, and no blank is left between the wall and them."""
    projector = projector_with(room, server, f"Séminaire {name}", wall)
    instructions = find_run_sheet(SHEET).activities[ACTIVITY - 1].participant_instructions.strip()
    assert len(instructions) == 442
    text = projector.locator(".v21p-side .v21p-instr-text")
    for size in (PROJECTOR_SMALL, PROJECTOR):
        seen = measured(projector, size, artifacts, name)
        assert seen["side"] > 0.27 * size["width"] + 2, seen  # wider than the fixed 27vw panel
        assert 0 <= seen["gap"] < 48, seen  # no blank middle between the wall's last column and the panel
        assert seen["px"] >= 24, seen
        if name == "3-stakes":  # beside one column: read whole, in type larger than the panel ever had
            expect(text).to_have_text(instructions)
            expect(projector.get_by_text(NOTE)).to_be_hidden()
            assert seen["px"] >= 4 * size["height"] / 100, seen  # was 24 px, cut after its first sentence
        else:  # beside two columns: whole, or most of it (was its first sentence only at 1280x720)
            assert seen["text"] == instructions or len(seen["text"]) >= 0.66 * len(instructions), seen
        assert small_text(projector) == [], size
        assert cut_text(projector) == [], size


def test_the_side_panel_gives_the_room_back_as_cards_come(room: Room, server, artifacts: Path) -> None:
    """A threat, then a resource, sent beside three stakes: each new column takes its room back
    from the side panel, down to the 27vw it had, the columns keeping their width."""
    projector = projector_with(room, server, "Séminaire mur qui grandit", {"stake": STAKES})
    side = measured(projector, PROJECTOR_SMALL, artifacts, "growing-1")["side"]
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{projector.locator('.v21p-code').inner_text().strip()}")
    join(tablet, Person("Denise M.", "Habitant", "habitant", None, TABLET))
    for step, (kind, card) in enumerate((("Menace", THREATS[0]), ("Ressource", "Une gare au cœur du Ternois")), 2):
        tablet.get_by_role("button", name=kind, exact=True).click()
        tablet.get_by_label(f"Votre {kind.lower()}", exact=True).fill(card)
        tablet.get_by_role("button", name="Envoyer", exact=True).click()
        expect(projector.locator(".v21p-card", has_text=card)).to_be_visible()
        seen = measured(projector, PROJECTOR_SMALL, artifacts, f"growing-{step}")
        assert seen["side"] < side - 200, (step, seen, side)  # a column's room given back
        assert 0 <= seen["gap"] < 48 and seen["narrowest"] >= 275, (step, seen)
        side = seen["side"]
    assert abs(side - 0.27 * PROJECTOR_SMALL["width"]) < 2, side  # three columns: the panel as it was


def wall_of(count: int) -> dict[str, list[str]]:
    kinds = ("stake", "threat", "resource")
    return {kind: [f"Carte {n + 1} : une contribution de deux lignes environ sur le territoire"
                   for n in range(count) if n % len(kinds) == i] for i, kind in enumerate(kinds)}


@pytest.mark.parametrize("count", [6, 40])
def test_a_wall_of_three_kinds_keeps_its_columns(room: Room, server, artifacts: Path, count: int) -> None:
    """Three kinds (one column each) or forty cards: the wall keeps the width it had beside the
    27vw panel, no column narrower, and the side panel stays as it was."""
    projector = projector_with(room, server, f"Séminaire {count} cartes", wall_of(count))
    for size in (PROJECTOR_SMALL, PROJECTOR):
        seen = measured(projector, size, artifacts, f"{count}-cards")
        vw, vh = size["width"] / 100, size["height"] / 100
        column = (73 * vw - 9 * vh - 2 * 3 * vh) / 3  # three columns of the main area beside a 27vw panel
        assert abs(seen["side"] - 27 * vw) < 2, seen
        assert seen["narrowest"] >= column - 2, (seen, column)


def test_a_wall_of_one_column_per_kind_does_not_repeat_its_headings_in_a_key(room: Room, server,
                                                                               artifacts: Path) -> None:
    """Stakes, threats and resources each in a column under its coloured heading: no key under the
    wall saying « Enjeux · Menaces · Ressources » again. Forty cards flow from column to column, a
    kind's cards under another's heading: the key says the colours then."""
    key = ".v21p-pager-row > .v21p-legend"
    projector = projector_with(room, server, "Séminaire trois colonnes", wall_of(6))
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        settle(projector)
        expect(projector.locator(".v21p-group-title")).to_have_count(3)
        expect(projector.locator(".v21p-wall-cols.by-kind")).to_have_count(1)
        expect(projector.locator(key)).to_be_hidden()
        shot(projector, artifacts / "room-fit" / f"key-3-columns-{size['width']}x{size['height']}.png")
    projector = projector_with(room, server, "Séminaire quarante cartes", wall_of(40))
    settle(projector)
    expect(projector.locator(".v21p-wall-cols.by-kind")).to_have_count(0)
    expect(projector.locator(key)).to_be_visible()
