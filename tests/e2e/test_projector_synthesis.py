"""The projector's synthesis (``screen: synthesis``) in Chromium: « L'essentiel » as large as it fits,
never below 24 px at 1280x720; when the sentences do not all fit they are shown page by page, whole,
at the same size on every page, the facilitator turning the pages from the console.
Screenshots in test-artifacts/synthesis/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import CONSOLE, PROJECTOR, PROJECTOR_SMALL, Room, log_in, shot
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
  const pager = document.querySelector('.v21p-synth .v21p-pager');
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right, items,
          note: note.hidden ? null : note.textContent, note_bottom: n.bottom, note_px: parseFloat(getComputedStyle(note).fontSize),
          pager: !pager || pager.hidden ? null : pager.textContent,
          pager_px: pager ? parseFloat(getComputedStyle(pager).fontSize) : 0,
          pager_bottom: pager ? pager.getBoundingClientRect().bottom : 0, height: window.innerHeight};
}"""

TURN = """k => { document.querySelector('.v21p-synth-list').dataset.page = String(k); }"""


def database(server) -> Database:
    return Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")


def at_the_synthesis(server, everything: bool = False):
    """Another demo seminar (two days, votes, ratings, a map, a trajectory), its synthesis open;
    its sentences as the report writes them, but those on the seminar's progress (left to the
    results page and the report); with ``everything``, all of them too."""
    db = database(server)
    try:
        demo = build_demo(db)
        sid = demo.seminar_id
        # the closing (the day's summaries before it open on the synthesis too)
        synthesis = [a for a in activities.list_activities(db, sid) if a.screen == "synthesis"][-1]
        activities.open_activity(db, sid, synthesis.id)
        report = build_report(db, sid)
        sentences = essential_sentences(report, chapter_numbers(seminar_document(report, [], {}).sections))
    finally:
        db.dispose()
    shown = [full_stops(s.text) for s in sentences if s.key not in ("interim", "next")]
    if everything:  # and all of them, as the results page shows them
        return sid, shown, [full_stops(s.text) for s in sentences]
    return sid, shown


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


TWO_DAYS = [  # what the second day and staff add to the demo's sentences
    "Pour les participants, la santé de proximité conditionne tout le reste : l'emploi, le logement, "
    "l'envie de rester.",
    "La vision à l'horizon 2055 tient en 6 articles du futur, dont « Un médecin à moins de vingt minutes de "
    "chaque commune ».",
    "Les défis retenus : « Former et garder des soignants sur le territoire », « Rénover 500 logements par an » "
    "et « Une cantine en circuit court dans chaque commune ».",
    "Le test de robustesse a montré que le plan de prévention des crues plie face aux pluies extrêmes, faute de "
    "moyens à l'échelle de l'agglomération.",
    "Les pistes d'action mises en tête : « Une maison de santé par bassin de vie » (5 gommettes), « Un guichet "
    "unique de la rénovation » (4 gommettes) et « Un réseau de fermes qui livrent les cantines » (3 gommettes).",
    "Et ensuite : la communauté d'agglomération reprend ces pistes au conseil de mars.",
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
    expect(page.locator(".v21p-synth-list > li:visible").first).to_be_visible()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(300)  # the script's last pass after a resize or a redraw
    return page.evaluate(MEASURE)


def check_page(measured: dict, height: int) -> list[dict]:
    """The sentences shown on a page: whole, inside their box and on screen, at least 24 px at 720
    (the same share of the screen at 1080), nothing said left out. Returns them."""
    shown = [i for i in measured["items"] if i["shown"]]
    assert shown, "a page shows sentences"
    floor = MIN_PX * height / 720 - 0.5
    for item in shown:
        assert item["px"] >= floor, (item["px"], item["text"][:40])
        assert measured["top"] - 1 <= item["top"] and item["bottom"] <= measured["bottom"] + 1, item["text"][:40]
        assert measured["left"] - 1 <= item["left"] and item["right"] <= measured["right"] + 1, item["text"][:40]
    assert measured["bottom"] <= height, "the list ends on screen"
    # and not against the screen's bottom edge (it ended 20 px above it at 720p): 4 % of the height free
    assert height - max(i["bottom"] for i in shown) >= 0.04 * height, (height, shown[-1]["bottom"])
    assert measured["note"] is None, measured["note"]  # every sentence has a page: nothing left to the report
    return shown


def check_pages(page: Page, sentences: list[str], height: int, folder: Path | None = None,
                name: str = "") -> tuple[int, float]:
    """Page after page (as the console turns them), the sentences shown together are all the sentences,
    each once, whole, in order, at one size on every page; « Page k / n » says where the room is when
    there are several pages. Returns (pages, px)."""
    first = settled(page)
    assert [i["text"] for i in first["items"]] == sentences  # the sentences, their text never shortened
    count = int(first["pager"].split("/")[1]) if first["pager"] else 1
    seen, sizes = [], set()
    for k in range(count):
        page.evaluate(TURN, k)
        measured = settled(page)
        assert measured["pager"] == (f"Page {k + 1} / {count}" if count > 1 else None), measured["pager"]
        if count > 1:
            assert measured["pager_px"] >= MIN_PX * height / 720 - 0.5 and measured["pager_bottom"] <= measured["top"]
        shown = check_page(measured, height)
        seen += [i["text"] for i in shown]
        sizes |= {round(i["px"], 1) for i in shown}
        if folder is not None:
            shot(page, folder / f"{name}-{page.viewport_size['width']}x{height}-p{k + 1}.png")
    assert seen == sentences, "page after page: every sentence once, in order"
    assert len(sizes) == 1, sizes  # the same size on every page
    page.evaluate(TURN, 0)
    return count, sizes.pop()


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
        counts[size["height"]] = check_pages(projector, sentences, size["height"], folder, "demo")
    # the same pages at both sizes (type in vh); more sentences than fit on one screen turn pages
    # (test_twelve_sentences_page_by_page_from_the_console)
    assert counts[1080][0] == counts[720][0], counts

    # staff's shorter text: all of it, in larger type
    edited = ["Nos priorités : l'emploi local, l'alimentation et le logement sobre.",
              "Les crues et l'eau potable restent sans parade."]
    rewrite(server, sid, edited)
    projector.reload()
    for size in (PROJECTOR, PROJECTOR_SMALL):
        projector.set_viewport_size(size)
        expect(projector.locator(".v21p-synth-list > li").first).to_have_text(edited[0])
        pages, px = check_pages(projector, edited, size["height"])
        assert pages == 1 and px >= 0.045 * size["height"], px  # well above the floor: it has room
        expect(projector.locator(".v21p-synth .v21p-pager")).to_be_hidden()  # no « Page 1 / 1 »
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
        pages, px = check_pages(projector, REHEARSAL, size["height"])
        assert pages == 1 and px > MIN_PX * size["height"] / 720, (pages, px)
        shot(projector, artifacts / "synthesis" / f"five-{size['width']}x{size['height']}.png")


def test_twelve_sentences_page_by_page_from_the_console(room: Room, server, artifacts: Path) -> None:
    """Twelve sentences (the two-day demo's « L'essentiel », with the vision, the challenges and the
    action leads a two-day seminar adds, rewritten by staff) do not fit on one screen at 24 px: page 1,
    then page 2 when the facilitator presses the console's next-page button, show them all, each once,
    whole, at one size; at 1280x720 and at 1920x1080."""
    sid, _sentences, demo = at_the_synthesis(server, everything=True)
    assert len(demo) == 8 and demo[1].startswith("Rapport intermédiaire") and demo[6].startswith("La trajectoire")
    # staff's text, as written: in place of the progress sentences, two of theirs
    everything = demo[:1] + TWO_DAYS[:1] + demo[2:6] + TWO_DAYS[1:4] + demo[6:7] + TWO_DAYS[4:]
    assert len(everything) == 12
    rewrite(server, sid, everything)
    folder = artifacts / "synthesis"
    for size in (PROJECTOR_SMALL, PROJECTOR):
        _, projector = room.page(size)
        projector.goto(f"{server.url}/screen/{sid}")
        log_in(projector, DEMO_SECRET)
        projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
        expect(projector.locator(".v21p-synth-list > li").first).to_have_text(everything[0])
        pages, px = check_pages(projector, everything, size["height"], folder, "twelve")
        assert pages == 2, pages
        assert px < 0.045 * size["height"], px  # as large as two pages allow: not the one-page size
        projector.close()

    # the facilitator turns the page: the projector follows, and comes back
    _, projector = room.page(PROJECTOR_SMALL)
    projector.goto(f"{server.url}/screen/{sid}")
    log_in(projector, DEMO_SECRET)
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    pager = projector.locator(".v21p-synth .v21p-pager")
    expect(pager).to_have_text("Page 1 / 2")
    first_page = [i["text"] for i in check_page(settled(projector), 720)]
    _, console = room.page(CONSOLE)
    console.goto(f"{server.url}/console/{sid}/login")
    log_in(console, DEMO_SECRET)
    console.wait_for_url(re.compile(rf"/console/{sid}$"))
    # the console, opened after the projector, reads how many pages it shows (it asked for them)
    console_pages(console, 1, 2)
    console.get_by_role("button", name=re.compile(r"^Synthèse\s:\spage suivante$")).click()
    console_pages(console, 2, 2)  # the last page: no next one
    expect(pager).to_have_text("Page 2 / 2")
    second_page = [i["text"] for i in check_page(settled(projector), 720)]
    assert first_page + second_page == everything
    shot(projector, folder / "twelve-console-p2-1280x720.png")
    shot(console, folder / "twelve-console-p2-console.png")
    console.reload()  # a reloaded console asks again: the projector's count, without a page turned
    console_pages(console, 2, 2)
    console.get_by_role("button", name=re.compile(r"^Synthèse\s:\spage précédente$")).click()
    expect(pager).to_have_text("Page 1 / 2")
    console_pages(console, 1, 2)
    assert [i["text"] for i in check_page(settled(projector), 720)] == first_page


# an arrow's ink against the white panel (its colour, faded by its own and its parents' opacity):
# light grey when disabled (under 2.5:1), a plain dark blue when it works (4.5:1 or more); checked
# on the button on the page now (the panel is redrawn when the projector says its count)
ARROW_LOOKS = """([label, disabled]) => {
  const button = [...document.querySelectorAll('.q-btn')].find((b) => b.getAttribute('aria-label') === label);
  if (!button) { return false; }
  const lum = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const [r, g, b] = getComputedStyle(button).color.match(/[\\d.]+/g).map(Number);
  let alpha = 1;
  for (let e = button; e && e !== document.body; e = e.parentElement) { alpha *= Number(getComputedStyle(e).opacity); }
  const mix = [r, g, b].map((c) => c * alpha + 255 * (1 - alpha));
  const contrast = 1.05 / (0.2126 * lum(mix[0]) + 0.7152 * lum(mix[1]) + 0.0722 * lum(mix[2]) + 0.05);
  return disabled ? contrast < 2.5 : contrast >= 4.5;
}"""


def console_pages(console: Page, page: int, pages: int, what: str = "Synthèse") -> None:
    """The console's screen panel says « Synthèse : page k sur n » while the projector shows more than
    one page, and nothing when one page holds all; an arrow past the ends is disabled and looks it
    (light grey, where an arrow that works is dark blue: it was the same blue at 60 %)."""
    label = console.get_by_text(re.compile(rf"^{what}\s:\spage \d+ sur \d+$"))
    previous = console.get_by_role("button", name=re.compile(rf"^{what}\s:\spage précédente$"))
    following = console.get_by_role("button", name=re.compile(rf"^{what}\s:\spage suivante$"))
    if pages == 1:
        for gone in (label, previous, following):
            expect(gone).to_have_count(0)
        return
    expect(label).to_have_text(f"{what}\u00a0: page {page} sur {pages}")
    for button, name, disabled in ((previous, "page précédente", page == 1), (following, "page suivante", page == pages)):
        (expect(button).to_be_disabled if disabled else expect(button).to_be_enabled)()
        console.wait_for_function(ARROW_LOOKS, arg=[f"{what}\u00a0: {name}", disabled])


def test_a_paragraph_too_long_for_a_page_is_left_to_the_report(room: Room, server, artifacts: Path) -> None:
    """A paragraph of staff's text longer than a whole page at 24 px is not cut: it is left out, and the
    line under the sentences says so; the others are shown."""
    sid, _sentences = at_the_synthesis(server)
    long = " ".join(["Les participants ont longuement débattu de la place de l'eau dans le territoire."] * 40)
    text = ["Nos priorités : l'emploi local, l'alimentation et le logement sobre.", long,
            "Les crues et l'eau potable restent sans parade."]
    rewrite(server, sid, text)
    projector = projector_of_demo(room, server, sid)
    expect(projector.locator(".v21p-synth-list > li").first).to_have_text(text[0])
    measured = settled(projector)
    shown = [i["text"] for i in measured["items"] if i["shown"]]
    assert shown == [text[0], text[2]], shown
    assert measured["note"] is not None and measured["note"].startswith("+ 1\u00a0phrase\u00a0: suite dans le rapport")
    assert measured["note_bottom"] <= 720 and measured["pager"] is None
    shot(projector, artifacts / "synthesis" / "too-long-1280x720.png")


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
