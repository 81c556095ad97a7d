"""The DOCX report's tables as Word and LibreOffice lay them out: read from the document's XML.

Looked at as pages (LibreOffice, Creil's report): « Score (0-2) » was cut « Score (0- / 2) » in
its narrow column, the cells' text touched their borders (0.9 mm on the sides, none above), and
a row of the groups' table began at the foot of one page and ended at the top of the next.
"""

from __future__ import annotations

import re

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from PIL import ImageFont

from workshop.db import Database
from workshop.demo import build_past_demo
from workshop.reports.data import report_tables
from workshop.reports.docx import render_docx
from workshop.reports.layout import seminar_document
from workshop.reports.model import build_report

BOLD = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"


@pytest.fixture(scope="module")
def creil_docx(tmp_path_factory):
    """Creil's finished seminar as DOCX (its figures left out: only the tables are read here)."""
    folder = tmp_path_factory.mktemp("docx")
    db = Database(f"sqlite:///{folder / 'creil.sqlite3'}")
    db.create_schema()
    demo = build_past_demo(db)
    report = build_report(db, demo.seminar_id)
    doc = seminar_document(report, report_tables(report), {})
    yield open_docx(str(render_docx(doc, folder / "creil.docx")))
    db.dispose()


def _margins(table) -> dict[str, int]:
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None
    return {side: int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("top", "left", "bottom", "right")
            if margins.find(qn(f"w:{side}")) is not None}


def _text_twips(text: str, half_points: int) -> float:
    font = ImageFont.truetype(BOLD, 100)
    return font.getlength(text) / 100 * half_points / 2 * 20


def test_table_headers_are_never_cut_inside_a_word_and_cells_keep_room_around_their_text(creil_docx):
    tables = [t for t in creil_docx.tables if t._tbl.tblPr.find(qn("w:tblCellMar")) is not None]
    headers = [[c.text for c in t.rows[0].cells] for t in tables]
    assert ["Défi", "Action existante", "Score (0-2)", "tient", "plie", "rompt", "Lecture"] in headers
    for table in tables:
        margins = _margins(table)
        # at least 1.4 mm between the text and the side borders, 0.5 mm above and below
        assert min(margins.get("left", 0), margins.get("right", 0)) >= 80, margins
        assert min(margins.get("top", 0), margins.get("bottom", 0)) >= 28, margins
        # a row is never split between two pages
        assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
        assert sum(widths) <= 176 / 25.4 * 1440  # within the page's text width
        for cell, width in zip(table.rows[0]._tr.tc_lst, widths):
            header = cell.xpath("string(.)")
            size = int(cell.xpath(".//w:rPr/w:sz/@w:val")[0])
            room = width - margins["left"] - margins["right"]
            # a header wraps at its spaces only, a unit in parentheses staying with its word
            for word in re.split(r" (?!\()", header):
                assert _text_twips(word, size) <= room, (header, word, round(_text_twips(word, size)), room)
            if "-" in header:  # a hyphen that Word and LibreOffice never break a line at
                assert cell.xpath(".//w:noBreakHyphen") and not any("-" in t for t in cell.xpath(".//w:t/text()"))
