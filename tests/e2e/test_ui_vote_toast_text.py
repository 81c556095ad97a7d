"""« Vote enregistré » on a phone (390x844) leaves the next card's title in sight: where it stands by
default (on the left, just above the budget bar) it covered the title of the card below the one
just tapped (seen in a rehearsal); it now stands a little higher, between the cards, still clear of
every button, and still near the bar. Watched frame by frame for its whole life.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. A screenshot lands in test-artifacts/vote-toast-text/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import Room, add_dot, dot_count
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_toast_clear import CONTROLS, stop, watch
from tests.e2e.test_ui_room_fit import rect
from tests.e2e.test_ui_vote_toast import vote_row, voting_phone
from workshop.rehearsal.browser import settle

pytestmark = pytest.mark.e2e

STAKES = ["Accès aux soins de proximité", "Préserver la ressource en eau",
          "Un bus à la demande dans les villages", "Garder une école municipale dans chaque bourg",
          "Des circuits courts pour les cantines", "Un tiers-lieu numérique dans chaque bourg"]


def test_the_vote_toast_leaves_the_next_cards_title_in_sight(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "vote-toast-text"
    out.mkdir(parents=True, exist_ok=True)
    _, _, page = voting_phone(room, server, "Séminaire titres", STAKES)
    expect(page.locator(".budget-bar")).to_be_visible()
    # The second card's title just above the bar, the first card's buttons above it (as in the rehearsal).
    vote_row(page, STAKES[3]).evaluate("""row => { const bar = document.querySelector('.budget-bar').getBoundingClientRect();
      window.scrollBy(0, row.querySelector('.card-text').getBoundingClientRect().top - (bar.top - 34)); }""")
    settle(page)
    title = rect(vote_row(page, STAKES[3]).locator(".card-text"))
    bar = rect(page.locator(".budget-bar"))
    assert bar["t"] - 60 < title["t"] < bar["t"], (title, bar)  # the case at stake: a title where the toast goes

    watch(page, CONTROLS + ", .tablet-root .card-text")
    add_dot(page, STAKES[2])
    expect(dot_count(page, STAKES[2])).to_have_text("1")
    note = page.locator(".q-notification", has_text="Vote enregistré")
    expect(note).to_be_visible()
    page.wait_for_timeout(600)  # the toast in: a picture of it
    page.screenshot(path=str(out / "voted-390x844.png"))
    resting = rect(note)
    note.wait_for(state="detached")
    seen = stop(page)
    assert seen["frames"] > 10, seen  # watched through its whole life
    assert not seen["covered"], seen["covered"][:3]
    height = resting["b"] - resting["t"]
    assert bar["t"] - resting["b"] <= 2 * height + 12, (resting, bar)  # still near the bar
