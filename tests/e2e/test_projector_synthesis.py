"""The projector's synthesis (``screen: synthesis``) in Chromium: « L'essentiel » as large as it fits,
never below 24 px at 1280x720; the sentences that do not fit are left out whole, and a line says how
many and where to read them. Screenshots in test-artifacts/synthesis/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PROJECTOR, PROJECTOR_SMALL, Room, log_in, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.demo import DEMO_SECRET, build_demo
from workshop.reports.document import full_stops
from workshop.reports.essential import chapter_numbers, essential_sentences
from workshop.reports.layout import seminar_document
from workshop.reports.model import build_report
from workshop.services import activities, publication

pytestmark = pytest.mark.e2e

MIN_PX = 24  # at 1280x720: read from the back of the room

MEASURE = """() => {
  const list = document.querySelector('.v21p-synth-list');
  const box = list.getBoundingClientRect();
  const items = [...list.children].map(li => {
    const r = li.getBoundingClientRect(), s = getComputedStyle(li);
    return {text: li.textContent, shown: s.display !== 'none', px: parseFloat(s.fontSize),
            top: r.top, bottom: r.bottom, left: r.left, right: r.right};
  });
  const note = document.querySelector('.v21p-synth-left');
  const n = note.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right, items,
          note: note.hidden ? null : note.textContent, note_bottom: n.bottom, note_px: parseFloat(getComputedStyle(note).fontSize)};
}"""


def database(server) -> Database:
    return Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")


def at_the_synthesis(server) -> tuple[int, list[str]]:
    """Another demo seminar (two days, votes, ratings, a map, a trajectory), its synthesis open;
    its sentences as the report writes them, but those on the seminar's progress (left to the
    results page and the report)."""
    db = database(server)
    try:
        demo = build_demo(db)
        sid = demo.seminar_id
        synthesis = next(a for a in activities.list_activities(db, sid) if a.screen == "synthesis")
        activities.open_activity(db, sid, synthesis.id)
        report = build_report(db, sid)
        sentences = essential_sentences(report, chapter_numbers(seminar_document(report, [], {}).sections))
    finally:
        db.dispose()
    return sid, [full_stops(s.text) for s in sentences if s.key not in ("interim", "next")]


REHEARSAL = [  # « L'essentiel » of the half-day rehearsal at its synthesis (3 people, 4 dots)
    "3 participants de 3 collèges ont travaillé le 3 décembre 2026 sur l'avenir de leur territoire, Amiens "
    "Métropole, à l'horizon 2055.",
    "Rapport intermédiaire : 5 activités jouées sur 7.",
    "Les enjeux mis en tête par les votes : « Accès aux soins de proximité » (2 gommettes), « Une alimentation "
    "locale pour tous » (1 gommette) et « Des mobilités sans voiture individuelle » (1 gommette).",
    "« Accès aux soins de proximité » doit d'abord ses gommettes aux élus et aux acteurs économiques (1 chacun "
    "sur 2), « Une alimentation locale pour tous » aux élus (1 sur 1) et « Des mobilités sans voiture "
    "individuelle » aux élus (1 sur 1).",
    "Et ensuite : 2 activités restent à jouer, à commencer par « Synthèse et suites possibles ».",
]


def rewrite(server, sid: int, paragraphs: list[str]) -> None:
    """Staff's text for « L'essentiel », as the report page keeps it."""
    db = database(server)
    try:
        publication.set_report_text(db, sid, "essential", "\n\n".join(paragraphs))
    finally:
        db.dispose()


def projector_of_demo(room: Room, server, sid: int) -> Page:
    _, projector = room.page(PROJECTOR_SMALL)
    projector.goto(f"{server.url}/screen/{sid}")
    log_in(projector, DEMO_SECRET)
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    return projector


def settled(page: Page) -> dict:
    """What the synthesis shows once the page's script has fitted it."""
    expect(page.locator(".v21p-synth-list > li").first).to_be_visible()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(300)  # the script's last pass after a resize or a redraw
    return page.evaluate(MEASURE)


def check_whole(measured: dict, sentences: list[str], height: int) -> tuple[int, float]:
    """The sentences shown come first, whole, inside their box, at least 24 px at 720 (the same share
    of the screen at 1080); those left out are counted by the line under them. Returns (shown, px)."""
    items = measured["items"]
    assert [i["text"] for i in items] == sentences  # the sentences, their text never shortened
    shown = [i for i in items if i["shown"]]
    assert shown and items[:len(shown)] == shown, "the sentences shown are the first ones"
    floor = MIN_PX * height / 720 - 0.5
    for item in shown:
        assert item["px"] >= floor, (item["px"], item["text"][:40])
        assert measured["top"] - 1 <= item["top"] and item["bottom"] <= measured["bottom"] + 1, item["text"][:40]
        assert measured["left"] - 1 <= item["left"] and item["right"] <= measured["right"] + 1, item["text"][:40]
    left = len(items) - len(shown)
    if left:  # only when they do not all fit at the smallest size
        assert shown[0]["px"] <= MIN_PX * height / 720 + 0.6, shown[0]["px"]
        assert measured["note"] is not None and measured["note"].startswith(f"+ {left} phrase"), measured["note"]
        assert "suite dans le rapport" in measured["note"]
        assert measured["note_bottom"] <= height and measured["note_px"] >= floor
    else:
        assert measured["note"] is None
    return len(shown), shown[0]["px"]


def test_the_synthesis_fills_the_screen_with_whole_sentences(room: Room, server, artifacts: Path) -> None:
    sid, sentences = at_the_synthesis(server)
    projector = projector_of_demo(room, server, sid)
    folder = artifacts / "synthesis"
    expect(projector.locator(".v21p-title")).to_have_text("Synthèse et suites du séminaire")
    expect(projector.get_by_role("heading", name="L'essentiel")).to_be_visible()
    expect(projector.get_by_text("chapitre", exact=False)).to_have_count(0)  # the report's references
    expect(projector.get_by_text("Voici la synthèse de nos deux jours")).to_have_count(0)
    counts = {}
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        counts[size["height"]] = check_whole(settled(projector), sentences, size["height"])
        shot(projector, folder / f"demo-{size['width']}x{size['height']}.png")
    # long sentences: not all fit at 24 px, several do, the same at both sizes (type in vh)
    assert 3 <= counts[720][0] < len(sentences), counts
    assert counts[1080][0] == counts[720][0], counts

    # staff's shorter text: all of it, in larger type
    edited = ["Nos priorités : l'emploi local, l'alimentation et le logement sobre.",
              "Les crues et l'eau potable restent sans parade."]
    rewrite(server, sid, edited)
    projector.reload()
    for size in (PROJECTOR, PROJECTOR_SMALL):
        projector.set_viewport_size(size)
        expect(projector.locator(".v21p-synth-list > li").first).to_have_text(edited[0])
        shown, px = check_whole(settled(projector), edited, size["height"])
        assert shown == 2 and px >= 0.045 * size["height"], px  # well above the floor: it has room
        shot(projector, folder / f"edited-{size['width']}x{size['height']}.png")


def test_sentences_that_fit_above_the_floor_are_all_shown(room: Room, server, artifacts: Path) -> None:
    """Five sentences (the half-day rehearsal's) fit above 24 px: all of them, at the size where they
    fit, at 1920x1080 as at 1280x720, opened at either size (the fit's rounding once left the last one
    out at 1080, in larger type, with « + 1 phrase »)."""
    sid, _sentences = at_the_synthesis(server)
    rewrite(server, sid, REHEARSAL)
    for size in (PROJECTOR, PROJECTOR_SMALL):
        _, projector = room.page(size)
        projector.goto(f"{server.url}/screen/{sid}")
        log_in(projector, DEMO_SECRET)
        expect(projector.locator(".v21p-synth-list > li").first).to_have_text(REHEARSAL[0])
        shown, px = check_whole(settled(projector), REHEARSAL, size["height"])
        assert shown == len(REHEARSAL) and px > MIN_PX * size["height"] / 720, (shown, px)
        shot(projector, artifacts / "synthesis" / f"five-{size['width']}x{size['height']}.png")


def test_a_seminar_without_results_says_so_on_the_projector(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire synthèse vide", "demi-journee-decouverte", open_up_to=1)
    db = database(server)
    try:
        synthesis = next(a for a in activities.list_activities(db, created.seminar_id) if a.screen == "synthesis")
        activities.open_activity(db, created.seminar_id, synthesis.id)
    finally:
        db.dispose()
    projector = projector_at(room, server, created.seminar_id, PROJECTOR_SMALL)
    expect(projector.locator(".v21p-title")).to_have_text("Synthèse et suites possibles")
    expect(projector.get_by_text("Pas encore de synthèse")).to_be_visible()
    expect(projector.get_by_text("Aucun vote, aucune note et aucun lien sur la carte")).to_be_visible()
    for size in (PROJECTOR_SMALL, PROJECTOR):
        projector.set_viewport_size(size)
        shot(projector, artifacts / "synthesis" / f"empty-{size['width']}x{size['height']}.png")
