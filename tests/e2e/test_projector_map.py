"""The projector's map of cards at 30 and 150 cards, as Chromium draws it on the real page.

A seminar of its own (a server with a temporary data folder, as the rehearsal's) gets 30 or
150 cards with texts as long as a room writes them and their links; the projector shows
its **Graphe** view at 1920x1080 and 1280x720. At 1280x720 every label of the map is at
least 24 px (the projector's floor), inside the map and the screen, and no two labels
overlap; the rehearsal's own size and cut checks find nothing on the page. Screenshots go
to test-artifacts/projector-map/.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_figure_labels import long_texts  # noqa: E402

from workshop.analysis.synthetic import synthetic_snapshot  # noqa: E402
from workshop.rehearsal import browser as b  # noqa: E402
from workshop.rehearsal.server import SECRET, Server, database, prepare  # noqa: E402
from workshop.services import cards, links, screen  # noqa: E402
from workshop.ui.projector.graph_views import MAP_FONT, MIN_SCALE_720  # noqa: E402

pytestmark = pytest.mark.e2e

SIZES = {30: 45, 150: 400}
#: A half-day's map when it is first shown (the rehearsal's cards): no links, so no finding beside it.
NO_LINKS = (("resource", "Le savoir-faire industriel local"), ("threat", "Pénuries d'eau potable en été"),
            ("threat", "Canicules plus longues et plus fréquentes"), ("stake", "Des mobilités sans voiture individuelle"),
            ("stake", "Préserver la ressource en eau"), ("stake", "Une alimentation locale pour tous"),
            ("stake", "Accès aux soins de proximité"))

LABELS = """() => {
  const box = document.querySelector('[data-map="cards"] .main-svg').getBoundingClientRect();
  const labels = [...document.querySelectorAll('[data-map="cards"] g.annotation')].map(g => {
    const text = g.querySelector('text.annotation-text');
    const r = (g.querySelector('rect.bg') || text).getBoundingClientRect();
    const m = text.getScreenCTM();
    return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b),
            box: [r.left, r.top, r.right, r.bottom]};
  });
  return {map: [box.left, box.top, box.right, box.bottom], labels: labels,
          screen: [innerWidth, innerHeight]};
}"""


def seed(db, seminar_id: int, count: int) -> None:
    """``count`` cards of every kind of the map and their links, from the synthetic seminar."""
    snapshot = long_texts(synthetic_snapshot(count, SIZES[count], seed=21))
    ids = {}
    for card in snapshot.cards:
        ids[card.id] = cards.add_card(db, seminar_id, kind=card.kind, text=card.text).id
    for link in snapshot.links:
        links.create_link(db, seminar_id, ids[link.source], ids[link.target], link.relation, weight=link.weight)
    screen.set_screen(db, seminar_id, view="graph")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("projector-map")
    prepared = prepare(data_dir, ["demi-journee-decouverte"] * (len(SIZES) + 1))
    db = database(data_dir)
    try:
        for seminar, count in zip(prepared, SIZES):
            seed(db, seminar.seminar_id, count)
        for kind, text in NO_LINKS:
            cards.add_card(db, prepared[-1].seminar_id, kind=kind, text=text)
        screen.set_screen(db, prepared[-1].seminar_id, view="graph")
    finally:
        db.dispose()
    server = Server(data_dir)
    url = server.start()
    try:
        yield url, {**{count: seminar.seminar_id for seminar, count in zip(prepared, SIZES)},
                    "no-links": prepared[-1].seminar_id}
    finally:
        server.stop()


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        for c in labels[i + 1:]:
            (ax0, ay0, ax1, ay1), (cx0, cy0, cx1, cy1) = a["box"], c["box"]
            if ax0 < cx1 - 0.5 and cx0 < ax1 - 0.5 and ay0 < cy1 - 0.5 and cy0 < ay1 - 0.5:
                out.append((a["text"], c["text"]))
    return out


def open_map(browser, url: str, sid: int):
    """A projector (1920x1080) logged in and showing the seminar's map: its context and page."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/screen/{sid}")
    page.get_by_label("Code animateur").fill(SECRET)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("^(Graphe des liens|Carte des enjeux)$"))).to_be_visible(timeout=30_000)
    expect(page.locator('[data-map="cards"] g.annotation').first).to_be_attached(timeout=30_000)
    return context, page


@pytest.mark.parametrize("count", list(SIZES))
def test_projector_map_labels_are_readable_and_whole(room, browser, artifacts, count):
    from playwright.sync_api import expect

    url, seminars = room
    sid = seminars[count]
    context, page = open_map(browser, url, sid)
    try:
        folder = artifacts / "projector-map"
        folder.mkdir(parents=True, exist_ok=True)
        for width, height in b.PROJECTOR_SIZES:
            page.set_viewport_size({"width": width, "height": height})
            b.settle(page)
            page.screenshot(path=str(folder / f"map-{count}-cards-{width}x{height}.png"))
            drawn = page.evaluate(LABELS)
            labels = [label for label in drawn["labels"] if label["text"].strip()]
            print(f"{count} cards at {width}x{height}: {len(labels)} labels (headers included), "
                  f"{min(label['px'] for label in labels):.1f} to {max(label['px'] for label in labels):.1f} px")
            assert len(labels) >= 8, labels  # the column headers and some cards
            mx0, my0, mx1, my1 = drawn["map"]
            outside = [label["text"] for label in labels
                       if label["box"][0] < max(mx0, 0) - 1 or label["box"][1] < max(my0, 0) - 1
                       or label["box"][2] > min(mx1, width) + 1 or label["box"][3] > min(my1, height) + 1]
            assert outside == [], (width, outside)
            assert overlapping(labels) == [], (width, overlapping(labels)[:5])
            if (width, height) == b.PROJECTOR_SIZES[1]:
                small = [(round(label["px"], 1), label["text"]) for label in labels if label["px"] < 24 - 0.5]
                assert small == [], small
                # the scale the figure tests count on (graph_views.MIN_SCALE_720) is the page's
                scale = min(label["px"] for label in labels) / MAP_FONT
                assert scale >= MIN_SCALE_720 - 0.005
                assert b.small_text(page) == []
                assert b.cut_text(page) == []
        if count == 150:  # the map cannot name them all: it says how many it names
            expect(page.get_by_text(re.compile(r"^\d+\scartes nommées sur\s150, faute de place pour les autres\.$"))).to_be_visible()
    finally:
        context.close()


def test_a_map_without_links_takes_the_whole_width(room, browser, artifacts):
    """A half-day's map (cards, no link): nothing to point out beside it, so the map spreads over the
    whole screen instead of leaving its right third empty but for « Aucun lien entre les cartes. », which
    is one line above it; its names still read at 24 px or more at 1280x720, whole, none over another."""
    from playwright.sync_api import expect

    url, seminars = room
    context, page = open_map(browser, url, seminars["no-links"])
    try:
        folder = artifacts / "projector-map"
        folder.mkdir(parents=True, exist_ok=True)
        note = page.get_by_text("Aucun lien entre les cartes.", exact=True)
        for width, height in b.PROJECTOR_SIZES:
            page.set_viewport_size({"width": width, "height": height})
            b.settle(page)
            page.screenshot(path=str(folder / f"map-no-links-{width}x{height}.png"))
            expect(note).to_be_visible()
            drawn = page.evaluate(LABELS)
            labels = [label for label in drawn["labels"] if label["text"].strip()]
            names = [label for label in labels if label["text"] not in ("Ressources", "Menaces", "Enjeux")]
            assert len(names) == len(NO_LINKS), [label["text"] for label in labels]
            # the last column's names end in the screen's right third, not at two thirds of it
            right = max(label["box"][2] for label in names)
            assert right > width * 0.8, (width, right)
            # the note is above the map, not in a column of its own beside it
            assert note.bounding_box()["y"] + note.bounding_box()["height"] <= drawn["map"][1] + 1, (width, drawn)
            assert overlapping(labels) == [], (width, overlapping(labels)[:5])
            if (width, height) == b.PROJECTOR_SIZES[1]:
                assert min(label["px"] for label in labels) >= 24 - 0.5
                assert b.small_text(page) == []
                assert b.cut_text(page) == []
    finally:
        context.close()
