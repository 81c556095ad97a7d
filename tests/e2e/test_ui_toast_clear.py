"""A tablet's toast never hides a control the participant can use, in Chromium, on a small phone
(320x568), a tablet (768x1024), a phone (390x844) and a tablet held sideways (1024x768): « Trajectoire créée » leaves the step form's fields (its last
select, « Ressources et actions ») in sight, « Vote enregistré » leaves the « − »
and « + » of the card at the bottom of the screen in sight. Watched frame by frame for the whole
life of the toast; the toast stays readable (16 px text or more) and is announced (role="alert").

Seminars of their own (created in the server's database) keep the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/toast-clear/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, TABLET, Person, Room, add_dot, choose, dot_count, join, remove_dot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_room_fit import overlaps, rect, seminar_at
from tests.e2e.test_ui_vote_toast import near_the_bar, vote_row, voting_phone
from workshop.db import Database
from workshop.rehearsal.browser import ANIMATIONS_DONE, settle
from workshop.services import cards

pytestmark = pytest.mark.e2e

SMALL_PHONE = {"width": 320, "height": 568}
TABLET_WIDE = {"width": 1024, "height": 768}
SIZES = (SMALL_PHONE, TABLET, PHONE, TABLET_WIDE)
STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages", "Un tiers-lieu numérique dans chaque bourg",
          "Des circuits courts pour les cantines", "Préserver la ressource en eau"]
RESOURCES = ["Un réseau de maisons de santé", "Des associations de parents d'élèves très actives"]
LEVERS = "Ressources et actions"  # the step form's last select
TRAJECTORY_STEP = 17  # deux-jours: « Rétroplanning de l'horizon 2050 à aujourd'hui » (its year is the seminar's)

# Every frame while a toast is on the page, as painted (sampled just after the frame): which of the
# elements on screen that `selector` finds a shown toast covers. With `floorAtBar`, those under the
# vote's budget bar are out of sight and not counted. `watch(page)`: the controls (fields, buttons,
# toggles, the headers of folding sections).
WATCH = """({selector, floorAtBar}) => {
  window.__toastWatch = {frames: 0, covered: []};
  const box = e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const cross = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  const frame = () => {
    const notes = [...document.querySelectorAll('.q-notification')].filter(n => parseFloat(getComputedStyle(n).opacity) > 0.05);
    if (notes.length) {
      window.__toastWatch.frames += 1;
      const bar = floorAtBar && document.querySelector('.budget-bar');
      const floor = bar ? bar.getBoundingClientRect().top : innerHeight;
      for (const el of document.querySelectorAll(selector)) {
        const c = box(el);
        if (c.r - c.l < 1 || c.b - c.t < 1 || c.b <= 0 || c.t >= floor || c.r <= 0 || c.l >= innerWidth) continue;
        for (const note of notes) {
          const t = box(note);
          if (cross(t, c)) {
            window.__toastWatch.covered.push({text: note.innerText.slice(0, 60), toast: t, under: c,
              what: el.getAttribute('aria-label') || el.innerText.slice(0, 60) || el.className});
          }
        }
      }
    }
    if (!window.__toastWatch.stopped) requestAnimationFrame(() => setTimeout(frame));
  };
  frame();
}"""
STOP = "() => { window.__toastWatch.stopped = true; return window.__toastWatch; }"
CONTROLS = ".tablet-root .q-field, .tablet-root .q-btn, .tablet-root .q-toggle, .tablet-root .q-expansion-item .q-item"


def watch(page: Page, selector: str = CONTROLS, floor_at_bar: bool = True) -> None:
    """Start watching every frame for a toast over what ``selector`` finds (``stop`` says what it saw)."""
    page.evaluate(WATCH, {"selector": selector, "floorAtBar": floor_at_bar})


def stop(page: Page) -> dict:
    """Frames watched and what a toast covered in them, since ``watch``."""
    return page.evaluate(STOP)


# What a person reads in the toast, and what a screen reader is told.
LOOK = """note => ({px: parseFloat(getComputedStyle(note.querySelector('.q-notification__message')).fontSize),
  role: note.getAttribute('role') || (note.closest('[role=alert]') ? 'alert' : '')})"""


def watch_toast(page: Page, text: str, out: Path, name: str) -> dict:
    """The toast saying ``text`` (the tap that raises it has just been made): a picture once it is
    in, then the frames of its whole life."""
    note = page.locator(".q-notification", has_text=text).first
    expect(note).to_be_visible()
    page.evaluate(ANIMATIONS_DONE)
    page.screenshot(path=str(out / f"{name}.png"))
    resting, looks = rect(note), note.evaluate(LOOK)
    note.wait_for(state="detached")
    watched = stop(page)
    assert watched["frames"] > 10, watched  # watched through its life
    return {"resting": resting, "looks": looks, **watched}


def readable(seen: dict) -> None:
    assert seen["looks"]["px"] >= 16, seen["looks"]
    assert seen["looks"]["role"] == "alert", seen["looks"]


def test_trajectory_toast_leaves_the_step_form_in_sight(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "toast-clear"
    out.mkdir(parents=True, exist_ok=True)
    created = seminar_at(server, "Séminaire toast trajectoire", "deux-jours", open_up_to=TRAJECTORY_STEP)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        for stake in STAKES[:len(SIZES)]:
            cards.add_card(db, created.seminar_id, kind="stake", text=stake)
        for resource in RESOURCES:
            cards.add_card(db, created.seminar_id, kind="resource", text=resource)
    finally:
        db.dispose()
    for n, size in enumerate(SIZES):
        mobile = size["width"] < 500
        _, page = room.page(size, mobile=mobile)
        page.goto(f"{server.url}/join/{created.join_code}")
        join(page, Person(f"Chantal P{n}.", "Habitant", "habitant", None, size, mobile=mobile))
        expect(page.get_by_label("Enjeu ou défi visé", exact=True)).to_be_visible()
        choose(page, "Enjeu ou défi visé", f"Enjeu — {STAKES[n]}")
        page.get_by_label("Titre de la trajectoire", exact=True).fill(f"Des soins à moins de 20 minutes {n}")
        watch(page)
        page.get_by_role("button", name="Créer la trajectoire").click()
        expect(page.locator(".q-field", has_text=LEVERS)).to_be_visible()
        name = f"trajectory-created-{size['width']}x{size['height']}"
        seen = watch_toast(page, "Trajectoire créée", out, name)
        # the step form's selects on screen (the year's, the last one's, or both): the case at stake
        selects = [rect(page.locator(".q-field", has_text=label)) for label in ("Année", LEVERS)]
        on_screen = [box for box in selects if box["t"] < size["height"] and box["b"] > 0]
        assert on_screen, (size, selects)
        for box in on_screen:
            assert not overlaps(seen["resting"], box), (size, seen["resting"], box)
        assert not seen["covered"], (size, len(seen["covered"]), seen["frames"], seen["covered"][:3])
        readable(seen)


def test_vote_toast_leaves_the_bottom_card_buttons_in_sight(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "toast-clear"
    out.mkdir(parents=True, exist_ok=True)
    created, _, page = voting_phone(room, server, "Séminaire toast gommettes", STAKES, SMALL_PHONE)
    expect(page.locator(".budget-bar")).to_be_visible()
    for size, card in ((SMALL_PHONE, STAKES[-1]), (TABLET, STAKES[-2]), (PHONE, STAKES[-3]), (TABLET_WIDE, STAKES[-4])):
        page.set_viewport_size(size)
        settle(page)
        near_the_bar(page, card)  # the card's buttons just above the budget bar (as far as the page scrolls)
        page.locator(".q-notification").first.wait_for(state="detached")
        watch(page)
        add_dot(page, card)
        seen = watch_toast(page, "Vote enregistré", out, f"voted-{size['width']}x{size['height']}")
        bar = rect(page.locator(".budget-bar"))
        assert not overlaps(seen["resting"], bar), (size, seen["resting"], bar)
        for button in (vote_row(page, card).locator(".vote-minus"), vote_row(page, card).locator(".vote-plus")):
            box = rect(button)
            assert box["b"] <= bar["t"] and box["t"] >= 0, (size, box)  # on screen, above the bar
            assert not overlaps(seen["resting"], box), (size, button.get_attribute("aria-label"), seen["resting"], box)
        assert not seen["covered"], (size, len(seen["covered"]), seen["frames"], seen["covered"][:3])
        readable(seen)
        remove_dot(page, card)  # the budget bar keeps its one line of text at the next size
        expect(dot_count(page, card)).to_have_text("0")
