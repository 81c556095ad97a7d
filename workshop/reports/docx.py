"""DOCX rendering with python-docx: an editable Word/LibreOffice document staff can rewrite.

Real headings (Heading 1/2, so the navigation pane and the table of contents work), real
tables, figures as PNG images, a cover page without footer, a table-of-contents field
(pre-filled with the chapter titles; Word fills in the page numbers when it updates
fields, which it offers on opening) and "page N / M" footers from PAGE/NUMPAGES fields.

Tables: each column at least as wide as its header's widest word (``fit_headers``, measured in
Liberation Sans Bold), room around the cells' text (``CELL_MARGINS``), rows never split across pages.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import _Cell

from workshop.figures.labels import font
from workshop.i18n import colon, translate
from workshop.reports.document import (Article, Bullets, Columns, Document, Facts, Figure, Para, Prose, Section, Table,
                                       typeset)

BRAND = RGBColor(0x0B, 0x53, 0x94)
MUTED = RGBColor(0x47, 0x55, 0x69)
WARN = RGBColor(0x92, 0x40, 0x0E)
CONTENT_WIDTH_MM = 176  # A4 minus 17 mm margins
#: Room between a table cell's text and its borders (twips, 20 a point): 1.5 mm on the sides, 0.6 mm
#: above and below. Word's default (1.9 mm on the sides, none above) left narrow columns no room;
#: 0.9 mm and nothing above set the text against the borders.
CELL_MARGINS = {"top": 34, "left": 85, "bottom": 34, "right": 85}
#: The type of the tables' headers (``Texte de tableau``'s font, bold), to measure their words.
HEADER_FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC…) with its cached text."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # ask Word to refresh it
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _update_fields_on_open(document) -> None:
    settings = document.settings.element
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    settings.append(element)


def _shade(cell: _Cell, color: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    properties.append(shading)


def _cell_margins_xml() -> str:
    sides = "".join(f'<w:{side} w:w="{width}" w:type="dxa"/>' for side, width in CELL_MARGINS.items())
    return f'<w:tblCellMar {nsdecls("w")}>{sides}</w:tblCellMar>'


def _bold_twips(text: str, points: float) -> int:
    """Width of ``text`` in bold Liberation Sans at ``points``, in twips."""
    measured = font(100, HEADER_FONT)  # at 100 px, scaled to ``points``
    if measured is None:  # pragma: no cover
        return math.ceil(0.62 * points * 20 * len(text))
    return math.ceil(measured.getlength(text) / 100 * points * 20)


def header_words(header: str) -> list[str]:
    """The pieces a table header may be wrapped between: its words, a unit in parentheses kept
    with the word before it (« Score (0-2) », « Écart (min) ») and a hyphen never a break."""
    return [w for w in re.split(r" (?!\()", header) if w]


def fit_headers(twips: list[int], headers, points: float) -> list[int]:
    """Column widths (twips, same total) in which no header is cut inside a word: a column
    narrower than its header's widest word (plus the cell margins) takes the room it lacks from
    the columns wider than they need, in proportion to what each can spare. Without room enough
    they share what there is."""
    pad = CELL_MARGINS["left"] + CELL_MARGINS["right"] + 20  # and a point for the renderers' rounding
    need = [max((_bold_twips(w, points) for w in header_words(h)), default=0) + pad for h in headers]
    lacking = [max(0, n - w) for n, w in zip(need, twips)]
    spare = [max(0, w - n) for n, w in zip(need, twips)]
    short, room = sum(lacking), sum(spare)
    if not short or not room:
        return list(twips)
    share = min(1.0, room / short)
    taken = short * share / room
    widths = [int(w + lack * share - extra * taken) for w, lack, extra in zip(twips, lacking, spare)]
    widths[max(range(len(widths)), key=widths.__getitem__)] += sum(twips) - sum(widths)  # rounding
    return widths


def _run_text_xml(text: str, *, header: bool) -> str:
    """A run's text; in a header, hyphens that never break (« (0-2) » is not cut as « (0- / 2) »)."""
    if not header:
        return f'<w:t xml:space="preserve">{_xml_text(text)}</w:t>'
    return "<w:noBreakHyphen/>".join(f'<w:t xml:space="preserve">{_xml_text(part)}</w:t>'
                                     for part in text.split("-"))


def _row_xml(cells, twips, style_id: str, numeric, *, header: bool = False, bold: bool = False,
             header_half_points: int = 15, span_label: bool = False):
    """One table row. With ``span_label`` (a footer: « Total », then blanks, then the sums) the first
    cell spans the blank cells after it and is left-aligned, so the label is not broken in a narrow
    column (« Tota / l » under « N° », as LibreOffice laid it out)."""
    cells, twips = list(cells), list(twips)
    spans = [1] * len(cells)
    if span_label and cells and cells[0]:
        span = 1
        while span < len(cells) and not cells[span]:
            span += 1
        spans[0] = span
        cells, twips = [cells[0], *cells[span:]], [sum(twips[:span]), *twips[span:]]
        spans = [span, *spans[span:]]
        numeric = {i - span + 1 for i in numeric if i >= span}
    # a row is never split between two pages (« Moteurs » and half its cards at the foot of one,
    # the rest at the top of the next); the header row repeats on each page of the table
    parts = [f"<w:tr {nsdecls('w')}>",
             '<w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>' if header else "<w:trPr><w:cantSplit/></w:trPr>"]
    run_props = (f'<w:rPr><w:b/><w:color w:val="FFFFFF"/><w:sz w:val="{header_half_points}"/></w:rPr>' if header
                 else ("<w:rPr><w:b/></w:rPr>" if bold else ""))
    for i, (text, width, span) in enumerate(zip(cells, twips, spans)):
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="0B5394"/>' if header else ""
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        align = '<w:jc w:val="right"/>' if i in numeric else ""
        parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid_span}{shade}</w:tcPr>'
                     f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{align}</w:pPr>'
                     f'<w:r>{run_props}{_run_text_xml(text, header=header)}</w:r></w:p></w:tc>')
    parts.append("</w:tr>")
    return parse_xml("".join(parts))


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_XML_BAD.sub("", text))


class _Writer:
    def __init__(self, doc: Document, images: dict[str, bytes]) -> None:
        self.doc = doc
        self.images = images
        self.word = new_docx()
        self.chapter = 0
        self._styles()

    def t(self, key: str, **params) -> str:
        return translate(key, self.doc.lang, **params)

    def _styles(self) -> None:
        styles = self.word.styles
        normal = styles["Normal"]
        normal.font.name = "Liberation Sans"
        normal.font.size = Pt(10)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Liberation Sans")
        for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
            style = styles[name]
            style.font.name = "Liberation Sans"
            style.font.size = Pt(size)
            style.font.color.rgb = BRAND
        # Styles looked up once: python-docx finds a style by name by scanning them all.
        self.styles = {name: styles[name] for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet")}
        self.table_styles = {}
        for small, (name, size) in enumerate((("Texte de tableau", 8.5), ("Texte de tableau serré", 7.5))):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.size = Pt(size)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.space_before = Pt(0)
            self.table_styles[bool(small)] = style.style_id
        section = self.word.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(17)
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        self.word.core_properties.title = f"{self.doc.title} · {self.doc.kind_label}"
        self.word.core_properties.subject = self.doc.subtitle
        self.word.core_properties.language = self.doc.lang
        self.word.core_properties.author = "Visions +21"

    # --- page furniture ----------------------------------------------------------------------

    def cover(self) -> None:
        d, word = self.doc, self.word
        section = word.sections[0]
        section.different_first_page_header_footer = True
        if d.logos:
            logos = word.add_paragraph()
            for logo in d.logos:
                # At most 18 mm high and 38 mm wide, as on the PDF cover.
                scale = min(18 / max(1, logo.height), 38 / max(1, logo.width))
                logos.add_run().add_picture(io.BytesIO(logo.data), width=Mm(logo.width * scale),
                                            height=Mm(logo.height * scale))
                logos.add_run("   ")
        kind = word.add_paragraph()
        run = kind.add_run(d.kind_label.upper())
        run.bold, run.font.color.rgb, run.font.size = True, MUTED, Pt(11)
        word.add_paragraph(d.title, style=self.styles["Title"])
        subtitle = word.add_paragraph()
        subtitle.add_run(d.subtitle).font.size = Pt(14)
        for label, value in d.cover_facts:
            p = word.add_paragraph()
            p.add_run(label + colon(d.lang)).font.color.rgb = MUTED
            p.add_run(value).bold = True
        if d.notice:
            p = word.add_paragraph()
            run = p.add_run(d.notice)
            run.bold, run.font.color.rgb = True, WARN
        p = word.add_paragraph()
        run = p.add_run(d.credits)
        run.font.size, run.font.color.rgb = Pt(8.5), MUTED
        p.add_run().add_break(WD_BREAK.PAGE)

        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.style.font.size = Pt(8)
        footer.add_run(f"{d.footer} — ")
        _field(footer, "PAGE", "1")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES", "1")
        for run in footer.runs:
            run.font.size = Pt(8)

    def contents(self) -> None:
        word = self.word
        word.add_paragraph(self.t("report.contents"), style=self.styles["Heading 1"])
        p = word.add_paragraph()
        chapter, lines = 0, []
        for s in self.doc.toc:
            if s.level == 1 and not s.appendix:
                chapter += 1
                lines.append(f"{chapter}. {s.title}")
            else:
                lines.append(("    " if s.level == 2 else "") + s.title)
        _field(p, 'TOC \\o "1-2" \\h \\z \\u', "")
        # The field's cached text: the chapter titles, until Word fills in the page numbers.
        runs = p.runs
        placeholder = runs[-2]  # the run between "separate" and "end"
        for i, line in enumerate(lines):
            placeholder.add_text(line)
            if i < len(lines) - 1:
                placeholder.add_break()
        note = word.add_paragraph()
        run = note.add_run(self.t("report.docx_toc_hint"))
        run.italic, run.font.size, run.font.color.rgb = True, Pt(8), MUTED
        _update_fields_on_open(word)

    # --- blocks ------------------------------------------------------------------------------

    def section(self, s: Section) -> None:
        if s.level == 1:
            if self.word.paragraphs:
                self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            title = s.title
            if not s.appendix:
                self.chapter += 1
                title = f"{self.chapter}. {s.title}"
            self.word.add_paragraph(title, style=self.styles["Heading 1"])
        else:
            self.word.add_paragraph(s.title, style=self.styles["Heading 2"])
        for block in s.blocks:
            getattr(self, f"block_{block.type}")(block)

    def block_para(self, b: Para) -> None:
        p = self.word.add_paragraph()
        run = p.add_run(b.text)
        if b.style == "lead":
            run.font.size = Pt(11)
        elif b.style == "muted":
            run.font.color.rgb = MUTED
        elif b.style == "note":
            run.bold = True
        elif b.style == "warning":
            run.bold, run.font.color.rgb = True, WARN

    def block_prose(self, b: Prose) -> None:
        for lines in b.paragraphs:
            p = self.word.add_paragraph()
            for i, line in enumerate(lines):
                run = p.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()

    def block_bullets(self, b: Bullets) -> None:
        for item in b.items:
            self.word.add_paragraph(item, style=self.styles["List Bullet"])

    def block_facts(self, b: Facts) -> None:
        for label, value in b.rows:
            p = self.word.add_paragraph()
            p.paragraph_format.space_after = Pt(1)
            p.add_run(label + colon(self.doc.lang)).font.color.rgb = MUTED
            p.add_run(value).bold = True

    def block_table(self, b: Table) -> None:
        """A real Word table; rows are built as WordprocessingML and parsed once per row
        (python-docx's cell-by-cell API takes about a millisecond a cell)."""
        word = self.word
        if b.caption:
            p = word.add_paragraph()
            run = p.add_run(b.caption)
            run.bold, run.font.color.rgb = True, MUTED
            p.paragraph_format.keep_with_next = True
        n = len(b.columns)
        table = word.add_table(rows=0, cols=n)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        weights = b.widths if len(b.widths) == n else tuple(1 for _ in range(n))
        total = float(sum(weights))
        twips = [int(CONTENT_WIDTH_MM / 25.4 * 1440 * w / total) for w in weights]
        header_half_points = 13 if b.small else 15
        twips = fit_headers(twips, b.columns, header_half_points / 2)
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, twips):
            col.w = Twips(width)
        style = self.table_styles[b.small]
        grid = table._tbl
        grid.tblPr.append(parse_xml(_cell_margins_xml()))
        grid.append(_row_xml(b.columns, twips, style, b.numeric, header=True,
                             header_half_points=header_half_points))
        for row in b.rows:
            grid.append(_row_xml([str(v) for v in row], twips, style, b.numeric))
        if b.footer:
            grid.append(_row_xml([str(v) for v in b.footer], twips, style, b.numeric, bold=True,
                                 span_label=True))
        word.add_paragraph().paragraph_format.space_after = Pt(2)

    @staticmethod
    def _cell_text(cell: _Cell, text: str, size, *, bold: bool = False, color=None, right: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(text)
        run.font.size = size
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color

    def block_figure(self, b: Figure) -> None:
        image = self.images.get(b.key)
        if image is None:
            p = self.word.add_paragraph()
            p.add_run(self.t("report.figure_missing")).italic = True
        else:
            self.word.add_picture(io.BytesIO(image), width=Mm(CONTENT_WIDTH_MM))
            self.word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.word.paragraphs[-1].paragraph_format.keep_with_next = True
        caption = self.word.add_paragraph()
        run = caption.add_run(b.caption)
        run.italic, run.font.size, run.font.color.rgb = True, Pt(8.5), MUTED

    def block_columns(self, b: Columns) -> None:
        """Side by side: a table with one column per text (four at most per row of columns)."""
        columns = b.columns
        for start in range(0, len(columns), 4):
            chunk = columns[start:start + 4]
            table = self.word.add_table(rows=2, cols=len(chunk))
            table.style = "Table Grid"
            table._tbl.tblPr.append(parse_xml(_cell_margins_xml()))
            width = Mm(CONTENT_WIDTH_MM / len(chunk))
            for i, (title, prose) in enumerate(chunk):
                head, body = table.rows[0].cells[i], table.rows[1].cells[i]
                head.width = body.width = width
                self._cell_text(head, title, Pt(10), bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
                _shade(head, "0B5394")
                first = True
                for lines in prose.paragraphs:
                    paragraph = body.paragraphs[0] if first else body.add_paragraph()
                    first = False
                    for j, line in enumerate(lines):
                        run = paragraph.add_run(line)
                        run.font.size = Pt(9)
                        if j < len(lines) - 1:
                            run.add_break()
            self.word.add_paragraph()

    def front(self, s: Section) -> None:
        """A page before the contents (« L'essentiel »): unnumbered heading, its own page."""
        self.word.add_paragraph(s.title, style=self.styles["Heading 1"])
        for block in s.blocks:
            getattr(self, f"block_{block.type}")(block)
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def block_essential(self, b) -> None:
        for text, ref in b.items:
            p = self.word.add_paragraph()
            p.paragraph_format.space_after = Pt(5)
            run = p.add_run(text)
            run.font.size = Pt(10.5)
            run = p.add_run(" " + ref)
            run.font.size, run.font.color.rgb = Pt(8.5), MUTED

    def block_photo(self, b) -> None:
        # Width within the page, height at most 120 mm (as in the PDF).
        scale = min(CONTENT_WIDTH_MM / max(1, b.width), 120 / max(1, b.height))
        self.word.add_picture(io.BytesIO(b.data), width=Mm(b.width * scale), height=Mm(b.height * scale))
        self.word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.word.paragraphs[-1].paragraph_format.keep_with_next = True
        if b.caption:
            caption = self.word.add_paragraph()
            run = caption.add_run(b.caption)
            run.italic, run.font.size, run.font.color.rgb = True, Pt(8.5), MUTED

    def colophon(self) -> None:
        if not self.doc.colophon:
            return
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.word.add_paragraph(self.doc.colophon_title, style=self.styles["Heading 2"])
        self.block_prose(Prose(self.doc.colophon))

    def block_article(self, b: Article) -> None:
        self.word.add_paragraph(b.title, style=self.styles["Heading 3"])
        if b.meta:
            p = self.word.add_paragraph()
            run = p.add_run(b.meta)
            run.italic, run.font.color.rgb = True, MUTED
        if b.body:
            self.block_prose(b.prose)

    def write(self, path: Path) -> Path:
        self.cover()
        for s in self.doc.front:
            self.front(s)
        self.contents()
        for s in self.doc.sections:
            self.section(s)
        self.colophon()
        self.word.save(str(path))
        return path


def render_docx(doc: Document, path: Path, *, images: dict[str, bytes] | None = None) -> Path:
    return _Writer(typeset(doc), images or {}).write(path)  # French spacing in what people typed

