"""Capitalisation report and cross-territory synthesis: the produced files are opened (text
extracted from the PDF, python-docx for the DOCX, openpyxl and csv for the data) and their
numbers compared with the database.

The demo seminar is exported once in every format for the module (SQLite: each export
starts Chromium for the figures and lays out a PDF); ``test_every_format_on_both_databases``
makes one full round on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from workshop.analysis import analyse, load_snapshot
from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.demo import PEOPLE, build_demo
from workshop.errors import Invalid
from workshop.models import Card, CardKind, College, DotVote, Interaction, Link, LinkStatus
from workshop.reports import FORMATS, export_report, export_synthesis, seminar_export_files
from workshop.reports.model import build_report
from workshop.reports.similarity import group_texts, text_similarity
from workshop.reports.synthesis import build_synthesis
from workshop.services import activities, cards, participants, seminars, votes

from seminar_helpers import open_activity


# --- what the database says ------------------------------------------------------------------


def _stake_tally(db: Database, seminar_id: int):
    stakes = {c.id for c in cards.list_cards(db, seminar_id, kinds=[CardKind.STAKE])}
    return [t for t in votes.tally(db, seminar_id) if t.card_id in stakes]


def _db_total_dots(db: Database, seminar_id: int) -> int:
    with db.read() as session:
        return int(session.scalar(
            select(func.coalesce(func.sum(DotVote.dots), 0)).join(Card, Card.id == DotVote.card_id)
            .where(Card.seminar_id == seminar_id, Card.hidden.is_(False), Card.withdrawn.is_(False),
                   Card.merged_into_id.is_(None))))


def _db_count(db: Database, model, *where) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)))


def _pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _docx_text(path: Path) -> str:
    document = open_docx(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _csv_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {name[:-4]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
                for name in archive.namelist() if name.endswith(".csv")}


def _xlsx_tables(path: Path) -> dict[str, list[dict]]:
    workbook = load_workbook(str(path), read_only=True)
    out = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        out[sheet.title] = [dict(zip(rows[0], row)) for row in rows[1:]]
    return out


@pytest.fixture
def sqlite_db(tmp_path, _sqlite_template):
    """SQLite only, for tests where the PostgreSQL run would add nothing but time (the full
    round on both databases is ``test_every_format_on_both_databases``)."""
    path = tmp_path / "reports.sqlite3"
    shutil.copy(_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


# --- the demo, exported once -------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(db, demo, {format: path}) for the demo seminar, every format, on SQLite."""
    folder = tmp_path_factory.mktemp("reports")
    db = Database(f"sqlite:///{folder / 'demo.sqlite3'}")
    db.create_schema()
    demo = build_demo(db)
    steps: list[tuple[int, int, str]] = []
    paths = export_report(db, demo.seminar_id, out_dir=folder / "exports",
                          progress=lambda step, total, label: steps.append((step, total, label)))
    yield db, demo, paths, steps
    db.dispose()


def test_every_format_is_written_with_a_readable_name(exported):
    db, demo, paths, steps = exported
    assert list(paths) == list(FORMATS)
    day = seminars.get_seminar_by_id(db, demo.seminar_id).days[0].date
    for fmt, path in paths.items():
        assert path.exists() and path.stat().st_size > 1000, fmt
        assert path.name.startswith(f"amiens-metropole_{day.isoformat()}_seminaire-{demo.seminar_id}_"), path.name
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    assert set(seminar_export_files(demo.seminar_id, paths["pdf"].parent)) == set(paths.values())
    # The progress callback: steps in order, ending at total.
    assert [s for s, _, _ in steps] == list(range(len(steps)))
    assert steps[-1][0] == steps[-1][1] and steps[-1][2] == "Terminé"


def test_pdf_has_a_cover_contents_with_page_numbers_and_numbered_pages(exported):
    db, demo, paths, _ = exported
    pages = _pdf_pages(paths["pdf"])
    total = len(pages)
    assert total >= 10
    cover = pages[0]
    assert "Visions +21 : Amiens Métropole 2055" in cover
    assert "RAPPORT DE CAPITALISATION" in cover.upper()
    assert "Rapport intermédiaire" in cover  # exported while an activity is open
    assert not re.search(rf"\b1 / {total}\b", cover)  # no footer on the cover
    assert pages[1].lstrip().startswith("L'essentiel")  # what the seminar concluded, before the contents
    contents = pages[2]
    assert "Sommaire" in contents
    # Each chapter of the contents points at the page where the chapter starts.
    entries = re.findall(r"^(\d+)\. (.+?) ?\.{3,} ?(\d+)$", contents, re.MULTILINE)
    titles = [title for _, title, _ in entries]
    for expected in ("Contexte du séminaire", "Le déroulé tel qu'il a été joué", "Les enjeux classés par les votes",
                     "Les menaces : probabilité et gravité", "Les ressources du territoire",
                     "La carte des enjeux et ses analyses", "Les trajectoires", "Notes de l'animation et enseignements"):
        assert expected in titles, (expected, titles)
    # exercises still to come have no chapter yet: the cover names them once
    flat = " ".join(cover.split())
    for upcoming in ("La vision : articles du futur", "Défis et test de robustesse", "Les pistes d'action"):
        assert upcoming not in titles and upcoming in flat, upcoming
    for number, title, page in entries:
        assert pages[int(page) - 1].lstrip().startswith(f"{number}. {title}"), (title, page)
    assert re.search(r"Annexe A — La méthode Visions \+21 ?\.+ ?\d+", contents)
    assert re.search(r"Annexe B — Les données ?\.+ ?\d+", contents)
    # Page numbers in the footer: "n / total" on every page after the cover.
    for n, text in enumerate(pages[1:], start=2):
        assert re.search(rf"\b{n} / {total}\b", text), n


def test_pdf_numbers_match_the_database(exported):
    db, demo, paths, _ = exported
    text = "\n".join(_pdf_pages(paths["pdf"]))
    flat = " ".join(text.split())
    top = _stake_tally(db, demo.seminar_id)[0]
    # The stakes table: rank 1 is the most voted stake, with its exact dots and votes.
    assert re.search(rf"\b1 {re.escape(top.text)} .*?\b{top.dots} {top.voters}\b", flat), top
    counts = participants.count_participants(db, demo.seminar_id)
    assert sum(counts.values()) == len(PEOPLE)
    for college in College:
        label = {"elected": "élu", "staff": "technicien", "business": "acteur économique",
                 "association": "association", "resident": "habitant", "expert": "expert",
                 "other": "autre"}[college.value]
        assert re.search(rf"^{re.escape(label)} {counts.get(college.value, 0)} \d+ %$", text, re.MULTILINE), label
    assert re.search(rf"^Total {len(PEOPLE)} 100 %$", text, re.MULTILINE)
    # The method appendix credits Visions +21 and its licence.
    appendix = flat[flat.index("Annexe A — La méthode Visions +21 Visions +21 est"):]
    assert "CGDD" in appendix and "Strategic Design Scenarios" in appendix
    assert re.search(r"CC BY-\s?SA 4\.0", appendix)


def test_docx_is_editable_with_the_same_numbers(exported):
    db, demo, paths, _ = exported
    document = open_docx(str(paths["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "3. Les enjeux classés par les votes" in headings
    assert "Annexe A — La méthode Visions +21" in headings
    assert document.paragraphs[0].text == "RAPPORT DE CAPITALISATION"
    assert any(p.style.name == "Title" and p.text == "Visions +21\u00a0: Amiens Métropole 2055" for p in document.paragraphs)
    # The stakes table: header, then rank 1 with the exact tally.
    top = _stake_tally(db, demo.seminar_id)[0]
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Enjeu")
    first = [c.text for c in table.rows[1].cells]
    assert first[:2] == ["1", top.text] and first[3:5] == [str(top.dots), str(top.voters)]
    header = [c.text for c in table.rows[0].cells]
    for college, dots in top.by_college.items():
        short = {"elected": "Élus", "staff": "Tech.", "business": "Éco.", "association": "Asso.",
                 "resident": "Hab.", "expert": "Exp.", "other": "Autre"}[college]
        assert first[header.index(short)] == str(dots)
    # Participants by collège.
    counts = participants.count_participants(db, demo.seminar_id)
    by_college = next(t for t in document.tables if t.rows[0].cells[0].text == "Collège")
    rows = {r.cells[0].text: r.cells[1].text for r in by_college.rows[1:]}
    assert rows["habitant"] == str(counts["resident"]) and rows["Total"] == str(len(PEOPLE))
    # Figures are pictures; the footer numbers pages with a PAGE field; a TOC field is there.
    assert len(document.inline_shapes) >= 4
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert "TOC \\o" in document.element.xml


def test_docx_totals_are_not_broken_in_a_narrow_column(exported):
    """The run's table ends « Total » under « N° »: Word laid the word out as « Tota / l » in that
    column, so the label spans the blank cells before the first sum."""
    _, _, paths, _ = exported
    document = open_docx(str(paths["docx"]))
    run = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["N°", "Jour", "Activité"])
    total = run.rows[-1]._tr.tc_lst
    assert total[0].xpath("string(.)") == "Total"
    assert total[0].grid_span == 4  # N°, Jour, Activité and Mode
    planned = [c.text for c in run.rows[0].cells].index("Prévu (min)")
    assert [tc.xpath("string(.)") for tc in total][1] == str(sum(int(r.cells[planned].text) for r in run.rows[1:-1]))
    # every row still has the table's number of columns
    assert all(sum(tc.grid_span for tc in row._tr.tc_lst) == len(run.columns) for row in run.rows)


def test_csv_and_xlsx_match_the_database(exported):
    db, demo, paths, _ = exported
    sid = demo.seminar_id
    on_wall = cards.list_cards(db, sid)
    accepted = _db_count(db, Link, Link.seminar_id == sid, Link.status == LinkStatus.ACCEPTED)
    total_dots = _db_total_dots(db, sid)
    assert total_dots > 0
    for tables in (_csv_tables(paths["csv"]), _xlsx_tables(paths["xlsx"])):
        assert len(tables["cartes"]) == len(on_wall)
        assert sum(int(r["gommettes"]) for r in tables["cartes"]) == total_dots
        assert sum(int(r["gommettes"]) for r in tables["votes_par_college"]) == total_dots
        # the demo has two « autre »: never 3 voters in a vote, never apart (statistical secrecy)
        assert {r["college"] for r in tables["votes_par_college"]} >= {"non_detaille", "resident"}
        assert "other" not in {r["college"] for r in tables["votes_par_college"]}
        assert len(tables["liens"]) == accepted
        assert sum(int(r["participants"]) for r in tables["participation_colleges"]) == len(PEOPLE)
        counts = participants.count_participants(db, sid)
        assert {r["college"]: int(r["participants"]) for r in tables["participation_colleges"] if int(r["participants"])} \
            == counts
        top = _stake_tally(db, sid)[0]
        row = next(r for r in tables["cartes"] if int(r["carte_id"]) == top.card_id)
        assert int(row["gommettes"]) == top.dots and row["texte"] == top.text
        split = {r["college"]: int(r["gommettes"]) for r in tables["votes_par_college"] if int(r["carte_id"]) == top.card_id}
        # collèges of fewer than 3 voters in the vote: together, as not broken down
        assert split == {**top.by_college, **({"non_detaille": top.undetailed} if top.undetailed else {})}
        assert len(tables["deroule"]) == len(activities.list_activities(db, sid))
        # exposure and coverage of every stake and challenge, exact (issue 13)
        analysis = analyse(load_snapshot(db, sid))
        exposure = {int(r["carte_id"]): r for r in tables["exposition_enjeux"]}
        assert set(exposure) == {g.card_id for g in analysis.goals}
        for goal in analysis.goals:
            row = exposure[goal.card_id]
            assert float(row["exposition"]) == pytest.approx(goal.exposure, abs=1e-9)
            assert (int(row["menaces"]), int(row["menaces_contrees"]), int(row["soutien"])) == (
                len(goal.threats), goal.countered_count, goal.support)
        shares = {int(r["carte_id"]): float(r["part_influence_indirecte"]) for r in tables["analyse_cartes"]}
        assert shares == pytest.approx({s.card_id: s.influence for s in analysis.influence})
    # Open data: no display name anywhere in the data files.
    with zipfile.ZipFile(paths["csv"]) as archive:
        blob = "\n".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    workbook = load_workbook(str(paths["xlsx"]), read_only=True)
    cells = "\n".join(str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row)
    for name, _ in PEOPLE:
        assert name not in blob and name not in cells, name


def test_html_is_self_contained_and_interactive(exported):
    _db, _demo, paths, _ = exported
    page = paths["html"].read_text(encoding="utf-8")
    assert "<html lang=\"fr\">" in page
    scripts = re.findall(r"<script([^>]*)>", page, re.IGNORECASE)
    assert scripts and all("src" not in attributes for attributes in scripts)  # every script inline
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.IGNORECASE | re.DOTALL)
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.IGNORECASE)
    assert external == []
    assert "url(http" not in markup and "@import" not in markup
    assert re.search(r"<link[^>]+stylesheet", page) is None
    assert "Plotly.newPlot" in page and "plotly.js" in page.lower()
    assert page.count("Plotly.newPlot") >= 4  # stakes, threats, map, influence, timeline
    assert 'href="#enjeux"' in page  # the contents link to the chapters


def test_user_text_stays_inert_in_every_format(sqlite_db, tmp_path):
    db = sqlite_db
    demo = build_demo(db)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    card = cards.add_card(db, demo.seminar_id, kind=CardKind.STAKE, text=evil)
    seminars.set_lessons_learned(db, demo.seminar_id, "Ligne 1 <b>gras</b>\n\n<script>alert(2)</script>")
    paths = export_report(db, demo.seminar_id, ["html", "docx", "csv"], tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(&quot;x&quot;)" in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    assert evil in _docx_text(paths["docx"])  # shown as typed, as text
    row = next(r for r in _csv_tables(paths["csv"])["cartes"] if int(r["carte_id"]) == card.id)
    assert row["texte"] == evil


def test_export_works_while_an_activity_runs(db, tmp_path, fake_clock, seminar, join):
    """Export at any moment: mid-activity, the actual time counts up to now."""
    alice = join("Alice", College.ELECTED)
    join("Bob", College.RESIDENT)
    act = open_activity(db, seminar.seminar_id, Interaction.CONTRIBUTE, CardKind.STAKE)
    cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="Un enjeu écrit en direct")
    fake_clock.advance(minutes=7)
    paths = export_report(db, seminar.seminar_id, ["html", "xlsx", "pdf"], tmp_path)
    row = next(r for r in _xlsx_tables(paths["xlsx"])["deroule"] if r["titre"] == act.title)
    assert row["etat"] == "open" and row["reel_min"] == 7
    page = paths["html"].read_text(encoding="utf-8")
    assert f"Rapport intermédiaire\u00a0: produit pendant le séminaire (activité en cours\u00a0: «\u00a0{act.title}\u00a0»)" in page
    pdf = " ".join(" ".join(_pdf_pages(paths["pdf"])).split())
    assert "Un enjeu écrit en direct" in pdf and "Participants 2" in pdf
    # Then the seminar goes on: a later export sees the new state.
    fake_clock.advance(minutes=5)
    activities.close_activity(db, seminar.seminar_id, act.id)
    later = export_report(db, seminar.seminar_id, ["xlsx"], tmp_path)
    row = next(r for r in _xlsx_tables(later["xlsx"])["deroule"] if r["titre"] == act.title)
    assert row["etat"] == "closed" and row["reel_min"] == 12


def test_an_empty_seminar_exports_too(db, seminar, tmp_path):
    paths = export_report(db, seminar.seminar_id, FORMATS, tmp_path)
    assert set(paths) == set(FORMATS)
    pdf = "\n".join(_pdf_pages(paths["pdf"]))
    assert "Participants 0" in pdf and "n'a encore réuni personne" in pdf
    # nothing played yet: no empty chapter, the cover says what will come
    flat = " ".join(pdf.split())
    assert "pour l'instant" not in flat and "Aucun enjeu" not in flat
    assert "Les chapitres « Les enjeux classés par les votes », « Les menaces : probabilité et gravité »" \
        in flat.replace("\u00a0", " ")
    assert "Aucune carte au mur." in flat


def test_formats_are_checked(db, seminar, tmp_path):
    paths = export_report(db, seminar.seminar_id, "csv, html", tmp_path)
    assert list(paths) == ["html", "csv"]
    with pytest.raises(Invalid) as caught:
        export_report(db, seminar.seminar_id, ["pdf", "odt"], tmp_path)
    assert caught.value.code == "unknown_export_format"
    assert "odt" in caught.value.message("fr")


def test_report_model_numbers(sqlite_db):
    """The one model every format renders from agrees with the services."""
    db = sqlite_db
    demo = build_demo(db)
    report = build_report(db, demo.seminar_id)
    tally = _stake_tally(db, demo.seminar_id)
    assert [(c.card_id, c.dots) for c in report.stakes if c.dots] == [(t.card_id, t.dots) for t in tally]
    assert report.total_dots == _db_total_dots(db, demo.seminar_id)
    assert report.participation.total == len(PEOPLE)
    assert sum(t.total for t in report.participation.tables) == len(PEOPLE)
    assert len(report.links) == _db_count(db, Link, Link.seminar_id == demo.seminar_id)
    rated = [x for x in report.threats if x.severity is not None]
    # exact: the product of the exact means (rounding only when printed)
    assert rated and all(x.severity == x.likelihood * x.impact for x in rated)
    assert any(x.likelihood != round(x.likelihood, 2) for x in rated)  # the demo has means like 3.666…
    assert [x.severity for x in rated] == sorted((x.severity for x in rated), reverse=True)
    assert report.in_progress and report.current_activity


# --- both databases: one full round ---------------------------------------------------------------


def test_every_format_on_both_databases(db, tmp_path):
    demo = build_demo(db)
    paths = export_report(db, demo.seminar_id, out_dir=tmp_path)
    assert set(paths) == set(FORMATS)
    top = _stake_tally(db, demo.seminar_id)[0]
    pdf = " ".join(" ".join(_pdf_pages(paths["pdf"])).split())
    assert re.search(rf"\b1 {re.escape(top.text)} .*?\b{top.dots} {top.voters}\b", pdf)
    docx = _docx_text(paths["docx"])
    assert f"1 | {top.text} |" in docx
    tables = _xlsx_tables(paths["xlsx"])
    assert sum(r["gommettes"] for r in tables["cartes"]) == _db_total_dots(db, demo.seminar_id)


# --- synthesis ------------------------------------------------------------------------------------


def test_similar_wording_is_grouped_and_unrelated_is_not():
    assert text_similarity("Désertification médicale", "désert médical en zone rurale") >= 0.55
    assert text_similarity("Désertification médicale", "Désertification médicale") == 1.0
    assert text_similarity("Fermeture des commerces", "Fermeture des usines") < 0.55
    assert text_similarity("Crues de la Somme", "Hausse du prix de l'énergie") == 0.0
    texts = ["Désertification médicale", "Hausse durable du prix de l'énergie", "désert médical en zone rurale",
             "Flambée des prix de l'énergie", "Fermeture des usines", "Fermeture des commerces",
             "DESERTIFICATION MEDICALE"]
    groups = group_texts(texts)
    assert groups == [[0, 2, 6], [1, 3], [4], [5]]


def _small_seminar(db: Database, territory: str, stakes: list[tuple[str, int]], threats: list[str],
                   lessons: str, people: list[College]) -> int:
    created = seminars.create_seminar(
        db, title=f"Visions +21 : {territory}", territory=territory, horizon_year=2050,
        run_sheet=find_run_sheet("deux-jours"), kit=default_kit(), day_dates=[date(2026, 12, 3)],
        facilitator_secret="animation-2026")
    sid = created.seminar_id
    tokens = [participants.join(db, created.join_code, display_name=f"P{i}", college=c).device_token
              for i, c in enumerate(people)]
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    ids = [cards.contribute(db, tokens[0], act.id, kind=CardKind.STAKE, text=text).id for text, _ in stakes]
    for text in threats:
        cards.contribute(db, tokens[0], act.id, kind=CardKind.THREAT, text=text)
    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)
    for card_id, (_, dots) in zip(ids, stakes):
        for token in tokens[:dots]:
            votes.set_dots(db, token, vote.id, card_id, 1)
    seminars.set_lessons_learned(db, sid, lessons)
    return sid


def test_synthesis_compares_territories(db, tmp_path):
    amiens = _small_seminar(db, "Amiens Métropole", [("Accès aux soins de proximité", 3), ("Revitaliser les centres-bourgs", 1)],
                            ["Désertification médicale", "Fermeture des commerces"], "Les tables mixtes ont bien marché.",
                            [College.ELECTED, College.RESIDENT, College.RESIDENT])
    aisne = _small_seminar(db, "Sud de l'Aisne", [("Accès aux soins en milieu rural", 2), ("Tourisme de nature", 2)],
                           ["désert médical en zone rurale", "Fermeture des usines"], "Prévoir plus de temps pour le vote.",
                           [College.STAFF, College.BUSINESS])
    creil = _small_seminar(db, "Creil Sud Oise", [("Emplois industriels", 1)], ["Crues de l'Oise"], "",
                           [College.ASSOCIATION])
    synthesis = build_synthesis(db, [amiens, aisne, creil], now=seminars.get_seminar_by_id(db, amiens).created_at)
    recurring_threats = [sorted(i.text for i in g.items) for g in synthesis.recurring_threats]
    assert recurring_threats == [["Désertification médicale", "désert médical en zone rurale"]]
    recurring_stakes = [sorted(i.text for i in g.items) for g in synthesis.recurring_stakes]
    assert recurring_stakes == [["Accès aux soins de proximité", "Accès aux soins en milieu rural"]]
    assert [g.label for g in synthesis.specific(creil, "threat")] == ["Crues de l'Oise"]
    assert {g.label for g in synthesis.specific(amiens, "threat")} == {"Fermeture des commerces"}
    assert synthesis.recurring_stakes[0].dots == 5

    paths = export_synthesis(db, [amiens, aisne, creil], ["html", "docx", "xlsx", "pdf"], tmp_path)
    assert all(p.name.startswith("synthese_") and f"seminaires-{amiens}-{aisne}-{creil}" in p.name
               for p in paths.values())
    docx = _docx_text(paths["docx"])
    assert "Désertification médicale" in docx and "désert médical en zone rurale" in docx
    assert "Les tables mixtes ont bien marché." in docx and "Prévoir plus de temps pour le vote." in docx
    groups = _xlsx_tables(paths["xlsx"])["regroupements"]
    medical = {r["texte"] for r in groups if r["commun"] and r["type"] == "threat"}
    assert medical == {"Désertification médicale", "désert médical en zone rurale"}
    participation = _xlsx_tables(paths["xlsx"])["participation"]
    assert sum(r["participants"] for r in participation if r["seminaire_id"] == amiens) == 3
    pdf = " ".join(" ".join(_pdf_pages(paths["pdf"])).split())
    assert "SYNTHÈSE INTER-TERRITOIRES" in pdf.upper() and "Les menaces communes" in pdf
    assert "Amiens Métropole 3" in pdf  # participation compared: total per territory
    with pytest.raises(Invalid):
        export_synthesis(db, [amiens], ["html"], tmp_path)


def test_cli_report_and_synthesis(db, seminar, tmp_path, capsys, monkeypatch):
    from workshop import cli
    from workshop.db import set_database

    other = seminars.create_seminar(db, title="Autre", territory="Creil Sud Oise", horizon_year=2050,
                                    run_sheet=find_run_sheet("deux-jours"), kit=default_kit())
    set_database(db)
    try:
        assert cli.main(["report", str(seminar.seminar_id), "--format", "csv,html", "-o", str(tmp_path)]) == 0
        printed = capsys.readouterr().out.split()
        assert len(printed) == 2 and all(Path(p).exists() for p in printed)
        assert cli.main(["synthesis", str(seminar.seminar_id), str(other.seminar_id), "--format", "xlsx",
                         "-o", str(tmp_path)]) == 0
        out = capsys.readouterr().out.split()
        assert len(out) == 1 and out[0].endswith(".xlsx") and Path(out[0]).exists()
        assert cli.main(["report", str(seminar.seminar_id), "--format", "odt", "-o", str(tmp_path)]) == 1
        assert "Format d'export inconnu" in capsys.readouterr().err
    finally:
        set_database(None)
    shutil.rmtree(tmp_path, ignore_errors=True)


# --- degraded environments -------------------------------------------------------------------------


def test_without_chromium_the_documents_say_the_figures_are_missing(sqlite_db, tmp_path, monkeypatch):
    db = sqlite_db
    from workshop.figures import StaticExportUnavailable
    from workshop.reports import figures

    def no_browser(items):
        raise StaticExportUnavailable("no Chrome/Chromium found")

    monkeypatch.setattr(figures, "_render", no_browser)
    figures.clear_cache()
    demo = build_demo(db)
    paths = export_report(db, demo.seminar_id, ["pdf", "docx"], tmp_path)
    pdf = " ".join(" ".join(_pdf_pages(paths["pdf"])).split())
    assert "Figure non disponible" in pdf and "Les enjeux classés par les votes" in pdf
    assert "Figure non disponible" in _docx_text(paths["docx"])
    assert len(PdfReader(str(paths["pdf"])).pages) > 5


def test_the_pdf_is_made_in_process_when_the_worker_is_off(sqlite_db, tmp_path, monkeypatch):
    db = sqlite_db
    monkeypatch.setenv("WORKSHOP_PDF_WORKER", "off")
    demo = build_demo(db)
    paths = export_report(db, demo.seminar_id, ["pdf"], tmp_path)
    pages = _pdf_pages(paths["pdf"])
    top = _stake_tally(db, demo.seminar_id)[0]
    assert re.search(rf"\b1 {re.escape(top.text)} .*?\b{top.dots} {top.voters}\b", " ".join(" ".join(pages).split()))
    assert "Figure non disponible" not in " ".join(pages)


def test_pdf_digits_are_set_in_the_text_font_not_the_emoji_font(exported):
    """Naming the colour-emoji font in the CSS once made WeasyPrint draw every digit of the PDF
    ("2055", page numbers, figures) with the emoji font's keycap glyphs. The cover has no emoji:
    none of its fonts may be an emoji font."""
    _, _, paths, _ = exported
    cover = PdfReader(str(paths["pdf"])).pages[0]
    fonts = {str(font.get_object()["/BaseFont"]) for font in cover["/Resources"]["/Font"].values()}
    assert fonts and not [name for name in fonts if "emoji" in name.lower()], fonts
