"""A toast steps off the cards' text once the page has scrolled under it, in Chromium, on a phone
(390x844) and a tablet (768x1024).

« Vote enregistré » comes in clear of the controls and of the cards' text (client.TOASTS_JS); the
participant then scrolls a little to read on, and the next card's title slides under it. The toast
used to stay there, over the text, for the rest of its life (its place clear of the cards' text was
looked for only when it came in). Now, once the page stands still again, it moves to a place near
where it stands by default that leaves the cards' text in sight, still clear of every control and
of the budget bar. It does not move while the page is still scrolling.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/toast-scroll/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PHONE, TABLET, Room, add_dot, dot_count
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_room_fit import overlaps, rect
from tests.e2e.test_ui_vote_toast import vote_row, voting_phone
from workshop.rehearsal.browser import settle

pytestmark = pytest.mark.e2e

STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages", "Un tiers-lieu numérique dans chaque bourg",
          "Des circuits courts pour les cantines", "Préserver la ressource en eau",
          "Un marché de producteurs chaque semaine", "Des logements pour les jeunes actifs"]
CONTROLS = ".tablet-root .q-field, .tablet-root .q-btn, .tablet-root .q-toggle, .tablet-root .keep-clear"

# The participant scrolls down a little, in four steps a frame apart, so that the title of the next
# card below the toast (under the budget bar, or further down) ends up a few pixels below the
# toast's top: under the toast. The boxes of the toast and of that title once there, and where the
# toast stood at each step (two frames after it).
SCROLL_UNDER = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const toast = document.querySelector('.q-notification').getBoundingClientRect();
  const title = [...document.querySelectorAll('.card-text')].find(e => e.getBoundingClientRect().top > toast.bottom);
  const step = (title.getBoundingClientRect().top - toast.top - 6) / 4;
  const tops = [];
  for (let i = 0; i < 4; i++) {
    window.scrollBy(0, step); await frame(); await frame();
    tops.push(Math.round(document.querySelector('.q-notification').getBoundingClientRect().top));
  }
  const box = e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  return {toast: box(document.querySelector('.q-notification')), title: box(title), tops, before: toast.top};
}"""
# A toast on the page, and no card's text on screen under it.
OFF_THE_TEXT = """() => {
  const note = document.querySelector('.q-notification');
  if (!note) return false;
  const t = note.getBoundingClientRect();
  return [...document.querySelectorAll('.card-text')].every(e => {
    const c = e.getBoundingClientRect();
    return !(t.left < c.right && c.left < t.right && t.top < c.bottom && c.top < t.bottom);
  });
}"""


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_vote_toast_steps_off_the_text_scrolled_under_it(room: Room, server, artifacts: Path, size: dict) -> None:
    out = artifacts / "toast-scroll"
    out.mkdir(parents=True, exist_ok=True)
    name = f"{size['width']}x{size['height']}"
    _, _, page = voting_phone(room, server, f"Séminaire toast défilement {name}", STAKES, size)
    expect(page.locator(".budget-bar")).to_be_visible()
    card = STAKES[1]
    vote_row(page, card).evaluate("row => row.scrollIntoView({block: 'center'})")  # where the participant votes
    settle(page)
    add_dot(page, card)
    expect(dot_count(page, card)).to_have_text("1")
    note = page.locator(".q-notification", has_text="Vote enregistré")
    expect(note).to_be_visible()
    page.wait_for_timeout(200)  # in, at its place
    assert page.evaluate(OFF_THE_TEXT), "the toast came in over the cards' text: not the case at stake"

    moved = page.evaluate(SCROLL_UNDER)
    assert overlaps(moved["toast"], moved["title"]), moved  # the case at stake: the next title under the toast
    # It stood still while the page moved (within 2 px: the last of its entrance's scale).
    assert all(abs(top - moved["before"]) <= 2 for top in moved["tops"]), moved
    page.wait_for_timeout(250)  # the page at rest
    page.screenshot(path=str(out / f"scrolled-{name}.png"))
    page.wait_for_function(OFF_THE_TEXT, timeout=1000)  # fails when the toast stays over the text
    resting = rect(note)
    bar = rect(page.locator(".budget-bar"))
    assert not overlaps(resting, bar), (resting, bar)
    for control in page.locator(CONTROLS).all():
        if control.is_visible():
            assert not overlaps(resting, rect(control)), (resting, control.get_attribute("aria-label"))
    height = resting["b"] - resting["t"]
    assert bar["t"] - resting["b"] <= 2 * height + 12, (resting, bar)  # still near the bar, where it stands
