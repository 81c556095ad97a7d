"""A tablet's toast never hides who the participant is, in Chromium, on a tablet (768x1024), a phone
(390x844) and a tablet held sideways (1024x768): in the dot vote, the red refusal « Vous avez placé
toutes vos gommettes… » (one « + » too many) leaves the line at the top of the page (the seminar's
title and « name · college ») in sight, and the vote too (every card's text, « − », count and « + »,
the budget bar), for the whole life of the toast; a toast raised at the top of the page steps
below that line. Seen on a tablet at 768x1024, where the refusal stood at the top, over the name.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/toast-name-line/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, TABLET, Room, add_dot, budget, dot_count
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_room_fit import overlaps, rect
from tests.e2e.test_ui_toast_clear import stop, watch
from tests.e2e.test_ui_vote_toast import voting_phone
from workshop.rehearsal.browser import ANIMATIONS_DONE, settle

pytestmark = pytest.mark.e2e

TABLET_WIDE = {"width": 1024, "height": 768}
STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages"]
REFUSAL = "toutes vos gommettes"

# What no toast may cover, frame by frame (test_ui_toast_clear.watch): the name line (seminar title and
# identity), the vote's buttons, dot counts and cards' text, and the budget bar.
SEEN = (".tablet-root :has(> .identity), .vote-row .q-btn, .vote-row .vote-count, .vote-row .vote-text, "
        ".budget-bar")


def name_line(page: Page) -> dict:
    """The box of the seminar's title and the participant's name together."""
    expect(page.locator(".tablet-root .identity")).to_contain_text("Chantal P.")
    return rect(page.locator(".tablet-root :has(> .identity)"))


def controls(page: Page) -> list[tuple[str, dict]]:
    found = [(f"{card} {sign}", rect(page.locator(".vote-row", has=page.get_by_text(card, exact=True)).locator(sign)))
             for card in STAKES for sign in (".vote-text", ".vote-minus", ".vote-count", ".vote-plus")]
    return found + [("budget bar", rect(page.locator(".budget-bar")))]


def test_a_refusal_in_the_dot_vote_leaves_the_name_line_and_the_controls_in_sight(room: Room, server,
                                                                                  artifacts: Path) -> None:
    out = artifacts / "toast-name-line"
    out.mkdir(parents=True, exist_ok=True)
    _, _, page = voting_phone(room, server, "Séminaire toast nom", STAKES)
    for stake in STAKES:  # the budget spent: one dot on each card (3 dots)
        add_dot(page, stake)
        expect(dot_count(page, stake)).to_have_text("1")
    expect(budget(page)).to_contain_text("Toutes vos gommettes sont placées")
    page.evaluate("() => window.v21dropToasts()")  # the « Vote enregistré » toasts: not the case at stake

    for n, size in enumerate((TABLET, PHONE, TABLET_WIDE)):
        page.set_viewport_size(size)
        page.evaluate("() => window.scrollTo(0, 0)")  # the top of the page: the name line in sight
        settle(page)
        watch(page, SEEN, floor_at_bar=False)
        add_dot(page, STAKES[n])  # one « + » too many: the red refusal
        note = page.locator(".q-notification", has_text=REFUSAL).first
        expect(note).to_be_visible()
        page.evaluate(ANIMATIONS_DONE)
        page.screenshot(path=str(out / f"refused-{size['width']}x{size['height']}.png"))
        toast, line = rect(note), name_line(page)
        assert line["t"] >= 0, (size, line)  # the name line on screen: the case at stake
        assert not overlaps(toast, line), (size, "name line", toast, line)
        for what, box in controls(page):
            if box["b"] > 0 and box["t"] < size["height"]:
                assert not overlaps(toast, box), (size, what, toast, box)
        page.evaluate("() => window.v21dropToasts()")
        expect(note).to_be_hidden()
        watched = stop(page)
        assert watched["frames"] > 5, watched  # watched while it was shown
        assert not watched["covered"], (size, len(watched["covered"]), watched["covered"][:3])
        expect(dot_count(page, STAKES[n])).to_have_text("1")  # refused: nothing placed

    # A toast raised at the top of the page (whatever raises one there) steps below the name line.
    for size in (TABLET, PHONE):
        page.set_viewport_size(size)
        page.evaluate("() => window.scrollTo(0, 0)")
        settle(page)
        page.evaluate("() => Quasar.Notify.create({message: 'En haut de la page', position: 'top', timeout: 0})")
        note = page.locator(".q-notification", has_text="En haut de la page").first
        expect(note).to_be_visible()
        page.evaluate(ANIMATIONS_DONE)
        page.evaluate(ANIMATIONS_DONE)  # and its move clear of the name line (at once, next frame)
        page.screenshot(path=str(out / f"top-toast-{size['width']}x{size['height']}.png"))
        toast, line = rect(note), name_line(page)
        assert not overlaps(toast, line), (size, "name line", toast, line)
        page.evaluate("() => window.v21dropToasts()")
        expect(note).to_be_hidden()
