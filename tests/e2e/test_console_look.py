"""The console on a 1280x800 laptop, in Chromium: the six tabs side by side, the seminar's name read
whole in the header, the run sheet opened on the activity in hand (day 2 too), the merge bar inside
the middle column. Pictures at 1280x800 and 1440x900 land in test-artifacts/console-look/ for people
to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import DEMO_STAKE_4, Room, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import LAPTOP, SECRET, TAB_FIT, TABS, console_at
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.services import activities, seminars

pytestmark = pytest.mark.e2e

WIDE = {"width": 1440, "height": 900}


def both_sizes(console: Page, folder: Path, name: str) -> None:
    """Pictures at 1280x800, then 1440x900, back to 1280x800 after."""
    for size in (LAPTOP, WIDE):
        console.set_viewport_size(size)
        shot(console, folder / f"{name}-{size['width']}x{size['height']}.png")
    console.set_viewport_size(LAPTOP)


def test_the_six_tabs_fit_at_1280_without_scrolling(room: Room, server, artifacts: Path) -> None:
    console = console_at(room, server, server.seminar_id, server.secret)
    bar = console.locator(".q-tabs__content").first
    # no arrows to scroll with, and nothing of the bar hidden to the right
    expect(console.locator(".q-tabs__arrow--right")).to_be_hidden()
    assert bar.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), "the tab bar scrolls at 1280 px"
    for name in TABS:
        tab = console.get_by_role("tab", name=re.compile(f"^{name}"))
        fit = tab.evaluate(TAB_FIT)
        assert fit["inside"], f"tab « {name} » is not wholly in view at 1280 px"
        assert fit["whole"], f"tab « {name} »: label cut"
        assert fit["padLeft"] >= 6 and fit["padRight"] >= 6, (name, fit)
        size = tab.locator(".q-tab__label").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 14, f"tab « {name} »: {size} px text"
    # by keyboard (the tab pattern): Tab reaches the chosen tab, an arrow the next one, Enter opens it
    first = console.get_by_role("tab", name="Modération")
    expect(first).to_have_attribute("tabindex", "0")
    first.focus()
    console.keyboard.press("ArrowRight")
    history = console.get_by_role("tab", name="Historique")
    expect(history).to_be_focused()
    console.keyboard.press("Enter")
    expect(history).to_have_attribute("aria-selected", "true")
    both_sizes(console, artifacts / "console-look", "tab-historique")
    tables = console.get_by_role("tab", name="Tables")
    tables.click()
    expect(tables).to_have_attribute("aria-selected", "true")
    both_sizes(console, artifacts / "console-look", "tab-tables")
    first.click()
    expect(first).to_have_attribute("aria-selected", "true")


REHEARSAL_TITLE = "Répétition : Séminaire de prospective territoriale en un jour et demi"


def seminar_at_day(server, title: str, day: int = 1) -> int:
    """A seminar of one day and a half (the rehearsal's run sheet), played up to the first activity of
    ``day`` (open), or not started (``day`` 1)."""
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        created = seminars.create_seminar(
            db, title=title, territory="Amiens Métropole", horizon_year=2055,
            run_sheet=find_run_sheet("un-jour-et-demi"), kit=default_kit(), facilitator_secret=SECRET)
        sid = created.seminar_id
        while day > 1:
            activities.advance(db, sid)
            if activities.current_activity(db, sid).day == day:
                break
    finally:
        db.dispose()
    return sid


# the header's items: each wholly drawn (no « … », nothing cut), inside the window
HEADER_FIT = """(header) => {
  const items = [...header.querySelectorAll('[role="heading"], [role="status"], a, .q-toggle__label')];
  return items.filter(e => e.getBoundingClientRect().width > 0).map(e => {
    const box = e.getBoundingClientRect();
    return {text: e.textContent.trim(), whole: e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1,
            inside: box.left >= 0 && box.right <= window.innerWidth + 0.5 && box.top >= 0
                    && box.bottom <= header.getBoundingClientRect().bottom + 0.5};
  });
}"""


def test_the_seminars_name_reads_whole_in_the_header_at_1280(room: Room, server, artifacts: Path) -> None:
    sid = seminar_at_day(server, REHEARSAL_TITLE)
    console = console_at(room, server, sid, SECRET)
    title = console.get_by_role("heading", level=1)
    expect(title).to_have_text(REHEARSAL_TITLE)
    expect(title).to_have_attribute("title", REHEARSAL_TITLE)
    for size in (LAPTOP, WIDE):
        console.set_viewport_size(size)
        shot(console, artifacts / "console-look" / f"header-{size['width']}x{size['height']}.png")
        # the distinguishing end (« en un jour et demi ») is drawn, not cut off by « … »
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1"), (
            size, "the seminar's name is cut")
        lines = title.evaluate("e => Math.round(e.getBoundingClientRect().height / parseFloat("
                               "getComputedStyle(e).lineHeight))")
        assert lines <= 2, (size, lines)
        size_px = title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size_px >= 16, size_px
        for item in console.locator(".console-header").evaluate(HEADER_FIT):
            assert item["whole"] and item["inside"], (size, item)
        for name in ("Rapport de capitalisation", "Photos de la salle"):
            expect(console.get_by_role("link", name=name)).to_be_in_viewport(ratio=1)
        expect(console.get_by_role("button", name="Se déconnecter")).to_be_in_viewport(ratio=1)
    console.set_viewport_size(LAPTOP)


RUN_SHEET = '[role="region"][aria-label="Déroulé"]'  # the run sheet's column, which scrolls


def row_in_view(console: Page, title: str) -> bool:
    """Whether an activity's row is wholly drawn in the run sheet's column (not scrolled away)."""
    row = console.get_by_role("region", name="Déroulé").get_by_role("listitem").filter(
        has=console.get_by_role("button", name=title, exact=True))
    return row.evaluate("""(row) => {
      const col = row.closest('[role="region"]').getBoundingClientRect(), r = row.getBoundingClientRect();
      return r.top >= col.top - 0.5 && r.bottom <= col.bottom + 0.5;
    }""")


def test_on_day_2_the_run_sheet_opens_on_the_activity_in_hand(room: Room, server, artifacts: Path) -> None:
    sid = seminar_at_day(server, "Séminaire au matin du jour 2", day=2)
    console = console_at(room, server, sid, SECRET)
    current = console.get_by_text("en cours", exact=True)
    expect(current).to_be_visible()
    expect(console.get_by_text("Jour 2 · plénière", exact=False)).to_be_visible()
    first = "Ouverture de la matinée"
    expect(console.get_by_role("heading", name=first)).to_be_visible()
    console.wait_for_function(
        f"() => document.querySelector('{RUN_SHEET}').scrollTop > 0", timeout=10_000)
    assert row_in_view(console, first), "the open activity of day 2 is off-screen in the run sheet"
    shot(console, artifacts / "console-look" / "runsheet-day-2-1280x800.png")

    # the facilitator scrolls back to day 1: the column stays there while nothing changes
    column = console.locator(RUN_SHEET)
    column.evaluate("c => { c.scrollTop = 0; }")
    console.wait_for_timeout(1500)  # several of the console's redraw ticks
    assert column.evaluate("c => c.scrollTop") == 0, "the run sheet pulled the facilitator back"

    # the next activity opened: the column shows it again
    console.get_by_role("button", name=re.compile("^Activité suivante")).click()
    second = "Lecture et comparaison des scénarios"
    expect(console.get_by_role("heading", name=second)).to_be_visible()
    expect(console.get_by_text("en cours", exact=True)).to_be_visible()
    console.wait_for_function(
        f"() => document.querySelector('{RUN_SHEET}').scrollTop > 0", timeout=10_000)
    assert row_in_view(console, second)

    # the window gets shorter (the laptop plugged into a projector): the activity in hand stays in view
    console.set_viewport_size({"width": 1280, "height": 330})
    for _ in range(30):
        if row_in_view(console, second):
            break
        console.wait_for_timeout(100)
    assert row_in_view(console, second), "the activity in hand left the run sheet when the window shrank"


def test_the_merge_bar_fits_the_middle_column_at_1280(room: Room, server, artifacts: Path) -> None:
    console = console_at(room, server, server.seminar_id, server.secret)
    # two stakes (cards of different kinds do not merge: the bar would say so instead)
    stakes = console.locator(".console-card").filter(has=console.locator(".console-kind", has_text=re.compile("^enjeu$")))
    cards = stakes.get_by_role("checkbox", name=re.compile("^Sélectionner .* pour une fusion"))
    expect(cards.first).to_be_visible()
    console.get_by_role("checkbox", name=f"Sélectionner « {DEMO_STAKE_4} » pour une fusion").click()
    other = cards.filter(has_not=console.get_by_role("checkbox", name=re.compile(re.escape(DEMO_STAKE_4)))).first
    other.click()
    merge_bar = console.locator(".console-merge-bar")
    expect(merge_bar.get_by_text("2 cartes sélectionnées")).to_be_visible()
    # the long card is the one to keep, as a facilitator would choose it
    console.get_by_label("Carte à garder").click()
    console.get_by_role("option", name=DEMO_STAKE_4, exact=True).click()
    expect(console.get_by_role("option", name=DEMO_STAKE_4, exact=True)).to_be_hidden()
    bar = merge_bar.bounding_box()
    for name in ("Fusionner", "Tout désélectionner"):
        button = merge_bar.get_by_role("button", name=name)
        box = button.bounding_box()
        assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"], f"« {name} » cut"
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), f"« {name} »: label cut"
    # the chosen card's text stops before the menu's arrow, not under it
    keep = merge_bar.locator(".q-select")
    text = keep.locator(".q-field__native > span").evaluate("e => e.getBoundingClientRect().right")
    arrow = keep.locator(".q-select__dropdown-icon").evaluate("e => e.getBoundingClientRect().left")
    assert text <= arrow + 0.5, f"the card to keep runs under the arrow ({text} > {arrow})"
    shot(console, artifacts / "console-look" / "merge-bar-1280x800.png")
    console.set_viewport_size(WIDE)
    shot(console, artifacts / "console-look" / "merge-bar-1440x900.png")
    merge_bar.get_by_role("button", name="Tout désélectionner").click()
    expect(merge_bar).to_be_hidden()
