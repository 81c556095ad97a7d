"""A report speaks only of what was played: its chapters follow the seminar's run sheet.

Each shipped run sheet is played to its end (``build_past_demo(run_sheet=…)``) and laid out
once: the ``Document`` is what the HTML page, the PDF and the DOCX all render, block by block.
The half-day report is then rendered for real and its pages read back.
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from workshop.db import Database
from workshop.demo import build_demo, build_past_demo
from workshop.models import CardKind, Interaction
from workshop.reports import export_report
from workshop.reports.data import report_tables
from workshop.reports.document import Article, Bullets, Facts, Para, Table, file_size
from workshop.reports.layout import generated_texts, seminar_document
from workshop.reports.model import build_report
from workshop.services import cards, robustness

from seminar_helpers import open_activity

ALWAYS = {"contexte", "deroule", "enseignements", "lecons", "methode", "donnees"}
#: The chapters each shipped run sheet plays (the map comes from the links the facilitator draws).
PLAYED = {
    "demi-journee-decouverte": {"enjeux", "menaces", "ressources", "carte"},
    "un-jour-et-demi": {"enjeux", "menaces", "ressources", "carte", "trajectoires", "vision", "robustesse", "actions"},
    "deux-jours": {"enjeux", "menaces", "ressources", "carte", "trajectoires", "vision", "robustesse", "actions"},
}
HEDGED_PLURAL = re.compile(r"\w\((?:s|x|e|es|ies)\)")


@pytest.fixture
def sqlite(tmp_path, _sqlite_template):
    import shutil

    path = tmp_path / "chapters.sqlite3"
    shutil.copy(_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _document(db: Database, seminar_id: int):
    report = build_report(db, seminar_id)
    return report, seminar_document(report, report_tables(report), {})


def _texts(doc) -> list[str]:
    out = [doc.notice]
    for section in doc.sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, Para):
                out.append(block.text)
            elif isinstance(block, Bullets):
                out.extend(block.items)
            elif isinstance(block, Table):
                out.extend([block.caption, *block.columns, *(cell for row in block.rows for cell in row)])
    return out


@pytest.mark.parametrize("sheet", sorted(PLAYED))
def test_a_finished_seminar_has_the_chapters_of_its_run_sheet_only(sqlite, sheet):
    demo = build_past_demo(sqlite, run_sheet=sheet)
    report, doc = _document(sqlite, demo.seminar_id)
    assert not report.in_progress and doc.notice == ""
    top = {s.id for s in doc.sections if s.level == 1}
    assert top == (ALWAYS - {"lecons"}) | PLAYED[sheet]
    text = "\n".join(_texts(doc))
    assert "pour l'instant" not in text and "pas encore" not in text.lower()
    assert HEDGED_PLURAL.search(text) is None
    # every chapter says something of its own beyond its heading and one line
    for section in doc.sections:
        if section.level == 1 and section.id not in ("enseignements",):
            assert len(section.blocks) >= 2 or isinstance(section.blocks[0], Table), section.id


def test_the_report_page_names_a_sub_section_text_under_its_chapter(sqlite):
    """Staff rewrite texts on the report page, listed by chapter: a sub-section's text (the map's
    influence and dependence) is named under its numbered chapter, not as an unnumbered chapter."""
    demo = build_past_demo(sqlite)
    labels = {key: label for key, label, _ in generated_texts(build_report(sqlite, demo.seminar_id))}
    assert labels["intro.carte"].startswith("6. La carte des enjeux")
    influence = next(label for key, label in labels.items() if "Influence et dépendance" in label)
    assert influence == labels["intro.carte"] + " › Influence et dépendance"


def test_a_half_day_without_ratings_or_votes_says_what_it_has(sqlite):
    """No evaluation of threats in the half-day: its chapter lists the threats, with no empty matrix."""
    demo = build_past_demo(sqlite, run_sheet="demi-journee-decouverte")
    report, doc = _document(sqlite, demo.seminar_id)
    threats = next(s for s in doc.sections if s.id == "menaces")
    assert threats.title == "Les menaces du territoire"
    assert "Probabilité" not in threats.blocks[1].columns and "Pèse sur" in threats.blocks[1].columns
    assert threats.blocks[0].text.startswith(f"{len(report.threats)}\u00a0menaces au mur.")
    stakes = next(s for s in doc.sections if s.id == "enjeux")
    assert stakes.title == "Les enjeux classés par les votes"  # the half-day has its vote


def test_an_interim_report_names_the_chapters_to_come_once(sqlite):
    demo = build_demo(sqlite)  # two days, threats being rated on day 1
    report, doc = _document(sqlite, demo.seminar_id)
    assert report.in_progress
    ids = {s.id for s in doc.sections}
    assert not ids & {"vision", "robustesse", "actions"}
    assert {"enjeux", "menaces", "ressources", "carte", "trajectoires"} <= ids  # a first trajectory is there
    assert doc.notice.startswith("Rapport intermédiaire\u00a0: produit pendant le séminaire")
    for title in ("Défis et test de robustesse", "La vision\u00a0: articles du futur", "Les pistes d'action"):
        assert f"«\u00a0{title}\u00a0»" in doc.notice
        assert "\n".join(_texts(doc)).count(title) == 1  # said once, on the cover, never as an empty chapter


def test_a_chapter_whose_activity_is_open_says_so(db, seminar):
    act = open_activity(db, seminar.seminar_id, Interaction.CONTRIBUTE, CardKind.STAKE)
    _report, doc = _document(db, seminar.seminar_id)
    stakes = next(s for s in doc.sections if s.id == "enjeux")
    assert stakes.blocks[-1].text == f"Rien pour l'instant\u00a0: l'activité «\u00a0{act.title}\u00a0» est en cours."
    assert "trajectoires" not in {s.id for s in doc.sections}


def test_the_robustness_table_is_the_whole_matrix(db, seminar, join):
    """Two challenges × two current actions, one pair rated: the report says « 1 couple … évalué
    sur 4 » and its table lists the three others as « non évalué », not the rated pair alone."""
    sid = seminar.seminar_id
    test = open_activity(db, sid, Interaction.ROBUSTNESS)
    challenges = [cards.add_card(db, sid, kind=CardKind.CHALLENGE, text=f"Défi {i}").id for i in (1, 2)]
    actions = [cards.add_card(db, sid, kind=CardKind.CURRENT_ACTION, text=f"Action {i}").id for i in (1, 2)]
    robustness.rate(db, join("Alice").device_token, test.id, challenges[1], actions[0], "breaks", "trop tard")
    _report, doc = _document(db, sid)
    section = next(s for s in doc.sections if s.id == "robustesse")
    assert "1\u00a0couple défi × action évalué sur 4." in [b.text for b in section.blocks
                                                                     if isinstance(b, Para)]
    table = next(b for b in section.blocks if isinstance(b, Table) and b.caption.startswith("Matrice de robustesse"))
    assert [(row[0], row[1], row[-1]) for row in table.rows] == [
        ("Défi 2", "Action 1", "rompt"),
        ("Défi 1", "Action 1", "non évalué"), ("Défi 1", "Action 2", "non évalué"), ("Défi 2", "Action 2", "non évalué")]


def test_an_article_from_the_future_reads_whole_in_the_report(db, seminar, join):
    """An article written on a phone (headline, date, paragraphs) is in the vision chapter whole:
    its first line as its title, every paragraph after it, and the details added to it; one
    written without a headline gets a numbered title, not a 3000-character one. Lists of cards
    (the annex, L'essentiel) name it by its headline."""
    sid = seminar.seminar_id
    scenario = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.VISION_ARTICLE)
    paragraphs = ["12 mai 2055, envoyé spécial", "Dix ans après, les bourgs respirent. " * 30,
                  "« On n'y croyait pas », raconte Inès, cheminote. " * 20]
    written = "Amiens, ville cyclable de l'année\n" + "\n\n".join(p.strip() for p in paragraphs)
    alice = join("Alice")
    cards.contribute(db, alice.device_token, scenario.id, kind="vision_article", text=written,
                     details="Encadré : les chiffres clés")
    plain = ("Sans titre, un seul long paragraphe qui raconte le territoire. " * 40).strip()
    cards.contribute(db, alice.device_token, scenario.id, kind="vision_article", text=plain)
    _report, doc = _document(db, sid)
    vision = next(s for s in doc.sections if s.id == "vision")
    articles = [b for b in vision.blocks if isinstance(b, Article)]
    assert [a.title for a in articles] == ["Amiens, ville cyclable de l'année", "Article 2"]
    assert [line for paragraph in articles[0].prose.paragraphs for line in paragraph] == [
        *(p.strip() for p in paragraphs), "Encadré : les chiffres clés"]
    assert articles[1].body == plain
    annex = next(s for s in doc.sections if s.id == "donnees")
    texts = [row[3] for b in annex.blocks if isinstance(b, Table) and len(b.columns) == 5 for row in b.rows]
    assert "Amiens, ville cyclable de l'année" in texts and written not in texts
    assert max(len(x) for x in texts) <= 160


def test_a_run_sheet_without_an_exercise_still_shows_its_data(sqlite):
    """Links drawn at the console in a seminar whose run sheet has no linking activity: the map is there."""
    demo = build_past_demo(sqlite, run_sheet="demi-journee-decouverte")
    report, doc = _document(sqlite, demo.seminar_id)
    assert not any(s.interaction == "link" for s in report.run_sheet) and report.links
    assert "carte" in {s.id for s in doc.sections}


def test_the_half_day_report_has_no_empty_page(sqlite, tmp_path):
    demo = build_past_demo(sqlite, run_sheet="demi-journee-decouverte")
    paths = export_report(sqlite, demo.seminar_id, ["pdf", "html"], tmp_path)
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(paths["pdf"])).pages]
    essential, contents = pages[1], pages[2]
    assert essential.startswith("L'essentiel")
    assert "Sommaire" in contents and "Les enjeux classés par les votes" in contents
    for gone in ("Les trajectoires", "La vision", "Défis et test de robustesse", "Les pistes d'action"):
        assert gone not in contents, gone
    assert "pour l'instant" not in " ".join(pages)
    running = "Visions +21 : Creil Sud Oise 2050"
    for number, page in enumerate(pages[3:], start=4):  # after the cover, the essential page and the contents
        body = page.replace(running, "")
        assert len(body.split()) > 25, (number, page)
    # what the reader sees in the HTML page too
    html = paths["html"].read_text(encoding="utf-8")
    assert 'id="trajectoires"' not in html and 'id="enjeux"' in html


def test_rendered_report_typography(sqlite, tmp_path):
    """In the published text: « » hold to their words, no "?.", no "(s)", French decimals."""
    demo = build_past_demo(sqlite)  # challenges are questions ("Comment … ?") and end sentences
    paths = export_report(sqlite, demo.seminar_id, ["html"], tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    text = re.sub(r"<script.*?</script>", "", body, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text).replace("&#39;", "'")
    assert "«\u00a0" in text and re.search(r"«[ \t]|[ \t]»", text) is None
    assert re.search(r"[?!…]\.", text) is None
    assert HEDGED_PLURAL.search(text) is None
    # as typed, « 15 minutes » and « ? » then kept with their words by French spacing
    assert "Comment garder un médecin à moins de 15\u00a0minutes de chaque habitant\u00a0?" in text
    prose = re.sub(r"(BY-SA|conditions|by-sa/) 4\.0|by-sa/4\.0", "", text)  # the licence's version number
    assert re.search(r"\b\d+\.\d+\b", prose) is None  # no decimal point in French text (3,5 not 3.5)
    assert re.search(r"\b\d+,\d+\b", text)


def test_file_sizes_read_in_french():
    assert file_size(int(4.6 * 1_048_576)) == "4,6\u00a0Mo"
    assert file_size(int(4.6 * 1_048_576), "en") == "4.6\u00a0MB"
    assert file_size(300_000) == "292\u00a0Ko" and file_size(10) == "1\u00a0Ko"


def _section(doc, section_id):
    return next(s for s in doc.sections if s.id == section_id)


def test_the_report_tables_read_like_a_report(sqlite):
    """The finished demo: the run sheet by its title, not its file key; a column of means or scores
    at one precision (« 4,00 » under « 3,80 », not « 4 » under « 3,8 » and « 12,92 »); a reason four
    people gave for a breaking point said once, with how many gave it."""
    demo = build_past_demo(sqlite)
    _report, doc = _document(sqlite, demo.seminar_id)
    facts = dict(next(b for b in _section(doc, "contexte").blocks if isinstance(b, Facts)).rows)
    assert facts["Déroulé"] == "Séminaire de prospective territoriale en un jour et demi"
    threats = next(b for b in _section(doc, "menaces").blocks if isinstance(b, Table))
    assert threats.columns[2:5] == ["Probabilité", "Gravité", "Sévérité"]
    assert all(re.fullmatch(r"\d+,\d\d", cell) for row in threats.rows for cell in row[2:5]), threats.rows
    section = _section(doc, "robustesse")
    matrix = next(b for b in section.blocks if isinstance(b, Table) and b.caption.startswith("Matrice"))
    assert all(re.fullmatch(r"\d,\d\d", row[2]) for row in matrix.rows), [row[2] for row in matrix.rows]
    exposure = next(b for s in doc.sections for b in s.blocks
                    if isinstance(b, Table) and b.columns[:2] == ["Enjeu ou défi", "Exposition"])
    assert all(re.fullmatch(r"\d+,\d", row[1]) for row in exposure.rows), [row[1] for row in exposure.rows]
    gaps = [item for b in section.blocks if isinstance(b, Bullets) for item in b.items if " rompt face à " in item]
    assert gaps
    for gap in gaps:
        reasons = [re.sub(r" \((?:\+\d+|\d+\u00a0fois)\)$", "", r) for r in gap.split(" — ", 1)[1].split(" ; ")]
        assert len(reasons) == len(set(reasons)), gap
    assert any(re.search(r"\(\d+\u00a0fois\)", gap) for gap in gaps), gaps


def test_the_pdf_sets_headers_and_file_names_whole(sqlite, tmp_path):
    """The threat table's « Probabilité » header was cut « Probabilit / é », and the data annex's
    file names broken at their hyphens beside long format labels."""
    demo = build_past_demo(sqlite)
    paths = export_report(sqlite, demo.seminar_id, ["pdf"], tmp_path)
    lines = [line.strip() for page in PdfReader(str(paths["pdf"])).pages
             for line in (page.extract_text() or "").splitlines()]
    header = next(line for line in lines if line.startswith("N° Menace"))
    assert "Probabilité" in header.split(), header
    stem = paths["pdf"].name.removesuffix("_rapport.pdf")
    for suffix in ("_donnees-csv.zip", "_tableur-csv.zip", "_donnees.xlsx"):
        assert any(line.endswith(stem + suffix) for line in lines), (suffix, [l for l in lines if stem[:8] in l])


def test_the_map_chapter_says_a_shared_reading_once(sqlite):
    """« … agit fort sur ses voisines directes mais son influence ne se propage pas … » ended seven
    bullets in a row in the finished demo's report: those cards are now named in one sentence.
    And the exposure is a sum of severities (probabilité × gravité), not of « gravité »."""
    demo = build_past_demo(sqlite)
    _report, doc = _document(sqlite, demo.seminar_id)
    texts = _texts(doc)
    fading = [text for text in texts if "ne se propage pas" in text]
    assert len(fading) == 1 and fading[0].count("«") >= 2 and "agissent fort" in fading[0], fading
    exposure = next(text for text in texts if text.startswith("Exposition\u00a0: somme"))
    assert "sévérité (probabilité × gravité)" in exposure.replace("\u00a0", " "), exposure


def _loop_list(doc) -> tuple[list[str], list[str]]:
    """The loops the map chapter lists, and the lines under them."""
    blocks = _section(doc, "carte-structure").blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Para) and b.text.startswith("Boucles"))
    after = blocks[start + 1:]
    listed = after[0].items if after and isinstance(after[0], Bullets) else []
    return listed, [b.text for b in after if isinstance(b, Para)]


def test_the_report_counts_the_loops_it_does_not_list(db, seminar, monkeypatch):
    """The report listed six loops under « Liste limitée aux 50 boucles les plus courtes… », and
    nothing said where the 44 others were. It now says « … et 44 autres », as the console does;
    and when the search listed none, it no longer says « Aucune boucle. »."""
    from workshop.analysis import loops as loops_module
    from workshop.services import links

    sid = seminar.seminar_id
    ids = [cards.add_card(db, sid, kind="stake", text=f"Enjeu {n}").id for n in range(1, 9)]
    # four pairs of stakes influencing each other: four loops, all listed, nothing more to say
    linked = {(a, b) for a, b in zip(ids[0::2], ids[1::2])} | {(b, a) for a, b in zip(ids[0::2], ids[1::2])}
    for a, b in linked:
        links.create_link(db, sid, a, b, "influences", weight=2)
    listed, notes = _loop_list(_document(db, sid)[1])
    assert len(listed) == 4 and notes == []
    # every stake and the next influence each other (a chain): 7 loops of 2 links, 6 shown
    for a, b in zip(ids[1:-1:2], ids[2::2]):
        for pair in ((a, b), (b, a)):
            links.create_link(db, sid, *pair, "influences", weight=2)
            linked.add(pair)
    listed, notes = _loop_list(_document(db, sid)[1])
    assert len(listed) == 6 and notes == ["…\u00a0et\u00a01\u00a0autre"]
    # every stake influences every other: 28 loops of 2 links, 112 of 3...: 50 listed, 6 shown
    for a in ids:
        for b in ids:
            if a != b and (a, b) not in linked:
                links.create_link(db, sid, a, b, "influences", weight=2)
    listed, notes = _loop_list(_document(db, sid)[1])
    assert len(listed) == 6
    assert notes == ["…\u00a0et\u00a044\u00a0autres",
                     "Liste limitée aux 50\u00a0boucles les plus courtes\u00a0: toutes celles de 2 liens ou moins, "
                     "puis les plus fortes de 3 liens."]
    monkeypatch.setattr(loops_module, "MAX_LOOP_STEPS", 5)  # the search runs out before any loop
    listed, notes = _loop_list(_document(db, sid)[1])
    assert listed == [] and notes == ["Trop de liens pour chercher les boucles\u00a0: aucune n'est listée."]


def test_the_report_counts_the_sub_systems_it_does_not_list_and_the_data_holds_each_cards(db, seminar, tmp_path):
    """The map chapter lists eight sub-systems (clusters) and said nothing of a ninth, which no data
    file held either: it now counts the rest and ``analyse_cartes.csv`` gives every card's."""
    import csv
    import io
    import zipfile

    from workshop.services import links

    sid = seminar.seminar_id
    pairs = [(cards.add_card(db, sid, kind="stake", text=f"Enjeu {n}a").id,
              cards.add_card(db, sid, kind="stake", text=f"Enjeu {n}b").id) for n in range(1, 10)]
    for a, b in pairs:  # nine pairs, each linked within, none to another: nine sub-systems of two cards
        links.create_link(db, sid, a, b, "influences", weight=2)
    blocks = _section(_document(db, sid)[1], "carte-structure").blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Para) and b.text.startswith("Ensembles de cartes"))
    assert len(blocks[start + 1].items) == 8
    assert blocks[start + 2].text.replace("\u00a0", " ").startswith("… et 1 autre sous-système, plus petit : voir")
    with zipfile.ZipFile(export_report(db, sid, ["csv"], tmp_path)["csv"]) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("analyse_cartes.csv").decode("utf-8"))))
    by_card = {int(r["carte_id"]): r["sous_systeme"] for r in rows}
    assert sorted(by_card[a] for a, _ in pairs) == sorted(str(n) for n in range(1, 10))
    assert all(by_card[a] == by_card[b] for a, b in pairs)  # each pair is one sub-system
