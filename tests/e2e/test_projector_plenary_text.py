"""A plenary step's instructions shown in large on the projector (the half-day's « Débriefing sur la
méthode »), in Chromium at 1280x720 and 1920x1080: a few lines stand in the middle of the room they
have, beside the join panel, not at its top over an empty screen that looked unfinished from the
back of the room. Screenshots in test-artifacts/plenary-text/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PROJECTOR, PROJECTOR_SMALL, Room, connected, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import rect, seminar_at
from workshop.db import Database
from workshop.services import activities

pytestmark = pytest.mark.e2e

DEBRIEF = "Débriefing sur la méthode"


def test_a_short_plenary_text_stands_in_the_middle_of_its_room(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire débriefing", "demi-journee-decouverte", open_up_to=0)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        debrief = next(a.id for a in activities.list_activities(db, created.seminar_id) if a.title == DEBRIEF)
        activities.open_activity(db, created.seminar_id, debrief)
    finally:
        db.dispose()
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    connected(projector)
    text = projector.locator(".v21p-bigtext")
    expect(text).to_contain_text("Qu'avez-vous pensé de cette découverte ?")
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        expect(projector.locator(".v21p-join")).to_be_visible()
        projector.wait_for_timeout(400)  # the text is fitted to its room again after the resize
        shot(projector, artifacts / "plenary-text" / f"debrief-{size['width']}x{size['height']}.png")
        room_box = rect(text)  # the room the text has: the main area's height, beside the join panel
        lines = text.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
                                        const b = r.getBoundingClientRect(); return {t: b.top, b: b.bottom}; }""")
        above, below = lines["t"] - room_box["t"], room_box["b"] - lines["b"]
        assert lines["b"] - lines["t"] < 0.6 * (room_box["b"] - room_box["t"]), (size, lines, room_box)  # a few lines
        assert abs(above - below) <= 0.1 * (room_box["b"] - room_box["t"]), (size, above, below)
