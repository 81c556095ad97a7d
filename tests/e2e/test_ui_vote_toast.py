"""The « Vote enregistré » toast of a tablet's dot vote, in Chromium: from the moment it starts to
appear until it is gone it covers neither the budget bar (« Il vous reste … gommettes » and its
dots) nor the buttons of the card just tapped, on a phone (390 and 360 px) and on a tablet either
way up; it stands just above the bar unless a control is there; it carries no red repeat count; it
takes no taps (the browser finds what lies under its centre, not the toast).

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/vote-toast/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, TABLET, Person, Room, add_dot, dot_count, join, remove_dot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_room_fit import overlaps, rect, seminar_at
from workshop.db import Database
from workshop.rehearsal.browser import ANIMATIONS_DONE, settle
from workshop.services import activities, cards, seminars

pytestmark = pytest.mark.e2e

TABLET_WIDE = {"width": 1024, "height": 768}
SMALL_PHONE = {"width": 360, "height": 780}
# What a toast steps around (client.TOASTS_JS): fields, buttons, folding sections' headers.
CONTROLS = ".tablet-root .q-field, .tablet-root .q-btn, .tablet-root .q-item--clickable"
STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages", "Un tiers-lieu numérique dans chaque bourg",
          "Des circuits courts pour les cantines", "Préserver la ressource en eau"]

# Every frame, while a toast is on the page: its box and opacity, and the budget bar's box.
WATCH = """() => {
  window.__toastFrames = [];
  const box = e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const frame = () => {
    const bar = document.querySelector('.budget-bar');
    for (const note of document.querySelectorAll('.q-notification')) {
      window.__toastFrames.push({toast: box(note), opacity: parseFloat(getComputedStyle(note).opacity),
                                 bar: box(bar), text: note.innerText,
                                 shift: parseFloat(note.parentElement.style.getPropertyValue('--v21-shift')) || 0});
    }
    window.__toastWatch = requestAnimationFrame(frame);
  };
  frame();
}"""
STOP = "() => { cancelAnimationFrame(window.__toastWatch); return window.__toastFrames; }"


def dot_vote_at(server, title: str, stakes: list[str]) -> seminars.CreatedSeminar:
    """A seminar of its own at the dot vote on ``stakes`` (written in the contribution round):
    3 dots, 2 at most on a card."""
    created = seminar_at(server, title, "demi-journee-decouverte", open_up_to=3)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for stake in stakes:
            cards.add_card(db, created.seminar_id, kind="stake", text=stake)
        for _ in range(2):  # on to the dot vote on the stakes
            activities.advance(db, created.seminar_id)
    finally:
        db.dispose()
    return created


def voting_phone(room: Room, server, title: str, stakes: list[str], size: dict = PHONE):
    """Chantal P., a resident, joined on a phone (or a tablet of ``size``) to a seminar of its own at
    the dot vote on ``stakes`` (``dot_vote_at``): (the seminar, the browser context, the page)."""
    created = dot_vote_at(server, title, stakes)
    context, page = room.page(size, mobile=True)
    page.goto(f"{server.url}/join/{created.join_code}")
    join(page, Person("Chantal P.", "Habitant", "habitant", None, size, mobile=True))
    return created, context, page


def vote_row(page: Page, card: str):
    return page.locator(".vote-row", has=page.get_by_text(card, exact=True))


def near_the_bar(page: Page, card: str) -> None:
    """Scroll (as far as the page goes) so that the card's buttons sit just above the budget bar,
    as when a participant votes on the cards lower down the list."""
    vote_row(page, card).evaluate("""row => { const bar = document.querySelector('.budget-bar').getBoundingClientRect();
      window.scrollBy(0, row.querySelector('.vote-plus').getBoundingClientRect().bottom - bar.top + 6); }""")
    settle(page)


def one_toast_life(page: Page, card: str, out: Path, name: str) -> list[dict]:
    """Tap « + » on ``card``; the frames of the toast that says so, from its first one to its last.
    Two pictures: a third of a second after the tap (the toast coming in), and once it is in."""
    page.locator(".q-notification").first.wait_for(state="detached")
    page.evaluate(WATCH)
    add_dot(page, card)
    note = page.locator(".q-notification", has_text="Vote enregistré")
    note.wait_for(state="attached")
    out.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}-coming.png"))
    page.wait_for_timeout(800)
    page.screenshot(path=str(out / f"{name}-in.png"))
    note.wait_for(state="detached")
    frames = [f for f in page.evaluate(STOP) if "Vote enregistré" in f["text"]]
    assert len(frames) > 10, frames  # watched through its whole life
    return frames


def test_vote_toast_covers_neither_the_budget_bar_nor_the_card_tapped(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "vote-toast"
    created, _, page = voting_phone(room, server, "Séminaire gommettes", STAKES)  # enough cards for a phone to scroll
    expect(page.locator(".budget-bar")).to_be_visible()

    # 1. « + » on the card just above the bar: the toast, all its life, is off the bar and off the
    # card's −, count and +; once in, it sits just above the bar.
    for size, card in ((PHONE, STAKES[-1]), (TABLET, STAKES[-2]), (TABLET_WIDE, STAKES[-3])):
        page.set_viewport_size(size)
        settle(page)
        near_the_bar(page, card)
        frames = one_toast_life(page, card, out, f"voted-{size['width']}x{size['height']}")
        seen = [f for f in frames if f["opacity"] > 0]
        on_bar = [f for f in seen if overlaps(f["toast"], f["bar"])]
        assert not on_bar, (size, on_bar[0], f"on the bar in {len(on_bar)} of {len(seen)} frames")
        for button in vote_row(page, card).locator(".q-btn, .dot-count").all():
            box = rect(button)
            on_card = [f for f in seen if overlaps(f["toast"], box)]
            assert not on_card, (size, button.get_attribute("aria-label"), box, on_card[-1]["toast"],
                                 f"over it in {len(on_card)} of {len(seen)} frames")
        resting = max(seen, key=lambda f: f["opacity"])
        if resting["shift"]:  # moved up: just above the bar it would cover a control, or a card's text it
            # could leave in sight (client.TOASTS_JS: a toast coming in steps off the cards' text, READ)
            home = {**resting["toast"], "t": resting["toast"]["t"] - resting["shift"],
                    "b": resting["toast"]["b"] - resting["shift"]}
            taken = [rect(c) for c in page.locator(f"{CONTROLS}, .tablet-root .card-text").all() if c.is_visible()]
            assert any(overlaps(home, c) for c in taken), (size, resting)
            home_gap = resting["bar"]["t"] - home["b"]
        else:
            home_gap = resting["bar"]["t"] - resting["toast"]["b"]
        assert 0 <= home_gap <= 24, resting  # its place: just above the bar

    # 2. Two taps in a row (« − » on two cards): one toast, its time starts again, and no red « 2 »
    # (Quasar's count of a repeated toast, which read as an error or as dots).
    page.set_viewport_size(SMALL_PHONE)
    settle(page)
    near_the_bar(page, STAKES[-1])
    remove_dot(page, STAKES[-3])
    page.wait_for_timeout(450)  # two taps, not a double tap
    remove_dot(page, STAKES[-2])
    expect(dot_count(page, STAKES[-2])).to_have_text("0")
    page.evaluate(ANIMATIONS_DONE)
    note = page.locator(".q-notification", has_text="Vote enregistré")
    expect(note).to_have_count(1)
    assert not re.search(r"\d", note.inner_text()), note.inner_text()
    expect(page.locator(".q-notification__badge")).to_be_hidden()
    page.screenshot(path=str(out / "two-taps-360x780.png"))

    # 3. On a small phone (360 px) the toast leaves the last card's « − » and « + » in sight (it used
    # to lie over a strip of « − »), and has nothing to tap: a finger on what lies under it reaches that.
    toast_box = rect(note)
    for button in (vote_row(page, STAKES[-1]).locator(".vote-minus"), vote_row(page, STAKES[-1]).locator(".vote-plus")):
        assert not overlaps(toast_box, rect(button)), (toast_box, rect(button))
    centre = [(toast_box["l"] + toast_box["r"]) / 2, (toast_box["t"] + toast_box["b"]) / 2]
    assert not page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.q-notification')", centre)
    remove_dot(page, STAKES[-1])
    expect(dot_count(page, STAKES[-1])).to_have_text("0")
