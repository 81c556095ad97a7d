"""Injection: hostile text through every input, then every output checked.

Inputs (services and simulated pages): join name and profile, card text, details and
source, words, edits and moderation, robustness reasons, link notes, activity notes,
lessons learned, trajectory and step titles, table names, seminar title and territory,
run-sheet titles and instructions. Outputs: what is stored, the archive JSON, the
HTML/DOCX/PDF/CSV/XLSX report, and the projector, console and tablet pages as simulated
browsers build them. A real Chromium pass over the same seminar is in
tests/e2e/test_injection_browser.py.

Expected: control characters and direction overrides removed, emoji and accents kept,
HTML kept *as typed* and shown as text (never interpreted), formulas never live in a
spreadsheet, text over a field's limit refused with the French message.
"""

from __future__ import annotations

import asyncio
import csv
import html.parser
import io
import json
import re
import zipfile

import pytest
from nicegui import ui
from nicegui.testing import User

from injection_seed import (
    CONTROL,
    HUGE,
    MULTILINE_STORED,
    PAYLOADS,
    RAW_MARKUP,
    SECRET,
    TERRITORY,
    TITLE,
    WORDS,
    seed,
)
from seminar_helpers import refused, send_join_form
from workshop.archive import export_seminar, import_seminar
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.errors import Invalid
from workshop.i18n import french_spacing
from workshop.models import CardKind, College, Relation
from workshop.services import (
    activities,
    cards,
    links,
    participants,
    planning,
    ratelimit,
    robustness,
    screen,
    seminars,
    trajectories,
)

STORED = {name: stored for name, (_typed, stored) in PAYLOADS.items()}


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


# --- what is stored -----------------------------------------------------------------------------


def test_every_input_stores_clean_text_and_keeps_markup_as_typed(db):
    s = seed(db)
    seminar = seminars.get_seminar_by_id(db, s.seminar_id)
    assert (seminar.title, seminar.territory) == (TITLE[1], TERRITORY[1])
    assert sorted(g.name for g in seminar.groups) == sorted([STORED["img"], STORED["emoji"], STORED["accents"]])
    names = sorted(p.display_name for p in participants.list_participants(db, s.seminar_id))
    assert names == sorted([v for k, v in STORED.items() if k != "sql"] + [STORED["sql"] + " (2)"])
    everything = cards.list_cards(db, s.seminar_id, include_hidden=True)
    stakes = {c.text for c in everything if c.kind is CardKind.STAKE}
    assert stakes == {v for k, v in STORED.items() if k != "script"} | {STORED["script"] + " (modifié)"}
    assert {c.details for c in everything if c.kind is CardKind.STAKE} == {MULTILINE_STORED}
    assert {c.source for c in everything if c.kind is CardKind.STAKE} == set(STORED.values())
    assert {c.text for c in everything if c.kind is CardKind.WORD} == {v for k, v in STORED.items() if k in WORDS}
    assert STORED["svg"] + " (modéré)" in {c.text for c in everything}
    [cell] = robustness.matrix(db, s.seminar_id)
    assert cell.reasons == [MULTILINE_STORED]
    notes = {link.note for link in links.list_links(db, s.seminar_id)}
    assert notes == {MULTILINE_STORED, STORED["svg"]}
    titles = {t.title for t in trajectories.list_trajectories(db, s.seminar_id)}
    assert titles == {STORED["img"], STORED["ctrl"]}
    [step] = [st for t in trajectories.list_trajectories(db, s.seminar_id) for st in t.steps]
    assert (step.title, step.description) == (STORED["svg"], MULTILINE_STORED)
    acts = activities.list_activities(db, s.seminar_id)
    assert MULTILINE_STORED in {a.facilitator_notes for a in acts}
    assert {STORED["svg"], STORED["script"]} <= {a.title for a in acts}
    assert MULTILINE_STORED in {a.participant_instructions for a in acts}
    assert seminar.lessons_learned == MULTILINE_STORED
    # Nothing anywhere holds a control character or a direction override.
    bad = [text for text in _strings(export_seminar(db, s.seminar_id)) if CONTROL.search(text)]
    assert bad == []


def _calls(db, s, token, other_token):
    """Every text input of the services, as (field, call taking the text)."""
    sid = s.seminar_id
    act = s.activity_ids
    stake = next(c for c in cards.list_cards(db, sid) if c.kind is CardKind.STAKE)
    threat = next(c for c in cards.list_cards(db, sid) if c.kind is CardKind.THREAT)
    mine = next(c for c in cards.own_cards(db, token) if c.kind is CardKind.STAKE)
    group = seminars.get_seminar_by_id(db, sid).groups[0]
    pending = next(a for a in activities.list_activities(db, sid) if a.state.value == "pending")
    trajectory = trajectories.list_trajectories(db, sid)[0]
    link = links.list_links(db, sid)[0]
    sheet, kit = find_run_sheet("deux-jours"), default_kit()
    return [
        ("display_name", lambda t: participants.join(db, s.join_code, display_name=t, college=College.OTHER)),
        ("display_name", lambda t: participants.update_profile(db, token, display_name=t)),
        ("text", lambda t: cards.contribute(db, token, act["contribute"], kind="stake", text=t)),
        ("details", lambda t: cards.contribute(db, token, act["contribute"], kind="stake", text="ok", details=t)),
        ("source", lambda t: cards.contribute(db, token, act["contribute"], kind="stake", text="ok", source=t)),
        ("text", lambda t: cards.edit_own(db, token, mine.id, text=t)),
        ("details", lambda t: cards.edit_own(db, token, mine.id, text="ok", details=t)),
        ("text", lambda t: cards.add_card(db, sid, kind="stake", text=t)),
        ("text", lambda t: cards.moderate_edit(db, sid, stake.id, text=t)),
        ("details", lambda t: cards.moderate_edit(db, sid, stake.id, text="ok", details=t)),
        ("note", lambda t: links.create_link(db, sid, threat.id, stake.id, Relation.WEIGHS_ON, note=t)),
        ("note", lambda t: links.update_link(db, sid, link.id, note=t)),
        ("note", lambda t: links.propose_link(db, other_token, act["contribute"], threat.id, stake.id,
                                              Relation.WEIGHS_ON, note=t)),
        ("reason", lambda t: robustness.rate(db, token, act["contribute"], 1, 2, "holds", reason=t)),
        ("notes", lambda t: activities.set_notes(db, sid, act["contribute"], t)),
        ("lessons", lambda t: seminars.set_lessons_learned(db, sid, t * 3)),
        ("group", lambda t: seminars.add_group(db, sid, t)),
        ("group", lambda t: seminars.rename_group(db, sid, group.id, t)),
        ("title", lambda t: trajectories.create_trajectory(db, sid, stake.id, t)),
        ("title", lambda t: trajectories.add_step(db, sid, trajectory.id, year=2040, title=t)),
        ("description", lambda t: trajectories.add_step(db, sid, trajectory.id, year=2040, title="ok",
                                                        description=t)),
        ("title", lambda t: planning.update_activity(db, sid, pending.id, title=t)),
        ("participant_instructions", lambda t: planning.update_activity(db, sid, pending.id,
                                                                        participant_instructions=t)),
        ("facilitator_instructions", lambda t: planning.update_activity(db, sid, pending.id,
                                                                        facilitator_instructions=t)),
        ("title", lambda t: planning.add_activity(db, sid, exercise_type=pending.exercise_type, title=t)),
        ("title", lambda t: seminars.create_seminar(db, title=t, territory="T", horizon_year=2050, run_sheet=sheet,
                                                    kit=kit)),
        ("territory", lambda t: seminars.create_seminar(db, title="T", territory=t, horizon_year=2050,
                                                        run_sheet=sheet, kit=kit)),
        ("group", lambda t: seminars.create_seminar(db, title="T", territory="T", horizon_year=2050,
                                                    run_sheet=sheet, kit=kit, group_names=[t])),
    ]


def test_ten_thousand_characters_are_refused_everywhere_in_french_and_change_nothing(db):
    s = seed(db)
    token, other = s.tokens["emoji"], s.tokens["accents"]
    before = json.dumps(export_seminar(db, s.seminar_id), sort_keys=True)
    with ratelimit.exempt():
        for field, call in _calls(db, s, token, other):
            with refused(Invalid, "text_too_long", case=field) as caught:
                call(HUGE)
            message = caught.value.message("fr")
            assert re.fullmatch(r"Le champ «\u00a0.+\u00a0» est trop long \(\d+ caractères, \d+ au plus\)\.", message), message
            assert "10000" in message or "30000" in message
    after = json.loads(json.dumps(export_seminar(db, s.seminar_id), sort_keys=True))
    before = json.loads(before)
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before
    assert len(seminars.list_seminars(db)) == 1


def test_word_answers_are_one_to_three_words_of_forty_characters(db):
    s = seed(db, end_on="word")
    with ratelimit.exempt():
        with refused(Invalid, "one_word_only"):
            cards.contribute(db, s.tokens["sql"], s.activity_ids["word"], kind="word", text=PAYLOADS["template"][0])
        with refused(Invalid, "text_too_long"):
            cards.contribute(db, s.tokens["sql"], s.activity_ids["word"], kind="word", text="x" * 41)


# --- the archive ---------------------------------------------------------------------------------


def test_the_archive_keeps_hostile_text_as_data_and_imports_it_back(db):
    s = seed(db)
    data = export_seminar(db, s.seminar_id)
    text = json.dumps(data, ensure_ascii=False)
    reread = json.loads(text)
    strings = set(_strings(reread))
    for stored in (TITLE[1], TERRITORY[1], MULTILINE_STORED, *STORED.values()):
        assert stored in strings or any(stored in x for x in strings), stored
    assert not [x for x in strings if CONTROL.search(x)]
    result = import_seminar(db, reread)
    again = export_seminar(db, result.seminar_id)
    assert sorted(c["text"] for c in again["cards"]) == sorted(c["text"] for c in data["cards"])
    assert again["seminar"]["title"] == TITLE[1]


# --- the reports -------------------------------------------------------------------------------


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self.texts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script"
        self.handlers += [(tag, name) for name, _ in attrs if name.lower().startswith("on")]

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.texts).append(data)


@pytest.fixture
def sqlite_db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'injection.sqlite3'}")
    database.create_schema()
    yield database
    database.dispose()


def test_the_report_shows_hostile_text_as_text_in_every_format(sqlite_db, tmp_path):
    reports = pytest.importorskip("workshop.reports")
    s = seed(sqlite_db)
    paths = reports.export_report(sqlite_db, s.seminar_id, ["html", "docx", "csv", "xlsx", "pdf"], tmp_path)

    page = paths["html"].read_text(encoding="utf-8")
    for raw in RAW_MARKUP:
        assert raw not in page, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = _Tags()
    parsed.feed(page)
    assert parsed.handlers == [], parsed.handlers  # no onerror/onload… attribute came out of user text
    assert "svg" not in parsed.tags or all("onload" not in s for s in parsed.scripts)
    assert not [script for script in parsed.scripts if "alert(1)" in script and "<script>alert(1)" in script]
    assert not CONTROL.search("".join(parsed.texts))  # (the bundled plotly.js has its own bytes)
    # shown whole; in French, with French spacing (« Saint-Étienne\u00a0: «\u00a0forêt\u00a0» »)
    assert STORED["emoji"] in "".join(parsed.texts) and french_spacing(STORED["accents"]) in "".join(parsed.texts)

    from docx import Document as open_docx

    document = open_docx(str(paths["docx"]))
    texts = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert STORED["script"] in texts and STORED["img"] in texts and STORED["emoji"] in texts

    from pypdf import PdfReader

    pdf = "".join(page.extract_text() or "" for page in PdfReader(str(paths["pdf"])).pages)
    assert "<script>alert(1)</script>" in re.sub(r"[\s\x00]+", "", pdf)  # (pypdf interleaves NULs)

    with zipfile.ZipFile(paths["csv"]) as archive:
        values = [cell for name in archive.namelist() if name.endswith(".csv")
                  for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))) for cell in row]
    assert any(STORED["script"] in v for v in values)
    assert not [v for v in values if CONTROL.search(v)]

    from openpyxl import load_workbook

    workbook = load_workbook(paths["xlsx"])
    formulas = [(sheet.title, cell.coordinate, cell.value) for sheet in workbook.worksheets
                for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == [], f"participants' text became live spreadsheet formulas: {formulas[:3]}"
    cells = {cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row}
    assert any(isinstance(v, str) and STORED["formula"] in v for v in cells)


# --- the pages, as simulated browsers build them --------------------------------------------------

HTML_ELEMENTS = ("Html", "Markdown", "Mermaid", "Restructuredtext", "Interactive_image", "Chat_message")


def _elements(user: User) -> list[ui.element]:
    with user:
        return list(user.client.elements.values())


def assert_inert(user: User, *, must_show: tuple[str, ...] = ()) -> None:
    """No user text reaches the page as markup; ``must_show`` is visible as plain text."""
    texts = []
    for element in _elements(user):
        kind = type(element).__name__
        content = getattr(element, "content", None)
        if kind in HTML_ELEMENTS and isinstance(content, str):
            for raw in (*RAW_MARKUP, "alert(1)", "DROP TABLE", "Agricultrice", "HYPERLINK"):
                assert raw not in content, (kind, content[:200])
        for name, value in element.props.items():
            assert not str(name).lower().startswith("on"), (kind, name, value)
            assert name not in ("options-html", "html"), (kind, name)
        for attribute in ("text", "value"):  # labels, and what text fields hold
            text = getattr(element, attribute, None)
            if isinstance(text, str):
                texts.append(text)
        for value in element.props.values():
            if isinstance(value, str):
                assert not CONTROL.search(value), (kind, value)
    joined = "\n".join(texts)
    assert not CONTROL.search(joined)
    for expected in must_show:
        assert expected in joined, f"{expected!r} is not shown as text"


async def _login(user: User, seminar_id: int) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=30)


@pytest.fixture
def seeded(ui_db):
    return seed(ui_db)


async def test_the_projector_shows_hostile_text_as_text_in_every_view(seeded, ui_db, user: User) -> None:
    sid = seeded.seminar_id
    await _login(user, sid)
    await user.open(f"/screen/{sid}")
    stake = next(c for c in cards.list_cards(ui_db, sid) if c.text == STORED["img"])
    views = [dict(view="wall"), dict(view="activity"), dict(view="card", focus_card_id=stake.id),
             dict(view="results", reveal_results=True), dict(view="graph"), dict(view="trajectories"),
             dict(view="join"), dict(view="wordcloud")]
    for changes in views:
        screen.set_screen(ui_db, sid, **changes)
        await user.open(f"/screen/{sid}")
        assert_inert(user)
    screen.set_screen(ui_db, sid, view="wall")
    await user.open(f"/screen/{sid}")
    assert_inert(user, must_show=(STORED["script"] + " (modifié)", STORED["img"], STORED["svg"], STORED["emoji"],
                                  STORED["accents"]))
    screen.set_screen(ui_db, sid, view="card", focus_card_id=stake.id)
    await user.open(f"/screen/{sid}")
    assert_inert(user, must_show=(STORED["img"],))


async def test_the_console_shows_hostile_text_as_text(seeded, ui_db, user: User) -> None:
    sid = seeded.seminar_id
    await _login(user, sid)
    assert_inert(user, must_show=(TITLE[1], STORED["img"], STORED["svg"] + " (modéré)", STORED["emoji"],
                                  STORED["sql"] + " (2)", STORED["accents"]))
    # Typed into the console: notes and lessons, through the page itself.
    user.find(marker="notes").clear().type(PAYLOADS["svg"][0] + "\x00 notes")
    user.find(marker="notes-save").click()
    user.find(marker="lessons").clear().type(PAYLOADS["script"][0] + "\x07 " + PAYLOADS["img"][0])
    user.find(marker="lessons-save").click()
    await user.should_see("Enseignements enregistrés", retries=30)
    for _ in range(30):
        lessons = seminars.get_seminar_by_id(ui_db, sid).lessons_learned
        notes = {a.facilitator_notes for a in activities.list_activities(ui_db, sid)}
        if lessons == STORED["script"] + " " + STORED["img"] and STORED["svg"] + " notes" in notes:
            break
        await asyncio.sleep(0.1)
    assert lessons == STORED["script"] + " " + STORED["img"]
    assert STORED["svg"] + " notes" in notes
    await user.open(f"/console/{sid}")
    assert_inert(user, must_show=(STORED["script"] + " " + STORED["img"],))


async def test_the_tablet_shows_hostile_text_as_text_and_sends_it_clean(seeded, ui_db, user: User) -> None:
    sid = seeded.seminar_id
    await user.open(f"/join/{seeded.join_code}")
    send_join_form(user, PAYLOADS["svg"][0] + "\x00\u202e", "resident")
    await user.should_see(marker="text", retries=30)  # the tablet's writing form, drawn in place
    me = max((p for p in participants.list_participants(ui_db, sid) if p.display_name == STORED["svg"]),
             key=lambda p: p.id)  # the seed has a namesake: this tablet joined last
    user.find(marker="text").type(PAYLOADS["img"][0] + " \x1b[31m" + PAYLOADS["emoji"][0])
    user.find(marker="submit").click()
    await user.should_see("Contribution enregistrée")
    mine = [c for c in cards.list_cards(ui_db, sid) if c.author_id == me.id]
    assert [c.text for c in mine] == [STORED["img"] + " [31m" + STORED["emoji"]]
    assert_inert(user, must_show=(STORED["svg"], STORED["img"] + " [31m" + STORED["emoji"]))
    await user.open(f"/tablet/{sid}")
    assert_inert(user, must_show=(STORED["svg"],))
    activities.open_activity(ui_db, sid, seeded.activity_ids["vote"])
    await user.open(f"/tablet/{sid}")
    assert_inert(user, must_show=(STORED["img"], STORED["emoji"]))


async def test_the_facilitator_area_shows_hostile_titles_as_text(seeded, user: User) -> None:
    await user.open("/animation")
    assert_inert(user, must_show=(TITLE[1],))
