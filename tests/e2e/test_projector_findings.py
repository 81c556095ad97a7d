"""The projector's « À retenir » beside the map, as Chromium draws it at 1920x1080 and 1280x720.

A seminar of its own (created in the server's database) has a map that yields the four
findings the projector shows: the most exposed stake, threats with no counter, stakes with no
resource, isolated cards. A person at the back of the room sees at least three of them whole
(the list leaves out what does not fit rather than cutting it, and says how many it left out),
at the projector's type size, and never a number parted from its word by a line break (« 0 sur »
then « 1 » alone below). A card's name is shown whole when it fits the column's width, else cut
at a word with « … » inside the column; the trajectories' « Pour : » line too.
Screenshots land in test-artifacts/projector-findings/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PROJECTOR, PROJECTOR_SMALL, Room, connected, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.rehearsal.browser import cut_text, settle, small_text
from workshop.services import cards, links, screen, trajectories

pytestmark = pytest.mark.e2e

# (kind, text) as a room writes them; then (source, target, relation, weight) by index
CARDS = [
    ("stake", "Garder un médecin et une école à moins de vingt minutes de chaque village"),  # 0: most exposed
    ("stake", "Des bus à la demande entre les villages et les bourgs-centres du Ternois"),
    ("stake", "Un tiers-lieu numérique dans chaque bourg"),
    ("stake", "Une alimentation locale accessible à tous les revenus"),  # isolated
    ("threat", "Départ à la retraite des médecins généralistes sans successeur"),
    ("threat", "Hausse durable du prix des carburants et de l'énergie"),
    ("threat", "Fermeture des dernières classes des villages"),
    ("threat", "Sécheresses estivales à répétition"),  # isolated
    ("resource", "Un tissu associatif dense et des bénévoles engagés dans les villages"),
    ("resource", "Maison de santé pluriprofessionnelle de Saint-Pol-sur-Ternoise"),
    ("resource", "Gare de Saint-Pol-sur-Ternoise et ligne TER vers Arras"),  # isolated
    # a third threat nothing counters, a third stake nothing supports (the isolated ones are not counted
    # again among them): each list names two and counts the third
    ("stake", "Des logements sobres en énergie et abordables"),
    ("threat", "Crues de la Ternoise et remontées de nappe"),
]
LINKS = [(4, 0, "weighs_on", 2), (5, 1, "weighs_on", 1), (6, 2, "weighs_on", 1), (8, 2, "supports", 2),
         (9, 6, "counters", 1), (12, 11, "weighs_on", 1)]
LEADS = ["Enjeu le plus exposé", "3 menaces sans parade", "3 enjeux sans ressource", "3 cartes isolées"]

# The findings whose whole box is inside the list's box and not left out: what a person reads.
WHOLE = """list => {
  const box = list.getBoundingClientRect();
  return [...list.children].filter(li => getComputedStyle(li).display !== 'none').filter(li => {
    const r = li.getBoundingClientRect();
    return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  }).map(li => li.querySelector('.v21p-finding-lead').textContent.replace(/\\s+/g, ' ').trim());
}"""
# Numbers and the word they go with (« 1 menace », « 0 sur 1 », « 3 menaces », « ; rien »)
# drawn on more than one line in the findings a person sees (Range client rects at several heights).
SPLIT = r"""list => {
  const units = [/\d+\s(menaces?|ressources?|a|ont)\b/gu, /\d+\s(sur|of)\s\d+/gu, /^\d+\s\S+/gu, /\S+\s;/gu,
                 /et\s\d+\s\S+/gu];
  const out = [];
  const walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const el = node.parentElement;
    if (el.closest('.v21p-sr') || el.offsetParent === null) continue;
    for (const unit of units) {
      for (const m of node.data.matchAll(unit)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""
FONT_PX = "e => parseFloat(getComputedStyle(e).fontSize)"


# How many findings the list leaves out (display: none), and the line that says so, if shown.
LEFT_OUT = """list => ({
  hidden: [...list.children].filter(li => getComputedStyle(li).display === 'none').length,
  said: (n => n && !n.hidden && n.offsetParent !== null ? n.textContent.replace(/\\s+/g, ' ').trim() : null)(
    list.parentElement.querySelector('[data-left]')),
})"""
# The card names a person sees in the findings, and whether each stays inside its column.
NAMES = """list => [...list.querySelectorAll('.v21p-finding-items li')].filter(li => li.offsetParent !== null).map(li => {
  const box = list.getBoundingClientRect(), r = li.getBoundingClientRect();
  return {text: li.textContent.replace(/\\s+/g, ' ').trim(), inside: r.right <= box.right + 1 && r.left >= box.left - 1
          && li.scrollWidth <= li.clientWidth + 1};
})"""
# The timeline's row labels (trajectory title, then « Pour : » and its stake), line by line.
ROWS = """() => [...document.querySelectorAll('.v21p .ytick text')].map(t =>
  [...t.querySelectorAll('tspan.line')].map(l => l.textContent.replace(/\\s+/g, ' ').trim()))"""
SOINS = "Accès aux soins de proximité"  # fits the findings' column and a trajectory's line
SOINS_LONG = "Accès aux soins de proximité dans les bourgs ruraux et les villages du Ternois"  # does not


def seminar_with_gaps(server, texts: dict[int, str] | None = None, trajectories_for: tuple[int, ...] = (),
                      view: str = "graph") -> int:
    """A seminar whose map yields the projector's four findings, shown on the projector's ``view``
    (``texts``: other texts for some of CARDS; ``trajectories_for``: cards that get a trajectory)."""
    created = seminar_at(server, "Séminaire constats", "demi-journee-decouverte", open_up_to=0)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        ids = [cards.add_card(db, created.seminar_id, kind=kind, text=(texts or {}).get(i, text)).id
               for i, (kind, text) in enumerate(CARDS)]
        for source, target, relation, weight in LINKS:
            links.create_link(db, created.seminar_id, ids[source], ids[target], relation, weight=weight)
        for n, card in enumerate(trajectories_for):
            trajectory = trajectories.create_trajectory(db, created.seminar_id, ids[card], f"Trajectoire {n + 1}")
            trajectories.add_step(db, created.seminar_id, trajectory.id, year=2030 + 5 * n, title="Première étape")
        screen.set_screen(db, created.seminar_id, view=view)
    finally:
        db.dispose()
    return created.seminar_id


def left_out_said(findings) -> int:
    """How many findings the list leaves out, checked against the line that says so."""
    left = findings.evaluate(LEFT_OUT)
    if left["hidden"] == 0:
        assert left["said"] is None, left
    else:
        word = "constat" if left["hidden"] == 1 else "constats"
        assert left["said"] == f"+ {left['hidden']} {word} non affiché{'s' if left['hidden'] > 1 else ''}", left
    return left["hidden"]


def test_projector_findings_fit_and_keep_numbers_with_their_words(room: Room, server, artifacts: Path) -> None:
    sid = seminar_with_gaps(server)
    projector = projector_at(room, server, sid, PROJECTOR)
    findings = projector.locator("ul.v21p-findings")
    detail = findings.locator(".v21p-finding-detail")
    # in plain words for the room: no « exposition 18 · soutien 0 »
    expect(detail).to_have_text(re.compile(r"^1\smenace pèse dessus, sans parade\s;\srien ne le soutient$"))
    expect(findings.locator(":scope > li")).to_have_count(len(LEADS))
    expect(projector.locator('[data-map="cards"] .js-plotly-plot')).to_be_visible()
    connected(projector)
    for size, floor in ((PROJECTOR, 36), (PROJECTOR_SMALL, 24)):  # 24 px at 720 lines is 36 at 1080
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "projector-findings" / f"findings-{size['width']}x{size['height']}.png")
        whole = findings.evaluate(WHOLE)
        assert len(whole) >= 3, (size, whole)
        assert whole == LEADS[:len(whole)], (size, whole)  # the most useful first, none skipped
        assert left_out_said(findings) == len(LEADS) - len(whole), size  # what is not seen is counted
        assert findings.evaluate(SPLIT) == [], size
        # the type is not made smaller to make room: card names and leads read from the back
        shown = findings.locator(".v21p-finding-lead, .v21p-finding-items li, .v21p-finding-detail")
        px = min(e.evaluate(FONT_PX) for e in shown.all() if e.is_visible())
        assert px >= floor - 0.5, (size, px)
        assert small_text(projector) == [], size
        assert cut_text(projector) == [], size
    # the units hold on any width: bound by non-breaking spaces (Playwright's text checks see plain ones)
    assert detail.evaluate("e => e.textContent") == \
        "1\u00a0menace pèse dessus, sans parade\u00a0; rien ne le soutient"


def test_names_are_cut_only_when_wider_than_their_line_and_left_out_findings_are_counted(
        room: Room, server, artifacts: Path) -> None:
    # the most exposed stake has a name that fits; the second stake without resource one that does not
    sid = seminar_with_gaps(server, {0: SOINS, 1: SOINS_LONG})
    projector = projector_at(room, server, sid, PROJECTOR)
    findings = projector.locator("ul.v21p-findings")
    expect(findings.locator(":scope > li")).to_have_count(len(LEADS))
    connected(projector)
    for size in (PROJECTOR, PROJECTOR_SMALL):
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "projector-findings" / f"names-{size['width']}x{size['height']}.png")
        names = findings.evaluate(NAMES)
        assert all(name["inside"] for name in names), (size, names)
        texts = [name["text"] for name in names]
        assert texts[0] == SOINS, (size, texts)  # whole: it fits the column
        cut = next(text for text in texts if text != SOINS and text.startswith("Accès"))  # too long: cut at a word
        assert cut.endswith("…") and SOINS_LONG.startswith(cut[:-1]) and SOINS_LONG[len(cut) - 1] == " ", (size, cut)
        # a finding is left out here (four do not fit beside the map), and the screen says so
        assert left_out_said(findings) >= 1, size
        assert cut_text(projector) == [], size


def test_a_trajectorys_stake_is_named_whole_when_it_fits_its_line(room: Room, server, artifacts: Path) -> None:
    sid = seminar_with_gaps(server, {0: SOINS, 1: SOINS_LONG}, trajectories_for=(0, 1), view="trajectories")
    projector = projector_at(room, server, sid, PROJECTOR)
    expect(projector.locator(".v21p .ytick text").first).to_be_visible()
    connected(projector)
    for size in (PROJECTOR, PROJECTOR_SMALL):
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "projector-findings" / f"trajectories-{size['width']}x{size['height']}.png")
        rows = projector.evaluate(ROWS)
        assert rows[0][-1] == f"Pour : {SOINS}", (size, rows)  # whole: there is room
        assert rows[1][-1].endswith("…") and f"Pour : {SOINS_LONG}".startswith(rows[1][-1][:-1]), (size, rows)
        assert cut_text(projector) == [], size
