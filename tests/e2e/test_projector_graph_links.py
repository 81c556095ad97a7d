"""The projector's map at the « Relier » step, as a room sees it from 10 m (Chromium, real page).

A seminar of 13 cards as the rehearsal's run sheet writes them (four levers, two threats, four
stakes, three challenges, some with dots and themes; tests/test_projector_graph_read.py) and one or
three validated links; the projector shows
its **Graphe** view at 1920x1080 and 1280x720. There:

- every card's name is on the map (13 label texts in the SVG, each the start of its card's text),
  and no two labels overlap;
- every link is drawn at least 3 px wide at 1280x720 (scaled with the screen at 1080p), in a colour
  of at least 3:1 against the white background (WCAG 1.4.11), with an arrowhead;
- no name's letters (a line of its text) cover the middle of a link (names have no
  background: a link is seen through a name's box, behind its letters only);
- every link, between its two dots, is seen on the screen (its colour, pixel by pixel along its centre
  line) along 70 % or more of its length, even one leaving a card whose name sits beside its dot;
- a column's names read as a list: a gap of 0.35 line (the type's size) or more between two
  consecutive names, each dot's centre within its own name's first line.

Screenshots go to test-artifacts/projector-graph-links/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e.test_projector_map import overlapping  # noqa: E402
from seminar_helpers import open_activity  # noqa: E402
from test_projector_graph_read import CARDS, DOTS, LINKS, THEMES, contrast_on_white  # noqa: E402

from workshop.models import CardKind, College, Interaction  # noqa: E402
from workshop.rehearsal import browser as b  # noqa: E402
from workshop.rehearsal.server import SECRET, Server, database, prepare  # noqa: E402
from workshop.services import cards, links, participants, screen, votes  # noqa: E402

pytestmark = pytest.mark.e2e

#: Shared by the scripts below: calls ``use(path, style, opacity, trace, line)`` for each straight
#: piece of each link (a temporary SVG path beside the link's line), with its style and opacity as drawn.
EACH_LINK = """
  function eachLink(root, svg, use) {
    root.querySelectorAll('g.scatterlayer g.trace').forEach(trace => {
      const line = trace.querySelector('path.js-line');
      if (!line || !line.getAttribute('d')) { return; }
      const style = getComputedStyle(line);
      let opacity = parseFloat(style.strokeOpacity || '1') * parseFloat(style.opacity || '1');
      for (let el = line.parentElement; el && el !== svg; el = el.parentElement) {
        opacity *= parseFloat(getComputedStyle(el).opacity || '1');
      }
      line.getAttribute('d').split('M').filter(s => s.trim()).forEach(sub => {
        const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        path.setAttribute('d', 'M' + sub);
        line.parentElement.appendChild(path);
        use(path, style, opacity, trace, line);
        path.remove();
      });
    });
  }
"""

MEASURE = """() => {""" + EACH_LINK + """
  const root = document.querySelector('[data-map="cards"]');
  const svg = root.querySelector('.main-svg');
  const labels = [...root.querySelectorAll('g.annotation')].map(g => {
    const text = g.querySelector('text.annotation-text');
    const r = (g.querySelector('rect.bg') || text).getBoundingClientRect();
    const lines = [...text.querySelectorAll('tspan.line')].map(t => t.textContent);
    const first = (text.querySelector('tspan.line') || text).getBoundingClientRect();
    const rows = [...text.querySelectorAll('tspan.line')].concat(text.querySelector('tspan.line') ? [] : [text])
      .map(t => t.getBoundingClientRect()).map(l => [l.left, l.top, l.right, l.bottom]);
    return {text: lines.length ? lines.join(' ') : text.textContent, box: [r.left, r.top, r.right, r.bottom],
            first: [first.top, first.bottom], rows: rows,
            font: parseFloat(getComputedStyle(text).fontSize) *
              Math.hypot(text.getScreenCTM().a, text.getScreenCTM().b),
            bold: !!text.querySelector('b, tspan[style*="bold"]')};
  });
  const links = [];
  eachLink(root, svg, (path, style, opacity, trace, line) => {
    const m = line.getScreenCTM();
    const arrows = [...trace.querySelectorAll('path.point')].map(p => {
      const r = p.getBoundingClientRect();
      return Math.max(r.width, r.height);
    }).filter(size => size > 0);
    const length = path.getTotalLength();
    const mid = path.getPointAtLength(length / 2);
    const pm = path.getScreenCTM();
    links.push({width: parseFloat(style.strokeWidth) * Math.hypot(m.a, m.b), color: style.stroke, opacity: opacity,
                middle: [pm.a * mid.x + pm.c * mid.y + pm.e, pm.b * mid.x + pm.d * mid.y + pm.f],
                arrows: arrows});
  });
  const dots = [];  // the cards' dots: plotly draws a circle with arcs, an arrowhead without
  root.querySelectorAll('g.scatterlayer g.trace path.point').forEach(p => {
    const r = p.getBoundingClientRect();
    if (r.width > 0 && /A/.test(p.getAttribute('d') || '')) { dots.push([(r.left + r.right) / 2, (r.top + r.bottom) / 2]); }
  });
  return {labels: labels, links: links, dots: dots};
}"""


def seed(db, seminar, link_set: str) -> None:
    sid = seminar.seminar_id
    ids = {text: cards.add_card(db, sid, kind=kind, text=text, theme=THEMES.get(text)).id for kind, text in CARDS}
    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE, where=lambda a: a.vote_budget)
    for n, (text, dots) in enumerate(DOTS.items()):
        for k in range(dots):
            person = participants.join(db, seminar.join_code, display_name=f"P{n}{k}", college=College.RESIDENT)
            votes.set_dots(db, person.device_token, vote.id, ids[text], 1)
    for source, relation, target, weight in LINKS[link_set]:
        links.create_link(db, sid, ids[source], ids[target], relation, weight=weight)
    screen.set_screen(db, sid, view="graph")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("projector-graph-links")
    prepared = prepare(data_dir, ["deux-jours"] * len(LINKS))
    db = database(data_dir)
    try:
        for seminar, link_set in zip(prepared, LINKS):
            seed(db, seminar, link_set)
    finally:
        db.dispose()
    server = Server(data_dir)
    url = server.start()
    try:
        yield url, {link_set: seminar.seminar_id for seminar, link_set in zip(prepared, LINKS)}
    finally:
        server.stop()


def open_map(context, address: str):
    """The projector at ``address``, logged in, once its map has drawn its names."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(address)
    page.get_by_label("Code animateur").fill(SECRET)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Graphe des liens")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-map="cards"] g.annotation').first).to_be_attached(timeout=30_000)
    return page


@pytest.fixture
def projector(browser):
    """A browser context for one projector, closed after the test."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    yield context
    context.close()


def map_at_projector_sizes(context, address: str):
    """The projector map at ``address``, at each projector size in turn: yields (page, width, height)."""
    page = open_map(context, address)
    for width, height in b.PROJECTOR_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        b.settle(page)
        yield page, width, height


def named(text: str, labels: list[dict]) -> bool:
    """A label shows the start of ``text`` (whole, or cut at a word with « … »)."""
    whole = " ".join(text.split())
    for label in labels:
        shown = " ".join(label["text"].split())
        if shown == whole or (shown.endswith("…") and len(shown) > 4 and whole.startswith(shown[:-1].rstrip())):
            return True
    return False


@pytest.mark.parametrize("link_set", list(LINKS))
def test_projector_graph_names_every_card_and_shows_every_link(room, projector, artifacts, link_set):
    from playwright.sync_api import expect

    url, seminars = room
    folder = artifacts / "projector-graph-links"
    folder.mkdir(parents=True, exist_ok=True)
    for page, width, height in map_at_projector_sizes(projector, f"{url}/screen/{seminars[link_set]}"):
        page.screenshot(path=str(folder / f"{link_set.replace(' ', '-')}-{width}x{height}.png"))
        drawn = page.evaluate(MEASURE)
        labels = [label for label in drawn["labels"] if label["text"].strip()]
        # every card is named on the map, and the page does not say « 10 cartes nommées sur 13 »
        unnamed = [text for _, text in CARDS if not named(text, labels)]
        assert unnamed == [], (width, unnamed, [label["text"] for label in labels])
        expect(page.get_by_text("cartes nommées sur")).to_have_count(0)
        assert overlapping(labels) == [], (width, overlapping(labels))
        # every link: seen from the back of the room, with its direction, never under a name
        floor = 3 * height / 720
        assert len(drawn["links"]) == len(LINKS[link_set]), drawn["links"]
        for link in drawn["links"]:
            assert link["width"] >= floor - 0.01, (width, link)
            contrast = contrast_on_white(link["color"], link["opacity"])
            assert contrast >= 3, (width, link, round(contrast, 2))
            assert link["arrows"] and max(link["arrows"]) >= 10 * height / 720, (width, link)
            mx, my = link["middle"]
            covering = [label["text"] for label in labels
                        if any(x0 <= mx <= x1 and y0 <= my <= y1 for x0, y0, x1, y1 in label["rows"])]
            assert covering == [], (width, link, covering)


def columns_of_names(labels: list[dict], dots: list[list[float]]) -> list[list[tuple[dict, list[float]]]]:
    """Each column's names (the labels starting at one x, not the bold headers) top to bottom, each
    with its dot: the column's dots (those nearest its names, on their left) top to bottom."""
    names = sorted((label for label in labels if not label["bold"]), key=lambda n: n["box"][0])
    columns: dict[float, list] = {}
    for name in names:  # the names of a column all start at one x
        start = next((x for x in columns if abs(name["box"][0] - x) < 2), name["box"][0])
        columns.setdefault(start, []).append(name)
    starts = sorted(columns)
    out = []
    for start in starts:  # the column's dots: those nearest the names on their left (one x for all)
        x = max(dot[0] for dot in dots if dot[0] < start)
        column = sorted((dot for dot in dots if abs(dot[0] - x) < 1), key=lambda dot: dot[1])
        column_names = sorted(columns[start], key=lambda n: n["box"][1])
        assert len(column) == len(column_names), (start, column, [n["text"] for n in column_names])
        out.append(list(zip(column_names, column)))
    return out


def test_projector_graph_names_read_as_a_list_a_gap_between_two_each_dot_at_its_first_line(room, projector, artifacts):
    """In every column: a gap of 0.35 line or more (the type's size, as drawn) between two consecutive
    names, and each dot's centre within the height of its own name's first line."""
    url, seminars = room
    for page, width, height in map_at_projector_sizes(projector, f"{url}/screen/{seminars['three links']}"):
        drawn = page.evaluate(MEASURE)
        labels = [label for label in drawn["labels"] if label["text"].strip()]
        columns = columns_of_names(labels, drawn["dots"])
        assert sum(len(column) for column in columns) == len(CARDS), (width, [len(c) for c in columns])
        for column in columns:
            for (upper, _), (lower, _) in zip(column, column[1:]):
                gap = lower["box"][1] - upper["box"][3]
                assert gap >= 0.35 * upper["font"], (width, upper["text"], lower["text"], round(gap, 1))
            for name, (_, dot_y) in column:
                top, bottom = name["first"]
                assert top <= dot_y <= bottom, (width, name["text"], name["first"], dot_y)



#: Each link's centre line between its two cards' dots (screen px, one point per px; points on a dot
#: are the card itself, left out), its colour as drawn, and the names whose box it runs under.
LINK_POINTS = """() => {""" + EACH_LINK + """
  const root = document.querySelector('[data-map="cards"]');
  const svg = root.querySelector('.main-svg');
  const names = [...root.querySelectorAll('g.annotation')].map(g => {
    const r = (g.querySelector('rect.bg') || g).getBoundingClientRect();
    return {text: g.textContent, box: [r.left, r.top, r.right, r.bottom]};
  }).filter(n => n.text.trim());
  const dots = [];
  root.querySelectorAll('g.scatterlayer g.trace path.point').forEach(p => {
    const r = p.getBoundingClientRect();
    if (r.width > 0 && /A/.test(p.getAttribute('d') || '')) {
      dots.push([(r.left + r.right) / 2, (r.top + r.bottom) / 2, r.width / 2 + 1]);
    }
  });
  const links = [];
  eachLink(root, svg, (path, style, opacity) => {
    const m = path.getScreenCTM();
    const length = path.getTotalLength();
    const steps = Math.max(1, Math.ceil(length * Math.hypot(m.a, m.b)));
    const points = [];
    const under = new Set();
    for (let k = 0; k <= steps; k++) {
      const q = path.getPointAtLength(length * k / steps);
      const x = m.a * q.x + m.c * q.y + m.e, y = m.b * q.x + m.d * q.y + m.f;
      if (dots.some(([dx, dy, r]) => Math.hypot(x - dx, y - dy) <= r)) { continue; }
      points.push([x, y]);
      names.filter(n => n.box[0] <= x && x <= n.box[2] && n.box[1] <= y && y <= n.box[3])
        .forEach(n => under.add(n.text));
    }
    links.push({points: points, color: style.stroke, opacity: opacity, under: [...under]});
  });
  return links;
}"""


def rgb(color: str) -> tuple[float, float, float]:
    if color.startswith("#"):
        return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(float(v) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3])


def seen_share(picture, link: dict, tolerance: float = 60.0) -> float:
    """The share of a link's centre line whose pixel on the screen is the link's colour (as drawn on
    white, with its opacity): not hidden under a name's box, its letters or their halo."""
    r, g, bl = (link["opacity"] * c + (1 - link["opacity"]) * 255 for c in rgb(link["color"]))
    seen = 0
    for x, y in link["points"]:
        pr, pg, pb = picture.getpixel((min(int(x), picture.width - 1), min(int(y), picture.height - 1)))[:3]
        seen += ((pr - r) ** 2 + (pg - g) ** 2 + (pb - bl) ** 2) ** 0.5 <= tolerance
    return seen / len(link["points"])


@pytest.mark.parametrize("link_set", list(LINKS))
def test_projector_graph_links_are_seen_along_most_of_their_length(room, projector, artifacts, link_set):
    """Every link, between its two cards' dots, is seen along 70 % or more of its length at 1920x1080 and
    1280x720: along its centre line, the screen's pixels are the link's colour, not a name's box over it
    nor the letters (and halo) of a name it passes under. A link leaving a card whose name sits beside its
    dot runs under that name for most of its length (« Canicules… » to « Accès aux soins », the rehearsal)."""
    import io

    from PIL import Image

    url, seminars = room
    for page, width, height in map_at_projector_sizes(projector, f"{url}/screen/{seminars[link_set]}"):
        links = page.evaluate(LINK_POINTS)
        picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        shares = [seen_share(picture, link) for link in links]
        print(link_set, f"{width}x{height}:",
              [(round(share, 2), link["under"]) for share, link in zip(shares, links)])
        assert len(links) == len(LINKS[link_set]), links
        for share, link in zip(shares, links):
            assert len(link["points"]) >= 20 * height / 720, (width, link["under"], len(link["points"]))
            assert share >= 0.7, (width, round(share, 2), link["under"])
