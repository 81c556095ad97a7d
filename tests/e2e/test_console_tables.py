"""The console's « Tables » tab in Chromium, as a facilitator sees it on a laptop: six tables of
people with long names, each name read whole at 1280x800 and 1440x900 (pictures in
test-artifacts/console-tables/).
"""

from __future__ import annotations

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


def test_long_names_are_read_whole_in_the_tables_tab(room: Room, server, artifacts: Path) -> None:
    sid = six_tables(server)
    console = console_at(room, server, sid, SECRET)
    tab = console.get_by_role("tab", name="Tables")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = console.locator(".q-tab-panel")
    expect(panel.get_by_role("textbox", name="Nom de la table")).to_have_count(len(TABLES))
    for size in (LAPTOP, WIDE):
        console.set_viewport_size(size)
        shot(console, artifacts / "console-tables" / f"tables-{size['width']}x{size['height']}.png")
        for name in LONG_NAMES + SHORT_NAMES:
            label = panel.get_by_text(name, exact=True).filter(visible=True)
            expect(label).to_have_count(1)
            fit = label.evaluate(NAME_FIT)
            assert fit == {"whole": True, "inside": True, "clear": True}, (size, name, fit)
    console.set_viewport_size(LAPTOP)

