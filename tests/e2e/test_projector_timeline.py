"""The projected timeline of one trajectory, as Chromium draws it at 1280x720: the years under it
are not titled « Année » (that title was the chart's biggest text, by the bottom edge), and the
drawing is as tall as its row: the row is not set in the middle of an empty frame (the top and
bottom thirds were empty). Every text stays at the projector's size (24 px or more).
Screenshots land in test-artifacts/projector-timeline/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PROJECTOR_SMALL, Room, connected, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.rehearsal.browser import settle, small_text
from workshop.services import cards, screen, trajectories

pytestmark = pytest.mark.e2e

# The plot area's height, the rail's row and the years under it, in CSS px of the page.
GEOMETRY = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {t: r.top, b: r.bottom, h: r.height}; };
  const plot = document.querySelector('.v21p .js-plotly-plot');
  const area = plot.querySelector('.gridlayer .xgrid');  // a year's grid line: the plot area's height
  const ticks = [...plot.querySelectorAll('.xtick text')].map(box);
  const steps = [...plot.querySelectorAll('.scatterlayer .point')].map(box);
  return {area: box(area), ticksTop: Math.min(...ticks.map(t => t.t)),
          step: steps[0], titles: [...plot.querySelectorAll('.g-xtitle text, .xtitle')].map(t => t.textContent)};
}"""


def test_one_trajectory_fills_its_drawing_without_a_year_title(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire frise", "un-jour-et-demi", open_up_to=0)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        stake = cards.add_card(db, created.seminar_id, kind="stake", text="Accès aux soins de proximité").id
        trajectory = trajectories.create_trajectory(db, created.seminar_id, stake, "Des soins à moins de 20 minutes")
        trajectories.add_step(db, created.seminar_id, trajectory.id, year=2040, title="Une maison de santé par canton")
        screen.set_screen(db, created.seminar_id, view="trajectories")
    finally:
        db.dispose()
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    expect(projector.locator(".v21p .ytick text").first).to_be_visible()
    connected(projector)
    settle(projector)
    shot(projector, artifacts / "projector-timeline" / "one-trajectory-1280x720.png")
    expect(projector.locator(".v21p .js-plotly-plot")).not_to_contain_text("Année")
    geometry = projector.evaluate(GEOMETRY)
    assert geometry["titles"] == [], geometry
    area, step = geometry["area"], geometry["step"]
    # the row's plot area holds the row and its labels (two lines of step title above or below it,
    # « Aujourd'hui » on top), not empty thirds: it was about 377 px high, more than half the screen
    assert area["t"] < step["t"] < area["b"], geometry
    assert area["h"] < 0.46 * PROJECTOR_SMALL["height"], geometry
    # the years right under the row's area, as before
    assert 0 <= geometry["ticksTop"] - area["b"] < 30, geometry
    assert small_text(projector) == []
