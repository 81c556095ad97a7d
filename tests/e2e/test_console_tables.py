"""The console's « Tables » tab and its tabs, in Chromium, as a facilitator sees them on a laptop:
six tables of people with long names, each name read whole at 1280x800 and 1440x900, in the tab and
in the Participants list (pictures in
test-artifacts/console-tables/), and, on a slow link, a tab and its panel changing together at the
click instead of the panel a round trip after the tab.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import Room, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import LAPTOP, SECRET, console_at
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.models import College
from workshop.services import participants, seminars

pytestmark = pytest.mark.e2e

WIDE = {"width": 1440, "height": 900}
TABLES = ["Table Somme", "Table Hortillonnages", "Table Citadelle", "Table Beffroi", "Table Saint-Leu",
          "Table Quartier Nord"]
LONG_NAMES = ["Marie-Christine Vandenberghe", "Jean-Baptiste Delacroix-Lemaire", "Amandine R. 🌾",
              "Bérangère Lefebvre-Dumont", "Dr Pierre-Emmanuel Duvivier", "Marie-Thérèse Desmarescaux"]
SHORT_NAMES = ["Léa F.", "Chloé N.", "Thomas J.", "Aïcha S.", "Sophie L.", "Karim T."]

# outgoing socket messages held back by window.slowLink milliseconds (0: none), in the order sent
SLOW_LINK_JS = """(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) {
    if (!window.slowLink) { return send.apply(this, args); }
    setTimeout(() => send.apply(this, args), window.slowLink);
  };
})()"""
SLOW_MS = 4000
AT_ONCE_MS = 2000  # well under the round trip: what the facilitator sees while the server has not answered


def six_tables(server) -> int:
    """A seminar with six tables of two people each, one of them with a long name."""
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        created = seminars.create_seminar(
            db, title="Séminaire à six tables", territory="Amiens Métropole", horizon_year=2055,
            run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), group_names=TABLES,
            facilitator_secret=SECRET)
        groups = seminars.get_seminar_by_id(db, created.seminar_id).groups
        colleges = list(College)
        for i, name in enumerate(LONG_NAMES + SHORT_NAMES):
            participants.join(db, created.join_code, display_name=name, college=colleges[i % len(colleges)],
                              group_id=groups[i % len(groups)].id)
    finally:
        db.dispose()
    return created.seminar_id


# a name's label: wholly drawn (nothing cut, no « … »), inside its table's box, not under its select
NAME_FIT = """(label) => {
  const box = label.getBoundingClientRect();
  const table = label.closest('.console-panel').getBoundingClientRect();
  const row = label.closest('.console-member') || label.parentElement;
  const select = row.querySelector('.q-select');
  const s = select ? select.getBoundingClientRect() : null;
  return {whole: label.scrollWidth <= label.clientWidth + 1,
          inside: box.left >= table.left - 0.5 && box.right <= table.right + 0.5,
          clear: s === null || box.right <= s.left + 0.5 || box.bottom <= s.top + 0.5 || s.bottom <= box.top + 0.5};
}"""


def tables_tab(room: Room, server):
    """A console at the Tables tab of the six tables' seminar: (the console, the tab's panel)."""
    sid = six_tables(server)
    console = console_at(room, server, sid, SECRET)
    tab = console.get_by_role("tab", name="Tables")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = console.locator(".q-tab-panel")
    expect(panel.get_by_role("textbox", name="Nom de la table")).to_have_count(len(TABLES))
    return console, panel


def test_long_names_are_read_whole_in_the_tables_tab(room: Room, server, artifacts: Path) -> None:
    console, panel = tables_tab(room, server)
    for size in (LAPTOP, WIDE):
        console.set_viewport_size(size)
        shot(console, artifacts / "console-tables" / f"tables-{size['width']}x{size['height']}.png")
        for name in LONG_NAMES + SHORT_NAMES:
            label = panel.get_by_text(name, exact=True).filter(visible=True)
            expect(label).to_have_count(1)
            fit = label.evaluate(NAME_FIT)
            assert fit == {"whole": True, "inside": True, "clear": True}, (size, name, fit)
            # and in the Participants list of the right-hand column, whole too (on two lines if need be)
            listed = console.get_by_role("listitem").get_by_text(name, exact=True)
            expect(listed).to_have_count(1)
            assert listed.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (size, name, "cut in the list")
    console.set_viewport_size(LAPTOP)


# a person's row in a table: the name and its « Déplacer » on one line (their boxes side by side)
ONE_LINE = """(label) => {
  const row = label.closest('.console-member');
  const name = label.getBoundingClientRect();
  const move = row.querySelector('.q-select').getBoundingClientRect();
  return {side_by_side: move.left >= name.right - 0.5 && move.top < name.bottom && name.top < move.bottom,
          row_height: Math.round(row.getBoundingClientRect().height), move: row.querySelector('.q-select .q-field__native').innerText.trim()};
}"""


def test_each_person_is_offered_the_other_tables_on_one_line(room: Room, server, artifacts: Path) -> None:
    """At 1280x800, « Amandine R. 🌾 » (and the other short names) and « Déplacer » on one line; its
    list offers « Sans table » and the five other tables, not the one the person is under (the select
    showed that table's name again, and went under the name at 1280 px)."""
    console, panel = tables_tab(room, server)
    shot(console, artifacts / "console-tables" / "move-1280x800.png")
    for name in ["Amandine R. 🌾"] + SHORT_NAMES:
        label = panel.get_by_text(name, exact=True).filter(visible=True)
        fit = label.evaluate(ONE_LINE)
        assert fit["side_by_side"] and fit["move"] == "Déplacer", (name, fit)
    # Amandine R. sits at the third table (« Table Citadelle »): her list names the others only
    move = console.get_by_role("combobox", name="Déplacer Amandine R. 🌾 vers une autre table")
    move.click()
    options = console.get_by_role("option")
    expect(options).to_have_count(len(TABLES))
    offered = [o.strip() for o in options.all_inner_texts()]
    assert offered == ["Sans table"] + [t for t in TABLES if t != "Table Citadelle"], offered
    console.keyboard.press("Escape")


def test_a_tab_and_its_panel_change_together_on_a_slow_link(room: Room, server) -> None:
    console = console_at(room, server, server.seminar_id, server.secret, init_script=SLOW_LINK_JS)
    moderation = console.get_by_role("tab", name="Modération")
    expect(moderation).to_have_attribute("aria-selected", "true")
    console.evaluate(f"window.slowLink = {SLOW_MS}")

    history = console.get_by_role("tab", name="Historique")
    history.click()
    # the new tab chosen and its panel shown, both before the server has heard of the click
    expect(history).to_have_attribute("aria-selected", "true", timeout=AT_ONCE_MS)
    expect(moderation).to_have_attribute("aria-selected", "false", timeout=AT_ONCE_MS)
    expect(console.get_by_role("heading", name="Historique de la modération")).to_be_visible(timeout=AT_ONCE_MS)
    expect(console.get_by_role("heading", name="Doublons probables")).to_be_hidden(timeout=AT_ONCE_MS)

    # the graph is computed by the server once shown: its panel says so at once, the figures follow
    graph = console.get_by_role("tab", name="Graphe")
    graph.click()
    expect(graph).to_have_attribute("aria-selected", "true", timeout=AT_ONCE_MS)
    expect(console.get_by_role("status").filter(has_text="Calcul en cours")).to_be_visible(timeout=AT_ONCE_MS)

    # two clicks in a row: the server's answer to the first does not bring its tab (or panel) back
    tables = console.get_by_role("tab", name="Tables")
    lessons = console.get_by_role("tab", name="Enseignements")
    tables.click()
    lessons.click()
    expect(lessons).to_have_attribute("aria-selected", "true", timeout=AT_ONCE_MS)
    expect(console.get_by_role("heading", name="Enseignements sur la méthode")).to_be_visible(timeout=AT_ONCE_MS)
    console.wait_for_timeout(SLOW_MS + 1500)  # the answers to both clicks are in: not an assertion
    expect(lessons).to_have_attribute("aria-selected", "true")
    expect(tables).to_have_attribute("aria-selected", "false")
    expect(console.get_by_role("heading", name="Enseignements sur la méthode")).to_be_visible()
    expect(console.get_by_role("heading", name="Tables", exact=True)).to_be_hidden()

    # the server knows the tab in hand: back on the graph, at full speed, the figures come
    console.evaluate("window.slowLink = 0")
    graph.click()
    expect(graph).to_have_attribute("aria-selected", "true")
    expect(console.get_by_text(re.compile(r"^Cartes\s?:\s\d+ · liens acceptés\s?:\s\d+"))).to_be_visible()
