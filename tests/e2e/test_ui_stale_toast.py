"""A toast about an activity goes when the tablet shows the next one: a participant who tapped
« + » once too often in the dot vote does not keep reading « Vous avez placé toutes vos
gommettes… » over the activity the facilitator opened next (seen in a rehearsal, over the
synthesis); a toast raised after the change still shows.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/stale-toast/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import TABLET, Person, Room, add_dot, budget, dot_count, join
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import console_at
from tests.e2e.test_ui_room_fit import SECRET, seminar_at
from workshop.db import Database
from workshop.services import activities, cards

pytestmark = pytest.mark.e2e

STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages"]


def test_the_refusal_of_a_closed_vote_goes_when_the_next_activity_opens(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "stale-toast"
    out.mkdir(parents=True, exist_ok=True)
    created = seminar_at(server, "Séminaire toast périmé", "demi-journee-decouverte", open_up_to=3)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for stake in STAKES:
            cards.add_card(db, created.seminar_id, kind="stake", text=stake)
        for _ in range(2):  # on to the dot vote on the stakes (3 dots, 2 at most on a card)
            activities.advance(db, created.seminar_id)
    finally:
        db.dispose()
    console = console_at(room, server, created.seminar_id, SECRET)
    _, tablet = room.page(TABLET)
    tablet.goto(f"{server.url}/join/{created.join_code}")
    join(tablet, Person("Amandine R.", "Élu", "élu", None, TABLET))

    # The budget spent, one more « + »: the red refusal.
    for stake, count in ((STAKES[0], "1"), (STAKES[0], "2"), (STAKES[1], "1")):
        add_dot(tablet, stake)
        expect(dot_count(tablet, stake)).to_have_text(count)
        tablet.wait_for_timeout(450)  # taps, not a double tap
    expect(budget(tablet)).to_contain_text("Toutes vos gommettes sont placées")
    add_dot(tablet, STAKES[2])
    refusal = tablet.locator(".q-notification", has_text="toutes vos gommettes")
    expect(refusal).to_be_visible()
    tablet.screenshot(path=str(out / "refused-768x1024.png"))

    # The facilitator moves on: the tablet shows the next activity and, within a second, no more
    # refusal (it would otherwise stay its six seconds over an activity with nothing to vote).
    next_button = console.get_by_role("button", name=re.compile("^Activité suivante"))
    title = next_button.inner_text().split(":", 1)[1].strip()
    next_button.click()
    expect(tablet.locator(".tablet-panel").get_by_text(title, exact=True).first).to_be_visible(timeout=5000)
    expect(refusal).to_be_hidden(timeout=1000)
    tablet.screenshot(path=str(out / "next-activity-768x1024.png"))

    # A toast raised after the change stays its time.
    tablet.evaluate("() => Quasar.Notify.create({message: 'Après le changement', position: 'top'})")
    expect(tablet.locator(".q-notification", has_text="Après le changement")).to_be_visible()
    tablet.wait_for_timeout(1000)
    expect(tablet.locator(".q-notification", has_text="Après le changement")).to_be_visible()
