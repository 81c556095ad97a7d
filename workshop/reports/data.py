"""The data of a report as tables: two CSV flavours (each a zip, one file per table) and an
XLSX workbook (one sheet each).

- **Open data CSV** (``*_donnees-csv.zip``): RFC 4180, comma-separated, UTF-8 without byte-order mark,
  the stable column names below and stable English codes for vocabulary (``stake``,
  ``weighs_on``, ``elected``, ``closed``…), decimal point, ISO dates: for programs and open-data
  portals.
- **Spreadsheet CSV** (``*_tableur-csv.zip``): what French spreadsheet programs open with a
  double click: semicolon-separated, UTF-8 with a byte-order mark, headers and vocabulary in
  the seminar's language ("Type" = "enjeu"), decimal comma, dates as 03/12/2026 10:15.

Both are neutralised against formula injection (OWASP "CSV injection"): a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe,
so no spreadsheet runs it. Numbers are numbers in the report model and are written as they
are (a negative number in a numeric column stays a number); the decision is made by the
cell's type, never by its look ("-2+3" typed on a card is text, so it is neutralised). The
XLSX stores such text as a typed string cell (never a formula), shown as typed.

Raw values, read from the same ``SeminarReport`` the documents are laid out from. Open data:
no personal names anywhere, participants are counted by collège and table; votes and ratings
are aggregated by card (and collège).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from workshop.i18n import catalogue, plain_spaces, translate
from workshop.reports.model import UNDETAILED_CODE, SeminarReport
from workshop.services import votes

#: Decimals a number keeps in the data files: enough for every share and mean, too few for the
#: residue of binary arithmetic (a severity × weight summed to 36.480000000000004).
DIGITS = 12
#: A text cell starting with one of these is read as a formula by spreadsheet programs (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Columns whose values are codes of a vocabulary, and where their words are in the catalogue
#: (first prefix that knows the code wins).
VOCABULARY: dict[str, tuple[str, ...]] = {
    "type": ("kind",), "college": ("college_name", "data.value.college"), "relation": ("relation",), "mode": ("mode",),
    "lecture": ("report.quadrant",), "groupe": ("figure.group",), "critere": ("data.value.criterion",),
    "etat": ("state", "data.value.seminar_state"), "langue": ("data.value.language",),
}


def _word_params(key: str) -> dict:
    """The parameters of a vocabulary word whose number is a rule of the app, read where the rule is
    when the word is written: « non détaillé (moins de {min} votants) » takes ``votes.MIN_VOTERS_SHOWN``."""
    return {"min": votes.MIN_VOTERS_SHOWN} if key == f"data.value.college.{UNDETAILED_CODE}" else {}


@dataclass(frozen=True)
class DataTable:
    key: str          # file / sheet name
    title: str        # what it holds, for the annex and the read-me
    columns: tuple[str, ...]
    rows: list[tuple]


def neutralise(text: str) -> str:
    """``"=HYPERLINK(…)"`` -> ``"'=HYPERLINK(…)"``: a spreadsheet shows it as text, never runs it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value):
    """A raw value as the open data and the XLSX hold it (numbers stay numbers)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return " ; ".join(str(_cell(v)) for v in value)
    if isinstance(value, str):  # data for programs: « à l'horizon 2055 » found with a plain space
        return plain_spaces(value)
    if isinstance(value, float):  # 36.48, not the sum's binary residue 36.480000000000004
        return round(value, DIGITS)
    return value


def _open_cell(value) -> object:
    """A cell of the open-data CSV: numbers as they are, text neutralised."""
    if value is None:
        return ""
    value = _cell(value)
    return neutralise(value) if isinstance(value, str) else value


def french_decimal(value: float, lang: str) -> str:
    text = repr(round(float(value), DIGITS))
    if "e" in text or "E" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") if lang == "fr" else text


class _Words:
    """Headers and vocabulary of the spreadsheet CSV, in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.known = catalogue(lang)

    def header(self, column: str) -> str:
        key = f"data.col.{column}"
        return plain_spaces(translate(key, self.lang)) if key in self.known else column

    def code(self, column: str, value: str) -> str:
        for prefix in VOCABULARY.get(column, ()):
            key = f"{prefix}.{value}"
            if key in self.known:
                return translate(key, self.lang, **_word_params(key))
        return value

    def cell(self, column: str, value) -> str:
        """A cell in words, with plain spaces (a spreadsheet's filters and searches type them)."""
        return plain_spaces(self._cell(column, value))

    def _cell(self, column: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return translate("data.value.yes" if value else "data.value.no", self.lang)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return french_decimal(value, self.lang)
        if isinstance(value, datetime):
            return value.strftime("%d/%m/%Y %H:%M" if self.lang == "fr" else "%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y") if self.lang == "fr" else value.isoformat()
        if isinstance(value, (list, tuple)):
            return neutralise(" ; ".join(self._cell(column, v).lstrip("'") for v in value))
        return neutralise(self.code(column, str(value)))

    def row(self, table: DataTable, row: tuple) -> list[str]:
        if table.columns == ("champ", "valeur"):  # a table of named fields: the name is a header
            name, value = row
            return [self.header(name), self.cell(name, value)]
        return [self.cell(column, value) for column, value in zip(table.columns, row)]


def report_tables(report: SeminarReport) -> list[DataTable]:
    r = report
    t = r.t
    analysis = r.analysis
    scores = analysis.scores_by_id
    # each card's sub-system (cluster): its rank among them, 1 the largest, as the report lists them
    sub_system = {cid: n for n, cluster in enumerate(analysis.clusters, 1) for cid in cluster.card_ids}
    tables = [
        DataTable("seminaire", t("report.data.seminar"), ("champ", "valeur"), [
            ("seminaire_id", r.seminar_id), ("titre", r.title), ("territoire", r.territory),
            ("horizon", r.horizon_year), ("langue", r.language),
            ("dates", [d for d in r.days if d is not None]),
            ("kit", r.kit_name), ("deroule", r.run_sheet_name), ("participants", r.participation.total),
            ("etat", "en_cours" if r.in_progress else "termine"), ("activite_en_cours", r.current_activity or ""),
            ("genere_le", r.generated_at),
        ]),
        DataTable("participation_colleges", t("report.data.participation_colleges"),
                  ("college", "libelle", "participants"),
                  [(c.college, c.label, c.count) for c in r.participation.by_college]),
        DataTable("participation_tables", t("report.data.participation_tables"),
                  ("table", "college", "participants"),
                  [(tb.name, college, n) for tb in r.participation.tables
                   for college, n in sorted(tb.by_college.items()) if n]),
        DataTable("deroule", t("report.data.run_sheet"),
                  ("position", "jour", "titre", "exercice", "mode", "etat", "prevu_min", "prolongation_min",
                   "reel_min", "debut", "fin"),
                  [(s.position, s.day, s.title, s.exercise, s.mode, s.state, s.planned_minutes, s.extended_minutes,
                    s.actual_minutes, s.started_at, s.ended_at) for s in r.run_sheet]),
        DataTable("cartes", t("report.data.cards"),
                  ("carte_id", "type", "theme", "table", "texte", "precisions", "gommettes", "votes"),
                  [(c.card_id, c.kind, c.theme, c.group, c.text, c.details, c.dots, c.voters) for c in r.cards]),
        DataTable("votes_par_college", t("report.data.votes"),
                  ("carte_id", "college", "gommettes", "votes"), list(r.votes_by_college)),
        DataTable("notations", t("report.data.ratings"),
                  ("carte_id", "critere", "moyenne", "notants"), list(r.ratings)),
        DataTable("menaces", t("report.data.threats"),
                  ("carte_id", "texte", "probabilite", "gravite", "severite", "notants", "lecture", "pression",
                   "contree_par"),
                  [(x.card_id, x.text, x.likelihood, x.impact, x.severity, x.raters, x.quadrant, x.pressure,
                    list(x.countered_by)) for x in r.threats]),
        DataTable("liens", t("report.data.links"),
                  ("lien_id", "source_id", "relation", "cible_id", "poids", "note"),
                  [(l.link_id, l.source_id, l.relation, l.target_id, l.weight, l.note) for l in r.links]),
        DataTable("analyse_cartes", t("report.data.analysis"),
                  ("carte_id", "type", "influence_directe", "dependance_directe", "part_influence_directe",
                   "part_dependance_directe", "groupe_direct", "part_influence_indirecte",
                   "part_dependance_indirecte", "groupe", "centralite", "sous_systeme"),
                  [(cid, analysis.cards[cid].kind.value, scores[cid].direct_influence, scores[cid].direct_dependence,
                    scores[cid].direct_influence_share, scores[cid].direct_dependence_share,
                    scores[cid].direct_group.value, scores[cid].influence, scores[cid].dependence,
                    scores[cid].group.value, round(analysis.centrality.get(cid, 0.0), 6), sub_system.get(cid))
                   for cid in analysis.system if cid in scores]),
        DataTable("exposition_enjeux", t("exposure.title"),
                  ("carte_id", "type", "exposition", "menaces", "menaces_contrees", "couverture", "soutien"),
                  [(x.card_id, x.kind, x.exposure, x.threats, x.countered, x.coverage, x.support)
                   for x in r.findings.exposure]),
        DataTable("boucles", t("report.data.loops"),
                  ("boucle_id", "longueur", "force", "cartes_ids"),
                  [(x.loop_id, x.length, x.strength, list(x.card_ids)) for x in r.findings.loop_rows]),
        DataTable("trajectoires", t("report.data.trajectories"),
                  ("trajectoire_id", "titre", "cible_id", "table", "annee", "etape", "description", "cartes_ids"),
                  [(tr.trajectory_id, tr.title, tr.target_id, tr.group, s.year, s.title, s.description,
                    list(s.card_ids)) for tr in r.trajectories for s in tr.steps]),
        DataTable("robustesse", t("report.data.robustness"),
                  ("defi_id", "action_id", "score", "tient", "plie", "rompt", "raisons"),
                  [(x.challenge_id, x.action_id, x.score, x.holds, x.bends, x.breaks, list(x.reasons))
                   for x in r.robustness]),
        DataTable("notes_animation", t("report.data.notes"), ("jour", "activite", "notes"),
                  [(n.day, n.title, n.notes) for n in r.notes]),
    ]
    return tables


def file_names(tables: list[DataTable]) -> dict[str, str]:
    return {d.key: f"{d.key}.csv" for d in tables}


def _readme(tables: list[DataTable], heading: str, about: str, header=None) -> str:
    lines = [heading, "", about, ""]
    for d in tables:
        lines.append(f"{d.key}.csv ({len(d.rows)}) : {d.title}")
        lines.append("  " + ", ".join(header(c) if header else c for c in d.columns))
    return plain_spaces("\n".join(lines) + "\n")


def write_csv_zip(tables: list[DataTable], path: Path, *, readme: str, lang: str = "fr") -> Path:
    """The open data: one CSV per table (comma-separated, UTF-8, stable codes), plus a read-me, in one zip."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for d in tables:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: a CR inside a text is quoted
            writer.writerow(d.columns)
            for row in d.rows:
                writer.writerow([_open_cell(v) for v in row])
            archive.writestr(f"{d.key}.csv", buffer.getvalue())
        archive.writestr("lisez-moi.txt", _readme(tables, readme, translate("report.data_open_about", lang)))
    return path


def write_sheet_csv_zip(tables: list[DataTable], path: Path, *, readme: str, lang: str = "fr") -> Path:
    """The spreadsheet CSV: one file per table that French Excel or LibreOffice opens with a double
    click (semicolons, UTF-8 with a byte-order mark, words instead of codes, decimal comma)."""
    words = _Words(lang)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for d in tables:
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            writer.writerow([words.header(c) for c in d.columns])
            for row in d.rows:
                writer.writerow(words.row(d, row))
            archive.writestr(f"{d.key}.csv", "\ufeff" + buffer.getvalue())
        archive.writestr("lisez-moi.txt", "\ufeff" + _readme(tables, readme, translate("report.data_sheet_about", lang),
                                                              words.header))
    return path


def _text_cell(sheet, value, cell_type):
    """Text stays text: "=HYPERLINK(…)" typed on a tablet must not become a live formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(tables: list[DataTable], path: Path, *, title: str) -> Path:
    """One sheet per table (header in bold, frozen), written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B5394")
    for d in tables:
        sheet = workbook.create_sheet(d.key[:31])
        sheet.freeze_panes = "A2"
        widths = [len(c) + 2 for c in d.columns]
        for row in d.rows[:200]:
            for i, v in enumerate(row):
                widths[i] = max(widths[i], min(60, len(str(_cell(v))) + 2))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        header = []
        for name in d.columns:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        sheet.append(header)
        for row in d.rows:
            sheet.append([_text_cell(sheet, _cell(v), WriteOnlyCell) for v in row])
    workbook.save(path)
    return path
