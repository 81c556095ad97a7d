"""The console says the page the projector shows, out of how many, in Chromium.

The projector's script counts the pages of a large wall (and of the synthesis, see
test_projector_synthesis.py) and tells the server when that count changes; the console then says
« Mur de cartes : page 1 sur 2 », no previous page on the first, no next on the last (greyed), and
no page control once hidden cards leave the wall one page. Screenshots in test-artifacts/pages/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_projector_synthesis import console_pages
from tests.e2e.test_room import PROJECTOR_SMALL, Room, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import SECRET, console_at, projector_at
from tests.e2e.test_ui_projector_side import ACTIVITY, SHEET, wall_of
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.services import cards

pytestmark = pytest.mark.e2e

WALL = "Mur de cartes"


def test_the_console_turns_the_walls_pages_knowing_how_many(room: Room, server, artifacts: Path) -> None:
    """Ten cards of three kinds beside the instructions: two pages at 1280x720 (eight hold on one).
    The console, open before the projector, learns the count when the projector opens; two cards
    hidden, one page is left and both screens say so."""
    created = seminar_at(server, "Séminaire mur en pages", SHEET, open_up_to=ACTIVITY)
    sid = created.seminar_id
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for kind, texts in wall_of(10).items():
            for text in texts:
                cards.add_card(db, sid, kind=kind, text=text)
    finally:
        db.dispose()
    console = console_at(room, server, sid, SECRET)
    expect(console.get_by_role("radio", name="Activité", exact=True)).to_be_visible()
    console_pages(console, 1, 1, WALL)  # no projector: nothing paged, no page control

    projector = projector_at(room, server, sid, PROJECTOR_SMALL)
    pager = projector.locator(".v21p-pager-row .v21p-pager")
    expect(projector.locator(".v21p-card")).to_have_count(10)
    expect(pager).to_have_text("Page 1 / 2")
    console_pages(console, 1, 2, WALL)
    console.get_by_role("button", name=re.compile(r"^Mur de cartes\s:\spage suivante$")).click()
    expect(pager).to_have_text("Page 2 / 2")
    console_pages(console, 2, 2, WALL)
    shot(console, artifacts / "pages" / "wall-console-p2.png")
    shot(projector, artifacts / "pages" / "wall-p2-1280x720.png")

    # two cards hidden from the console: eight hold on one page, on the projector as on the console
    for number in (10, 9):
        console.get_by_role("button", name=re.compile(rf"^Masquer la carte «\sCarte {number}\s:")).click()
    expect(projector.locator(".v21p-card")).to_have_count(8)
    expect(pager).to_be_hidden()
    console_pages(console, 1, 1, WALL)
    shot(console, artifacts / "pages" / "wall-console-one-page.png")
