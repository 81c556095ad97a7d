"""French spacing of what people typed, in the capitalisation report (``document.typeset``).

Participants type « Comment soigner sans médecins ? » with a plain space: printed as typed, a
line of the DOCX robustness table ended before a lone « ? ». A report in French shows their
texts with a no-break space before « : ; ? ! » and inside « » (HTML, PDF, DOCX); a report in
English keeps them as typed; the open data (CSV, XLSX) and the database keep the plain space.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from workshop.models import CardKind
from workshop.reports import export_report
from workshop.reports.layout import seminar_document
from workshop.reports.model import build_report
from workshop.reports.pdf import print_html
from workshop.services import cards, seminars

NBSP = "\u00a0"
QUESTION = "Comment soigner sans médecins ?"
URL_AND_TIME = "Inscriptions sur https://exemple.fr/soins?ville=creil;x=1#a!b avant 14:30 !"
LESSONS = "Méthode : plus de temps ; les tables ont dit «vraiment utile»."


@pytest.fixture(autouse=True)
def no_figures(monkeypatch):
    """The figures are not what is tested here: no Chromium (the documents say they are missing)."""
    from workshop.figures import StaticExportUnavailable
    from workshop.reports import figures

    def no_browser(items):
        raise StaticExportUnavailable("figures not drawn in these tests")

    monkeypatch.setattr(figures, "_render", no_browser)
    figures.clear_cache()


def _seminar(db, kit, run_sheet, *, language: str, texts: list[str], lessons: str = "") -> int:
    created = seminars.create_seminar(
        db, title="Séminaire typographie", territory="Creil Sud Oise", horizon_year=2050, run_sheet=run_sheet,
        kit=kit, day_dates=[date(2026, 10, 7)], language=language, group_names=["Table 1"])
    sid = created.seminar_id
    for text in texts:
        cards.add_card(db, sid, kind=CardKind.CHALLENGE, text=text)
    if lessons:
        seminars.set_lessons_learned(db, sid, lessons)
    return sid


def _docx_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _open_data_texts(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        rows = csv.DictReader(io.StringIO(archive.read("cartes.csv").decode("utf-8"), newline=""))
        return [row["texte"] for row in rows]


def test_a_french_report_keeps_the_question_mark_with_its_word(db, kit, two_days, tmp_path):
    sid = _seminar(db, kit, two_days, language="fr", texts=[QUESTION])
    paths = export_report(db, sid, ["html", "docx", "csv", "xlsx"], tmp_path)
    spaced = f"Comment soigner sans médecins{NBSP}?"

    page = paths["html"].read_text(encoding="utf-8")
    assert spaced in page and QUESTION not in page
    docx = _docx_xml(paths["docx"])
    assert spaced in docx and QUESTION not in docx
    # the PDF is WeasyPrint's layout of the print page (its text layer writes any space as a space)
    printed = print_html(seminar_document(build_report(db, sid), [], {}), {})
    assert spaced in printed and QUESTION not in printed

    # the data and the database: as typed, with its plain space
    assert QUESTION in _open_data_texts(paths["csv"])
    sheet = load_workbook(paths["xlsx"], read_only=True)["cartes"]
    assert QUESTION in [value for row in sheet.iter_rows(values_only=True) for value in row]
    assert [c.text for c in cards.list_cards(db, sid)] == [QUESTION]


def test_urls_and_times_keep_their_marks_unspaced(db, kit, two_days, tmp_path):
    sid = _seminar(db, kit, two_days, language="fr", texts=[URL_AND_TIME], lessons=LESSONS)
    paths = export_report(db, sid, ["html", "docx"], tmp_path)
    for text in (paths["html"].read_text(encoding="utf-8").replace("&#34;", '"'), _docx_xml(paths["docx"])):
        assert f"https://exemple.fr/soins?ville=creil;x=1#a!b avant 14:30{NBSP}!" in text
        # the facilitators' lessons learned too: a no-break space before « : » and « ; », inside « »
        assert f"Méthode{NBSP}: plus de temps{NBSP}; les tables ont dit «{NBSP}vraiment utile{NBSP}»." in text


def test_an_english_report_keeps_english_typography(db, kit, two_days, tmp_path):
    english = _seminar(db, kit, two_days, language="en", texts=["How to care without doctors ?", QUESTION])
    french = _seminar(db, kit, two_days, language="fr", texts=[QUESTION])
    en = export_report(db, english, ["html", "docx"], tmp_path / "en")
    fr = export_report(db, french, ["html", "docx"], tmp_path / "fr")
    for text in (en["html"].read_text(encoding="utf-8"), _docx_xml(en["docx"])):
        assert "How to care without doctors ?" in text and QUESTION in text
    for text in (fr["html"].read_text(encoding="utf-8"), _docx_xml(fr["docx"])):
        assert f"médecins{NBSP}?" in text


def test_no_mark_of_the_finished_demo_report_can_start_a_line(db, tmp_path):
    """The Creil demo, every chapter played: in its HTML page and its DOCX, no « ? ! : ; » after a
    plain space and no « » with a plain space inside, whoever wrote the text (cards, robustness
    reasons, articles, notes, lessons; the DOCX's « Territoire : » labels)."""
    import re

    from workshop.demo import build_past_demo

    demo = build_past_demo(db)
    paths = export_report(db, demo.seminar_id, ["html", "docx"], tmp_path)
    page = re.sub(r"<(script|style)\b.*?</\1>", "", paths["html"].read_text(encoding="utf-8"), flags=re.S)
    html_texts = re.findall(r">([^<]+)<", page)
    docx_texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", _docx_xml(paths["docx"]))
    for texts in (html_texts, docx_texts):
        assert any(f"{NBSP}?" in text for text in texts)  # the challenges are there
        breakable = [text for text in texts if re.search(r" [?!:;»]|« ", text)]
        assert breakable == [], breakable[:5]
